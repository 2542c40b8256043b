"""Links that add a surgery day to someone's calendar, and a map link for its venue.

Pure URL building: Google and Outlook get only what the event says (title, times, place,
a short note), never a feed address, so a private feed's token never leaves the site.
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/deeplink/compose"
OPENSTREETMAP = "https://www.openstreetmap.org/search"


@dataclass(frozen=True)
class CalendarEvent:
    """What a third-party calendar is told: no links, no personal details."""

    title: str
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime  # UTC
    location: str = ""
    details: str = ""


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


# Both links depend only on what the calendar is told, and a day page asks for the same
# ones visit after visit: each is written out once per process (a bounded number kept).
@lru_cache(maxsize=1024)
def google_link(event: CalendarEvent) -> str:
    """Google Calendar's "add event" page, filled in."""
    dates = f"{_utc(event.starts_at):%Y%m%dT%H%M%SZ}/{_utc(event.ends_at):%Y%m%dT%H%M%SZ}"
    query = {"action": "TEMPLATE", "text": event.title, "dates": dates}
    if event.details:
        query["details"] = event.details
    if event.location:
        query["location"] = event.location
    return f"{GOOGLE}?{urlencode(query, quote_via=quote)}"


@lru_cache(maxsize=1024)
def outlook_link(event: CalendarEvent) -> str:
    """Outlook.com's "new event" page, filled in."""
    query = {
        "subject": event.title,
        "startdt": f"{_utc(event.starts_at):%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{_utc(event.ends_at):%Y-%m-%dT%H:%M:%SZ}",
    }
    if event.details:
        query["body"] = event.details
    if event.location:
        query["location"] = event.location
    return f"{OUTLOOK}?{urlencode(query, quote_via=quote)}"


def webcal_link(feed_url: str) -> str:
    """The feed's address with the webcal scheme, which calendars subscribe to."""
    parts = urlsplit(feed_url)
    return urlunsplit(("webcal", *parts[1:]))


def map_link(address: str) -> str | None:
    """An OpenStreetMap search for the address; None when there is none."""
    address = " ".join(address.split())
    if not address:
        return None
    return f"{OPENSTREETMAP}?{urlencode({'query': address}, quote_via=quote)}"
