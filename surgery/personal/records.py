"""Reading what we hold about one attendee or one surgeon, for them to see and take away.

The rows are read here; what goes into the export, and what is left out, is decided in
surgery.domain.personal_data.
"""

import sqlalchemy as sa

from surgery.bookings import services as bookings
from surgery.bookings.models import Registration
from surgery.day.models import Feedback
from surgery.domain import personal_data
from surgery.domain.access import labels as access_labels
from surgery.domain.capacity import WAITLISTED
from surgery.extensions import db
from surgery.mail.current import when
from surgery.mail.models import OutboxMessage
from surgery.matching import services as matching
from surgery.matching.models import ACCEPTED, Match
from surgery.surgeons.models import Surgeon
from surgery.templating import format_day


def attendee_export(registration: Registration) -> dict:
    """Everything held about an attendee for their day, as plain values."""
    return personal_data.attendee_export(attendee_record(registration))


def surgeon_export(surgeon: Surgeon) -> dict:
    """Everything held about a surgeon for their day, as plain values."""
    return personal_data.surgeon_export(surgeon_record(surgeon))


def attendee_record(registration: Registration) -> personal_data.AttendeeRecord:
    """An attendee's rows, as the export reads them."""
    event = registration.event
    feedback = db.session.scalars(
        sa.select(Feedback).where(Feedback.registration_id == registration.id)
    ).one_or_none()
    return personal_data.AttendeeRecord(
        name=registration.name,
        email=registration.email,
        event=event.title,
        day=_day(event),
        booked_at=registration.created_at,
        walk_in=registration.is_walk_in,
        topics=tuple(t.name for t in registration.topics),
        help_text=registration.help_text or "",
        languages=tuple(registration.languages or ()),
        role_tags=tuple(t.name for t in registration.role_tags),
        access_needs=tuple(access_labels(registration.access_needs or [])),
        access_other=registration.access_other or "",
        wants_lived_experience=registration.wants_lived_experience,
        wants_same_surgeon=registration.wants_same_surgeon,
        consent_sensitive=registration.consent_sensitive,
        consent_at=registration.consent_at,
        share_with_surgeon=registration.share_with_surgeon,
        places=tuple(_places(registration)),
        checked_in_at=registration.checked_in_at,
        feedback=personal_data.Feedback(
            feedback.learned, feedback.share_publicly, feedback.created_at
        )
        if feedback
        else None,
        messages=tuple(messages_to(registration.email, event.id)),
        follow_up=registration.wants_follow_up,
    )


def _places(registration: Registration) -> list[personal_data.Place]:
    """Each session of the person: its state, waiting-list number and surgeon."""
    positions = bookings.waiting_positions(registration)
    pairs = {
        m.booking_id: m.surgeon.name
        for m in db.session.scalars(
            sa.select(Match).where(
                Match.booking_id.in_([b.id for b in registration.bookings]),
                Match.status == ACCEPTED,
            )
        )
    }
    event = registration.event
    return [
        personal_data.Place(
            session=b.session.title,
            when=when(b.session.starts_at, b.session.ends_at, event.timezone),
            status=b.status,
            waiting_position=positions.get(b.id) if b.status == WAITLISTED else None,
            surgeon_name=pairs.get(b.id),
        )
        for b in registration.bookings
    ]


def surgeon_record(surgeon: Surgeon) -> personal_data.SurgeonRecord:
    """A surgeon's rows, as the export reads them."""
    event = surgeon.event
    return personal_data.SurgeonRecord(
        name=surgeon.name,
        email=surgeon.email,
        event=event.title,
        day=_day(event),
        volunteered_at=surgeon.created_at,
        status=surgeon.status,
        bio=surgeon.bio or "",
        topics=tuple(t.name for t in surgeon.topics),
        languages=tuple(surgeon.languages or ()),
        capacity=surgeon.capacity,
        role_tags=tuple(t.name for t in surgeon.role_tags),
        consent_sensitive=surgeon.consent_sensitive,
        arrived_at=surgeon.arrived_at,
        left_at=surgeon.left_at,
        sessions=tuple(
            personal_data.SurgeonSessionRecord(
                session=slot.session.title,
                when=when(slot.session.starts_at, slot.session.ends_at, event.timezone),
                helping=tuple(
                    b.registration.seen_by_surgeon()
                    for b in matching.surgeon_told_of(slot.session, surgeon.id)
                ),
            )
            for slot in surgeon.availability
        ),
        messages=tuple(messages_to(surgeon.email, event.id)),
    )


def messages_to(email: str | None, event_id: int) -> list[personal_data.Message]:
    """The messages queued or sent to an address about one day (the domain picks theirs)."""
    if not email:
        return []
    rows = db.session.execute(
        sa.select(
            OutboxMessage.to_address,
            OutboxMessage.kind,
            OutboxMessage.subject,
            OutboxMessage.status,
            OutboxMessage.sent_at,
            OutboxMessage.created_at,
            OutboxMessage.payload,
        )
        .where(OutboxMessage.to_address == email.strip().lower())
        .order_by(OutboxMessage.id)
    )
    return [
        personal_data.Message(
            row.to_address, row.kind, row.subject, row.status, row.sent_at or row.created_at
        )
        for row in rows
        if event_of(row.payload) == event_id
    ]


def event_of(payload) -> int | None:
    """The day a queued message is about, if it names one."""
    event = (payload or {}).get("event") or {}
    return event.get("id")


def _day(event) -> str:
    """The day's date in words, in its own timezone."""
    first = min(event.sessions, key=lambda s: s.starts_at, default=None)
    return format_day(event.local(first.starts_at)) if first else ""
