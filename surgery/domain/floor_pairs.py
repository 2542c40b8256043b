"""Whom a free surgeon should see next, when some people already have a surgeon of their own.

An attendee told "you will meet Victor" (an accepted pair) is offered to Victor first once
both are here, and the other surgeons pass them over while Victor is free soon. Someone who
asked for the same surgeon as last time is held for that surgeon too, but only the first in
line for each surgeon: a request never piles people up waiting for one surgeon.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from surgery.domain import matching
from surgery.domain.floor import Waiting, next_for

ACCEPTED, SAME_SURGEON = "accepted", "same surgeon"


@dataclass(frozen=True)
class Wanted:
    """A waiting person's own surgeon: accepted for them, or asked for as last time's."""

    surgeon_id: int
    why: str = ACCEPTED


def free_soon(minutes_busy: int | None, average_minutes: float | None) -> bool:
    """A surgeon is free soon when free now (minutes_busy is None), or when their pairing has
    run at least as long as the day's average pairing so far. Without an average yet (nobody
    has finished), a busy surgeon is not counted as free soon: nobody knows how long it takes.
    """
    if minutes_busy is None:
        return True
    return average_minutes is not None and minutes_busy >= average_minutes


def average_minutes(lengths: Sequence[int]) -> float | None:
    """The day's average pairing length so far, in minutes; None before anyone finished."""
    return sum(lengths) / len(lengths) if lengths else None


def held(
    waiting: Sequence[Waiting], wanted: Mapping[int, Wanted], soon: set[int]
) -> dict[int, int]:
    """booking id -> the surgeon they are kept for: their own surgeon is here and free soon.

    Accepted pairs are all kept; of those asking for the same surgeon as last time, only the
    longest waiting for each surgeon is (waiting is longest first), and not for a surgeon who
    already has an accepted pair waiting: that would pile people onto one surgeon.
    """
    kept: dict[int, int] = {}
    accepted_for = {
        w.surgeon_id
        for p in waiting
        if (w := wanted.get(p.booking_id)) and w.why == ACCEPTED and w.surgeon_id in soon
    }
    asked_for: set[int] = set()
    for person in waiting:
        own = wanted.get(person.booking_id)
        if own is None or own.surgeon_id not in soon:
            continue
        if own.why == ACCEPTED:
            kept[person.booking_id] = own.surgeon_id
        elif own.surgeon_id not in accepted_for | asked_for:
            kept[person.booking_id] = own.surgeon_id
            asked_for.add(own.surgeon_id)
    return kept


def suggestions(
    free: Sequence[matching.Surgeon],
    waiting: Sequence[Waiting],
    wanted: Mapping[int, Wanted],
    soon: set[int],
) -> dict[int, int]:
    """For each free surgeon, who to see next (surgeon id -> booking id), nobody twice.

    First each free surgeon is offered the longest-waiting person kept for them; then the
    rest are offered the longest-waiting person they can help who is not kept for someone
    else. soon: the surgeons here and free soon (see free_soon).
    """
    kept = held(waiting, wanted, soon)
    chosen: dict[int, int] = {}
    for surgeon in free:
        own = next((p for p in waiting if kept.get(p.booking_id) == surgeon.id), None)
        if own is not None:
            chosen[surgeon.id] = own.booking_id
    for surgeon in free:
        if surgeon.id in chosen:
            continue
        taken = set(chosen.values()) | {b for b, s in kept.items() if s != surgeon.id}
        person = next_for(surgeon, waiting, taken)
        if person is not None:
            chosen[surgeon.id] = person.booking_id
    return chosen
