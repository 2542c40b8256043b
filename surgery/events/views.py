"""Public pages: upcoming and past surgery days, and one day's sessions."""

import datetime as dt

from flask import Blueprint, abort, current_app, render_template, request

from surgery.bookings import state
from surgery.bookings.state import places_by_session
from surgery.domain.calendar_links import map_link
from surgery.events import services
from surgery.events.models import SESSION_KINDS, SURGERY, EventSession
from surgery.extensions import db
from surgery.feeds import adding
from surgery.forms import SaneDate, sane_date
from surgery.sharing import meta

bp = Blueprint("events", __name__)


@bp.get("/")
def upcoming():
    """Surgery days still to come, filtered by kind, place and day."""
    return _listing(services.upcoming_events, "Upcoming surgery days", past=False)


@bp.get("/past")
def past():
    """Surgery days that are over."""
    return _listing(services.past_events, "Past surgery days", past=True)


def _listing(find, heading: str, past: bool):
    """Render a filtered list of events."""
    filters, problems = _filters_from(request.args)
    events = find(filters, current_app.config["DEFAULT_TIMEZONE"])
    sessions = [s for event in events for s in event.sessions]
    return render_template(
        "events/list.html",
        heading=heading,
        past=past,
        events=events,
        places=places_by_session(sessions),
        filters=filters,
        problems=problems,
        kinds=SESSION_KINDS,
        cities=services.cities(),
    )


def _filters_from(args) -> tuple[services.Filters, dict[str, str]]:
    """Read the filter form; a bad value is ignored with a message, never an error page."""
    problems = {}
    kind = args.get("kind", "")
    if kind and kind not in SESSION_KINDS:
        problems["kind"] = "Choose a kind of session from the list."
        kind = ""
    day = None
    if args.get("day"):
        try:
            day = dt.date.fromisoformat(args["day"])
        except ValueError:
            problems["day"] = "Enter a date like 2027-03-06."
        if day is not None and not sane_date(day):
            problems["day"], day = SaneDate.message, None
    return services.Filters(kind=kind, city=args.get("city", "").strip(), day=day), problems


@bp.get("/events/<int:event_id>")
def detail(event_id: int):
    """One surgery day with its sessions and places left."""
    event = services.published_event(event_id)
    if event is None:
        abort(404)
    card = meta.event_card(event)
    return render_template(
        "events/detail.html",
        event=event,
        share_card=card,
        share_links=meta.share_links(card),
        places=places_by_session(event.sessions),
        bookable=state.open_sessions(event),
        volunteering=state.volunteer_sessions(event),
        day_over=state.day_is_over(event),
        calendar_choices=adding.for_day(event),
        map_link=map_link(event.venue_address),
    )


def surgery_session_or_404(session_id: int) -> EventSession:
    """A surgery session (for matching and the floor), or a 404."""
    session = db.session.get(EventSession, session_id)
    if session is None or session.kind != SURGERY:
        abort(404)
    return session
