"""Organisers' changes to events and sessions, and what they see of bookings."""

from dataclasses import dataclass

import sqlalchemy as sa

from surgery.audit import log
from surgery.bookings import services as bookings
from surgery.bookings.models import Booking, Registration
from surgery.database import fresh, lock_row
from surgery.domain import audit, lifecycle, no_shows
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.errors import DomainError
from surgery.domain.online import IN_PERSON
from surgery.domain.reminders import DEFAULT_DAYS_BEFORE
from surgery.domain.session_changes import Booked, check_version
from surgery.events.models import CANCELLED as EVENT_CANCELLED
from surgery.events.models import PUBLISHED, Event, EventSession
from surgery.events.services import lock_day
from surgery.extensions import db
from surgery.mail import notices
from surgery.organise.create_once import create_once
from surgery.organise.edits import (
    apply_session,
    booked,
    event_told,
    keep_local_times,
    link_note,
    session_notes,
    session_told,
)
from surgery.subscriptions import services as subscriptions
from surgery.surgeons import services as surgeons
from surgery.surgeons.models import APPROVED, Surgeon

EVENT_FIELDS = (
    "title",
    "description",
    "venue_name",
    "venue_address",
    "city",
    "access_info",
    "timezone",
    "organiser_email",
)


def save_event(
    event: Event, data: dict, version: int | None = None, create_key: str | None = None
) -> Event:
    """Copy the form's fields onto an event (new or existing); tell people if the place moved.

    An existing event is locked and read again first: a form that showed an older version
    is refused, and so is a timezone change once people have booked.
    """
    if event.id is None:
        return _create_event(data, create_key)
    lock_row(Event, event.id)
    check_version(event.version, version)
    told, zone = event_told(event), event.timezone
    values = {name: (data.get(name) or "").strip() for name in EVENT_FIELDS}
    values["discreet"] = bool(data.get("discreet"))
    values["grace_minutes"] = grace_minutes(data)
    values["reminder_days"] = _reminder_days(data)
    changed = [name for name, value in values.items() if getattr(event, name) != value]
    if changed:
        event.version += 1
        log.record(audit.CHANGED_EVENT, event.id, f"event {event.id}", changed, "edited")
    for name, value in values.items():
        setattr(event, name, value)
    moved = keep_local_times(event, zone)
    db.session.flush()
    notes = session_notes(told, event_told(event), event.discreet)
    # a cancelled day's invites are cancelled: an update would put them back in calendars
    if (notes or moved) and event.sessions and event.status != EVENT_CANCELLED:
        bookings.announce_change(event.sessions, notes=notes)
        surgeons.announce_change(event.sessions, notices.SURGEON_UPDATED, notes=notes)
    return event


def grace_minutes(data: dict) -> int:
    """The day's grace period from the form; left empty, the usual one."""
    given = data.get("grace_minutes")
    return no_shows.DEFAULT_GRACE_MINUTES if given is None else int(given)


def _create_event(data: dict, create_key: str | None) -> Event:
    """A new draft event, once per create form."""

    def make() -> Event:
        event = Event()
        for name in EVENT_FIELDS:
            setattr(event, name, (data.get(name) or "").strip())
        event.discreet = bool(data.get("discreet"))
        event.grace_minutes = grace_minutes(data)
        event.reminder_days = _reminder_days(data)
        db.session.add(event)
        db.session.flush()
        log.record(audit.CHANGED_EVENT, event.id, f"event {event.id}", detail="created")
        return event

    return create_once(Event, create_key, make)[0]


def _reminder_days(data: dict) -> int:
    """Days before a session its reminders go (the form checks the range)."""
    days = data.get("reminder_days")
    return DEFAULT_DAYS_BEFORE if days is None else int(days)


# what the audit log says a status change did
STATUS_DONE = {
    lifecycle.PUBLISH: "published",
    lifecycle.UNPUBLISH: "unpublished",
    lifecycle.CANCEL: "cancelled",
}


def change_status(event_id: int, action: str, asked: bool = True) -> lifecycle.EventChange:
    """Publish, unpublish or cancel a day, if its life allows it, and tell its people.

    The day is locked and read again first, so two organisers pressing "Cancel this day"
    at once send one set of emails: the second finds it cancelled already and is refused.
    A cancelled day keeps every booking as it was (its waiting list set aside, in order);
    publishing it again puts everyone back, and any place freed meanwhile is filled.
    asked=False (a plain Publish button): refused if it would email anyone after all, its
    subscribers included.
    """
    event = lock_day(event_id)
    if event is None:
        raise DomainError("That surgery day no longer exists.")
    change = lifecycle.change_event(event.status, action, bool(event.sessions), people_of(event))
    announces = action == lifecycle.PUBLISH and subscriptions.to_announce(event) > 0
    told = change.tell != lifecycle.Audiences() or announces
    if not asked and told:
        raise DomainError("This day has changed since the page was opened. Look again first.")
    done = STATUS_DONE[action] + (" again" if event.status == EVENT_CANCELLED else "")
    log.record(audit.CHANGED_EVENT, event.id, f"event {event.id}", detail=done)
    event.status = change.status
    db.session.flush()
    tell = change.tell
    if tell.confirmed:
        bookings.announce_change(event.sessions, tell.confirmed)
    if change.status == PUBLISHED:
        for session in event.sessions:
            bookings.refill(session)
        subscriptions.announce(event)  # the first time only
    if tell.waiting:
        bookings.tell_waiting(event.sessions, tell.waiting)
    if tell.surgeons:
        surgeons.announce_change(event.sessions, tell.surgeons)
    return change


