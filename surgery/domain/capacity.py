"""Capacity and waiting-list rules for one session."""

from collections.abc import Sequence
from dataclasses import dataclass

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Placement:
    """Where a new booking goes: confirmed, or waitlisted at a position (1 = next in line)."""

    status: str
    position: int | None = None


def places_left(capacity: int, confirmed: int) -> int:
    """Places still free; never negative, even if capacity was lowered below bookings."""
    return max(capacity - confirmed, 0)


def place_new_booking(capacity: int, confirmed: int, waiting: int) -> Placement:
    """Confirm while places are free and nobody is queued; otherwise join the queue."""
    if waiting == 0 and places_left(capacity, confirmed) > 0:
        return Placement(CONFIRMED)
    return Placement(WAITLISTED, waiting + 1)


def to_promote(capacity: int, confirmed: int, waiting_in_order: Sequence[int]) -> list[int]:
    """Which queued bookings (ids, first in line first) fill the places that are free."""
    return list(waiting_in_order[: places_left(capacity, confirmed)])


def positions(waiting_in_order: Sequence[int]) -> dict[int, int]:
    """Waiting-list position of each queued booking id, counting from 1."""
    return {booking_id: n for n, booking_id in enumerate(waiting_in_order, start=1)}


def swap_up(queue: Sequence[int], booking_id: int) -> list[int]:
    """The queue with booking_id moved one place nearer the front."""
    order = list(queue)
    i = order.index(booking_id)
    if i > 0:
        order[i - 1], order[i] = order[i], order[i - 1]
    return order
