"""Neutral wording for a day whose organisers chose discretion.

A lock-screen notification or a shared calendar shows an email's subject and an entry's
title to anyone nearby; for such a day both say only when, never what the day is about.
"""

import datetime as dt

from surgery.domain.times import utc_to_local


def neutral_title(starts_at: dt.datetime, timezone: str) -> str:
    """'Drop-in session, Saturday 10am': the day of the week and local start time only."""
    local = utc_to_local(starts_at, timezone)
    return f"Drop-in session, {local:%A} {_clock(local)}"


def _clock(moment: dt.datetime) -> str:
    """'10am', '1:30pm', as times are written in the UK."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def titled(plain: str, discreet: bool, starts_at: dt.datetime | None, timezone: str) -> str:
    """The plain subject or title, or the neutral one when the day asks for discretion."""
    if not discreet:
        return plain
    return neutral_title(starts_at, timezone) if starts_at is not None else "Drop-in session"
