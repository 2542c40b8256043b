"""The list of surgery days, read as plain rows: what the front page and the past page show.

A list of fifty days is read in two queries (the days; their sessions with their bookings
counted) whatever its length, and every time, date and place is worked out here once, so
the template only writes out words. Loading the days as ORM objects and working out each
day's first start and each session's places in the template took most of the page's time.
"""

import datetime as dt
from typing import NamedTuple

import sqlalchemy as sa

from surgery.bookings.models import Booking
from surgery.database import utcnow
from surgery.domain import bookable
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.times import utc_to_local
from surgery.events.models import CANCELLED, OPEN_SPACE, Event, EventSession
from surgery.events.services import Filters, day_query
from surgery.extensions import db
from surgery.templating import format_clock, format_day

TO_BE_ANNOUNCED = "Date to be announced"


class SessionLine(NamedTuple):
    """One session of a listed day, in words."""

    title: str
    times: str  # "10am to 1pm", at the day's place
    places: str  # "3 places left", "No booking needed"…


class DayCard(NamedTuple):
    """One listed day, in words."""

    url: str  # its page
    title: str
    day: str  # "Saturday 6 March 2027", from its first session
    venue_name: str
    city: str
    cancelled: bool
    sessions: list[SessionLine]


def day_cards(
    filters: Filters, timezone: str, upcoming: bool, link: str, limit: int | None = None
) -> list[DayCard]:
    """The days to list, soonest first (upcoming) or most recent first (past); link is a
    day page's address without its id."""
    columns = (Event.id, Event.title, Event.venue_name, Event.city, Event.timezone, Event.status)
    days = db.session.execute(day_query(columns, filters, timezone, upcoming).limit(limit)).all()
    sessions = _sessions(day.id for day in days)
    now = utcnow()
    cards = []
    for day in days:
        rows = sessions.get(day.id, [])
        cancelled = day.status == CANCELLED
        first = rows[0].starts_at if rows else None
        lines = [
            SessionLine(row.title, _times(row, day.timezone), _places(row, cancelled, now))
            for row in rows
        ]
        when = format_day(utc_to_local(first, day.timezone)) if first else TO_BE_ANNOUNCED
        link_to = f"{link}{day.id}"
        cards.append(DayCard(link_to, day.title, when, day.venue_name, day.city, cancelled, lines))
    return cards


def _sessions(day_ids) -> dict[int, list]:
    """The sessions of these days, soonest first, each with its bookings counted; by day."""
    day_ids = list(day_ids)
    if not day_ids:
        return {}
    session, booking = EventSession.__table__, Booking.__table__

    def counted(status: str):
        return (
            sa.select(sa.func.count())
            .where(booking.c.session_id == session.c.id, booking.c.status == status)
            .scalar_subquery()
        )

    query = (
        sa.select(
            session.c.event_id,
            session.c.kind,
            session.c.title,
            session.c.starts_at,
            session.c.ends_at,
            session.c.capacity,
            counted(CONFIRMED).label("confirmed"),
            counted(WAITLISTED).label("waiting"),
        )
        .where(session.c.event_id.in_(day_ids))
        .order_by(session.c.starts_at, session.c.id)
    )
    by_day: dict[int, list] = {}
    for row in db.session.execute(query):
        by_day.setdefault(row.event_id, []).append(row)
    return by_day


def _places(row, day_cancelled: bool, now: dt.datetime) -> str:
    """The words for a session's places now (as bookings.state.Places says them)."""
    needs_booking = row.kind != OPEN_SPACE and row.capacity is not None
    if day_cancelled:
        phase = bookable.DAY_CANCELLED
    else:
        phase = bookable.phase(row.starts_at, row.ends_at, now)
    capacity = row.capacity if needs_booking else None
    return bookable.offer(capacity, row.confirmed, row.waiting, phase).words


def _times(row, timezone: str) -> str:
    """'10am to 1pm' at the day's place."""
    starts, ends = utc_to_local(row.starts_at, timezone), utc_to_local(row.ends_at, timezone)
    return f"{format_clock(starts)} to {format_clock(ends)}"
