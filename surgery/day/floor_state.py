"""The surgery floor as it is now, read once per change: who is waiting, which surgeons are
here and free, pairs in progress and the latest finished."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.day import pairing
from surgery.day.arrival import queued_for_surgeon
from surgery.day.durations import whole_minutes_between
from surgery.day.models import HelpRecord
from surgery.domain import floor, visibility
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.events.models import EventSession
from surgery.extensions import db
from surgery.matching.services import as_attendee
from surgery.surgeons.models import APPROVED, Surgeon, SurgeonSession

LATEST_DONE = 10  # finished pairings the floor lists; the rest are counted


@dataclass(frozen=True)
class Person:
    """Someone on the floor as its screens show them, read once: plain data, so one copy
    serves every screen (surgery.day.live). id is their booking's."""

    id: int
    name: str
    status: str
    is_walk_in: bool
    topics: tuple[str, ...]
    help_text: str
    seen: visibility.SurgeonView  # as their surgeon may see them


@dataclass(frozen=True)
class SurgeonOnFloor:
    """A surgeon as the floor shows them."""

    id: int
    name: str
    topics: tuple[str, ...]
    left_at: dt.datetime | None


@dataclass(frozen=True)
class Pairing:
    """A pairing in progress."""

    id: int
    person: Person
    started_at: dt.datetime


@dataclass(frozen=True)
class Done:
    """A pairing that finished, as the floor lists the latest of them."""

    name: str
    surgeon: str
    topics: tuple[str, ...]
    minutes: int
    back_in_queue: bool


@dataclass
class FloorState:
    """Everything the floor page shows, as of one moment. Finished pairings are counted,
    not listed: the page stays short however long the day."""

    session_id: int
    event_id: int
    now: dt.datetime
    waiting: list[Person]
    present: list[SurgeonOnFloor]
    away: list[SurgeonOnFloor]
    helping: dict[int, Pairing]  # surgeon id -> their pairing in progress
    suggestions: dict[int, Person]  # free surgeon id -> who to see next
    helped: int  # pairings finished so far
    done: list[Done]  # the latest few of them, latest first
    since: dict[int, dt.datetime]  # booking id -> when their wait began, help time left out
    own: dict[int, tuple[str, str]]  # booking id -> (their own surgeon's name, why)

    @property
    def free(self) -> list[SurgeonOnFloor]:
        """Surgeons here and not helping anyone, for pairing by hand."""
        return [s for s in self.present if s.id not in self.helping]

    def minutes_waiting(self, person: Person) -> int:
        """How long someone has been waiting, in whole minutes, not counting time with a
        surgeon."""
        return floor.minutes_between(self.since[person.id], self.now)

    def minutes_since(self, record: Pairing) -> int:
        """How long a pairing has been going."""
        return floor.minutes_between(record.started_at, self.now)


def state(session: EventSession) -> FloorState:
    """The floor now: a fixed number of queries, and rows only for who the page lists (the
    queue, the surgeons, pairings in progress), however many people came."""
    now = utcnow()
    in_progress = _in_progress(session)
    with_a_surgeon = {r.booking_id for r in in_progress}
    people = _people_on_the_floor(session)
    here = [b for b in people if b.id not in with_a_surgeon]
    since = _waits_began(session, here)
    # people from the waiting list, here without a place, wait after everyone with one
    waiting = sorted(here, key=lambda b: (b.status != CONFIRMED, since[b.id], b.id))
    surgeons = _surgeons(session)
    present = [s for s in surgeons if s.arrived_at and not s.left_at]
    helping = {r.surgeon_id: r for r in in_progress}
    queue = [
        floor.Waiting(b.id, since[b.id], as_attendee(b), later=b.status != CONFIRMED)
        for b in waiting
    ]
    own = pairing.wanted(session, waiting, surgeons)
    helped, average = _finished(session)
    chosen = pairing.suggest(queue, present, helping, average, own, now)
    shown = {b.id: _person(b) for b in people}
    names = {s.id: s.name for s in surgeons}
    cards = {s.id: _surgeon(s) for s in surgeons}
    return FloorState(
        session_id=session.id,
        event_id=session.event_id,
        now=now,
        waiting=[shown[b.id] for b in waiting],
        present=[cards[s.id] for s in present],
        away=[cards[s.id] for s in surgeons if s not in present],
        helping={
            sid: Pairing(r.id, shown[r.booking_id], r.started_at) for sid, r in helping.items()
        },
        suggestions={sid: shown[bid] for sid, bid in chosen.items()},
        helped=helped,
        done=_latest_done(session),
        since={b.id: since[b.id] for b in waiting},
        own={bid: (names[w.surgeon_id], w.why) for bid, w in own.items()},
    )


def _person(booking: Booking) -> Person:
    """A booking's person, as plain data."""
    r = booking.registration
    return Person(
        id=booking.id,
        name=r.name,
        status=booking.status,
        is_walk_in=r.is_walk_in,
        topics=tuple(t.name for t in r.topics),
        help_text=r.help_text or "",
        seen=r.seen_by_surgeon(),
    )


