"""A series of surgery days: which dates it falls on, and the local times kept on each.

Each day of a series is its own draft, copied from one day; nothing links them after, so
editing one never changes another. Times are kept as wall-clock times at the day's place:
a 10am session stays 10am across a change of clocks.
"""

import datetime as dt
from dataclasses import dataclass

from surgery.domain.times import local_to_utc, utc_to_local

MOST_DAYS = 24  # one series makes at most this many days
FURTHEST = dt.timedelta(days=3 * 366)  # and none further than this past its first day
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = ("first", "second", "third", "fourth", "fifth")


class SeriesRefused(ValueError):
    """A series that cannot be made, with the reason in plain words."""


def check_range(start: dt.date, until: dt.date) -> None:
    """Refuse an end before the start, or one too far off."""
    if until < start:
        raise SeriesRefused("The last date is before the first. Choose a later last date.")
    if until - start > FURTHEST:
        raise SeriesRefused("A series can run for at most three years. Choose an earlier date.")


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date | None:
    """The nth (1-5) weekday (0 Monday) of a month; None when the month has no such day."""
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else None


def monthly(start: dt.date, until: dt.date, weekday: int, nth: int, limit: int = MOST_DAYS):
    """'The nth weekday of each month' from start to until (both kept); months without
    one (a fifth Saturday) are skipped. At most `limit` dates."""
    check_range(start, until)
    if not 0 <= weekday <= 6 or not 1 <= nth <= 5:
        raise SeriesRefused("Choose a day of the week and which one in the month.")
    dates, year, month = [], start.year, start.month
    while len(dates) < limit and (year, month) <= (until.year, until.month):
        day = nth_weekday(year, month, weekday, nth)
        if day is not None and start <= day <= until:
            dates.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def every_weeks(start: dt.date, until: dt.date, weeks: int, limit: int = MOST_DAYS):
    """Every `weeks` weeks from start (kept) to until. At most `limit` dates."""
    check_range(start, until)
    if not 1 <= weeks <= 52:
        raise SeriesRefused("Choose between 1 and 52 weeks.")
    dates, day = [], start
    while day <= until and len(dates) < limit:
        dates.append(day)
        if dt.date.max - day < dt.timedelta(weeks=weeks):
            break
        day += dt.timedelta(weeks=weeks)
    return dates


@dataclass(frozen=True)
class Slot:
    """A session's place in its day, as wall-clock times."""

    day_offset: int  # days after the day's first session (a session past midnight)
    starts: dt.time
    ends: dt.time
    ends_next_day: bool = False


def slot_of(starts: dt.datetime, ends: dt.datetime, first_day: dt.date, zone: str) -> Slot:
    """A stored session (UTC) as wall-clock times on its day."""
    local_start, local_end = utc_to_local(starts, zone), utc_to_local(ends, zone)
    offset = (local_start.date() - first_day).days
    return Slot(
        offset,
        local_start.time().replace(tzinfo=None),
        local_end.time().replace(tzinfo=None),
        local_end.date() > local_start.date(),
    )


def on_date(slot: Slot, day: dt.date, zone: str) -> tuple[dt.datetime, dt.datetime]:
    """The slot on another date, stored in UTC: the same wall-clock times at that place."""
    start_day = day + dt.timedelta(days=slot.day_offset)
    end_day = start_day + dt.timedelta(days=1 if slot.ends_next_day else 0)
    starts = local_to_utc(dt.datetime.combine(start_day, slot.starts), zone)
    ends = local_to_utc(dt.datetime.combine(end_day, slot.ends), zone)
    return starts, ends


def why_not_delete_day(status: str, bookings: int, surgeons: int) -> str | None:
    """None when a day may be deleted; otherwise why not, in plain words."""
    if status != "draft":
        return "Only a draft day can be deleted. A published day can be cancelled instead."
    if bookings:
        return "People have booked on this day, so it can only be cancelled."
    if surgeons:
        return "Surgeons have offered to help on this day, so it can only be cancelled."
    return None


def why_not_delete_session(bookings: int, surgeons: int) -> str | None:
    """None when a session may be deleted; otherwise why not."""
    if bookings:
        return "People have booked this session, so it cannot be deleted."
    if surgeons:
        return "Surgeons are down for this session, so it cannot be deleted."
    return None
