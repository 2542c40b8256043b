"""On arrival: what someone needs now, and giving no-shows' places to people waiting here."""

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user, login_required

from surgery.auth.access import organiser_required
from surgery.bookings.models import Registration
from surgery.confirm import ask_first
from surgery.day import arrival, no_shows, services
from surgery.domain import arrival as needs
from surgery.events.models import Event, EventSession
from surgery.extensions import db
from surgery.web import press

bp = Blueprint("arrival", __name__, url_prefix="/organise/events/<int:event_id>")

# POST  /organise/events/<id>/checkin/<rid>/need         need (what they need now)
# POST  /organise/events/<id>/sessions/<sid>/give-places  give_places (asks first)


@bp.before_request
@login_required
def require_login():
    """Organisers, and door volunteers for the days they work (as check-in)."""
    event = db.get_or_404(Event, (request.view_args or {}).get("event_id"))
    if not (current_user.is_organiser or services.door_may_open(event)):
        abort(404)


@bp.app_template_global("arrival_needs")
def arrival_needs() -> dict[str, str]:
    """The needs in the order they are offered, with their words."""
    return needs.NEEDS


@bp.post("/checkin/<int:registration_id>/need")
def need(event_id: int, registration_id: int):
    """Change what someone who is here needs now."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event_id:
        abort(404)
    said = needs.parse(request.form.get("need"))
    if said is None:
        abort(400)
    press(
        lambda: arrival.set_need(registration, said),
        f"{registration.name}: {needs.NEEDS[said].lower()}.",
    )
    return _back_to_checkin(event_id)


@bp.post("/sessions/<int:session_id>/give-places")
@organiser_required
def give_places(event_id: int, session_id: int):
    """Give the places of people not here to people waiting here, after asking once."""
    session = db.session.get(EventSession, session_id)
    if session is None or session.event_id != event_id:
        abort(404)
    back = url_for("checkin.page", event_id=event_id)
    if asking := ask_first(lambda: no_shows.preview(session), back):
        return asking
    press(
        lambda: no_shows.release(session),
        lambda n: (
            f"{n} {'place' if n == 1 else 'places'} in {session.title} given to people "
            "waiting here."
        ),
    )
    return redirect(back, code=303)


def _back_to_checkin(event_id: int):
    """Back to the check-in page, keeping the search."""
    search = request.form.get("q", "")
    return redirect(url_for("checkin.page", event_id=event_id, q=search or None), code=303)
