"""What each of a person's bookings is now, and what their pages may promise them.

Derived from the current state every time, so a page never says more than is true: a
waiting-list place is never shown as booked, and no email is promised to someone without
an address.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from surgery.domain import bookable
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED

BOOKED, WAITING, CANCELLED_STATE = "booked", "waiting", "cancelled"
DAY_CANCELLED, SESSION_OVER = "day_cancelled", "over"


@dataclass(frozen=True)
class BookingState:
    """One booking as its owner should read it."""

    code: str
    words: str

    @property
    def holds_place(self) -> bool:
        """True when the person has a place they can come to."""
        return self.code == BOOKED


def booking_state(
    status: str, position: int | None, day_cancelled: bool, session_phase: str
) -> BookingState:
    """The state of one booking: booked, waiting at position N, cancelled, day off, or over."""
    if day_cancelled:
        return BookingState(DAY_CANCELLED, "Cancelled: the surgery day is cancelled")
    if status == CANCELLED:
        return BookingState(CANCELLED_STATE, "Cancelled")
    if session_phase == bookable.OVER:
        return BookingState(SESSION_OVER, "This session is over")
    if status == WAITLISTED:
        number = f", number {position}" if position else ""
        return BookingState(WAITING, f"On the waiting list{number}")
    if status == CONFIRMED and session_phase == bookable.STARTED:
        return BookingState(BOOKED, "Booked (started)")
    return BookingState(BOOKED, "Booked")


@dataclass(frozen=True)
class PageTruth:
    """What a person's confirmation and manage pages may say about all their bookings."""

    booked: bool  # a place to come to: the "saved" panel, the check-in code and QR code
    waiting: bool
    emailed: bool  # we have an address, so "we emailed you" is true
    day_cancelled: bool
    day_over: bool
    headline: str

    @property
    def invited(self) -> bool:
        """True when a calendar invite went out: a place is booked and there is an address."""
        return self.booked and self.emailed


def page_truth(
    states: Iterable[BookingState],
    has_email: bool,
    day_cancelled: bool,
    day_over: bool,
    came: bool = False,
) -> PageTruth:
    """Sum up a person's bookings for the top of their pages; `came` when they checked in."""
    codes = {s.code for s in states}
    booked, waiting = BOOKED in codes, WAITING in codes
    headline = _headline(booked, waiting, has_email, day_cancelled, day_over, came)
    return PageTruth(booked, waiting, has_email, day_cancelled, day_over, headline)


def _headline(booked, waiting, has_email, day_cancelled, day_over, came) -> str:
    """The one sentence that sums up where the person stands."""
    if day_cancelled:
        return "This surgery day has been cancelled, so none of its sessions will happen."
    if day_over:
        # thanked only for what they did: someone who cancelled or only waited did not come
        return (
            "This surgery day is over. Thank you for coming."
            if came
            else ("This surgery day is over.")
        )
    told = "we will email you" if has_email else "this page will show it"
    if booked and waiting:
        return f"Your place is saved. You are also on a waiting list: {told} if a place comes up."
    if booked:
        return "Your place is saved."
    if waiting:
        return f"You are on the waiting list, not booked yet: {told} if a place comes up."
    return "You have no sessions booked."


def said_after_adding(
    booked: Sequence[str], waiting: Sequence[tuple[str, int]], has_email: bool
) -> str:
    """What the manage page says after adding sessions: places and waiting lists apart,
    so a place in a queue is never announced as booked."""
    parts = []
    if booked:
        parts.append(f"Booked: {', '.join(booked)}.")
    if waiting:
        queued = ", ".join(f"{title} (number {position})" for title, position in waiting)
        parts.append(f"On the waiting list for: {queued}.")
    if not parts:
        return "You are already booked on those sessions."
    if has_email:
        parts.append("We have emailed you about each.")
    return " ".join(parts)
