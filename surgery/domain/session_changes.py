"""Which changes to a day or a session would hurt people, and what people are told of one.

Pure rules: plain values in, a refusal (a sentence fit to show an organiser) or None out.
"""

import datetime as dt
from dataclasses import dataclass

from surgery.domain.errors import DomainError
from surgery.domain.times import local_to_utc, utc_to_local

OPEN_SPACE = "open_space"


class ChangeRefused(DomainError):
    """A change that would hurt people; `field` names the form field it is about."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class StaleForm(DomainError):
    """The row was saved by someone else after this form was shown: nothing was written."""

    def __init__(self) -> None:
        super().__init__("Someone else saved this after you opened the form. Nothing was saved.")


def check_version(current: int, given: int | None) -> None:
    """Refuse a save from a form that showed another version of the row than the stored one."""
    if given != current:
        raise StaleForm()


@dataclass(frozen=True)
class Booked:
    """How many people hold a place in a session, and how many wait for one."""

    confirmed: int = 0
    waiting: int = 0

    @property
    def active(self) -> int:
        """Everyone with a place or a place in the queue."""
        return self.confirmed + self.waiting


def people(count: int) -> str:
    """'1 person is', '6 people are'."""
    return "1 person is" if count == 1 else f"{count} people are"


def capacity_refusal(capacity: int | None, booked: Booked) -> str | None:
    """Fewer places than people already booked would take someone's place away."""
    if capacity is not None and capacity < booked.confirmed:
        return f"{people(booked.confirmed)} booked; capacity cannot go below {booked.confirmed}."
    return None


def kind_refusal(old_kind: str | None, new_kind: str, booked: Booked) -> str | None:
    """Open space has no bookings: a session with people booked or waiting cannot become it."""
    if new_kind == OPEN_SPACE and old_kind != OPEN_SPACE and booked.active:
        return (
            f"{people(booked.active)} booked or waiting in this session, so it cannot become "
            "open space. Cancel their bookings first, or keep its kind."
        )
    return None


def timing_refusal(starts_at: dt.datetime, ends_at: dt.datetime, timezone: str) -> str | None:
    """A session ends after it starts, on the same day at the event's place."""
    if ends_at <= starts_at:
        return "The end time must be after the start time."
    if utc_to_local(starts_at, timezone).date() != utc_to_local(ends_at, timezone).date():
        return "A session must start and end on the same day."
    return None


def date_refusal(starts_at: dt.datetime, other_days: set[dt.date], timezone: str) -> str | None:
    """A day's sessions share its date: a session cannot move to another one.

    other_days are the local dates of the day's other sessions; days made before this rule
    may span several dates, and then only the session's own times are checked.
    """
    if len(other_days) != 1:
        return None
    (day,) = other_days
    if utc_to_local(starts_at, timezone).date() != day:
        return (
            f"The other sessions of this day are on {day:%-d %B %Y}; put this one on that date too."
        )
    return None


def timezone_refusal(old: str, new: str, booked: int) -> str | None:
    """Once people have booked, their invites hold the day's times: the timezone stays."""
    if old != new and booked:
        return (
            f"{people(booked)} booked on this day, so its timezone cannot change: their invites "
            f"give the times in {old}."
        )
    return None


def keep_wall_clock(moment: dt.datetime, old: str, new: str) -> dt.datetime:
    """The same local time (10:00 stays 10:00) in another timezone, as UTC."""
    local = utc_to_local(moment, old).replace(tzinfo=None)
    return local_to_utc(local, new)


def differences(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """'Capacity: 5 → 8' for each named value that differs, in the order of `after`."""
    return [
        f"{name}: {before.get(name) or '(none)'} → {value or '(none)'}"
        for name, value in after.items()
        if before.get(name, "") != value
    ]