def people_of(event: Event, with_email: bool = False) -> lifecycle.People:
    """How many people are booked on a day, waiting, and approved as its surgeons (only those
    who can be emailed, if asked)."""
    counts = {}
    for status in (CONFIRMED, WAITLISTED):
        query = (
            sa.select(sa.func.count(sa.distinct(Booking.registration_id)))
            .join(Booking.session)
            .where(EventSession.event_id == event.id, Booking.status == status)
        )
        if with_email:
            query = query.join(Booking.registration).where(
                sa.func.coalesce(Registration.email, "") != ""
            )
        counts[status] = db.session.scalar(query)
    approved = sa.select(sa.func.count()).where(
        Surgeon.event_id == event.id, Surgeon.status == APPROVED
    )
    return lifecycle.People(counts[CONFIRMED], counts[WAITLISTED], db.session.scalar(approved))


def consequence(event: Event, action: str) -> tuple[lifecycle.EventChange, lifecycle.People, int]:
    """What a change would do, for the page that asks first: the change, how many people of
    each audience it would email, and how many different people that is in all. Refused
    changes raise, as they would when made."""
    change = lifecycle.change_event(event.status, action, bool(event.sessions), people_of(event))
    return change, change.emailed(people_of(event, with_email=True)), _told(event, change.tell)


def _told(event: Event, tell: lifecycle.Audiences) -> int:
    """How many different addresses a change emails: someone booked in one session and
    waiting in another, or a surgeon also booked, is one person."""
    statuses = [s for s, told in ((CONFIRMED, tell.confirmed), (WAITLISTED, tell.waiting)) if told]
    emails = sa.select(sa.func.lower(Registration.email)).join(Booking.registration)
    emails = emails.join(Booking.session).where(
        EventSession.event_id == event.id,
        Booking.status.in_(statuses),
        sa.func.coalesce(Registration.email, "") != "",
    )
    found = set(db.session.scalars(emails)) if statuses else set()
    if tell.surgeons:
        surgeons = sa.select(sa.func.lower(Surgeon.email)).where(
            Surgeon.event_id == event.id, Surgeon.status == APPROVED
        )
        found |= set(db.session.scalars(surgeons))
    return len(found)


@dataclass
class SessionData:
    """A session form's answers, with wall-clock times at the event's place."""

    kind: str
    title: str
    starts_local: object
    ends_local: object
    capacity: int | None
    version: int | None = None  # the version the edit form showed
    create_key: str | None = None  # the create form's one-time key
    mode: str = IN_PERSON
    online_url: str = ""


def save_session(event: Event, session: EventSession | None, data: SessionData) -> EventSession:
    """Create or change a session; more places promote people from its waiting list.

    Refused: a form that showed an older version, fewer places than people booked, open
    space with people booked, a session outside its day. People are told what changed.
    """
    lock_day(event.id)
    if session is None:
        return create_once(EventSession, data.create_key, lambda: _new_session(event, data))[0]
    session = fresh(session)
    check_version(session.version, data.version)
    told, old_url = session_told(event, session), session.online_url
    changed = apply_session(event, session, data, booked([session.id])[session.id])
    if changed:
        subject = f"session {session.id}"
        log.record(audit.CHANGED_SESSION, event.id, subject, changed, "edited")
    notes = session_notes(told, session_told(event, session), event.discreet)
    if link := link_note(old_url, session):
        notes = (notes or ["What has changed:"]) + link
    # a cancelled day's invites are cancelled: an update would put them back in calendars
    if notes and event.status != EVENT_CANCELLED:
        bookings.announce_change([session], notes=notes)
        surgeons.announce_change([session], notices.SURGEON_UPDATED, notes=notes)
    if session.capacity is not None:
        bookings.refill(session)
    return session


def _new_session(event: Event, data: SessionData) -> EventSession:
    """A new session of this event from the form's answers."""
    session = EventSession(event=event)
    db.session.add(session)
    apply_session(event, session, data, Booked())
    log.record(audit.CHANGED_SESSION, event.id, f"session {session.id}", detail="created")
    return session


def booking_of_event(event: Event, booking_id: int) -> Booking | None:
    """A booking, only if it belongs to this event."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.session.event_id != event.id:
        return None
    return booking
