"""The organisers' check of a day's resources, and the facilitators' link; every page
needs a signed-in organiser."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from surgery import web
from surgery.auth.access import organiser_required
from surgery.domain.resources import APPROVE, DECISIONS
from surgery.events.models import Event
from surgery.extensions import db
from surgery.learned import services
from surgery.learned.forms import ButtonForm
from surgery.learned.models import Resource

bp = Blueprint("learned_organise", __name__, url_prefix="/organise")

# GET   /organise/events/<id>/resources                       resources
# POST  /organise/events/<id>/resources/<rid>/<decision>      decide (approve, reject)
# POST  /organise/events/<id>/facilitator-link                new_link (makes or replaces)


@bp.before_request
@organiser_required
def require_login():
    """Every page here needs a signed-in organiser."""


@bp.get("/events/<int:event_id>/resources")
def resources(event_id: int):
    """The day's resources, those waiting first, each with its buttons."""
    event = db.get_or_404(Event, event_id)
    return render_template(
        "learned/resources.html",
        event=event,
        resources=services.for_organisers(event),
        waiting=services.waiting(event),
        form=ButtonForm(),
    )


@bp.post("/events/<int:event_id>/resources/<int:resource_id>/<decision>")
def decide(event_id: int, resource_id: int, decision: str):
    """Approve a resource, or reject it (hide it again once approved)."""
    resource = db.session.get(Resource, resource_id)
    if resource is None or resource.event_id != event_id or decision not in DECISIONS:
        abort(404)
    if ButtonForm().validate_on_submit():
        said = "Approved: it now shows on the day's public page." if decision == APPROVE else None
        said = said or "Hidden: it does not show on the day's public page."
        web.press(lambda: services.moderate(resource, decision, current_user.id), said)
    return redirect(url_for(".resources", event_id=event_id), code=303)


@bp.post("/events/<int:event_id>/facilitator-link")
def new_link(event_id: int):
    """Make the facilitators' link, or replace it so the old one opens nothing."""
    event = db.get_or_404(Event, event_id)
    if ButtonForm().validate_on_submit():
        said = (
            "A new link for facilitators is ready. The old link, if there was one, no longer works."
        )
        web.press(lambda: services.new_link(event), said)
    return redirect(url_for("organise.event", event_id=event_id, _anchor="resources"), code=303)
