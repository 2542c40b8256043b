"""What organisers take away about a day's people: the bookings spreadsheet and the
venue's needs sheet. Every page needs a signed-in organiser."""

from flask import Blueprint, Response, render_template, request

from surgery.audit import log
from surgery.auth.access import organiser_required
from surgery.domain import audit
from surgery.domain.needs import sheet_labels
from surgery.events.models import Event
from surgery.extensions import db
from surgery.organise import exports

bp = Blueprint("downloads", __name__, url_prefix="/organise/events/<int:event_id>")

# GET       /organise/events/<id>/bookings.csv[?sensitive=1]    bookings_csv
# GET       /organise/events/<id>/needs                         needs


@bp.before_request
@organiser_required
def require_login():
    """Only organisers see who is coming and what they need."""


@bp.get("/bookings.csv")
def bookings_csv(event_id: int):
    """Download an event's bookings as a spreadsheet; sensitive answers only when asked."""
    event = db.get_or_404(Event, event_id)
    sensitive = request.args.get("sensitive") == "1"
    log.viewed(audit.DOWNLOADED_SENSITIVE if sensitive else audit.DOWNLOADED_BOOKINGS, event.id)
    name = f"event-{event.id}-bookings{'-sensitive' if sensitive else ''}.csv"
    return Response(
        exports.bookings_csv(event, sensitive),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/needs")
def needs(event_id: int):
    """A printable sheet for the venue: per session, how many need each kind of access."""
    event = db.get_or_404(Event, event_id)
    return render_template(
        "organise/needs.html", event=event, labels=sheet_labels(), rows=exports.needs_sheet(event)
    )
