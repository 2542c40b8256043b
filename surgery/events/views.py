"""Public pages: upcoming and past surgery days, and one day's sessions."""

import datetime as dt

from flask import Blueprint, abort, current_app, render_template, request, url_for

from surgery.bookings import state
from surgery.bookings.state import places_by_session
from surgery.domain.calendar_links import map_link
from surgery.domain.paging import page_of
from surgery.events import listing, services
from surgery.events.models import SESSION_KINDS, SURGERY, EventSession
from surgery.extensions import db
from surgery.feeds import adding
from surgery.forms import SaneDate, sane_date
from surgery.sharing import meta

bp = Blueprint("events", __name__)


@bp.get("/")
def upcoming():
    """Surgery days still to come, filtered by kind, place and day."""
    return _listing("Upcoming surgery days", past=False)


@bp.get("/past")
def past():
    """Surgery days that are over."""
    return _listing("Past surgery days", past=True)


# Days listed on a page: twelve is about three months of fortnightly days, a few screens on
# a phone, and keeps the page's cost to what a visitor reads, however many days are planned.
DAYS_PER_PAGE = 12


def _listing(heading: str, past: bool):
    """Render one page of a filtered list of days; the page links keep the filters."""
    filters, problems = _filters_from(request.args)
    zone = current_app.config["DEFAULT_TIMEZONE"]
    total = listing.day_count(filters, zone, not past)
    page = page_of(request.args.get("page"), total, DAYS_PER_PAGE)
    # one address built for all: url_for for each of fifty days was a tenth of the page
    link = url_for("events.detail", event_id=0).removesuffix("0")
    days = listing.day_cards(filters, zone, not past, link, page.offset, page.size)
    kept = {"kind": filters.kind, "city": filters.city, "day": filters.day}
    return render_template(
        "events/list.html",
        heading=heading,
        past=past,
        days=days,
        page=page,
        kept={name: value for name, value in kept.items() if value},
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
