"""Volunteering as a surgeon, and the surgeon's private manage link."""

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
from surgery.bookings import state
from surgery.bookings.views import lost_link_page
from surgery.confirm import ask_first
from surgery.domain.errors import NotFound
from surgery.domain.languages import as_text
from surgery.domain.tokens import is_form_key, new_form_key
from surgery.events.models import SURGERY
from surgery.events.services import published_event
from surgery.forms import choices
from surgery.links import public_url
from surgery.qr import qr_image
from surgery.surgeons import previews, services
from surgery.surgeons.forms import SurgeonForm, VolunteerForm
from surgery.surgeons.models import APPROVED, WITHDRAWN
from surgery.vocabulary import services as vocabulary

bp = Blueprint("surgeons", __name__)


@bp.route("/events/<int:event_id>/volunteer", methods=["GET", "POST"])
@limits.public_form
def volunteer(event_id: int):
    """The public 'volunteer as a surgeon' form."""
    event = published_event(event_id)
    if event is None or not event.is_published:
        abort(404)
    offered = state.volunteer_sessions(event)
    closed = state.closed_reason(event, offered, volunteering=True)
    if closed:
        page = render_template(
            "bookings/closed.html", event=event, reason=closed, heading="Not taking volunteers"
        )
        return page, 200 if request.method == "GET" else 400
    form = volunteer_form(event)
    if form.validate_on_submit():
        details, key = form.details(form.email.data), form.form_key.data
        outcome = web.run(
            lambda: services.volunteer(event.id, details, key, current_app.secret_key),
            form.sessions.errors,
        )
        if not web.refused(outcome):
            if outcome.token is None:
                return render_template("surgeons/already.html", event=event), 200
            flash("Thank you for volunteering. An organiser will be in touch soon.", "success")
            return redirect(url_for(".manage", token=outcome.token), code=303)
    # a session that started while the form was open is refused in words by the service;
    # only those still to come are offered
    form.sessions.choices = choices((s.id, s.title) for s in offered)
    page = render_template("surgeons/volunteer.html", event=event, form=form)
    return page, 400 if form.errors else 200


def volunteer_form(event) -> VolunteerForm:
    """The volunteer form for an event, with a fresh form key on first showing."""
    form = VolunteerForm()
    surgeries = [s for s in event.sessions if s.kind == SURGERY]
    form.set_choices(surgeries, *vocabulary.offered())
    if request.method == "GET":
        form.form_key.data = new_form_key()
        form.sessions.data = [s.id for s in surgeries] if len(surgeries) == 1 else []
    elif not is_form_key(form.form_key.data):
        form.form_key.data = new_form_key()
    return form


@bp.route("/volunteer/lost-link", methods=["GET", "POST"])
@limits.public_form
def lost_link():
    """Ask for a volunteer's private link again; the answer never says if there is one."""
    return lost_link_page("surgeon")


@bp.route("/volunteer/<token>", methods=["GET", "POST"])
def manage(token: str):
    """A surgeon's own page: change what they offer, or withdraw."""
    surgeon = surgeon_or_404(token)
    form = SurgeonForm()
    surgeries = [s for s in surgeon.event.sessions if s.kind == SURGERY]
    form.set_choices(surgeries, *vocabulary.offered())
    if request.method == "GET":
        _fill(form, surgeon)
    elif surgeon.status == WITHDRAWN:
        abort(400)
    elif form.validate():
        details = form.details(surgeon.email)
        saved = web.run(lambda: services.apply_details(surgeon, details), form.sessions.errors)
        if not web.refused(saved):
            flash("Your changes are saved.", "success")
            return redirect(url_for(".manage", token=token), code=303)
    page = render_template("surgeons/manage.html", surgeon=surgeon, form=form, token=token)
    return page, 400 if form.errors else 200


@bp.post("/volunteer/<token>/withdraw")
def withdraw(token: str):
    """The surgeon can no longer come; after asking once."""
    surgeon = surgeon_or_404(token)
    back = url_for(".manage", token=token)
    if asking := ask_first(lambda: previews.withdrawing(surgeon), back):
        return asking
    web.press(
        lambda: services.withdraw(surgeon), "You have withdrawn. Thank you for letting us know."
    )
    return redirect(url_for(".manage", token=token), code=303)


@bp.get("/volunteer/<token>/checkin-qr.svg")
def checkin_qr(token: str):
    """The QR code of a confirmed surgeon's check-in code, to show at the door."""
    surgeon = surgeon_or_404(token)
    if surgeon.status != APPROVED or not surgeon.checkin_code:
        abort(404)
    url = public_url("checkin.scan", code=surgeon.checkin_code)
    return Response(qr_image(url, "svg"), mimetype="image/svg+xml")  # no-store: headers.py


def surgeon_or_404(token: str):
    """The surgeon behind a manage link; a wrong link is a 404."""
    try:
        return services.surgeon_for_token(token)
    except NotFound:
        abort(404)


def _fill(form: SurgeonForm, surgeon) -> None:
    """Show the stored answers."""
    form.name.data, form.bio.data, form.capacity.data = surgeon.name, surgeon.bio, surgeon.capacity
    form.languages.data = as_text(surgeon.languages)
    form.sessions.data = sorted(surgeon.session_ids)
    form.topics.data = [t.id for t in surgeon.topics]
    form.role_tags.data = [t.id for t in surgeon.role_tags]
    form.consent.data = surgeon.consent_sensitive
