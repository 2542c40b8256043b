"""Erasing a person, and withdrawing consent to keep their sensitive answers.

Erasing reuses the day's own changes: under the day's lock the person's places are
cancelled (the waiting list moves up in the same transaction, a surgeon told they would
help hears they are not coming, cancelling invites are queued), or a surgeon withdraws
(attendees told who they would meet hear their surgeon cannot come). Then their rows, and
everything hanging off them, are deleted; only an audit entry naming the row's number is
kept. Services flush and raise; the caller commits once.
"""

import sqlalchemy as sa

from surgery.audit import log
from surgery.bookings import services as bookings
from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.day.models import Feedback, HelpRecord
from surgery.domain import audit
from surgery.domain.erasing import row_subject
from surgery.events.services import lock_day
from surgery.extensions import db
from surgery.learned import services as learned
from surgery.mail.models import OutboxMessage
from surgery.matching.models import Match
from surgery.personal.forget import forget_answers, forget_surgeon_answers
from surgery.personal.mail import forget_messages
from surgery.retention import services as retention
from surgery.surgeons import services as surgeons
from surgery.surgeons.models import DECLINED, WITHDRAWN, Surgeon

ANSWER_FIELDS = (
    "role_tags",
    "access_needs",
    "access_other",
    "help_text",
    "languages",
    "wants_lived_experience",
    "consent_sensitive",
    "share_with_surgeon",
)


def places_to_cancel(registration: Registration) -> list[Booking]:
    """The places erasing gives up: every active one whose session is not over (a session
    that is over keeps nobody waiting, and its record simply goes)."""
    return [b for b in registration.active_bookings if not bookings.is_over(b.session)]


def erase_registration(registration: Registration, actor: str | None = None) -> list[Booking]:
    """Cancel an attendee's places, tell who must be told, delete them; return who moved up.

    actor: audit.THE_PERSON from their own link; None for the signed-in organiser."""
    event_id, row_id = registration.event_id, registration.id
    event = bookings.lock_event_of(registration)
    retention.keep_numbers(event, utcnow())
    promoted = []
    for booking in places_to_cancel(registration):
        promoted += bookings.cancel(booking)
    names = {registration.name, registration.seen_by_surgeon().name}
    forget_messages(registration.email, names, event_id, as_surgeon=False)
    _delete_registration(registration)
    subject = row_subject("registration", row_id)
    log.record(audit.ERASED_PERSON, event_id, subject=subject, actor=actor)
    return promoted


def _delete_registration(registration: Registration) -> None:
    """Delete an attendee and every row that hangs off them."""
    booking_ids = [b.id for b in registration.bookings]
    if booking_ids:
        db.session.execute(sa.delete(HelpRecord).where(HelpRecord.booking_id.in_(booking_ids)))
        db.session.execute(sa.delete(Match).where(Match.booking_id.in_(booking_ids)))
        # a cancellation still to go keeps the entry it was queued with, not the row
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.booking_id.in_(booking_ids))
            .values(booking_id=None)
        )
    db.session.execute(sa.delete(Feedback).where(Feedback.registration_id == registration.id))
    db.session.delete(registration)
    db.session.flush()


def erase_surgeon(surgeon: Surgeon, actor: str | None = None) -> None:
    """Take a surgeon off the day, telling who must be told, and delete them."""
    event_id, row_id = surgeon.event_id, surgeon.id
    retention.keep_numbers(lock_day(event_id), utcnow())
    db.session.refresh(surgeon)
    if stands_down(surgeon):
        surgeons.withdraw(surgeon)
    forget_messages(surgeon.email, {surgeon.name}, event_id, as_surgeon=True)
    slot_ids = [slot.id for slot in surgeon.availability]
    db.session.execute(sa.delete(HelpRecord).where(HelpRecord.surgeon_id == surgeon.id))
    db.session.execute(sa.delete(Match).where(Match.surgeon_id == surgeon.id))
    learned.forget_who_added(surgeon.event, surgeon.id)  # what they shared stays, unsigned
    if slot_ids:
        db.session.execute(
            sa.update(OutboxMessage).where(OutboxMessage.slot_id.in_(slot_ids)).values(slot_id=None)
        )
    db.session.delete(surgeon)
    db.session.flush()
    log.record(audit.ERASED_PERSON, event_id, subject=row_subject("surgeon", row_id), actor=actor)


def stands_down(surgeon: Surgeon) -> bool:
    """True if erasing a surgeon withdraws them first: they are still down for a session
    that is not over, so they and the people they would help are told."""
    if surgeon.status in (DECLINED, WITHDRAWN):
        return False
    return any(not bookings.is_over(slot.session) for slot in surgeon.availability)


def withdraw_consent(registration: Registration, actor: str = audit.THE_PERSON) -> None:
    """Delete an attendee's sensitive answers at once; the log names the fields, not values."""
    fields = [name for name in ANSWER_FIELDS if getattr(registration, name)]
    forget_answers(registration)
    db.session.flush()
    if fields:
        subject = row_subject("registration", registration.id)
        log.record(audit.WITHDREW_CONSENT, registration.event_id, subject, fields, actor=actor)


def stop_sharing(registration: Registration, actor: str = audit.THE_PERSON) -> None:
    """Their surgeon no longer sees their answers; we keep them, with their consent."""
    if not registration.share_with_surgeon:
        return
    registration.share_with_surgeon = False
    db.session.flush()
    subject = row_subject("registration", registration.id)
    fields = ["share_with_surgeon"]
    log.record(audit.CHANGED_BOOKING, registration.event_id, subject, fields, actor=actor)


def withdraw_surgeon_consent(surgeon: Surgeon, actor: str = audit.THE_PERSON) -> None:
    """Delete what a surgeon told us about themselves (their role tags)."""
    fields = [name for name in ("role_tags", "consent_sensitive") if getattr(surgeon, name)]
    forget_surgeon_answers(surgeon)
    db.session.flush()
    if fields:
        subject = row_subject("surgeon", surgeon.id)
        log.record(audit.WITHDREW_CONSENT, surgeon.event_id, subject, fields, actor=actor)
