"""The live surgery floor for organisers."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from surgery.audit import log
from surgery.auth.access import organiser_required
from surgery.confirm import ask_first
from surgery.day import floor, floor_state, previews, waits
from surgery.day import live as screens
from surgery.domain import audit
from surgery.events.models import EventSession
from surgery.events.views import surgery_session_or_404
from surgery.extensions import db
from surgery.routing import form_id
from surgery.surgeons.models import Surgeon
from surgery.web import press

bp = Blueprint("floor", __name__, url_prefix="/organise/sessions/<int:session_id>/floor")

# GET   /organise/sessions/<sid>/floor                     page
# GET   /organise/sessions/<sid>/floor/live                live (the page's changing part)
# POST  /organise/sessions/<sid>/floor/start               start (pair = booking:surgeon)
# POST  /organise/sessions/<sid>/floor/by-hand           by_hand (booking, surgeon: any pair)
# POST  /organise/sessions/<sid>/floor/<hid>/end           end (back=1: they need more help)
# POST  /organise/sessions/<sid>/floor/surgeons/<id>/here  here
# POST  /organise/sessions/<sid>/floor/surgeons/<id>/gone  gone


@bp.before_request
@organiser_required
def require_login():
    """Only organisers run the floor."""


@bp.get("")
def page(session_id: int):
    """Waiting, surgeons free or busy, pairs in progress; refreshes itself."""
    session = surgery_session_or_404(session_id)
    log.viewed(audit.VIEWED_FLOOR, session.event_id, subject=f"session {session.id}")
    return render_template("day/floor.html", session=session, **screens.floor_page(session, _now))


@bp.get("/live")
def live(session_id: int):
    """Just the part of the page that changes, for screens that poll for it.

    Not logged: the page polls this every few seconds, which would flood the audit log;
    opening the page itself is what the log records. Built once per change for every screen
    (surgery.day.live), and 304 Not Modified while nothing changed."""
    return screens.floor_fragment(surgery_session_or_404(session_id), _now)


def _now(session: EventSession) -> dict:
    """The floor as it is now, with the wait and who is here for something else."""
    state = floor_state.state(session)
    return {"floor": state, "line": waits.floor_line(state, session.event)}


@bp.post("/start")
def start(session_id: int):
    """Start a pairing with one tap."""
    session = surgery_session_or_404(session_id)
    booking_id, _, surgeon_id = (form_id(v) for v in request.form.get("pair", "").partition(":"))
    if booking_id is None or surgeon_id is None:
        abort(400)
    return _change(session, lambda: floor.start(session, booking_id, surgeon_id))


@bp.post("/by-hand")
def by_hand(session_id: int):
    """Start any waiting person with any free surgeon, as the organiser chose; a pair made
    before follows, and nobody is emailed (both are here)."""
    session = surgery_session_or_404(session_id)
    booking_id = form_id(request.form.get("booking", ""))
    surgeon_id = form_id(request.form.get("surgeon", ""))
    if booking_id is None or surgeon_id is None:
        flash("Choose a person and a surgeon.", "error")
        return redirect(url_for(".page", session_id=session.id), code=303)
    return _change(
        session,
        lambda: floor.start(session, booking_id, surgeon_id, by_hand=True),
        lambda record: f"{record.booking.registration.name} is with {record.surgeon.name}.",
    )


@bp.post("/<int:record_id>/end")
def end(session_id: int, record_id: int):
    """End a pairing with one tap; "back" sends the person back into the queue."""
    session = surgery_session_or_404(session_id)
    back = request.form.get("back") == "1"
    return _change(
        session,
        lambda: floor.end(session, record_id, back_in_queue=back),
        lambda record: _back_in_queue([record] if record.back_in_queue else []),
    )


@bp.post("/surgeons/<int:surgeon_id>/here")
def here(session_id: int, surgeon_id: int):
    """A surgeon has arrived."""
    session = surgery_session_or_404(session_id)
    return _change(session, lambda: floor.surgeon_arrived(_surgeon_or_404(session, surgeon_id)))


@bp.post("/surgeons/<int:surgeon_id>/gone")
def gone(session_id: int, surgeon_id: int):
    """A surgeon has left, after asking once; whoever they were helping waits again."""
    session = surgery_session_or_404(session_id)
    surgeon = _surgeon_or_404(session, surgeon_id)
    back = url_for(".page", session_id=session.id)
    if asking := ask_first(lambda: previews.surgeon_leaving(surgeon), back):
        return asking
    return _change(session, lambda: floor.surgeon_gone(surgeon), _back_in_queue)


def _change(session: EventSession, action, tell=None):
    """Run a change, commit once, say what followed from it, back to the floor."""
    press(action, tell or None, "info")
    return redirect(url_for(".page", session_id=session.id), code=303)


def _back_in_queue(records) -> str | None:
    """Say who is waiting again, so nobody is forgotten."""
    names = " and ".join(record.booking.registration.name for record in records)
    if names:
        return f"{names} {'are' if len(records) > 1 else 'is'} waiting again. " + (
            "The time they waited before still counts."
        )
    return None


def _surgeon_or_404(session: EventSession, surgeon_id: int) -> Surgeon:
    """A surgeon of this session's event, or a 404."""
    surgeon = db.session.get(Surgeon, surgeon_id)
    if surgeon is None or surgeon.event_id != session.event_id:
        abort(404)
    return surgeon
