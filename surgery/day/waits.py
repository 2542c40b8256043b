"""The estimated wait for a surgeon, from the floor as it is now and the day's pairings."""

import math
from dataclasses import dataclass

import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.day import arrival, floor_state, services
from surgery.day.durations import seconds_between
from surgery.day.models import HelpRecord
from surgery.domain import wait
from surgery.domain.arrival import DESK, SPACE
from surgery.events.models import Event, EventSession
from surgery.extensions import db


@dataclass(frozen=True)
class FloorLine:
    """What the floor says about the wait and the people here for something else."""

    wait: str
    average: int  # minutes, rounded up
    finished: int  # pairings that finished today, which the average comes from
    desk: int
    space: int


@dataclass(frozen=True)
class Finished:
    """The day's pairings that ran to their end: how many, and their average in minutes
    (the default until one has)."""

    count: int
    average: float


def finished_pairings(event_id: int) -> Finished:
    """How many of the day's pairings ran to their end and how long they took on average,
    summed by the database."""
    count, seconds = db.session.execute(
        sa.select(
            sa.func.count(HelpRecord.id),
            sa.func.sum(seconds_between(HelpRecord.started_at, HelpRecord.ended_at)),
        )
        .join(HelpRecord.booking)
        .join(Booking.session)
        .where(
            EventSession.event_id == event_id,
            HelpRecord.ended_at.is_not(None),
            HelpRecord.back_in_queue.is_(False),
        )
    ).one()
    return Finished(count, wait.average_of((seconds or 0) / 60, count))


def _surgeons(state: floor_state.FloorState) -> list[wait.SurgeonHere]:
    """The surgeons here, each with how long their pairing has run (one at a time)."""
    return [
        wait.SurgeonHere(
            running=(state.minutes_since(state.helping[s.id]),) if s.id in state.helping else ()
        )
        for s in state.present
    ]


def for_newcomer(state: floor_state.FloorState, finished: Finished) -> str:
    """The wait for someone joining the queue now, behind everyone waiting."""
    return _in_words(len(state.waiting), state, finished)


def for_booking(state: floor_state.FloorState, booking_id: int, finished: Finished) -> str:
    """The wait for someone in the queue, behind those ahead of them."""
    ids = [b.id for b in state.waiting]
    ahead = ids.index(booking_id) if booking_id in ids else len(ids)
    return _in_words(ahead, state, finished)


def _in_words(ahead: int, state: floor_state.FloorState, finished: Finished) -> str:
    """The wait behind `ahead` people, in words."""
    return wait.in_words(wait.minutes_to_wait(ahead, _surgeons(state), finished.average))


def floor_line(state: floor_state.FloorState, event: Event) -> FloorLine:
    """The floor's line: the wait for a newcomer, and who is here for something else."""
    finished = finished_pairings(state.event_id)
    here = arrival.here_for(event)
    return FloorLine(
        wait=for_newcomer(state, finished),
        average=math.ceil(finished.average),
        finished=finished.count,
        desk=here[DESK],
        space=here[SPACE],
    )


def at_kiosk(event: Event, booking_id: int | None = None) -> str | None:
    """The wait the kiosk shows (for this person, if given); None with no surgery session."""
    session = services.surgery_now(event)
    if session is None:
        return None
    state = floor_state.state(session)
    finished = finished_pairings(event.id)
    if booking_id is not None:
        return for_booking(state, booking_id, finished)
    return for_newcomer(state, finished)


def kiosk_welcome(event: Event, registration: Registration, name: str) -> str:
    """What the kiosk says once someone is on the list: where to go, and for a surgeon the
    wait (their place in the queue counted). name: as typed, never what is stored."""
    welcome = f"Welcome, {name}. You are on the list"
    need = arrival.need_now(registration)
    if need == DESK:
        return welcome + ": please take your question to the help desk."
    if need == SPACE:
        return welcome + ": the workshop and open space are yours; ask at the desk where to go."
    session = services.surgery_now(event)
    if session is None:
        return welcome + "."
    booking = next((b for b in registration.bookings if b.session_id == session.id), None)
    wait_now = at_kiosk(event, booking.id if booking else None)
    return welcome + f": a surgeon will be with you soon. Your wait: {wait_now}."
