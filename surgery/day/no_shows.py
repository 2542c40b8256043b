"""Giving the places of people who have not arrived to waiting-list people who are here.

Services flush and raise; the caller commits once.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from surgery.audit import log
from surgery.bookings import services as bookings
from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.domain import audit, no_shows
from surgery.domain.asking import Person, WhatHappens
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.errors import DomainError
from surgery.events.models import Event, EventSession
from surgery.events.services import lock_day
from surgery.extensions import db


@dataclass
class Offer:
    """One session's people not here and people waiting here, and whether places may go."""

    session: EventSession
    absent: list[Booking]  # confirmed, not here, in booking order
    waiting_here: list[Booking]  # on the waiting list and here, first in line first
    opens_at: dt.datetime
    refusal: str | None

    @property
    def pairs(self) -> list[tuple[Booking, Booking]]:
        """(place given up, given to), as the rule decides."""
        by_id = {b.id: b for b in self.absent + self.waiting_here}
        chosen = no_shows.plan([b.id for b in self.absent], [b.id for b in self.waiting_here])
        return [(by_id[lost], by_id[got]) for lost, got in chosen]


def _bookings(sessions: list[EventSession], fresh: bool = False) -> list[Booking]:
    """Confirmed and waiting bookings of these sessions, with their people, in booking order."""
    query = (
        sa.select(Booking)
        .join(Booking.registration)
        .where(
            Booking.session_id.in_([s.id for s in sessions]),
            Booking.status.in_([CONFIRMED, WAITLISTED]),
        )
        .options(selectinload(Booking.registration))
        .order_by(Booking.queue_key, Booking.id)
    )
    return list(db.session.scalars(query.execution_options(populate_existing=fresh)))


def _offer(session: EventSession, rows: list[Booking], now: dt.datetime) -> Offer:
    """The offer for one session from its bookings."""
    mine = [b for b in rows if b.session_id == session.id]
    event = session.event
    return Offer(
        session=session,
        absent=[b for b in mine if b.status == CONFIRMED and b.registration.checked_in_at is None],
        waiting_here=[
            b for b in mine if b.status == WAITLISTED and b.registration.checked_in_at is not None
        ],
        opens_at=no_shows.opens_at(session.starts_at, event.grace_minutes),
        refusal=no_shows.refusal(
            session.starts_at, session.ends_at, event.grace_minutes, now, event.status
        ),
    )


@dataclass
class Offered:
    """What the check-in page says of one session's offer: how many are not here and how
    many waiting are, counted, not loaded."""

    session: EventSession
    absent: int
    waiting_here: int
    opens_at: dt.datetime
    refusal: str | None


def offers(event: Event, now: dt.datetime | None = None) -> list[Offered]:
    """Sessions of the day, not over, where someone waiting is here and someone booked is
    not: the check-in page offers to give their places away (from the grace period's end).

    Counted by the database: first who is waiting and here (read from the short waiting
    lists), then, only in sessions where someone is, who has not come; one query, or two,
    however many people booked."""
    now = now or utcnow()
    sessions = [s for s in event.sessions if s.needs_booking and now < s.ends_at]
    if not sessions:
        return []
    here = Registration.checked_in_at.is_not(None)
    waiting_here = _per_session([s.id for s in sessions], Booking.status == WAITLISTED, here)
    absent = _per_session(list(waiting_here), Booking.status == CONFIRMED, ~here)
    event_rules = (event.grace_minutes, now, event.status)
    return [
        Offered(
            session=s,
            absent=absent[s.id],
            waiting_here=waiting_here[s.id],
            opens_at=no_shows.opens_at(s.starts_at, event.grace_minutes),
            refusal=no_shows.refusal(s.starts_at, s.ends_at, *event_rules),
        )
        for s in sessions
        if absent.get(s.id)
    ]


def _per_session(session_ids: list[int], *conditions) -> dict[int, int]:
    """session id -> how many of its bookings meet the conditions (sessions with none are
    left out); no query when there are no sessions."""
    if not session_ids:
        return {}
    rows = db.session.execute(
        sa.select(Booking.session_id, sa.func.count())
        .join(Booking.registration)
        .where(Booking.session_id.in_(session_ids), *conditions)
        .group_by(Booking.session_id)
    )
    return {session_id: count for session_id, count in rows}


def offer_for(session: EventSession, now: dt.datetime | None = None, fresh=False) -> Offer:
    """One session's offer as it is now."""
    return _offer(session, _bookings([session], fresh), now or utcnow())


def preview(session: EventSession, now: dt.datetime | None = None) -> WhatHappens:
    """What giving the places away would do, said before it is done."""
    pairs = offer_for(session, now).pairs
    return no_shows.releasing(
        session.title,
        [Person(lost.registration.name, lost.registration.email) for lost, _ in pairs],
        [Person(got.registration.name, got.registration.email) for _, got in pairs],
    )


def release(session: EventSession, now: dt.datetime | None = None) -> int:
    """Give the places of people not here to people waiting here; return how many moved.

    Decided under the day's lock on bookings read again under it, and refused before the
    grace period after the start has passed."""
    event = lock_day(session.event_id)
    offer = offer_for(session, now, fresh=True)
    if offer.refusal:
        raise DomainError(offer.refusal)
    pairs = offer.pairs
    if not pairs:
        raise DomainError("Nothing to give away: nobody waiting is here, or everyone came.")
    bookings.hand_over(pairs)
    log.record(
        audit.CHANGED_BOOKING,
        event_id=event.id,
        subject=f"session {session.id}",
        fields=["status"],
        detail=f"{len(pairs)} places of people not here given to people waiting here",
    )
    return len(pairs)
