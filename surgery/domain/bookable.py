"""When a session can be booked, and what its places say now.

A session is booked only before it starts: once it has begun, or the day is over, it
offers no places, so nobody books (or volunteers for) something that has already happened.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from surgery.domain.capacity import places_left

OPEN, STARTED, OVER = "open", "started", "over"
# the whole day is cancelled: its waiting lists are kept, but no place is offered
DAY_CANCELLED = "day_cancelled"
BOOK, JOIN_WAITING_LIST = "Book", "Join the waiting list"


def phase(starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime) -> str:
    """Whether a session is still to come (open), has started, or is over."""
    if now >= ends_at:
        return OVER
    if now >= starts_at:
        return STARTED
    return OPEN


def refusal(title: str, needs_booking: bool, session_phase: str) -> str | None:
    """Why this session cannot be booked now, in plain words; None when it can."""
    if not needs_booking:
        return f"{title} needs no booking: just come along."
    if session_phase == OVER:
        return f"{title} is over, so it can no longer be booked."
    if session_phase == STARTED:
        return f"{title} has already started, so it can no longer be booked."
    return None


def volunteer_refusal(title: str, session_phase: str) -> str | None:
    """Why nobody can volunteer for this surgery session now; None while they can."""
    if session_phase == OPEN:
        return None
    done = "is over" if session_phase == OVER else "has already started"
    return f"{title} {done}, so it is not taking volunteers."


def day_is_over(session_ends: Iterable[dt.datetime], now: dt.datetime) -> bool:
    """True once the last session of a day has finished; a day without sessions is not over."""
    ends = list(session_ends)
    return bool(ends) and max(ends) <= now


def closed_reason(day_over: bool, any_open: bool, volunteering: bool = False) -> str | None:
    """Why a day's booking (or volunteer) form is closed; None while a session is open."""
    if day_over:
        return "This surgery day is over, so it can no longer be booked or volunteered for."
    if any_open:
        return None
    if volunteering:
        return "Every surgery session of this day has started, so it is not taking volunteers."
    return (
        "Every session of this day that needs booking has started, so nothing more can be "
        "booked. Open space needs no booking: just come along."
    )


@dataclass(frozen=True)
class Offer:
    """What a session offers now: whether it can be booked, and the words for its places."""

    bookable: bool
    full: bool
    words: str

    @property
    def action(self) -> str:
        """What pressing its button does: book a place, or join the waiting list."""
        return JOIN_WAITING_LIST if self.full else BOOK


def offer(capacity: int | None, confirmed: int, waiting: int, session_phase: str = OPEN) -> Offer:
    """A session's places as people see them; capacity None means no booking is needed."""
    if session_phase == OVER:
        return Offer(False, False, "Finished")
    if session_phase == DAY_CANCELLED:
        return Offer(False, False, "Cancelled: no places are offered")
    if capacity is None:
        return Offer(False, False, "No booking needed")
    if session_phase == STARTED:
        return Offer(False, False, "Started – no more bookings")
    left = places_left(capacity, confirmed)
    if left == 0 or waiting > 0:  # nobody jumps the queue, even into a free place
        return Offer(True, True, "Full – join the waiting list")
    return Offer(True, False, "1 place left" if left == 1 else f"{left} places left")
