"""What the public pages show of a day's bookings now: open sessions, places, each state.

Reads only; every rule is in surgery.domain (bookable, booking_state), so pages, forms and
services say the same thing.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.bookings.services import refusal, waiting_positions
from surgery.database import utcnow
from surgery.domain import bookable
from surgery.domain.booking_state import BookingState, PageTruth, booking_state, page_truth
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.events.models import CANCELLED as EVENT_CANCELLED
from surgery.events.models import SURGERY, Event, EventSession
from surgery.extensions import db


def open_sessions(event: Event) -> list[EventSession]:
    """The sessions of a day that can be booked now, for the forms to offer."""
    now = utcnow()
    return [s for s in event.sessions if refusal(s, now) is None]


def volunteer_sessions(event: Event) -> list[EventSession]:
    """The surgery sessions of a day that are still to come, for volunteers to offer."""
    now = utcnow()
    surgeries = [s for s in event.sessions if s.kind == SURGERY]
    return [s for s in surgeries if _volunteer_refusal(s, now) is None]


def _volunteer_refusal(session: EventSession, now) -> str | None:
    """Why nobody can volunteer for this surgery session now, or None while they can."""
    phase = bookable.phase(session.starts_at, session.ends_at, now)
    return bookable.volunteer_refusal(session.title, phase)


def day_is_over(event: Event) -> bool:
    """True once the day's last session has finished."""
    return bookable.day_is_over((s.ends_at for s in event.sessions), utcnow())


def closed_reason(
    event: Event, sessions: list[EventSession], volunteering: bool = False
) -> str | None:
    """Why a form offering these sessions of the day is closed, or None while one is open."""
    return bookable.closed_reason(day_is_over(event), bool(sessions), volunteering)


@dataclass(frozen=True)
class Places:
    """Bookings in one session, as counts, and what that offers now."""

    capacity: int | None  # None where no booking is needed
    confirmed: int = 0
    waiting: int = 0
    phase: str = bookable.OPEN

    @property
    def offer(self) -> bookable.Offer:
        """Whether it can be booked now, and the words for its places."""
        return bookable.offer(self.capacity, self.confirmed, self.waiting, self.phase)


# confirmed and waiting bookings of the sessions asked for (`ids`), counted by status:
# built once, as building the statement cost about as much as running it
PLACES = (
    sa.select(Booking.session_id, Booking.status, sa.func.count())
    .where(
        Booking.session_id.in_(sa.bindparam("ids", expanding=True)),
        Booking.status.in_([CONFIRMED, WAITLISTED]),
    )
    .group_by(Booking.session_id, Booking.status)
)


def places_by_session(sessions: list[EventSession]) -> dict[int, Places]:
    """Confirmed and waiting counts for many sessions in one query, with their phase now."""
    counts: dict[int, dict[str, int]] = {s.id: {} for s in sessions}
    if counts:
        for session_id, status, n in db.session.execute(PLACES, {"ids": list(counts)}):
            counts[session_id][status] = n
    now = utcnow()
    return {
        s.id: Places(
            s.capacity if s.needs_booking else None,
            counts[s.id].get(CONFIRMED, 0),
            counts[s.id].get(WAITLISTED, 0),
            _phase(s, now),
        )
        for s in sessions
    }


def _phase(session: EventSession, now) -> str:
    """A session's phase now; every session of a cancelled day offers nothing."""
    if session.event.status == EVENT_CANCELLED:
        return bookable.DAY_CANCELLED
    return bookable.phase(session.starts_at, session.ends_at, now)


def booking_states(registration: Registration) -> dict[int, BookingState]:
    """The state of each of a person's bookings now, by booking id."""
    positions = waiting_positions(registration)
    cancelled = registration.event.status == EVENT_CANCELLED
    now = utcnow()
    return {
        b.id: booking_state(
            b.status,
            positions.get(b.id),
            cancelled,
            bookable.phase(b.session.starts_at, b.session.ends_at, now),
        )
        for b in registration.bookings
    }


def truth(registration: Registration, states: dict[int, BookingState]) -> PageTruth:
    """What the person's pages may promise, from their bookings' states."""
    event = registration.event
    return page_truth(
        states.values(),
        has_email=bool(registration.email),
        day_cancelled=event.status == EVENT_CANCELLED,
        day_over=day_is_over(event),
        came=registration.checked_in_at is not None,
    )
