"""Copying a day to new dates, and deleting a draft day or a session nobody has booked.

A copy is a draft of its own: sessions, places, venue and access information come with
it; bookings, surgeons and the calendar entries' identities do not. Nothing ties copies
together afterwards, so editing one day never changes another.
"""

import datetime as dt

import sqlalchemy as sa

from surgery.audit import log
from surgery.bookings.models import Booking
from surgery.domain import audit
from surgery.domain import series as rules
from surgery.domain.errors import DomainError, NotFound
from surgery.events.models import DRAFT, Event, EventSession
from surgery.events.services import lock_day
from surgery.extensions import db
from surgery.organise.services import EVENT_FIELDS
from surgery.surgeons.models import Surgeon, SurgeonSession

COPIED = (*EVENT_FIELDS, "discreet", "grace_minutes", "reminder_days")


def first_day(event: Event) -> dt.date | None:
    """The local date of the day's first session."""
    return event.local(event.starts_at).date() if event.starts_at else None


def copy_day(event: Event, day: dt.date) -> Event:
    """A new draft day on `day`, with the sessions at the same local times, online or not."""
    copy = Event(status=DRAFT, **{name: getattr(event, name) for name in COPIED})
    start = first_day(event)
    for session in event.sessions:
        slot = rules.slot_of(session.starts_at, session.ends_at, start, event.timezone)
        starts, ends = rules.on_date(slot, day, event.timezone)
        copy.sessions.append(
            EventSession(
                kind=session.kind,
                title=session.title,
                starts_at=starts,
                ends_at=ends,
                capacity=session.capacity,
                mode=session.mode,
                online_url=session.online_url,
            )
        )
    db.session.add(copy)
    db.session.flush()
    detail = f"copied from event {event.id} to {day.isoformat()}"
    log.record(audit.CHANGED_EVENT, copy.id, f"event {copy.id}", detail=detail)
    return copy


def make_series(event: Event, dates: list[dt.date]) -> list[Event]:
    """A draft copy of the day on each date (the rules already capped how many)."""
    if not dates:
        raise DomainError("No dates fall in that range. Choose a later last date.")
    if not event.sessions:
        raise DomainError("Add the day's sessions first: a series copies them.")
    return [copy_day(event, day) for day in dates]


def _bookings(where) -> int:
    """How many bookings (of any kind, kept for the record) match."""
    query = sa.select(sa.func.count()).select_from(Booking).join(EventSession).where(where)
    return db.session.scalar(query) or 0


def why_not_delete_day(event: Event) -> str | None:
    """None when the day may be deleted; otherwise why not."""
    surgeons = sa.select(sa.func.count()).where(Surgeon.event_id == event.id)
    return rules.why_not_delete_day(
        event.status, _bookings(EventSession.event_id == event.id), db.session.scalar(surgeons)
    )


def why_not_delete_session(session: EventSession) -> str | None:
    """None when the session may be deleted; otherwise why not."""
    surgeons = sa.select(sa.func.count()).where(SurgeonSession.session_id == session.id)
    return rules.why_not_delete_session(
        _bookings(EventSession.id == session.id), db.session.scalar(surgeons)
    )


def delete_day(event_id: int) -> str:
    """Delete a draft day nobody has booked or offered to help on; its title."""
    event = lock_day(event_id)
    if event is None:
        raise NotFound("That day no longer exists.")
    if reason := why_not_delete_day(event):
        raise DomainError(reason)
    title = event.title
    log.record(audit.CHANGED_EVENT, event.id, f"event {event.id}", detail="deleted")
    db.session.delete(event)
    db.session.flush()
    return title


def delete_session(event_id: int, session_id: int) -> str:
    """Delete a session nobody has booked; its title."""
    event = lock_day(event_id)
    session = db.session.get(EventSession, session_id)
    if event is None or session is None or session.event_id != event_id:
        raise NotFound("That session no longer exists.")
    if reason := why_not_delete_session(session):
        raise DomainError(reason)
    title = session.title
    log.record(audit.CHANGED_SESSION, event_id, f"session {session.id}", detail="deleted")
    event.sessions.remove(session)
    db.session.flush()
    return title
