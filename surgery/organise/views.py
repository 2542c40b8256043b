"""Organiser pages; every one needs a signed-in organiser."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from surgery import web
from surgery.audit import log
from surgery.auth.access import organiser_required
from surgery.bookings import previews
from surgery.bookings import services as bookings
from surgery.confirm import ask_first
from surgery.database import utcnow
from surgery.domain import asking, audit
from surgery.domain.errors import DomainError
from surgery.domain.lifecycle import CANCEL, CANCELLED, PUBLISH
from surgery.domain.search_key import MAX_LENGTH
from surgery.domain.session_changes import ChangeRefused, StaleForm
from surgery.events.models import Event, EventSession
from surgery.extensions import db
from surgery.learned import services as learned
from surgery.organise import messages, people, services
from surgery.organise.dashboard import days as all_days
from surgery.organise.forms import EventForm, SessionForm
from surgery.reminders.overview import answers as reminder_answers
from surgery.routing import form_id
from surgery.subscriptions import services as subscriptions
from surgery.web import press

bp = Blueprint("organise", __name__, url_prefix="/organise")

# what the people list on an event page is narrowed by, kept by its rows' buttons
LIST_ARGS = ("page", "q", "session")


@bp.before_request
@organiser_required
def require_login():
    """Every organiser page needs a signed-in organiser."""


# URL table
# GET       /organise/                                      dashboard
# GET,POST  /organise/events/new                            new_event
# GET       /organise/events/<id>[?page=&q=&session=]       event
# GET,POST  /organise/events/<id>/edit                      edit_event
# POST      /organise/events/<id>/status                    change_status (publish may ask)
# GET,POST  /organise/events/<id>/cancel                    cancel_event (asks first)
# GET,POST  /organise/events/<id>/publish-again             publish_again (asks first)
# GET,POST  /organise/events/<id>/sessions/new              new_session
# GET,POST  /organise/events/<id>/sessions/<sid>/edit       edit_session
# POST      /organise/events/<id>/bookings/<bid>/cancel     cancel_booking
# POST      /organise/events/<id>/bookings/<bid>/move-up    move_up
# (the bookings spreadsheet and the needs sheet: surgery/organise/download_views.py)


@bp.get("/")
def dashboard():
    """Every day with its figures and what needs attention, soonest first."""
    now = utcnow()
    return render_template("organise/dashboard.html", sections=all_days(now), now=now)


@bp.route("/events/new", methods=["GET", "POST"])
def new_event():
    """Create a draft event; pressing Save twice makes one."""
    form = EventForm()
    if request.method == "GET":
        form.new_key()
    if form.validate_on_submit():
        saved = _saved(
            form, lambda: services.save_event(Event(), form.data, None, form.given_key())
        )
        if saved is not None:
            flash("Event created as a draft. Add its sessions, then publish it.", "success")
            return redirect(url_for(".event", event_id=saved.id), code=303)
    return render_template("organise/event_form.html", form=form, event=None), _status(form)


@bp.get("/events/<int:event_id>")
def event(event_id: int):
    """One event: its sessions and their counts, the mix of people, and who is booked or
    waiting a page at a time (?page=, narrowed by ?q= name or email and ?session=)."""
    event = _event_or_404(event_id)
    log.viewed(audit.VIEWED_BOOKINGS, event.id)
    search = request.args.get("q", "")[:MAX_LENGTH]  # no name is longer
    session_id = form_id(request.args.get("session", ""))
    if session_id not in {s.id for s in event.sessions}:
        session_id = None
    listed = people.people_page(event.id, request.args.get("page"), search, session_id)
    booked = [row.booking_id for row in listed.rows if not row.waiting]
    searched = {"q": search, "session": session_id}
    searched = {key: value for key, value in searched.items() if value}
    return render_template(
        "organise/event.html",
        event=event,
        counts=people.session_counts(event.id),
        listed=listed,
        searched=searched,
        kept={**searched, **({"page": listed.page.number} if listed.page.has_previous else {})},
        mix=people.role_tag_mix(event.id),
        reminders=reminder_answers(event.id, booked),
        announces=subscriptions.to_announce(event),
        learned=learned.overview(event),
        day_messages=messages.sent_on(event.id),
    )


def kept_on_list() -> dict[str, str]:
    """The page, search and session of the people list a request came from, so a row's
    button leads back to the same page."""
    return {key: value for key in LIST_ARGS if (value := request.args.get(key, ""))}


def back_to_list(event_id: int) -> str:
    """The event page as the list was when a row's button was pressed."""
    return url_for("organise.event", event_id=event_id, **kept_on_list())


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id: int):
    """Change an event's details; a save from a page older than the last save is refused."""
    event = _event_or_404(event_id)
    form = EventForm(obj=event)
    if request.method == "GET":
        form.remember(event.version)
    if form.validate_on_submit():
        version = form.given_version()
        if _saved(form, lambda: services.save_event(event, form.data, version)) is not None:
            flash("Event saved.", "success")
            return redirect(url_for(".event", event_id=event.id), code=303)
        if form.stale:
            form = _current_event_form(form, _event_or_404(event_id))
    page = render_template("organise/event_form.html", form=form, event=event)
    return page, 409 if getattr(form, "changed", None) is not None else _status(form)


