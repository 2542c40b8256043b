"""Booking a surgery day, and the private manage link."""

from contextlib import nullcontext

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from surgery import limits, web
from surgery.bookings import previews, services, state
from surgery.bookings.forms import AboutYouForm, AddSessionsForm, BookingForm
from surgery.confirm import ask_first
from surgery.database import reading_first
from surgery.domain.answers import not_kept
from surgery.domain.booking_state import said_after_adding
from surgery.domain.capacity import CONFIRMED
from surgery.domain.errors import NotFound
from surgery.domain.languages import as_text
from surgery.domain.tokens import is_form_key, new_form_key
from surgery.events.services import published_event
from surgery.feeds import adding
from surgery.forms import LostLinkForm, choices
from surgery.gate import booking_turn
from surgery.links import public_url
from surgery.mail import lost_links
from surgery.matching import last_time
from surgery.qr import qr_image
from surgery.vocabulary import services as vocabulary

bp = Blueprint("bookings", __name__)


@bp.route("/events/<int:event_id>/book", methods=["GET", "POST"])
@limits.public_form
def book(event_id: int):
    """The booking form; one submit books every chosen session."""
    # one booking at a time in this process (surgery.gate); showing the form needs no turn.
    # On SQLite, a burst of bookings waits for each other's change only (reading_first).
    turn = booking_turn() if request.method == "POST" else nullcontext()
    with turn, reading_first():
        return _booking_page(event_id)


def _booking_page(event_id: int):
    """The booking form, or the booking it sent."""
    event = published_event(event_id)
    if event is None or not event.is_published:
        abort(404)
    bookable = state.open_sessions(event)
    closed = state.closed_reason(event, bookable)
    if closed:
        page = render_template("bookings/closed.html", event=event, reason=closed)
        return page, 200 if request.method == "GET" else 400
    form = BookingForm()
    if request.method == "GET" or form.chose_terms():
        form.set_vocabularies(*vocabulary.offered())
    else:  # nothing to check against them; read below if the form is shown again
        form.set_vocabularies([], [])
    # every session that needs booking is a valid choice, so a form sent after one started
    # is refused by the service, under the lock, in words; only open ones are offered
    form.sessions.choices = choices((s.id, s.title) for s in event.sessions if s.needs_booking)
    if request.method == "GET":
        form.form_key.data = new_form_key()
        chosen = request.args.get("session", type=int)
        form.sessions.data = (
            [chosen] if chosen else ([bookable[0].id] if len(bookable) == 1 else [])
        )
    elif not is_form_key(form.form_key.data):
        form.form_key.data = new_form_key()
    if form.validate_on_submit():
        asked = _request_from(form)
        outcome = web.run(
            lambda: services.book(event_id, asked, current_app.secret_key), form.sessions.errors
        )
        if not web.refused(outcome):
            return _after_booking(event, outcome)
    form.sessions.choices = choices((s.id, s.title) for s in bookable)
    if not (form.role_tags.choices or form.topics.choices):
        form.set_vocabularies(*vocabulary.offered())
    places = state.places_by_session(event.sessions)
    page = render_template("bookings/book.html", event=event, form=form, places=places)
    return page, 400 if form.errors else 200


@bp.route("/lost-link", methods=["GET", "POST"])
@limits.public_form
def lost_link():
    """Ask for the private link of a booking again; the answer never says if there is one."""
    return lost_link_page("booking")


def lost_link_page(holder: str):
    """The "lost your link?" form, and the one answer it gives to every address."""
    form = LostLinkForm()
    if form.validate_on_submit():
        web.run(lambda: lost_links.ask(form.email.data, holder))
        return render_template("bookings/lost_link_sent.html", holder=holder)
    page = render_template("bookings/lost_link.html", form=form, holder=holder)
    return page, 400 if form.errors else 200


def _request_from(form: BookingForm) -> services.BookingRequest:
    """The form's answers as plain data for the service."""
    return services.BookingRequest(
        name=form.name.data,
        email=form.email.data,
        session_ids=form.sessions.data,
        about=form.about(),
        form_key=form.form_key.data,
        follow_up=bool(form.follow_up.data),
    )


def _after_booking(event, outcome: services.BookingOutcome):
    """Show the confirmation; or, when this email already had a booking for the day, say
    only that its link has been emailed to it."""
    if outcome.token is None:
        return render_template("bookings/already.html", event=event)
    _say_what_was_not_kept(outcome.not_kept)
    return redirect(url_for("bookings.confirmation", token=outcome.token), code=303)


@bp.get("/bookings/<token>/confirmed")
def confirmation(token: str):
    """Thanks, what was booked and the private link to keep."""
    registration = registration_or_404(token)
    states = state.booking_states(registration)
    return render_template(
        "bookings/confirmation.html",
        registration=registration,
        token=token,
        states=states,
        truth=state.truth(registration, states),
        helped_before=last_time.had_a_surgeon_before(registration),
    )


@bp.get("/bookings/<token>")
def manage(token: str):
    """Everything about one booking, with ways to change or cancel it."""
    registration = registration_or_404(token)
    form = AboutYouForm(obj=registration)
    _fill_about_form(form, registration)
    return _manage_page(registration, token, form)


@bp.post("/bookings/<token>/about")
def update_about(token: str):
    """Change what the person told us about themselves and their needs."""
    registration = registration_or_404(token)
    form = AboutYouForm()
    form.set_vocabularies(*vocabulary.offered())
    if not form.validate():
        return _manage_page(registration, token, form), 400
    about = form.about()
    if web.press(lambda: services.apply_about(registration, about), "Your answers are saved."):
        _say_what_was_not_kept(about.unconsented())
    return redirect(url_for("bookings.manage", token=token), code=303)


