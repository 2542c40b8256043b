"""The day itself: who the door expects, who may be checked in, who did not come, who was
helped. Plain data in, plain data out."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from surgery.domain.capacity import CONFIRMED, WAITLISTED

BOOKED, WAITING, WALK_IN, CANCELLED = "booked", "waiting", "walk_in", "cancelled"

BOOKING_CANCELLED = (
    "This booking was cancelled, so this code cannot be used to check in. "
    "Please see an organiser at the desk."
)
DAY_CANCELLED = (
    "This surgery day was cancelled, so its codes cannot be used to check in. "
    "Please see an organiser at the desk."
)


@dataclass(frozen=True)
class Place:
    """One of a person's bookings as the door sees it: its status, and for a waiting-list
    place its session and position (1 = next in line)."""

    status: str
    session: str = ""
    position: int | None = None


@dataclass(frozen=True)
class DoorState:
    """Where a person stands today: booked, waiting (with their places), walk-in, cancelled."""

    kind: str
    waiting: tuple[Place, ...] = ()

    @property
    def label(self) -> str:
        """The state in plain words, as the door list shows it."""
        if self.kind == WAITING:
            return waiting_label(self.waiting)
        return {BOOKED: "Booked", WALK_IN: "Walk-in", CANCELLED: "Cancelled"}[self.kind]


def door_state(places: Sequence[Place], is_walk_in: bool) -> DoorState:
    """A person's state from their bookings: a confirmed place beats a waiting one, which
    beats a cancelled one; someone who walked in is a walk-in unless they wait for a place."""
    if any(p.status == CONFIRMED for p in places):
        return DoorState(WALK_IN if is_walk_in else BOOKED)
    waiting = tuple(p for p in places if p.status == WAITLISTED)
    if waiting:
        return DoorState(WAITING, waiting)
    return DoorState(WALK_IN if is_walk_in else CANCELLED)


def waiting_label(waiting: Sequence[Place]) -> str:
    """'Waiting list (position 2)', naming the sessions when there are several."""
    if len(waiting) == 1:
        return f"Waiting list (position {waiting[0].position})"
    each = "; ".join(f"{p.session}: position {p.position}" for p in waiting)
    return f"Waiting list ({each})"


def is_expected(state: DoorState) -> bool:
    """The door expects people with a confirmed place they booked: not the waiting list,
    not the cancelled, not walk-ins (nobody knew they were coming)."""
    return state.kind == BOOKED


def may_check_in(state: DoorState) -> bool:
    """Whether the door offers the Arrived button: not for a cancelled booking."""
    return state.kind != CANCELLED


def check_in_refusal(state: DoorState, day_cancelled: bool, already_here: bool) -> str | None:
    """Why someone cannot be checked in now, or None if they can. Marking again someone
    already here changes nothing, so it is never refused."""
    if already_here:
        return None
    if day_cancelled:
        return DAY_CANCELLED
    if not may_check_in(state):
        return BOOKING_CANCELLED
    return None


def is_no_show(state: DoorState, came: bool) -> bool:
    """Someone with a confirmed place who did not come; a waiting-list person who stayed
    away had no place to miss."""
    return is_expected(state) and not came


@dataclass(frozen=True)
class OneToOne:
    """A pairing on the floor: whose it was, whether it ended, and whether it ended early
    (the surgeon left, or they needed more help and waited again)."""

    person_id: int
    ended: bool
    back_in_queue: bool = False


def finished(pairing: OneToOne) -> bool:
    """A one-to-one that ran to its end: not still going, not cut short."""
    return pairing.ended and not pairing.back_in_queue


def people_helped(pairings: Iterable[OneToOne]) -> int:
    """How many people had a one-to-one that finished; each person counts once."""
    return len({p.person_id for p in pairings if finished(p)})
