"""The check-in list: each person with their state today (booked, waiting list, walk-in,
cancelled), and the counts the door keeps an eye on."""

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from surgery.bookings.models import Booking, Registration
from surgery.domain import attendance, capacity, search_key
from surgery.domain.capacity import WAITLISTED
from surgery.events.models import Event, EventSession
from surgery.extensions import db


@dataclass
class AtDoor:
    """A person on the check-in list, with where they stand today."""

    registration: Registration
    state: attendance.DoorState

    @property
    def may_check_in(self) -> bool:
        """Whether to offer the Arrived button."""
        return attendance.may_check_in(self.state)


@dataclass
class Counts:
    """The numbers the door keeps an eye on."""

    expected: int
    arrived: int
    walk_ins: int


def state_of(registration: Registration, positions: dict[int, int] | None = None):
    """A person's state from their bookings as loaded; positions: booking id -> place in
    its waiting list."""
    places = [
        attendance.Place(b.status, b.session.title, (positions or {}).get(b.id))
        for b in registration.bookings
    ]
    return attendance.door_state(places, registration.is_walk_in)


def door_list(event: Event, search: str = "") -> list[AtDoor]:
    """Everyone who booked or came, by name, each with their state; search narrows it.

    People whose bookings were all cancelled are listed too, marked so, so that someone
    who turns up with a cancelled booking is found and sent to the desk, not guessed at.
    """
    query = (
        sa.select(Registration)
        .where(Registration.event_id == event.id)
        .where(sa.or_(Registration.bookings.any(), Registration.checked_in_at.is_not(None)))
        .options(selectinload(Registration.bookings).selectinload(Booking.session))
        .order_by(sa.func.lower(Registration.name), Registration.id)
    )
    query = found_by(query, search)
    positions = waiting_positions(event)
    return [AtDoor(r, state_of(r, positions)) for r in db.session.scalars(query)]


def found_by(query, search: str):
    """Narrow a query of registrations to those whose every typed word is part of their
    name or email, accents and case aside (the same on SQLite and PostgreSQL)."""
    for word in search_key.words(search):
        query = query.where(Registration.search_key.like(f"%{escape_like(word)}%", "\\"))
    return query


def escape_like(text: str) -> str:
    """Search for what was typed, not for LIKE's wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def waiting_positions(event: Event) -> dict[int, int]:
    """Every waiting booking of the day -> its position in its session's queue, in one query."""
    rows = db.session.execute(
        sa.select(Booking.id, Booking.session_id)
        .join(Booking.session)
        .where(EventSession.event_id == event.id, Booking.status == WAITLISTED)
        .order_by(Booking.queue_key, Booking.id)
    ).all()
    queues: dict[int, list[int]] = defaultdict(list)
    for booking_id, session_id in rows:
        queues[session_id].append(booking_id)
    return {b: n for queue in queues.values() for b, n in capacity.positions(queue).items()}


def counts(people: list[AtDoor]) -> Counts:
    """Expected (a confirmed place they booked), arrived and walk-ins, of a whole list."""
    return Counts(
        expected=sum(attendance.is_expected(p.state) for p in people),
        arrived=sum(p.registration.checked_in_at is not None for p in people),
        walk_ins=sum(p.registration.is_walk_in for p in people),
    )