def _current_event_form(stale: EventForm, event: Event) -> EventForm:
    """The event form as the event is now, with what changed since the stale one was shown."""
    form = EventForm(formdata=None, obj=event)
    form.remember(event.version)
    form.changed = stale.changed_since(form)
    return form


# changes that email people are asked about first, on a page of their own
ASKED = {"cancel": CANCEL, "publish-again": PUBLISH}
STEPS = {"cancel": ".cancel_event", "publish-again": ".publish_again"}


@bp.post("/events/<int:event_id>/status")
def change_status(event_id: int):
    """Publish or unpublish a day; cancelling it, or publishing a cancelled day again, goes
    to the page that asks first; publishing one its subscribers will be told of asks here."""
    event = _event_or_404(event_id)
    action = request.form.get("action", "")
    if action == CANCEL:
        return redirect(url_for(".cancel_event", event_id=event.id), code=303)
    if action == PUBLISH and event.status == CANCELLED:
        return redirect(url_for(".publish_again", event_id=event.id), code=303)
    back = url_for(".event", event_id=event.id)
    # publishing a day for the first time emails its subscribers: asked first, then told
    announces = action == PUBLISH and subscriptions.to_announce(event) > 0
    if announces and (asking := ask_first(lambda: _publishing(event), back)):
        return asking
    _change(event, action, asked=announces)
    return redirect(back, code=303)


def _publishing(event: Event):
    """What publishing a day for the first time does, said before it is done."""
    return asking.publishing(event.title, subscriptions.addresses_to_announce(event))


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
def cancel_event(event_id: int):
    """Cancel a day, once the page has said whom it emails."""
    return _ask_first(event_id, "cancel")


@bp.route("/events/<int:event_id>/publish-again", methods=["GET", "POST"])
def publish_again(event_id: int):
    """Publish a cancelled day again, once the page has said whom it emails."""
    return _ask_first(event_id, "publish-again")


def _ask_first(event_id: int, step: str):
    """Say what cancelling (or publishing again) will do and whom it emails; only the
    page's own button does it."""
    event = _event_or_404(event_id)
    if request.method == "POST":
        _change(event, ASKED[step])
        return redirect(url_for(".event", event_id=event.id), code=303)
    try:
        change, emailed, total = services.consequence(event, ASKED[step])
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for(".event", event_id=event.id), code=303)
    return render_template(
        "organise/confirm_change.html",
        event=event,
        step=step,
        action_url=url_for(STEPS[step], event_id=event.id),
        change=change,
        emailed=emailed,
        total=total,
        announces=subscriptions.to_announce(event) if step == "publish-again" else 0,
    )


def _change(event: Event, action: str, asked: bool = True) -> None:
    """Make a status change and say what the day is now (or why it was refused); one not
    asked about first must email nobody."""
    press(
        lambda: services.change_status(event.id, action, asked),
        lambda change: f"The event is now {change.status}.",
    )


@bp.route("/events/<int:event_id>/sessions/new", methods=["GET", "POST"])
def new_session(event_id: int):
    """Add a session to an event."""
    return _session_form(_event_or_404(event_id), None)


