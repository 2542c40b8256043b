"""Neutral wording for a day whose organisers chose discretion.

A lock-screen notification or a shared calendar shows an email's subject and an entry's
title to anyone nearby; for such a day both say only when, never what the day is about.
The email itself and the calendar entry's description are read on a screen others may see
too, so they name the day the same neutral way: what it is about stays with the day's page.
"""

import datetime as dt

from surgery.domain.times import utc_to_local

NEUTRAL = "Drop-in session"


def neutral_title(starts_at: dt.datetime, timezone: str) -> str:
    """'Drop-in session, Saturday 10am': the day of the week and local start time only."""
    local = utc_to_local(starts_at, timezone)
    return f"{NEUTRAL}, {local:%A} {_clock(local)}"


def neutral_heading(starts_at: dt.datetime | None, timezone: str) -> str:
    """'Your drop-in session on Saturday 5 December, 10am': an email's name for the day."""
    if starts_at is None:
        return "Your drop-in session"
    local = utc_to_local(starts_at, timezone)
    return f"Your drop-in session on {local:%A} {local.day} {local:%B}, {_clock(local)}"


def _clock(moment: dt.datetime) -> str:
    """'10am', '1:30pm', as times are written in the UK."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def titled(plain: str, discreet: bool, starts_at: dt.datetime | None, timezone: str) -> str:
    """The plain subject or title, or the neutral one when the day asks for discretion."""
    if not discreet:
        return plain
    return neutral_title(starts_at, timezone) if starts_at is not None else NEUTRAL


def shown_titles(
    event_title: str,
    session_title: str,
    discreet: bool,
    starts_at: dt.datetime | None,
    timezone: str,
) -> tuple[str, str]:
    """The day's and the session's titles as an email shows them: as they are, or on a
    discreet day a neutral name for the day and no session title (it may name it too)."""
    if not discreet:
        return event_title, session_title
    return neutral_heading(starts_at, timezone), ""
