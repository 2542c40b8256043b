"""Check-in at the door: search, one tap to arrive or undo, codes, paper sheet, attendance."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from surgery.bookings.models import Registration
from surgery.day import arrival, door, no_shows, services, surgeon_door
from surgery.day import live as screens
from surgery.day.forms import CodeForm
from surgery.domain.arrival import parse as parse_need
from surgery.events.models import Event
from surgery.events.services import Filters, past_events, upcoming_events
from surgery.extensions import db
from surgery.matching import last_time
from surgery.routing import form_id
from surgery.surgeons.models import Surgeon
from surgery.web import press

bp = Blueprint("checkin", __name__, url_prefix="/organise")

# GET   /organise/checkin                                events (a door volunteer starts here)
# GET   /organise/events/<id>/checkin                    page (?q= to search)
# POST  /organise/events/<id>/checkin/<rid>/arrive       arrive
# POST  /organise/events/<id>/checkin/<rid>/undo         undo
# POST  /organise/events/<id>/checkin/code               typed code
# GET   /organise/checkin/<code>                         scan (the QR code's address)
# POST  /organise/events/<id>/checkin/surgeons/<sid>/arrive  surgeon_arrive
# POST  /organise/events/<id>/checkin/<rid>/same-surgeon  same_surgeon (on=1 or off)
# POST  /organise/events/<id>/checkin/<rid>/follow-up    follow_up (on=1 or off)
# GET   /organise/events/<id>/sign-in-sheet             sheet (to print)
# GET,POST /organise/events/<id>/attendance             attendance (from the sheet)


@bp.before_request
@login_required
def require_login():
    """Organisers, and door volunteers (check-in-only logins) for the days they work."""
    event_id = (request.view_args or {}).get("event_id")
    if event_id is not None:
        event = db.get_or_404(Event, event_id)
        if not _may_check_in(event):
            abort(404)


def _may_check_in(event: Event) -> bool:
    """A door login sees published days around the day itself, never drafts or old lists."""
    return current_user.is_organiser or services.door_may_open(event)


@bp.get("/checkin")
def events():
    """Days to check people in for: those still to come or running, soonest first; a door
    login sees the days it may open, yesterday's too (for late corrections)."""
    events = upcoming_events(Filters(), "UTC")
    if not current_user.is_organiser:
        recent = list(reversed(past_events(Filters(), "UTC", limit=3)))
        events = [e for e in recent + events if services.door_may_open(e)]
    return render_template("day/checkin_events.html", events=events)


@bp.get("/events/<int:event_id>/checkin")
def page(event_id: int):
    """Everyone who booked or came, each with their state, searchable by name; the counts."""
    event = db.get_or_404(Event, event_id)
    return render_template(
        "day/checkin.html",
        **screens.at_the_door(event, request.args.get("q", "")),
        code_form=CodeForm(),
        releases=no_shows.offers(event),
    )


@bp.post("/events/<int:event_id>/checkin/<int:registration_id>/arrive")
def arrive(event_id: int, registration_id: int):
    """Mark someone arrived, with what they need now."""
    registration = _registration_or_404(event_id, registration_id)
    need = parse_need(request.form.get("need"))
    press(lambda: arrival.check_in(registration, need), _arrived(registration))
    return _back(event_id)


def _arrived(registration: Registration):
    """What the door says: they are here, and any place from the waiting list they got."""

    def said(placed) -> str:
        taken = " and ".join(b.session.title for b in placed)
        return f"{registration.name} is here." + (
            f" They have a place in {taken} now." if taken else ""
        )

    return said


@bp.post("/events/<int:event_id>/checkin/<int:registration_id>/undo")
def undo(event_id: int, registration_id: int):
    """Undo an arrival marked by mistake."""
    registration = _registration_or_404(event_id, registration_id)
    press(
        lambda: services.undo_check_in(registration),
        f"{registration.name} is no longer marked as here.",
    )
    return _back(event_id)


@bp.post("/events/<int:event_id>/checkin/code")
def typed_code(event_id: int):
    """Check someone in by the code on their email or phone."""
    event = db.get_or_404(Event, event_id)
    form = CodeForm()
    typed = (form.code.data or "") if form.validate() else ""
    registration = services.by_code(typed) if typed else None
    surgeon = surgeon_door.by_code(typed) if typed and registration is None else None
    if surgeon is not None and surgeon.event_id == event.id:
        press(lambda: surgeon_door.check_in(surgeon), f"{surgeon.name} (surgeon) is here.")
        return _back(event_id)
    if registration is None or registration.event_id != event.id:
        flash("No booking for this day has that code. Check it, or search by name.", "error")
        return _back(event_id)
    press(lambda: services.check_in(registration), _arrived(registration))
    return _back(event_id)


