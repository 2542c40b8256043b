"""Giving the places of people who have not arrived to waiting-list people who are here.

Allowed from a session's start plus the day's grace period until it ends. As many places
move as there are people waiting here; those who booked last lose theirs first, so the
earliest to book keep theirs longest.
"""

import datetime as dt
from collections.abc import Sequence

from surgery.domain.asking import Person, WhatHappens, addresses, names, nothing_to_do, people
from surgery.domain.lifecycle import PUBLISHED

DEFAULT_GRACE_MINUTES = 15


def opens_at(starts_at: dt.datetime, grace_minutes: int) -> dt.datetime:
    """When places of people not here may first be given away."""
    return starts_at + dt.timedelta(minutes=max(grace_minutes, 0))


def refusal(
    starts_at: dt.datetime, ends_at: dt.datetime, grace_minutes: int, now: dt.datetime, day: str
) -> str | None:
    """Why places cannot be given away now, or None when they can."""
    if day != PUBLISHED:
        return "This day is not running, so no places can be given away."
    if now >= ends_at:
        return "This session is over, so its places can no longer be given away."
    if now < opens_at(starts_at, grace_minutes):
        return (
            f"People have {grace_minutes} minutes after the start to arrive. "
            "Their places can be given away after that."
        )
    return None


def plan(absent: Sequence[int], waiting_here: Sequence[int]) -> list[tuple[int, int]]:
    """(place given up, given to) pairs. absent: confirmed bookings of people not here, in
    booking order; waiting_here: waiting-list bookings of people here, first in line first."""
    losing = list(reversed(absent))[: len(waiting_here)]
    return list(zip(losing, waiting_here, strict=False))


def releasing(session: str, losing: Sequence[Person], getting: Sequence[Person]) -> WhatHappens:
    """What giving the places away would do, said before it is done."""
    question = f"Give places in {session} to people waiting here?"
    if not getting:
        return nothing_to_do(question, "nobody on the waiting list has arrived.")
    if not losing:
        return nothing_to_do(question, "everyone with a place has arrived.")
    n = len(getting)
    places = f"{n} place{'s' if n != 1 else ''}"
    get = "gets it" if n == 1 else "get them"
    lines = [
        f"{places}: {names([p.name for p in getting])} {get}, and will be emailed.",
        f"{people(n)} who {'has' if n == 1 else 'have'} not arrived "
        f"({names([p.name for p in losing])}) {'loses their place' if n == 1 else 'lose their places'} "
        "and will be emailed that it was given to someone waiting.",
    ]
    silent = [p.name for p in (*getting, *losing) if not p.email]
    if silent:
        lines.append(f"{names(silent)} gave no email address, so cannot be told.")
    yes = f"Yes, give {places} away"
    return WhatHappens(question, tuple(lines), addresses([*getting, *losing]), yes)
