"""The "add to calendar" choices on the day page and the manage page."""

from dataclasses import dataclass

from flask import url_for

from surgery.domain import calendar_links as links
from surgery.domain.capacity import CONFIRMED
from surgery.domain.discreet import titled
from surgery.links import public_url


@dataclass(frozen=True)
class AddToCalendar:
    """One set of choices: download, subscribe, Google, Outlook."""

    download: str
    subscribe: str
    google: str
    outlook: str


def _where(event) -> str:
    return ", ".join(p for p in (event.venue_name, event.venue_address) if p)


def _details(event) -> str:
    day = public_url("events.detail", event_id=event.id)
    return f"{day}\nAccess: {event.access_info}" if event.access_info else day


def _choices(event, sessions, endpoint: str, **values) -> AddToCalendar | None:
    """Links for the span of the given sessions; third parties get the day's details only."""
    if not sessions:
        return None
    starts_at = min(s.starts_at for s in sessions)
    what = links.CalendarEvent(
        title=titled(event.title, event.discreet, starts_at, event.timezone),
        starts_at=starts_at,
        ends_at=max(s.ends_at for s in sessions),
        location=_where(event),
        details=_details(event),
    )
    return AddToCalendar(
        download=url_for(endpoint, **values),
        subscribe=links.webcal_link(public_url(endpoint, **values)),
        google=links.google_link(what),
        outlook=links.outlook_link(what),
    )


def for_day(event) -> AddToCalendar | None:
    """The whole day, and the day's public feed."""
    return _choices(event, event.sessions, "feeds.one_event", event_id=event.id)


def for_booking(registration, token: str) -> AddToCalendar | None:
    """The person's confirmed sessions; only the download and subscribe links carry the
    private feed's address."""
    event = registration.event
    sessions = [b.session for b in registration.bookings if b.status == CONFIRMED]
    return _choices(event, sessions, "feeds.my_bookings", token=token)
