"""The live surgery floor's changes: pairings started and ended, surgeons arriving and
leaving, and the day's numbers. What the floor looks like now: surgery/day/floor_state.py."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.day import pairing
from surgery.day.arrival import came_for
from surgery.day.floor_state import state
from surgery.day.models import HelpRecord
from surgery.domain import attendance, floor, lifecycle
from surgery.domain.errors import DomainError
from surgery.events.models import SURGERY, Event, EventSession
from surgery.events.services import lock_day
from surgery.extensions import db
from surgery.surgeons.models import Surgeon


def start(
    session: EventSession, booking_id: int, surgeon_id: int, by_hand: bool = False
) -> HelpRecord:
    """Start a pairing: the person is waiting, the surgeon is here and free. by_hand: the
    organiser chose the pair; a pair made before follows the surgeon they start with."""
    event = lock_day(session.event_id)
    now = state(session)
    person = next((b for b in now.waiting if b.id == booking_id), None)
    surgeon = next((s for s in now.present if s.id == surgeon_id), None)
    # someone checked in but not in the queue is with a surgeon (or done)
    lifecycle.change_pair(None if person else lifecycle.STARTED, lifecycle.START, event.status)
    if surgeon is None or surgeon_id in now.helping:
        raise DomainError("That surgeon is not free right now.")
    record = HelpRecord(
        session_id=session.id,
        booking_id=person.id,
        surgeon_id=surgeon.id,
        topics=list(person.topics),
        by_hand=by_hand,
    )
    db.session.add(record)
    db.session.flush()
    pairing.follow(record)
    return record


def end(session: EventSession, record_id: int, back_in_queue: bool = False) -> HelpRecord:
    """End a pairing; the time it took is kept. back_in_queue: they need more help."""
    event = lock_day(session.event_id)
    record = db.session.get(HelpRecord, record_id, populate_existing=True)
    if record is None or record.session_id != session.id:
        raise DomainError("That pairing is not on this floor.")
    status = lifecycle.STARTED if record.ended_at is None else lifecycle.FINISHED
    try:
        lifecycle.change_pair(status, lifecycle.FINISH, event.status)
    except lifecycle.AlreadyDone:
        return record  # a double press: it ended at the first
    record.ended_at, record.back_in_queue = utcnow(), back_in_queue
    db.session.flush()
    return record


def surgeon_arrived(surgeon: Surgeon) -> None:
    """A surgeon is here (again)."""
    surgeon.arrived_at, surgeon.left_at = surgeon.arrived_at or utcnow(), None
    db.session.flush()


def surgeon_gone(surgeon: Surgeon) -> list[HelpRecord]:
    """A surgeon has left; a pairing they had in progress ends now, and the person they were
    helping goes back into the queue, their earlier wait counting. Returns those pairings."""
    lock_day(surgeon.event_id)
    db.session.refresh(surgeon)
    now = utcnow()
    surgeon.left_at = now
    cut_short = list(
        db.session.scalars(
            sa.select(HelpRecord).where(
                HelpRecord.surgeon_id == surgeon.id, HelpRecord.ended_at.is_(None)
            )
        )
    )
    for record in cut_short:
        record.ended_at, record.back_in_queue = now, True
    db.session.flush()
    return cut_short


def surgery_sessions(event: Event) -> list[EventSession]:
    """The event's surgery sessions."""
    return [s for s in event.sessions if s.kind == SURGERY]


@dataclass
class DayNumbers:
    """The day in numbers, for the organiser's event page."""

    expected: int
    arrived: int
    walk_ins: int
    no_shows: int  # confirmed and not checked in; "no-shows" only once the day is over
    day_over: bool
    helped: int  # people whose one-to-one finished
    surgeon_hours: float
    helping_hours: float
    role_tags: list
    topics: list
    came_for_desk: int = 0  # here for a quick question at the help desk
    came_for_space: int = 0  # here for the workshop or open space


def _state(registration: Registration) -> attendance.DoorState:
    """Where someone stood on the day, from their bookings."""
    places = [attendance.Place(b.status) for b in registration.bookings]
    return attendance.door_state(places, registration.is_walk_in)


def numbers(event: Event, now: dt.datetime | None = None) -> DayNumbers:
    """People helped, walk-ins, no-shows, surgeon hours, and the mix of who came and why."""
    # someone never marked gone counts until the day's end, not for ever after
    now = now or utcnow()
    day_ends = max((s.ends_at for s in event.sessions), default=now)
    until = min(now, day_ends)
    registrations = list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.event_id == event.id)
            .options(
                selectinload(Registration.bookings),
                selectinload(Registration.role_tags),
                selectinload(Registration.topics),
            )
        )
    )
    states = {r.id: _state(r) for r in registrations}
    came = [r for r in registrations if r.checked_in_at is not None]
    records = list(
        db.session.scalars(
            sa.select(HelpRecord).join(HelpRecord.booking).join(Booking.session)
            .where(EventSession.event_id == event.id)
            .options(selectinload(HelpRecord.booking))
        )
    )  # fmt: skip
    surgeons = db.session.execute(
        sa.select(Surgeon.arrived_at, Surgeon.left_at).where(
            Surgeon.event_id == event.id, Surgeon.arrived_at.is_not(None)
        )
    ).all()
    return DayNumbers(
        expected=sum(attendance.is_expected(state) for state in states.values()),
        arrived=len(came),
        walk_ins=sum(1 for r in came if r.is_walk_in),
        no_shows=sum(
            attendance.is_no_show(states[r.id], r.checked_in_at is not None) for r in registrations
        ),
        day_over=now >= day_ends,
        helped=attendance.people_helped(
            attendance.OneToOne(r.booking.registration_id, r.ended_at is not None, r.back_in_queue)
            for r in records
        ),
        surgeon_hours=floor.hours_present(list(surgeons), until),
        helping_hours=floor.hours_present([(r.started_at, r.ended_at) for r in records], until),
        role_tags=floor.shares(Counter(t.name for r in came for t in r.role_tags).most_common()),
        topics=floor.shares(Counter(t.name for r in came for t in r.topics).most_common()),
        **came_for(came),
    )
