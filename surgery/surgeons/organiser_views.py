"""Organisers approve, decline and add surgeons, and see what they did before."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for

from surgery import web
from surgery.audit import log
from surgery.auth.access import organiser_required
from surgery.confirm import ask_first
from surgery.domain import audit
from surgery.events.models import Event
from surgery.extensions import db
from surgery.surgeons import previews, services
from surgery.surgeons.models import APPROVED, Surgeon
from surgery.surgeons.views import volunteer_form
from surgery.web import press

bp = Blueprint("surgeon_admin", __name__, url_prefix="/organise/events/<int:event_id>/surgeons")

# GET       /organise/events/<id>/surgeons                  index
# GET,POST  /organise/events/<id>/surgeons/new              add
# POST      /organise/events/<id>/surgeons/<sid>/approve    approve
# POST      /organise/events/<id>/surgeons/<sid>/decline    decline


@bp.before_request
@organiser_required
def require_login():
    """Only organisers manage surgeons."""


@bp.get("")
def index(event_id: int):
    """Every volunteer of the event with their history, newest first."""
    event = db.get_or_404(Event, event_id)
    surgeons = services.surgeons_of(event)
    history = services.history([s.email for s in surgeons], event.id)
    return render_template(
        "organise/surgeons.html", event=event, surgeons=surgeons, history=history
    )


@bp.route("/new", methods=["GET", "POST"])
def add(event_id: int):
    """Add a surgeon directly; they are approved and sent their invites."""
    event = db.get_or_404(Event, event_id)
    form = volunteer_form(event)
    if form.validate_on_submit():
        details, key = form.details(form.email.data), form.form_key.data
        outcome = web.run(lambda: _added(event, details, key), form.sessions.errors)
        if not web.refused(outcome):
            word = "added" if outcome.is_new else "was already signed up"
            flash(f"{outcome.surgeon.name} {word}.", "success")
            return redirect(url_for(".index", event_id=event.id), code=303)
    page = render_template("organise/surgeon_form.html", event=event, form=form)
    return page, 400 if form.errors else 200


@bp.post("/<int:surgeon_id>/approve")
def approve(event_id: int, surgeon_id: int):
    """Approve a volunteer."""
    surgeon = _surgeon_or_404(event_id, surgeon_id)
    press(
        lambda: _changed(surgeon, services.approve, "approved"),
        f"{surgeon.name} approved; their invites are on the way.",
    )
    return redirect(url_for(".index", event_id=event_id), code=303)


@bp.post("/<int:surgeon_id>/decline")
def decline(event_id: int, surgeon_id: int):
    """Decline a volunteer, with thanks, or remove an approved surgeon; after asking once."""
    surgeon = _surgeon_or_404(event_id, surgeon_id)
    back = url_for(".index", event_id=event_id)
    if asking := ask_first(lambda: previews.declining(surgeon), back):
        return asking
    done = "removed from this day" if surgeon.status == APPROVED else "declined, with thanks"
    web.press(lambda: _changed(surgeon, services.decline, done), f"{surgeon.name} {done}.")
    return redirect(url_for(".index", event_id=event_id), code=303)


def _added(event: Event, details, key: str) -> services.VolunteerOutcome:
    """Add a surgeon, approved at once, and log it if this form made them."""
    outcome = services.volunteer(event.id, details, key, current_app.secret_key, by_organiser=True)
    if outcome.is_new:
        _logged(outcome.surgeon, "added by an organiser")
    return outcome


def _changed(surgeon: Surgeon, change, done: str) -> None:
    """Approve or decline a surgeon, and log it with the change (a double press that
    changed nothing is not logged)."""
    if change(surgeon):
        _logged(surgeon, done)


def _logged(surgeon: Surgeon, done: str) -> None:
    """An audit entry for a surgeon: their id, never their name."""
    log.record(audit.CHANGED_SURGEON, surgeon.event_id, f"surgeon {surgeon.id}", detail=done)


def _surgeon_or_404(event_id: int, surgeon_id: int) -> Surgeon:
    """A surgeon of this event, or a 404."""
    surgeon = db.session.get(Surgeon, surgeon_id)
    if surgeon is None or surgeon.event_id != event_id:
        abort(404)
    return surgeon
