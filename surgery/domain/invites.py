"""Which calendar entry a message carries, decided when it is sent from what is true then.

A message records whom it tells and about which booking or surgeon slot; its calendar is
worked out at sending from the current state, with the current SEQUENCE, so a message that
was retried, delayed or sent again is never older than what the person's calendar holds.
"""

import datetime as dt
from dataclasses import dataclass

from surgery.domain.capacity import CANCELLED, CONFIRMED
from surgery.domain.discreet import NEUTRAL, titled
from surgery.domain.ical import CANCEL, REQUEST, Entry


def booking_method(status: str, day_cancelled: bool) -> str | None:
    """REQUEST for a confirmed place, CANCEL once the place or its day is cancelled, and
    nothing for a waiting-list place (it was never put in their calendar)."""
    if status == CANCELLED or (status == CONFIRMED and day_cancelled):
        return CANCEL
    if status == CONFIRMED:
        return REQUEST
    return None


def surgeon_method(approved: bool, stood_down: bool, day_cancelled: bool) -> str | None:
    """REQUEST while an approved surgeon is down for a day that is on; CANCEL once they
    stood down or the day is cancelled; nothing before they were approved."""
    if stood_down or (approved and day_cancelled):
        return CANCEL
    if approved:
        return REQUEST
    return None


@dataclass(frozen=True)
class Session:
    """A session and its day as they are now, in plain data."""

    title: str
    kind_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    event_title: str
    venue: str = ""
    address: str = ""
    access_info: str = ""
    discreet: bool = False  # the day asked for neutral calendar titles
    timezone: str = "UTC"


def entry(session: Session, uid: str, sequence: int, lines=(), url: str = "") -> Entry:
    """A person's calendar entry for a session: what, where, who (for pairs) and access.

    No private link: calendars are shared and synced to other services, so an entry links
    to the public event page only; the link to change or cancel is in the email itself.
    On a discreet day the description names neither the session nor the day, as its title.
    """
    named = [f"{session.kind_label}: {session.title}", session.event_title]
    parts = [NEUTRAL] if session.discreet else named
    parts += lines
    if session.access_info:
        parts.append(f"Access: {session.access_info}")
    return Entry(
        uid=uid,
        sequence=sequence,
        summary=titled(
            f"{session.title} – {session.event_title}",
            session.discreet,
            session.starts_at,
            session.timezone,
        ),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=", ".join(p for p in (session.venue, session.address) if p),
        description="\n\n".join(parts),
        url=url,
    )


def meeting_lines(name: str, topics: list[str], bio: str = "") -> list[str]:
    """What an attendee is told about the surgeon they will meet, while the pair stands."""
    lines = [f"You will meet {name}, who can help with {', '.join(topics)}."]
    if bio:
        lines.append(f"About {name}: {bio}")
    return lines
