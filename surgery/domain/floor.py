"""The surgery floor: who waits longest, and whom a free surgeon should see next."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from surgery.domain import matching


@dataclass(frozen=True)
class Waiting:
    """Someone checked in and waiting for a surgeon, since when, and what they asked for.

    later: they came from the waiting list without a place, so they wait after everyone
    with one, as the queue shows them."""

    booking_id: int
    since: dt.datetime
    attendee: matching.Attendee
    later: bool = False


def next_for(surgeon: matching.Surgeon, waiting: Sequence[Waiting], taken=frozenset()):
    """The longest-waiting person this surgeon can help (better fit breaks a tie), or None."""
    best, best_key = None, None
    for person in waiting:
        if person.booking_id in taken:
            continue
        value = matching.fit_value(person.attendee, surgeon)
        if value is None:
            continue
        key = (person.later, person.since, -value)
        if best_key is None or key < best_key:
            best, best_key = person, key
    return best


def suggestions(free: Sequence[matching.Surgeon], waiting: Sequence[Waiting]) -> dict[int, int]:
    """For each free surgeon in turn, who to see next; nobody is suggested twice."""
    chosen: dict[int, int] = {}
    for surgeon in free:
        person = next_for(surgeon, waiting, set(chosen.values()))
        if person is not None:
            chosen[surgeon.id] = person.booking_id
    return chosen


def waiting_since(
    checked_in_at: dt.datetime, pairings: Sequence[tuple[dt.datetime, dt.datetime | None, bool]]
) -> dt.datetime | None:
    """When someone's wait began, for the queue's order; None while they are not waiting.

    pairings are (started, ended, back in the queue). Someone whose pairing ended early (their
    surgeon left, or they need more help) waits again, and the time they waited before still
    counts: only the time with a surgeon is left out.
    """
    since = checked_in_at
    for started, ended, back_in_queue in sorted(pairings, key=lambda p: p[0]):
        if ended is None or not back_in_queue:
            return None
        since += ended - started
    return since


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes from start to end, never negative."""
    return max(int((end - start).total_seconds() // 60), 0)


def hours_present(spans: Sequence[tuple[dt.datetime, dt.datetime | None]], now: dt.datetime):
    """Total hours of (arrived, left) spans; someone not yet gone counts up to now."""
    seconds = sum(max(((left or now) - arrived).total_seconds(), 0) for arrived, left in spans)
    return round(seconds / 3600, 1)


def shares(counts: Sequence[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """(label, count, percent of the largest) for a bar chart, largest first."""
    top = max((n for _, n in counts), default=0)
    ordered = sorted(counts, key=lambda item: (-item[1], item[0]))
    return [(label, n, round(100 * n / top) if top else 0) for label, n in ordered]
