"""People's own data: see it, take it away, withdraw consent, delete it; and organisers
erasing one person. Everything dangerous asks once first, saying who will be told."""

import json

from flask import Blueprint, Response, abort, redirect, render_template, url_for

from surgery import web
from surgery.auth.access import organiser_required
from surgery.bookings.models import Registration
from surgery.bookings.views import registration_or_404
from surgery.confirm import ask_first
from surgery.domain import audit, erasing
from surgery.extensions import db
from surgery.organise.views import back_to_list
from surgery.personal import previews, records, services
from surgery.surgeons.models import Surgeon
from surgery.surgeons.views import surgeon_or_404

bp = Blueprint("personal", __name__)

# URL table
# GET   /bookings/<token>/your-data                  attendee_data
# GET   /bookings/<token>/your-data.json             attendee_download
# POST  /bookings/<token>/withdraw-consent           withdraw_consent (asks first)
# POST  /bookings/<token>/stop-sharing               stop_sharing
# POST  /bookings/<token>/erase                      erase_own (asks first)
# GET   /volunteer/<token>/your-data                 surgeon_data
# GET   /volunteer/<token>/your-data.json            surgeon_download
# POST  /volunteer/<token>/withdraw-consent          withdraw_surgeon_consent (asks first)
# POST  /volunteer/<token>/erase                     erase_own_volunteering (asks first)
# GET   /your-data-deleted                           deleted
# POST  /organise/events/<id>/people/<rid>/erase     erase_attendee (organisers; asks first)
# POST  /organise/events/<id>/surgeons/<sid>/erase   erase_surgeon (organisers; asks first)


@bp.get("/bookings/<token>/your-data")
def attendee_data(token: str):
    """What we hold about an attendee, as a page."""
    registration = registration_or_404(token)
    data = records.attendee_export(registration)
    back = url_for("bookings.manage", token=token)
    json_url = url_for(".attendee_download", token=token)
    return render_template("personal/your_data.html", data=data, back=back, json_url=json_url)


@bp.get("/bookings/<token>/your-data.json")
def attendee_download(token: str):
    """What we hold about an attendee, as a JSON file to keep."""
    return _download(records.attendee_export(registration_or_404(token)))


@bp.post("/bookings/<token>/withdraw-consent")
def withdraw_consent(token: str):
    """Delete the sensitive answers at once, after asking."""
    registration = registration_or_404(token)
    back = url_for("bookings.manage", token=token)
    if asking := ask_first(erasing.withdrawing_consent, back):
        return asking
    said = "We have deleted your answers about you and your access needs."
    web.press(lambda: services.withdraw_consent(registration), said)
    return redirect(back, code=303)


@bp.post("/bookings/<token>/stop-sharing")
def stop_sharing(token: str):
    """Stop showing the answers to their surgeon; we keep them, as they agreed."""
    registration = registration_or_404(token)
    said = "Your surgeon will no longer see your answers, only your first name and topics."
    web.press(lambda: services.stop_sharing(registration), said)
    return redirect(url_for("bookings.manage", token=token), code=303)


@bp.post("/bookings/<token>/erase")
def erase_own(token: str):
    """Delete everything about an attendee, after saying what goes and who is told."""
    registration = registration_or_404(token)
    back = url_for("bookings.manage", token=token)
    if asking := ask_first(lambda: previews.erasing_own(registration), back):
        return asking
    if web.press(lambda: services.erase_registration(registration, audit.THE_PERSON), None):
        return redirect(url_for(".deleted"), code=303)
    return redirect(back, code=303)


@bp.get("/volunteer/<token>/your-data")
def surgeon_data(token: str):
    """What we hold about a surgeon, as a page."""
    surgeon = surgeon_or_404(token)
    data = records.surgeon_export(surgeon)
    back = url_for("surgeons.manage", token=token)
    json_url = url_for(".surgeon_download", token=token)
    return render_template("personal/your_data.html", data=data, back=back, json_url=json_url)


@bp.get("/volunteer/<token>/your-data.json")
def surgeon_download(token: str):
    """What we hold about a surgeon, as a JSON file to keep."""
    return _download(records.surgeon_export(surgeon_or_404(token)))


@bp.post("/volunteer/<token>/withdraw-consent")
def withdraw_surgeon_consent(token: str):
    """Delete what a surgeon told us about themselves, after asking."""
    surgeon = surgeon_or_404(token)
    back = url_for("surgeons.manage", token=token)
    if asking := ask_first(lambda: erasing.withdrawing_consent(surgeon=True), back):
        return asking
    said = "We have deleted your answers about you."
    web.press(lambda: services.withdraw_surgeon_consent(surgeon), said)
    return redirect(back, code=303)


@bp.post("/volunteer/<token>/erase")
def erase_own_volunteering(token: str):
    """Delete everything about a surgeon, after saying what goes and who is told."""
    surgeon = surgeon_or_404(token)
    back = url_for("surgeons.manage", token=token)
    if asking := ask_first(lambda: previews.erasing_own_volunteering(surgeon), back):
        return asking
    if web.press(lambda: services.erase_surgeon(surgeon, audit.THE_PERSON), None):
        return redirect(url_for(".deleted"), code=303)
    return redirect(back, code=303)


@bp.get("/your-data-deleted")
def deleted():
    """Said once everything is deleted: the old link now leads nowhere."""
    return render_template("personal/deleted.html")


@bp.post("/organise/events/<int:event_id>/people/<int:registration_id>/erase")
@organiser_required
def erase_attendee(event_id: int, registration_id: int):
    """An organiser erases one attendee, after saying what goes and who is told."""
    registration = _of_event(Registration, registration_id, event_id)
    back = back_to_list(event_id)  # the page of the list the button was on
    if asking := ask_first(lambda: previews.erasing_attendee(registration), back):
        return asking
    name = registration.name
    web.press(lambda: services.erase_registration(registration), f"{name} is erased.")
    return redirect(back, code=303)


@bp.post("/organise/events/<int:event_id>/surgeons/<int:surgeon_id>/erase")
@organiser_required
def erase_surgeon(event_id: int, surgeon_id: int):
    """An organiser erases one surgeon, after saying what goes and who is told."""
    surgeon = _of_event(Surgeon, surgeon_id, event_id)
    back = url_for("surgeon_admin.index", event_id=event_id)
    if asking := ask_first(lambda: previews.erasing_surgeon(surgeon), back):
        return asking
    name = surgeon.name
    web.press(lambda: services.erase_surgeon(surgeon), f"{name} is erased.")
    return redirect(back, code=303)


def _of_event(model, row_id: int, event_id: int):
    """A registration or surgeon of this event, or a 404."""
    row = db.session.get(model, row_id)
    if row is None or row.event_id != event_id:
        abort(404)
    return row


def _download(data: dict) -> Response:
    """A JSON file the browser saves rather than shows."""
    body = json.dumps(data, indent=2, ensure_ascii=False)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="your-data.json"'
    return response
