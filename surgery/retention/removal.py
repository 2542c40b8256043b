"""Taking a day's personal data away, one stage at a time; the caller holds the day's lock.

The rows stay, so the day's bookings, attendance and pairings still add up: what goes is
what someone told us about themselves, and then who they are.
"""

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from surgery.bookings.models import Booking, Registration
from surgery.domain.tokens import hash_token, new_checkin_code, new_form_key
from surgery.events.models import Event, EventSession
from surgery.extensions import db
from surgery.learned import services as learned
from surgery.mail.models import OutboxMessage
from surgery.matching.models import Match
from surgery.organise.models import DayMessage
from surgery.personal.forget import forget_answers, forget_surgeon_answers, has_answers
from surgery.surgeons.models import Surgeon, SurgeonSession

REMOVED = "removed"  # what a removed name reads as, on every page
MESSAGE_REMOVED = "(removed with the day’s personal data)"  # a message to the day, its words gone


@dataclass(frozen=True)
class Counts:
    """How many rows a stage changed: never who they were."""

    attendees: int = 0
    surgeons: int = 0
    messages: int = 0

    def words(self, emails: bool = True) -> str:
        """'3 attendees, 1 surgeon, 4 emails' for the audit log and the command's output."""
        parts = [(self.attendees, "attendee"), (self.surgeons, "surgeon")]
        if emails:
            parts.append((self.messages, "email"))
        return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in parts)


def registrations(event: Event) -> list[Registration]:
    """Everyone who booked or walked in to the day."""
    query = sa.select(Registration).where(Registration.event_id == event.id)
    return list(db.session.scalars(query.options(selectinload(Registration.role_tags))))


def surgeons(event: Event) -> list[Surgeon]:
    """Everyone who offered to help on the day."""
    query = sa.select(Surgeon).where(Surgeon.event_id == event.id)
    return list(db.session.scalars(query.options(selectinload(Surgeon.role_tags))))


def remove_sensitive(event: Event) -> Counts:
    """Forget every sensitive answer of the day, and the pairing reasons that repeat them
    ("brings lived experience")."""
    attendees, people = 0, registrations(event)
    for registration in people:
        attendees += has_answers(registration)
        forget_answers(registration)
    _one_update(people)  # before the next query flushes them
    helpers, volunteers = 0, surgeons(event)
    for surgeon in volunteers:
        helpers += bool(surgeon.role_tags or surgeon.consent_sensitive)
        forget_surgeon_answers(surgeon)
    _one_update(volunteers)
    in_day = sa.select(EventSession.id).where(EventSession.event_id == event.id)
    for match in db.session.scalars(sa.select(Match).where(Match.session_id.in_(in_day))):
        match.reasons = []
    db.session.flush()
    return Counts(attendees, helpers)


def remove_identity(event: Event) -> Counts:
    """Replace names with 'removed', drop email addresses, and give every check-in code and
    private link a new random value, so the old ones open nothing."""
    messages = messages_of(event)  # found by address too: before the addresses go
    for message in messages:
        db.session.delete(message)
    people = registrations(event)
    for registration in people:
        registration.name, registration.email = REMOVED, None
        registration.checkin_code = new_checkin_code()
        _new_link(registration)
    _one_update(people)
    helpers = surgeons(event)
    for surgeon in helpers:
        surgeon.name, surgeon.bio, surgeon.languages = REMOVED, "", []
        # the column may not be empty and is unique per day: this is no one's address
        surgeon.email = f"{REMOVED}-{surgeon.id}"
        surgeon.checkin_code = new_checkin_code()
        _new_link(surgeon)
    _one_update(helpers)
    db.session.flush()
    learned.forget_who_added(event)  # the resources stay; who added them goes with the names
    forget_what_was_said(event)
    return Counts(len(people), len(helpers), len(messages))


def forget_what_was_said(event: Event) -> None:
    """The organisers' messages to the day keep their date, audiences and count, but not
    their words, which may name people."""
    db.session.execute(
        sa.update(DayMessage)
        .where(DayMessage.event_id == event.id)
        .values(subject=MESSAGE_REMOVED, body="")
    )


def _one_update(rows: list) -> None:
    """Have every row's UPDATE name the same columns, so the flush sends them all in one
    statement. It groups rows by the columns whose values changed, and a value set to what
    it was already (an answer never given, a walk-in's missing address) changes nothing: a
    day's rows would otherwise go one UPDATE per person."""
    if not rows:
        return
    columns = {attr.key for attr in sa.inspect(type(rows[0])).column_attrs}
    written = {key for row in rows for key in sa.inspect(row).committed_state} & columns
    for row in rows:
        for key in written:
            flag_modified(row, key)


def _new_link(row) -> None:
    """A fresh seed and an unrelated hash: no link made before or after opens the row."""
    row.token_seed = new_form_key()
    row.token_hash = hash_token(secrets.token_urlsafe(32))


def messages_of(event: Event) -> list[OutboxMessage]:
    """The day's emails, sent or not: about its bookings or surgeons' sessions, or naming
    the day and sent to one of its people (a feedback request, a day cancelled)."""
    bookings = sa.select(Booking.id).join(Booking.registration)
    bookings = bookings.where(Registration.event_id == event.id)
    slots = sa.select(SurgeonSession.id).join(SurgeonSession.surgeon)
    slots = slots.where(Surgeon.event_id == event.id)
    addresses = sa.union(
        sa.select(Registration.email).where(Registration.event_id == event.id),
        sa.select(Surgeon.email).where(Surgeon.event_id == event.id),
    )
    linked = sa.or_(OutboxMessage.booking_id.in_(bookings), OutboxMessage.slot_id.in_(slots))
    rows = db.session.scalars(
        sa.select(OutboxMessage)
        .where(sa.or_(linked, OutboxMessage.to_address.in_(addresses)))
        .order_by(OutboxMessage.id)
    ).all()
    booking_ids, slot_ids = set(db.session.scalars(bookings)), set(db.session.scalars(slots))
    return [
        m
        for m in rows
        if m.booking_id in booking_ids or m.slot_id in slot_ids or _about(m) == event.id
    ]


def _about(message: OutboxMessage):
    """The day a message names in its payload, if any."""
    payload = message.payload if isinstance(message.payload, dict) else {}
    about = payload.get("event")
    return about.get("id") if isinstance(about, dict) else None