def _surgeon(surgeon: Surgeon) -> SurgeonOnFloor:
    """A surgeon, as plain data."""
    topics = tuple(t.name for t in surgeon.topics)
    return SurgeonOnFloor(surgeon.id, surgeon.name, topics, surgeon.left_at)


def _with_the_person():
    """Load a booking's person with what their card and their matching read."""
    registration = selectinload(Booking.registration)
    return (
        registration.selectinload(Registration.topics),
        registration.selectinload(Registration.role_tags),
    )


def _people_on_the_floor(session: EventSession) -> list[Booking]:
    """Bookings of people with a surgeon now, and of people here for a surgeon and waiting
    for one: confirmed places, and waiting-list places of people who came anyway. Someone
    whose pairing ran to its end is not waiting; someone sent back into the queue is."""
    # each set is read once from the session's pairings, not asked again for every booking
    records = sa.select(HelpRecord.booking_id).where(HelpRecord.session_id == session.id)
    with_a_surgeon = Booking.id.in_(records.where(HelpRecord.ended_at.is_(None)))
    done = Booking.id.in_(records.where(HelpRecord.back_in_queue.is_(False)))
    waiting = sa.and_(
        Booking.status.in_((CONFIRMED, WAITLISTED)),
        Registration.checked_in_at.is_not(None),
        queued_for_surgeon(),
        ~with_a_surgeon,
        ~done,
    )
    return list(
        db.session.scalars(
            sa.select(Booking)
            .join(Booking.registration)
            .where(Booking.session_id == session.id, sa.or_(waiting, with_a_surgeon))
            .options(*_with_the_person())
            .order_by(Registration.checked_in_at, Booking.id)
        )
    )


def _waits_began(session: EventSession, waiting: list[Booking]) -> dict[int, dt.datetime]:
    """booking id -> when their wait began: their arrival, moved on by the time they spent
    with a surgeon before being sent back into the queue."""
    pairings: dict[int, list] = {}
    if waiting:
        # found by booking, from the bookings' index (asking for the session too led SQLite
        # through every pairing of the session); the session is checked here
        rows = db.session.execute(
            sa.select(
                HelpRecord.session_id,
                HelpRecord.booking_id,
                HelpRecord.started_at,
                HelpRecord.ended_at,
                HelpRecord.back_in_queue,
            ).where(HelpRecord.booking_id.in_([b.id for b in waiting]))
        )
        for session_id, booking_id, *pair in rows:
            if session_id == session.id:
                pairings.setdefault(booking_id, []).append(tuple(pair))
    return {
        b.id: floor.waiting_since(b.registration.checked_in_at, pairings.get(b.id, []))
        for b in waiting
    }


def _in_progress(session: EventSession):
    """Pairings going on now, one per busy surgeon: their columns."""
    return db.session.execute(
        sa.select(
            HelpRecord.id, HelpRecord.booking_id, HelpRecord.surgeon_id, HelpRecord.started_at
        )
        .where(HelpRecord.session_id == session.id, HelpRecord.ended_at.is_(None))
        .order_by(HelpRecord.started_at)
    ).all()


def _finished(session: EventSession) -> tuple[int, float | None]:
    """How many pairings finished here, and their average length in whole minutes (None
    before the first): counted by the database, not loaded."""
    minutes = whole_minutes_between(HelpRecord.started_at, HelpRecord.ended_at)
    count, total = db.session.execute(
        sa.select(sa.func.count(HelpRecord.id), sa.func.sum(minutes)).where(
            HelpRecord.session_id == session.id, HelpRecord.ended_at.is_not(None)
        )
    ).one()
    return count, (total or 0) / count if count else None


def _latest_done(session: EventSession) -> list[Done]:
    """The pairings that finished last, latest first: their columns, a few rows."""
    rows = db.session.execute(
        sa.select(
            Registration.name,
            Surgeon.name,
            HelpRecord.topics,
            HelpRecord.started_at,
            HelpRecord.ended_at,
            HelpRecord.back_in_queue,
        )
        .join(HelpRecord.booking)
        .join(Booking.registration)
        .join(HelpRecord.surgeon)
        .where(HelpRecord.session_id == session.id, HelpRecord.ended_at.is_not(None))
        .order_by(HelpRecord.ended_at.desc(), HelpRecord.id.desc())
        .limit(LATEST_DONE)
    )
    return [
        Done(name, surgeon, tuple(topics or ()), floor.minutes_between(started, ended), back)
        for name, surgeon, topics, started, ended, back in rows
    ]


def _surgeons(session: EventSession) -> list[Surgeon]:
    """Approved surgeons for this session, by name."""
    return list(
        db.session.scalars(
            sa.select(Surgeon)
            .join(SurgeonSession)
            .where(SurgeonSession.session_id == session.id, Surgeon.status == APPROVED)
            .options(selectinload(Surgeon.topics), selectinload(Surgeon.role_tags))
            .order_by(sa.func.lower(Surgeon.name), Surgeon.id)
        )
    )
