"""Local times at an event's place, stored in UTC."""

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def is_timezone(name: str) -> bool:
    """True for an IANA timezone name such as Europe/London."""
    if not name or len(name) > 64:  # the longest IANA name is 32; longer ones crash lookups
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def common_timezones() -> list[str]:
    """Timezone names to offer in a form, sorted."""
    return sorted(available_timezones())


def local_to_utc(local: dt.datetime, timezone: str) -> dt.datetime:
    """A wall-clock time at the event's place, as UTC."""
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC)


def utc_to_local(moment: dt.datetime, timezone: str) -> dt.datetime:
    """A stored UTC time as the event's wall-clock time."""
    return moment.astimezone(ZoneInfo(timezone))
