"""What is true now about the bookings and surgeon slots of messages about to be sent.

The sender reads it for a whole claim of messages at once, in a few queries whatever their
number, inside the claim's transaction; each message's calendar is then written from it
(surgery.mail.compose), never from what was true when the message was queued.
"""

from collections import defaultdict
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from surgery.bookings.models import Booking, Registration
from surgery.domain import invites
from surgery.domain.capacity import CONFIRMED
from surgery.domain.discreet import shown_titles
from surgery.domain.ical import REQUEST, Entry
from surgery.domain.online import MODES, is_online, public_place
from surgery.domain.times import utc_to_local
from surgery.domain.visibility import sentence
from surgery.events.models import CANCELLED as DAY_CANCELLED
from surgery.events.models import SESSION_KINDS, Event, EventSession
from surgery.extensions import db
from surgery.links import public_url
from surgery.matching.models import ACCEPTED, Match
from surgery.surgeons.models import (
    APPROVED,
    DECLINED,
    WITHDRAWN,
    Surgeon,
    SurgeonSession,
    surgeon_topic,
)
from surgery.templating import format_clock, format_day
from surgery.vocabulary.models import Topic


@dataclass(frozen=True)
class Now:
    """A message's booking or slot as it is now: the invite it gets, and what the email
    says about the session."""

    method: str | None  # REQUEST, CANCEL, or None: no calendar now (a waiting-list place)
    entry: Entry
    session: dict  # title and when, for the email
    event: dict  # title, venue, address, access_info, id
    # whom a surgeon will help, or whom an attendee will meet, as they may be told now: read
    # at sending, never queued, so withdrawn consent or changed words are never sent again
    lines: tuple[str, ...] = ()
    day_cancelled: bool = False

    @property
    def confirmed(self) -> bool:
        """True while the place (or the surgeon's session) stands: a check-in code is true."""
        return self.method == REQUEST


# the session and its day, read with each booking or slot
SESSION_COLUMNS = (
    EventSession.id.label("session_id"),
    EventSession.title,
    EventSession.kind,
    EventSession.starts_at,
    EventSession.ends_at,
    EventSession.mode,
    EventSession.online_url,
    Event.id.label("event_id"),
    Event.title.label("event_title"),
    Event.venue_name,
    Event.venue_address,
    Event.access_info,
    Event.status.label("day_status"),
    Event.timezone,
    Event.discreet,
)


def load(bookings: set[int], slots: set[int]) -> tuple[dict[int, Now], dict[int, Now]]:
    """The state now of these bookings and slots, by id (a row deleted since is missing)."""
    return _bookings(bookings) if bookings else {}, _slots(slots) if slots else {}


def _bookings(ids: set[int]) -> dict[int, Now]:
    """Each booking's invite now, naming the surgeon they will meet while the pair stands."""
    query = (
        sa.select(Booking.id, Booking.status, Booking.ical_uid, Booking.ical_sequence)
        .add_columns(Surgeon.id.label("surgeon_id"), Surgeon.name, Surgeon.bio, *SESSION_COLUMNS)
        .join(EventSession, Booking.session_id == EventSession.id)
        .join(Event, EventSession.event_id == Event.id)
        .outerjoin(Match, sa.and_(Match.booking_id == Booking.id, Match.status == ACCEPTED))
        .outerjoin(Surgeon, Match.surgeon_id == Surgeon.id)
        .where(Booking.id.in_(ids))
    )
    rows = db.session.execute(query).all()
    topics = _topics({row.surgeon_id for row in rows if row.surgeon_id is not None})
    found = {}
    for row in rows:
        lines = []
        if row.surgeon_id is not None and row.status == CONFIRMED:
            lines = invites.meeting_lines(row.name, topics[row.surgeon_id], row.bio)
        method = invites.booking_method(row.status, row.day_status == DAY_CANCELLED)
        # the video link: for a confirmed place only, never a waiting-list one
        found[row.id] = _now(method, row, lines, row.status == CONFIRMED)
    return found


def _topics(surgeon_ids: set[int]) -> dict[int, list[str]]:
    """What each surgeon can help with, in the vocabulary's order."""
    found: dict[int, list[str]] = defaultdict(list)
    if surgeon_ids:
        query = (
            sa.select(surgeon_topic.c.surgeon_id, Topic.name)
            .join(Topic, Topic.id == surgeon_topic.c.topic_id)
            .where(surgeon_topic.c.surgeon_id.in_(surgeon_ids))
            .order_by(Topic.position, Topic.id)
        )
        for surgeon_id, name in db.session.execute(query):
            found[surgeon_id].append(name)
    return found