@bp.post("/bookings/<token>/same-surgeon")
def same_surgeon(token: str):
    """The person would like the surgeon who helped them last time, if they are here."""
    registration = registration_or_404(token)
    wanted = request.form.get("same_surgeon") == "y"
    said = "We will try to pair you with the same surgeon as last time." if wanted else "Saved."
    web.press(lambda: last_time.ask_again(registration, wanted), said)
    return redirect(url_for("bookings.manage", token=token, _anchor="same-surgeon"), code=303)


@bp.post("/bookings/<token>/add")
def add_sessions(token: str):
    """Book more sessions of the same day from the private link."""
    registration = registration_or_404(token)
    form = _add_form(registration, open_only=False)
    if form.validate():
        chosen = form.sessions.data
        added = web.run(lambda: services.add_sessions(registration, chosen), form.sessions.errors)
        if not web.refused(added):
            flash(_said_after_adding(registration, added), "success")
            return redirect(url_for("bookings.manage", token=token), code=303)
    form.sessions.choices = _add_choices(registration)
    about = AboutYouForm(formdata=None, obj=registration)
    _fill_about_form(about, registration)
    return _manage_page(registration, token, about, form), 400


def _said_after_adding(registration, added) -> str:
    """Which sessions were booked and which only joined a waiting list (at what number)."""
    positions = services.waiting_positions(registration)
    booked = [b.session.title for b in added if b.status == CONFIRMED]
    waiting = [(b.session.title, positions[b.id]) for b in added if b.id in positions]
    return said_after_adding(booked, waiting, bool(registration.email))


@bp.post("/bookings/<token>/cancel/<int:booking_id>")
def cancel(token: str, booking_id: int):
    """Cancel one session, or leave its waiting list, after asking once."""
    registration = registration_or_404(token)
    booking = next((b for b in registration.bookings if b.id == booking_id), None)
    if booking is None:
        abort(404)
    back = url_for("bookings.manage", token=token)
    if asking := ask_first(lambda: previews.cancelling_own(registration, booking), back):
        return asking
    title = booking.session.title
    web.press(lambda: services.cancel(booking), f"Cancelled: {title}.")
    return redirect(url_for("bookings.manage", token=token), code=303)


@bp.post("/bookings/<token>/cancel-all")
def cancel_all(token: str):
    """Cancel every session of this booking, after asking once."""
    registration = registration_or_404(token)
    back = url_for("bookings.manage", token=token)
    if asking := ask_first(lambda: previews.cancelling_own(registration), back):
        return asking
    web.press(
        lambda: services.cancel_all(registration),
        "All your sessions are cancelled. Thank you for letting us know.",
    )
    return redirect(url_for("bookings.manage", token=token), code=303)


@bp.get("/bookings/<token>/checkin-qr.svg")
def checkin_qr(token: str):
    """The QR code of the person's check-in code, to show at the door."""
    registration = registration_or_404(token)
    if not state.truth(registration, state.booking_states(registration)).booked:
        abort(404)  # no place to come to, so no code to show at the door
    url = public_url("checkin.scan", code=registration.checkin_code)
    return Response(qr_image(url, "svg"), mimetype="image/svg+xml")  # no-store: headers.py


def _say_what_was_not_kept(answers) -> None:
    """Tell the person exactly which answers were thrown away for lack of consent."""
    said = not_kept(answers)
    if said:
        flash(said, "info")


def registration_or_404(token: str):
    """The registration behind a manage link; a wrong or tampered link is a 404."""
    try:
        registration = services.registration_for_token(token)
    except NotFound:
        abort(404)
    return registration


def _fill_about_form(form: AboutYouForm, registration) -> None:
    """Show the stored answers in the form."""
    form.set_vocabularies(*vocabulary.offered())
    form.role_tags.data = [t.id for t in registration.role_tags]
    form.topics.data = [t.id for t in registration.topics]
    form.consent.data = registration.consent_sensitive
    form.share_with_surgeon.data = registration.share_with_surgeon
    form.languages.data = as_text(registration.languages or [])


def _add_form(registration, open_only=True) -> AddSessionsForm:
    """The form to book more sessions of the day."""
    form = AddSessionsForm()
    form.sessions.choices = _add_choices(registration, open_only)
    return form


def _add_choices(registration, open_only=True):
    """Sessions needing a booking that this person has not booked: those open now, to offer.

    Sent, the form accepts them all, so a session that started while the page was open is
    refused by the service in words rather than as "not a valid choice"."""
    booked = {b.session_id for b in registration.active_bookings}
    event = registration.event
    sessions = state.open_sessions(event) if open_only else event.sessions
    return choices((s.id, s.title) for s in sessions if s.needs_booking and s.id not in booked)


def _manage_page(registration, token: str, form: AboutYouForm, add_form=None):
    """Render the manage page with the given needs form (and form to add sessions)."""
    states = state.booking_states(registration)
    return render_template(
        "bookings/manage.html",
        registration=registration,
        token=token,
        form=form,
        add_form=add_form or _add_form(registration),
        places=state.places_by_session(registration.event.sessions),
        states=states,
        truth=state.truth(registration, states),
        helped_before=last_time.had_a_surgeon_before(registration),
        calendar_choices=adding.for_booking(registration, token),
    )
