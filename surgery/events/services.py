"""Reading events for the public pages: listing, filtering and places left."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from surgery.database import utcnow
from surgery.domain.times import local_to_utc
from surgery.events.models import DRAFT, PUBLISHED, Event, EventSession
from surgery.extensions import db


@dataclass(frozen=True)
class Filters:
    """What a person filtered the list by; empty means everything."""

    kind: str = ""
    city: str = ""
    day: dt.date | None = None


def upcoming_events(filters: Filters, timezone: str) -> list[Event]:
    """Published events with a session still to come, soonest first."""
    return _events(filters, timezone, upcoming=True)


def past_events(filters: Filters, timezone: str, limit: int = 100) -> list[Event]:
    """Published and cancelled events that are over, most recent first."""
    return _events(filters, timezone, upcoming=False, limit=limit)


def _events(filters: Filters, timezone: str, upcoming: bool, limit: int | None = None):
    """One query for the events, one for their sessions, whatever their number."""
    query = day_query((Event,), filters, timezone, upcoming).options(selectinload(Event.sessions))
    return list(db.session.scalars(query.limit(limit)))


def day_query(columns, filters: Filters, timezone: str, upcoming: bool, now=None):
    """Select these columns of the days to list: upcoming (published, a session still to
    come) soonest first, or over (published or cancelled) most recent first; `now` may be
    a bound parameter, for a statement built once and run at different times."""
    span = (
        sa.select(
            EventSession.event_id,
            sa.func.min(EventSession.starts_at).label("first_start"),
            sa.func.max(EventSession.ends_at).label("last_end"),
        )
        .group_by(EventSession.event_id)
        .subquery()
    )
    query = sa.select(*columns).join(span, span.c.event_id == Event.id)
    now = utcnow() if now is None else now
    if upcoming:
        query = query.where(Event.status == PUBLISHED, span.c.last_end >= now)
        query = query.order_by(span.c.first_start, Event.id)
    else:
        query = query.where(Event.status != DRAFT, span.c.last_end < now)
        query = query.order_by(span.c.first_start.desc(), Event.id)
    return _filtered(query, filters, timezone)


def _filtered(query, filters: Filters, timezone: str):
    """Narrow an event query to the kind, city and day asked for."""
    if filters.city:
        query = query.where(sa.func.lower(Event.city) == filters.city.lower())
    conditions = []
    if filters.kind:
        conditions.append(EventSession.kind == filters.kind)
    if filters.day:
        start = local_to_utc(dt.datetime.combine(filters.day, dt.time()), timezone)
        conditions += [
            EventSession.starts_at >= start,
            EventSession.starts_at < start + dt.timedelta(days=1),
        ]
    if conditions:
        matching = sa.select(EventSession.id).where(EventSession.event_id == Event.id, *conditions)
        query = query.where(matching.exists())
    return query


def cities() -> list[str]:
    """Places that have published events, for the filter."""
    query = sa.select(Event.city).where(Event.status == PUBLISHED).distinct().order_by(Event.city)
    return list(db.session.scalars(query))


def published_event(event_id: int) -> Event | None:
    """A published or cancelled event, as the public may see it, its sessions read in the
    same statement (every page showing a day lists them)."""
    event = db.session.get(Event, event_id, options=[joinedload(Event.sessions)])
    if event is None or event.status == DRAFT:
        return None
    return event


def lock_day(event_id: int) -> Event | None:
    """Take a day's lock, then read the day and its sessions again under it.

    Places are decided on a session's capacity: one loaded before the lock (by the page)
    may hold what another transaction has changed since, and would overbook.
    """
    return db.session.scalars(_LOCK_DAY, {"event_id": event_id}).unique().one_or_none()


# one round trip: the day's row locked (FOR NO KEY UPDATE OF event on PostgreSQL, see
# database.lock_row; SQLite's transaction already holds the write lock) and its sessions as
# they are now, sessions added or removed meanwhile included; built once, as every booking
# and every change to a day runs it
_LOCK_DAY = (
    sa.select(Event)
    .outerjoin(Event.sessions)
    .options(contains_eager(Event.sessions))
    .where(Event.id == sa.bindparam("event_id"))
    .order_by(EventSession.starts_at)
    .with_for_update(of=Event, key_share=True)
    .execution_options(populate_existing=True)
)