@bp.route("/events/<int:event_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(event_id: int, session_id: int):
    """Change a session's kind, times or places."""
    event = _event_or_404(event_id)
    session = db.session.get(EventSession, session_id)
    if session is None or session.event_id != event.id:
        abort(404)
    return _session_form(event, session)


def _session_form(event: Event, session: EventSession | None):
    """Show or save the session form; a save from an older page is refused."""
    form = SessionForm()
    if request.method == "GET":
        _show_session(form, event, session)
    if form.validate_on_submit():
        starts, ends = form.local_times()
        data = services.SessionData(
            form.kind.data, form.title.data, starts, ends, form.capacity.data,
            form.given_version(), form.given_key(), form.mode.data, form.online_url.data or "",
        )  # fmt: skip
        if _saved(form, lambda: services.save_session(event, session, data)) is not None:
            flash("Session saved.", "success")
            return redirect(url_for(".event", event_id=event.id), code=303)
        if form.stale and session is not None:
            current = SessionForm(formdata=None)
            _show_session(current, event, db.session.get(EventSession, session.id))
            current.changed, form = form.changed_since(current), current
    page = render_template("organise/session_form.html", form=form, event=event, session=session)
    return page, 409 if getattr(form, "changed", None) is not None else _status(form)


def _show_session(form: SessionForm, event: Event, session: EventSession | None) -> None:
    """Fill the form from a session as it is now, or give a new session's form its key."""
    if session is None:
        form.new_key()
        return
    starts, ends = event.local(session.starts_at), event.local(session.ends_at)
    form.kind.data, form.title.data, form.capacity.data = (
        session.kind,
        session.title,
        session.capacity,
    )
    form.day.data, form.starts.data, form.ends.data = starts.date(), starts.time(), ends.time()
    form.mode.data, form.online_url.data = session.mode, session.online_url
    form.remember(session.version)


def _saved(form, change):
    """Run a change and commit it; the row, or None with the reason on the form.

    A form older than the row (or a save that met another at the same moment) is marked
    stale; a refused change puts its reason by the field it is about.
    """
    form.stale = False

    def refused(error) -> None:
        if isinstance(error, StaleForm):
            form.stale = True
        else:
            field = form[error.field] if isinstance(error, ChangeRefused) else None
            (field or form.title).errors.append(str(error))

    row = web.run(change, refused)
    return None if web.refused(row) else row


@bp.post("/events/<int:event_id>/bookings/<int:booking_id>/cancel")
def cancel_booking(event_id: int, booking_id: int):
    """Cancel someone's booking, after asking once; the first on the waiting list takes the
    place."""
    booking = _booking_or_404(event_id, booking_id)
    back = back_to_list(event_id)
    if asking := ask_first(lambda: previews.cancelling_booking(booking), back):
        return asking
    promoted = web.run(lambda: _booking_changed(booking, bookings.cancel, "cancelled"))
    if web.refused(promoted):
        return redirect(back, code=303)
    names = ", ".join(b.registration.name for b in promoted)
    flash(
        f"Booking cancelled.{' Moved up from the waiting list: ' + names if names else ''}",
        "success",
    )
    return redirect(back, code=303)


@bp.post("/events/<int:event_id>/bookings/<int:booking_id>/move-up")
def move_up(event_id: int, booking_id: int):
    """Move someone one place up the waiting list."""
    booking = _booking_or_404(event_id, booking_id)
    press(
        lambda: _booking_changed(booking, bookings.move_up, "moved up the waiting list"),
        f"{booking.registration.name} moved up the waiting list.",
    )
    return redirect(back_to_list(event_id), code=303)


def _booking_changed(booking, change, done: str):
    """Make an organiser's change to a booking, and log it with the change."""
    result = change(booking)
    event_id = booking.session.event_id
    log.record(audit.CHANGED_BOOKING, event_id, f"booking {booking.id}", detail=done)
    return result


def _event_or_404(event_id: int) -> Event:
    """The event, or a 404."""
    return db.get_or_404(Event, event_id)


def _booking_or_404(event_id: int, booking_id: int):
    """A booking of this event, or a 404."""
    booking = services.booking_of_event(_event_or_404(event_id), booking_id)
    if booking is None:
        abort(404)
    return booking


def _status(form) -> int:
    """400 when a submitted form has errors, so tools and tests can tell."""
    return 400 if form.errors else 200
