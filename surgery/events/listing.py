"""The list of surgery days, read as plain rows: what the front page and the past page show.

The days are shown a page at a time: the database counts them all in one statement, and
only the page's days are read, in two queries (the days; their sessions with their bookings
counted) however many days there are. Every time, date and place is worked out here once, so
the template only writes out words. Loading the days as ORM objects and working out each
day's first start and each session's places in the template took most of the page's time.
"""

import datetime as dt
from functools import lru_cache
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


def day_count(filters: Filters, timezone: str, upcoming: bool) -> int:
    """How many days match, counted by the database in one statement."""
    if filters == NO_FILTERS:
        query = _count_all(upcoming)
    else:
        query = _count(day_query((Event.id,), filters, timezone, upcoming, NOW))
    return db.session.execute(query, {"now": utcnow()}).scalar() or 0


def day_cards(
    filters: Filters, timezone: str, upcoming: bool, link: str, offset: int, limit: int
) -> list[DayCard]:
    """One page of the days to list (`limit` of them after the first `offset`), soonest
    first (upcoming) or most recent first (past); link is a day page's address without its
    id. Only the page's days and their sessions are read, however many days there are."""
    now = utcnow()
    if filters == NO_FILTERS:  # the usual visit: a statement built once
        query = _all_days(upcoming)
    else:
        query = day_query(COLUMNS, filters, timezone, upcoming, NOW).offset(SKIP).limit(TAKE)
    days = db.session.execute(query, {"now": now, "skip": offset, "take": limit}).all()
    sessions = _sessions(day.id for day in days)
    cards = []
    for day_id, title, venue_name, city, zone, status in days:
        rows = sessions.get(day_id, [])
        cancelled = status == CANCELLED
        lines = [
            SessionLine(
                session_title,
                _times(starts_at, ends_at, zone),
                _places(kind, capacity, confirmed, waiting, starts_at, ends_at, cancelled, now),
            )
            for kind, session_title, starts_at, ends_at, capacity, confirmed, waiting in rows
        ]
        when = _day(rows[0][2], zone) if rows else TO_BE_ANNOUNCED
        link_to = f"{link}{day_id}"
        cards.append(DayCard(link_to, title, when, venue_name, city, cancelled, lines))
    return cards


COLUMNS = (Event.id, Event.title, Event.venue_name, Event.city, Event.timezone, Event.status)
NO_FILTERS = Filters()
NOW = sa.bindparam("now")
SKIP = sa.bindparam("skip", type_=sa.Integer)
TAKE = sa.bindparam("take", type_=sa.Integer)


@lru_cache(maxsize=2)
def _all_days(upcoming: bool):
    """A page of the upcoming or past days, unfiltered, as a statement run with `now`,
    `skip` and `take`."""
    return day_query(COLUMNS, NO_FILTERS, "UTC", upcoming, NOW).offset(SKIP).limit(TAKE)


def _count(days):
    """How many rows a day query gives, without reading them."""
    return sa.select(sa.func.count()).select_from(days.order_by(None).subquery())


@lru_cache(maxsize=2)
def _count_all(upcoming: bool):
    """How many upcoming or past days there are, unfiltered, run with `now`."""
    return _count(day_query((Event.id,), NO_FILTERS, "UTC", upcoming, NOW))


def _counted(status: str):
    session, booking = EventSession.__table__, Booking.__table__
    return (
        sa.select(sa.func.count())
        .where(booking.c.session_id == session.c.id, booking.c.status == status)
        .scalar_subquery()
    )


def _sessions_query():
    """The sessions of the days asked for (`day_ids`), with their bookings counted: built
    once, as building the statement cost as much as running it."""
    session = EventSession.__table__
    return (
        sa.select(
            session.c.event_id,
            session.c.kind,
            session.c.title,
            session.c.starts_at,
            session.c.ends_at,
            session.c.capacity,
            _counted(CONFIRMED).label("confirmed"),
            _counted(WAITLISTED).label("waiting"),
        )
        .where(session.c.event_id.in_(sa.bindparam("day_ids", expanding=True)))
        .order_by(session.c.starts_at, session.c.id)
    )


SESSIONS = _sessions_query()


def _sessions(day_ids) -> dict[int, list[list]]:
    """The sessions of these days, soonest first, each with its bookings counted, by day:
    [kind, title, starts_at, ends_at, capacity, confirmed, waiting], plain lists."""
    day_ids = list(day_ids)
    if not day_ids:
        return {}
    by_day: dict[int, list[list]] = {}
    for day_id, *session in db.session.execute(SESSIONS, {"day_ids": day_ids}):
        by_day.setdefault(day_id, []).append(session)
    return by_day


def _places(kind, capacity, confirmed, waiting, starts_at, ends_at, day_cancelled, now) -> str:
    """The words for a session's places now (as bookings.state.Places says them)."""
    phase = bookable.DAY_CANCELLED if day_cancelled else bookable.phase(starts_at, ends_at, now)
    needs_booking = kind != OPEN_SPACE and capacity is not None
    return _offer_words(capacity if needs_booking else None, confirmed, waiting, phase)


# The words below depend only on their arguments, and the same days are listed request
# after request: each is worked out once per process (a few thousand at most are kept).
@lru_cache(maxsize=4096)
def _offer_words(capacity: int | None, confirmed: int, waiting: int, phase: str) -> str:
    return bookable.offer(capacity, confirmed, waiting, phase).words


@lru_cache(maxsize=4096)
def _times(starts_at: dt.datetime, ends_at: dt.datetime, timezone: str) -> str:
    """'10am to 1pm' at the day's place."""
    starts, ends = utc_to_local(starts_at, timezone), utc_to_local(ends_at, timezone)
    return f"{format_clock(starts)} to {format_clock(ends)}"


@lru_cache(maxsize=1024)
def _day(first_start: dt.datetime, timezone: str) -> str:
    """'Saturday 6 March 2027' at the day's place."""
    return format_day(utc_to_local(first_start, timezone))
