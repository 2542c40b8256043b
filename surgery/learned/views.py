"""The public 'what we learned' page of a day, and the forms resources are shared with:
a confirmed surgeon's (from their private link) and the facilitators' link."""

from flask import Blueprint, abort, render_template

from surgery import limits, web
from surgery.bookings import state
from surgery.domain.errors import NotFound
from surgery.events.models import Event
from surgery.events.services import published_event
from surgery.extensions import db
from surgery.learned import services
from surgery.learned.forms import ResourceForm
from surgery.surgeons.models import APPROVED
from surgery.surgeons.views import surgeon_or_404

bp = Blueprint("learned", __name__)

# GET       /events/<id>/learned                  page
# GET,POST  /volunteer/<token>/share              surgeon_add (a confirmed surgeon's link)
# GET,POST  /share-resource/<id>/<token>          facilitator_add (the facilitators' link)
# (the organisers' check: surgery/learned/organiser_views.py)

THANKS = "Thank you — an organiser will check it before it appears."


@bp.get("/events/<int:event_id>/learned")
def page(event_id: int):
    """What we learned at a day: shared answers without names, and approved resources.
    Before the day is over it says when to come back; a draft or cancelled day is a 404."""
    event = published_event(event_id)
    if event is None or not event.is_published:
        abort(404)
    if not state.day_is_over(event):
        return render_template("learned/not_yet.html", event=event), 404
    return render_template("learned/page.html", event=event, **services.page(event))


@bp.route("/volunteer/<token>/share", methods=["GET", "POST"])
@limits.public_form
def surgeon_add(token: str):
    """A surgeon confirmed for the day shares a link and a note."""
    surgeon = surgeon_or_404(token)
    if surgeon.status != APPROVED or not surgeon.event.is_published:
        abort(404)
    return _add_page(surgeon.event, lambda shared: services.add_by_surgeon(surgeon, shared), token)


@bp.route("/share-resource/<int:event_id>/<token>", methods=["GET", "POST"])
@limits.public_form
def facilitator_add(event_id: int, token: str):
    """A workshop facilitator shares a link and a note, with the day's private link."""
    try:
        link = services.link_for_token(event_id, token)
    except NotFound:
        abort(404)
    event = db.session.get(Event, event_id)
    return _add_page(event, lambda shared: services.add_by_facilitator(link, shared))


def _add_page(event, add, token: str | None = None):
    """The form; once sent, the thank-you page."""
    form = ResourceForm()
    form.set_sessions(event.sessions)
    if form.validate_on_submit():
        shared = form.shared()
        if not web.refused(web.run(lambda: add(shared), form.url.errors)):
            return render_template("learned/thanks.html", event=event, thanks=THANKS, token=token)
    page = render_template("learned/add.html", event=event, form=form, token=token)
    return page, 400 if form.errors else 200
