"""The check-in list: each person with their state today (booked, waiting list, walk-in,
cancelled), and the counts the door keeps an eye on.

The check-in page lists one page of people (door_page): those not here yet first, by name,
reading only the columns it shows, whatever the size of the day; the search finds anyone.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from surgery.bookings.models import Booking, Registration
from surgery.domain import arrival, attendance, capacity, search_key
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.events.models import SURGERY, Event, EventSession
from surgery.extensions import db

PAGE = 50  # people the check-in page lists; the search finds the others

ACTIVE = (CONFIRMED, WAITLISTED)


@dataclass(frozen=True)
class Listed:
    """A person as a check-in row shows them: the columns it reads, and what they need now."""

    id: int
    name: str
    email: str | None
    checked_in_at: dt.datetime | None
    is_walk_in: bool
    wants_follow_up: bool
    wants_same_surgeon: bool
    need: str  # what they need now, said or by default


@dataclass
class AtDoor:
    """A person on the check-in list, with where they stand today."""

    registration: Registration | Listed
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
    listed: int = 0  # everyone on the list


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


@dataclass
class DoorPage:
    """One page of the check-in list: the people shown, how many the list or the search
    has in all, and the day's counts (of everyone, whatever the search)."""

    people: list[AtDoor]
    found: int
    counts: Counts


def on_the_list():
    """Who the door lists: everyone who booked (cancelled too, so they are sent to the desk)
    or came."""
    return sa.or_(Registration.bookings.any(), Registration.checked_in_at.is_not(None))


def door_page(event: Event, search: str = "", size: int = PAGE) -> DoorPage:
    """The first `size` people of the list or the search: those not here yet first, then
    those here, each by name. Four queries, however many people booked."""
    query = (
        sa.select(
            Registration.id,
            Registration.name,
            Registration.email,
            Registration.checked_in_at,
            Registration.is_walk_in,
            Registration.wants_follow_up,
            Registration.wants_same_surgeon,
            Registration.need_now,
        )
        .where(Registration.event_id == event.id, on_the_list())
        .order_by(
            Registration.checked_in_at.is_not(None),
            sa.func.lower(Registration.name),
            Registration.id,
        )
        .limit(size)
    )
    searching = bool(search_key.words(search))
    if searching:  # how many the search finds, counted as it runs
        query = found_by(query.add_columns(sa.func.count().over()), search)
    rows = db.session.execute(query).all()
    counts = day_counts(event)
    found = (rows[0][-1] if rows else 0) if searching else counts.listed
    places = _places(event, [row.id for row in rows])
    people = []
    for row in rows:
        mine = places.get(row.id, [])
        has_surgery = any(surgery for _, surgery in mine)
        person = Listed(*row[:7], need=arrival.need_of(row.need_now, has_surgery))
        state = attendance.door_state([place for place, _ in mine], row.is_walk_in)
        people.append(AtDoor(person, state))
    return DoorPage(people, found, counts)


def _places(event: Event, ids: list[int]) -> dict[int, list[tuple[attendance.Place, bool]]]:
    """registration id -> each of their bookings as the door sees it, and whether it is an
    active place in a surgery session; waiting-list positions counted by the database."""
    if not ids:
        return {}
    day = sa.select(EventSession.id).where(EventSession.event_id == event.id)
    order = (Booking.queue_key, Booking.id)
    queue = (
        sa.select(
            Booking.id,
            sa.func.row_number()
            .over(partition_by=Booking.session_id, order_by=order)
            .label("position"),
        )
        .where(Booking.status == WAITLISTED, Booking.session_id.in_(day))
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            Booking.registration_id,
            Booking.status,
            EventSession.title,
            EventSession.kind,
            queue.c.position,
        )
        .join(Booking.session)
        .outerjoin(queue, queue.c.id == Booking.id)
        .where(Booking.registration_id.in_(ids))
        .order_by(Booking.id)
    )
    places: dict[int, list] = defaultdict(list)
    for registration_id, status, title, kind, position in rows:
        surgery = status in ACTIVE and kind == SURGERY
        places[registration_id].append((attendance.Place(status, title, position), surgery))
    return places


def day_counts(event: Event) -> Counts:
    """Expected, arrived and walk-ins of the whole list, counted by the database."""
    listed, arrived, walk_ins = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(Registration.checked_in_at),
            sa.func.count(sa.case((Registration.is_walk_in.is_(True), 1))),
        ).where(Registration.event_id == event.id, on_the_list())
    ).one()
    day = sa.select(EventSession.id).where(EventSession.event_id == event.id)
    expected = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Booking.registration_id)))
        .join(Booking.registration)
        .where(
            Booking.session_id.in_(day),
            Booking.status == CONFIRMED,
            Registration.is_walk_in.is_(False),
        )
    )
    return Counts(expected, arrived, walk_ins, listed)