@bp.get("/checkin/<code>")
def scan(code: str):
    """The address inside the QR code: who it is, their state, and one tap to mark them
    arrived, unless their booking or the day was cancelled.

    Opening a link changes nothing (link previews and prefetching open links too).
    """
    registration = services.by_code(code)
    if registration is None:
        return _scan_surgeon(code)
    if not _may_check_in(registration.event):
        abort(404)
    state = door.state_of(registration, door.waiting_positions(registration.event))
    refusal = services.check_in_refusal(registration, state)
    return render_template("day/scan.html", registration=registration, state=state, refusal=refusal)


def _scan_surgeon(code: str):
    """A surgeon's QR code: who they are, and one tap to mark them here."""
    surgeon = surgeon_door.by_code(code)
    if surgeon is None or not _may_check_in(surgeon.event):
        abort(404)
    refusal = surgeon_door.refusal(surgeon)
    return render_template("day/scan_surgeon.html", surgeon=surgeon, refusal=refusal)


@bp.post("/events/<int:event_id>/checkin/surgeons/<int:surgeon_id>/arrive")
def surgeon_arrive(event_id: int, surgeon_id: int):
    """Mark a surgeon here, from their code."""
    surgeon = db.session.get(Surgeon, surgeon_id)
    if surgeon is None or surgeon.event_id != event_id:
        abort(404)
    press(lambda: surgeon_door.check_in(surgeon), f"{surgeon.name} (surgeon) is here.")
    return _back(event_id)


@bp.post("/events/<int:event_id>/checkin/<int:registration_id>/same-surgeon")
def same_surgeon(event_id: int, registration_id: int):
    """The person would like the surgeon who helped them last time (or no longer)."""
    return _ask(event_id, registration_id, last_time.ask_again, ("asks for", "no longer asks for"),
                "the same surgeon as last time.")  # fmt: skip


@bp.post("/events/<int:event_id>/checkin/<int:registration_id>/follow-up")
def follow_up(event_id: int, registration_id: int):
    """The person would like the four-week follow-up question by email (or no longer)."""
    return _ask(event_id, registration_id, arrival.ask_follow_up, ("will", "will not"),
                "be asked four weeks after the day.")  # fmt: skip


def _ask(event_id: int, registration_id: int, change, verbs: tuple[str, str], what: str):
    """A check-in row's switch (on=1 or not): change it and say what the person now asks."""
    registration = _registration_or_404(event_id, registration_id)
    wanted = request.form.get("on") == "1"
    said = f"{registration.name} {verbs[0] if wanted else verbs[1]} {what}"
    press(lambda: change(registration, wanted), said)
    return _back(event_id)


@bp.get("/events/<int:event_id>/sign-in-sheet")
def sheet(event_id: int):
    """A sheet to print, for when the wifi fails."""
    event = db.get_or_404(Event, event_id)
    people = [p for p in door.door_list(event) if p.may_check_in or p.registration.checked_in_at]
    return render_template("day/sheet.html", event=event, people=people)


@bp.route("/events/<int:event_id>/attendance", methods=["GET", "POST"])
def attendance(event_id: int):
    """Mark who came afterwards, from the paper sheet."""
    event = db.get_or_404(Event, event_id)
    if request.method == "POST":
        shown = {form_id(v) for v in request.form.getlist("shown")} - {None}
        was_here = {form_id(v) for v in request.form.getlist("was_here")} - {None}
        arrived = {form_id(v) for v in request.form.getlist("arrived")} - {None}
        press(
            lambda: services.mark_attendance(event, shown, was_here, arrived),
            lambda count: f"Attendance saved: {count} came.",
        )
        return redirect(url_for(".attendance", event_id=event.id), code=303)
    return render_template("day/attendance.html", event=event, people=services.people(event))


def _registration_or_404(event_id: int, registration_id: int) -> Registration:
    """A registration of this event, or a 404."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event_id:
        abort(404)
    return registration


def _back(event_id: int):
    """Back to the check-in page, keeping the search."""
    search = request.form.get("q", "")
    return redirect(url_for(".page", event_id=event_id, q=search or None), code=303)
