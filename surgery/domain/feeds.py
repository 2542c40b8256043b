"""What calendar feeds show: a person's booking in their own feed, and a feed's version."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from surgery.domain.capacity import CANCELLED, CONFIRMED
from surgery.domain.ical import Entry


@dataclass(frozen=True)
class Shown:
    """How an entry appears: cancelled or not, and with which SEQUENCE."""

    cancelled: bool
    sequence: int


def booked_entry(status: str, sequence: int, day_listed: bool, day_cancelled: bool):
    """How a booking appears in its person's feed, or None when it never had an invite.

    A day cancelled told everyone with a newer SEQUENCE already. A day taken off the list
    (back to draft) told nobody, so its entries show as cancelled one SEQUENCE on: a
    calendar keeps the newest version of an entry, and must not keep the day.
    """
    if status == CANCELLED:
        return Shown(True, sequence)
    if status != CONFIRMED:
        return None  # a waiting-list place was never in their calendar
    if day_cancelled:
        return Shown(True, sequence)
    if not day_listed:
        return Shown(True, sequence + 1)
    return Shown(False, sequence)


def version(name: str, entries: Iterable[Entry]) -> str:
    """A weak ETag for a feed: the same while its entries are the same, whatever the time
    stamp written into each copy."""
    digest = hashlib.sha256(repr((name, tuple(entries))).encode("utf-8")).hexdigest()
    return f'W/"{digest[:32]}"'
