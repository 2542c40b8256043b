"""An honest estimate of the wait for a surgeon, in words.

From the people ahead in the queue, the surgeons here (each with the pairings they have
running and how many people they help at once) and the day's average pairing so far. The
arithmetic is done as if each surgeon takes the next person the moment they are free, and
the answer is rounded up, never down: a wait is never promised shorter than the sums say.
"""

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_PAIRING_MINUTES = 20  # until a pairing has finished today
# a pairing that has run past the average is expected to need a few minutes more, not none
OVERRUN_MINUTES = 5
NO_SURGEONS = "we can't say yet — no surgeons have arrived"


@dataclass(frozen=True)
class SurgeonHere:
    """A surgeon here: how long each pairing they have running has gone on (minutes), and
    how many people they help at the same time."""

    running: tuple[float, ...] = ()
    at_once: int = 1


def average_minutes(durations: Sequence[float]) -> float:
    """The average length of today's finished pairings, or the default when none has."""
    return average_of(sum(durations), len(durations))


def average_of(total_minutes: float, count: int) -> float:
    """The average of `count` finished pairings lasting `total_minutes` in all, or the
    default when none has finished."""
    return total_minutes / count if count else DEFAULT_PAIRING_MINUTES


def minutes_to_wait(ahead: int, surgeons: Sequence[SurgeonHere], average: float) -> float | None:
    """Minutes until someone with `ahead` people before them starts; None with no surgeon."""
    slots = []
    for surgeon in surgeons:
        running = sorted(surgeon.running, reverse=True)
        for n in range(max(surgeon.at_once, 1)):
            slots.append(max(average - running[n], OVERRUN_MINUTES) if n < len(running) else 0.0)
    if not slots:
        return None
    heapq.heapify(slots)
    for _ in range(max(ahead, 0)):
        heapq.heappush(slots, heapq.heappop(slots) + average)
    return slots[0]


def rounded(minutes: float) -> int:
    """Up to the next 5 minutes, or the next 10 past half an hour."""
    step = 5 if minutes <= 30 else 10
    return step * math.ceil(minutes / step)


def in_words(minutes: float | None) -> str:
    """'no wait', 'about 20 minutes', 'about an hour', 'more than an hour'."""
    if minutes is None:
        return NO_SURGEONS
    if minutes <= 0:
        return "no wait"
    if minutes > 60:
        return "more than an hour"
    shown = rounded(minutes)
    return "about an hour" if shown >= 60 else f"about {shown} minutes"


def estimate(ahead: int, surgeons: Sequence[SurgeonHere], durations: Sequence[float]) -> str:
    """The wait for someone with `ahead` people before them, in words."""
    return in_words(minutes_to_wait(ahead, surgeons, average_minutes(durations)))