def _slots(ids: set[int]) -> dict[int, Now]:
    """Each surgeon slot's invite now, listing the people they were told they will help."""
    query = (
        sa.select(SurgeonSession.id, SurgeonSession.ical_uid, SurgeonSession.ical_sequence)
        .add_columns(Surgeon.id.label("surgeon_id"), Surgeon.status, *SESSION_COLUMNS)
        .join(Surgeon, SurgeonSession.surgeon_id == Surgeon.id)
        .join(EventSession, SurgeonSession.session_id == EventSession.id)
        .join(Event, EventSession.event_id == Event.id)
        .where(SurgeonSession.id.in_(ids))
    )
    rows = db.session.execute(query).all()
    helping = _helping({(row.surgeon_id, row.session_id) for row in rows})
    found = {}
    for row in rows:
        method = invites.surgeon_method(
            row.status == APPROVED,
            row.status in (DECLINED, WITHDRAWN),
            row.day_status == DAY_CANCELLED,
        )
        lines = helping.get((row.surgeon_id, row.session_id), [])
        found[row.id] = _now(method, row, lines, row.status == APPROVED)
    return found


def _helping(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], list[str]]:
    """For each (surgeon, session): the accepted, still-booked people, as the surgeon may
    see them (the same people and order as matching.services.surgeon_told_of)."""
    query = (
        sa.select(Match)
        .join(Match.booking)
        .where(
            Match.surgeon_id.in_({surgeon for surgeon, _ in pairs}),
            Match.status == ACCEPTED,
            Booking.status == CONFIRMED,
        )
        .options(
            selectinload(Match.booking)
            .selectinload(Booking.registration)
            .selectinload(Registration.topics),
            selectinload(Match.booking)
            .selectinload(Booking.registration)
            .selectinload(Registration.role_tags),
        )
        .order_by(Match.id)
        .execution_options(populate_existing=True)
    )
    found: dict[tuple[int, int], list[str]] = defaultdict(list)
    for match in db.session.scalars(query):
        if (match.surgeon_id, match.session_id) in pairs:
            view = match.booking.registration.seen_by_surgeon()
            found[(match.surgeon_id, match.session_id)].append(sentence(view))
    return found


def _now(method: str | None, row, lines: list[str], joining: bool = False) -> Now:
    """The invite and the email's details of one booking's or slot's session as it is now;
    `joining`: the person has a confirmed place, so may be given the video link."""
    session = invites.Session(
        title=row.title,
        kind_label=SESSION_KINDS.get(row.kind, row.kind),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        event_title=row.event_title,
        venue=row.venue_name,
        address=row.venue_address or "",
        access_info=row.access_info or "",
        discreet=row.discreet,
        timezone=row.timezone,
    )
    url = public_url("events.detail", event_id=row.event_id)  # public: calendars are shared
    # a discreet day is named by when only, as its subject was (surgery.mail.notices)
    day_title, session_title = shown_titles(
        row.event_title, row.title, row.discreet, row.starts_at, row.timezone
    )
    entry = invites.entry(session, row.ical_uid, row.ical_sequence, lines, url)
    online = is_online(row.mode)
    link = row.online_url if online and joining and method == REQUEST else ""
    if online:
        entry = replace(
            entry,
            location=public_place(row.mode, entry.location),
            description=f"{entry.description}\n\nJoin online: {link}"
            if link
            else entry.description,
        )
    return Now(
        method=method,
        entry=entry,
        session={
            "title": session_title,
            "when": when(row.starts_at, row.ends_at, row.timezone),
            "online": MODES[row.mode] if online else "",
            "online_url": link,
        },
        event={
            "title": day_title,
            "venue": row.venue_name,
            "address": session.address,
            "access_info": session.access_info,
            "id": row.event_id,
        },
        lines=tuple(lines),
        day_cancelled=row.day_status == DAY_CANCELLED,
    )


def when(starts, ends, zone: str) -> str:
    """'Saturday 6 March 2027, 10am to 1pm' in the event's timezone."""
    local_start, local_end = utc_to_local(starts, zone), utc_to_local(ends, zone)
    return f"{format_day(local_start)}, {format_clock(local_start)} to {format_clock(local_end)}"
