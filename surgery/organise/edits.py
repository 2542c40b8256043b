"""What an organiser's change to a day or a session means: who is booked, what people are told."""

import sqlalchemy as sa

from surgery.bookings.models import Booking
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.online import IN_PERSON
from surgery.domain.session_changes import (
    OPEN_SPACE,
    Booked,
    ChangeRefused,
    capacity_refusal,
    date_refusal,
    differences,
    keep_wall_clock,
    kind_refusal,
    timezone_refusal,
    timing_refusal,
)
from surgery.domain.times import local_to_utc
from surgery.events.models import Event, EventSession
from surgery.extensions import db
from surgery.templating import format_clock, format_day


def booked(session_ids: list[int]) -> dict[int, Booked]:
    """People confirmed and waiting in each of these sessions, in one query."""
    rows = db.session.execute(
        sa.select(
            Booking.session_id,
            sa.func.count().filter(Booking.status == CONFIRMED),
            sa.func.count().filter(Booking.status == WAITLISTED),
        )
        .where(Booking.session_id.in_(session_ids))
        .group_by(Booking.session_id)
    ).all()
    counts = {sid: Booked(confirmed, waiting) for sid, confirmed, waiting in rows}
    return {sid: counts.get(sid, Booked()) for sid in session_ids}


def refuse(message: str | None, field: str) -> None:
    """Raise the refusal, if there is one, against the form field it is about."""
    if message:
        raise ChangeRefused(message, field)


def session_told(event: Event, session: EventSession) -> dict[str, str]:
    """What people booked in a session are told of it: its title and its time."""
    starts, ends = event.local(session.starts_at), event.local(session.ends_at)
    return {
        "Session": session.title,
        "Day": format_day(starts),
        "Time": f"{format_clock(starts)} to {format_clock(ends)}",
        "Where": session.mode_label,
    }


def link_note(old_url: str, session: EventSession) -> list[str]:
    """A line saying the video link changed; never the link itself, which the email gives
    only to people with a confirmed place."""
    if not session.online_url or session.online_url == old_url:
        return []
    return ["Video link: a new link (people with a confirmed place find it in this email)"]


# what people are told that names the day: a discreet day's emails say neither, old or new
NAMING = ("Event", "Session")


def session_notes(before: dict[str, str], after: dict[str, str], discreet=False) -> list[str]:
    """'Time: 10am to 12pm → 11am to 1pm' for each thing people were told that changed."""
    if discreet:
        before, after = (
            {k: v for k, v in told.items() if k not in NAMING} for told in (before, after)
        )
    lines = differences(before, after)
    return ["What has changed:", *lines] if lines else []


EVENT_TOLD = {
    "title": "Event",
    "venue_name": "Venue",
    "venue_address": "Address",
    "access_info": "Access information",
}


def event_told(event: Event) -> dict[str, str]:
    """What people booked on a day are told of its title and its place."""
    return {label: getattr(event, name) or "" for name, label in EVENT_TOLD.items()}


def keep_local_times(event: Event, old_zone: str) -> bool:
    """A new timezone keeps each session's wall-clock times; refused once people booked.

    True if the sessions' times moved (only surgeons can be told: nobody has booked).
    """
    if event.timezone == old_zone or not event.sessions:
        return False
    active = sum(b.active for b in booked([s.id for s in event.sessions]).values())
    refuse(timezone_refusal(old_zone, event.timezone, active), "timezone")
    for session in event.sessions:
        session.starts_at = keep_wall_clock(session.starts_at, old_zone, event.timezone)
        session.ends_at = keep_wall_clock(session.ends_at, old_zone, event.timezone)
    return True


def apply_session(event: Event, session: EventSession, data, people: Booked) -> list[str]:
    """Check the form's answers against the people booked, then store them; the names of
    the fields that changed (for the audit log: names, never values)."""
    starts = local_to_utc(data.starts_local, event.timezone)
    ends = local_to_utc(data.ends_local, event.timezone)
    capacity = None if data.kind == OPEN_SPACE else data.capacity
    refuse(timing_refusal(starts, ends, event.timezone), "ends")
    with db.session.no_autoflush:  # a new session is not ready to be written yet
        others = {event.local(s.starts_at).date() for s in event.sessions if s is not session}
    refuse(date_refusal(starts, others, event.timezone), "day")
    refuse(kind_refusal(session.kind, data.kind, people), "kind")
    refuse(capacity_refusal(capacity, people), "capacity")
    values = {
        "kind": data.kind,
        "title": data.title.strip(),
        "starts_at": starts,
        "ends_at": ends,
        "capacity": capacity,
        "mode": data.mode,
        "online_url": data.online_url.strip() if data.mode != IN_PERSON else "",
    }
    changed = [name for name, value in values.items() if getattr(session, name) != value]
    if changed and session.id is not None:
        session.version += 1
    for name, value in values.items():
        setattr(session, name, value)
    db.session.flush()
    return changed
