"""Queue the reminders and follow-ups that are due, one day at a time under its lock.

Exactly once: a reminder row is unique on its booking (or slot), and a follow-up row on its
person; both are decided under the day's lock, so a second worker waits, reads the rows
the first wrote, and queues nothing again.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from surgery.bookings.models import Booking, Registration
from surgery.domain import reminders as rules
from surgery.domain.capacity import CONFIRMED
from surgery.events.models import PUBLISHED, Event, EventSession
from surgery.events.services import lock_day
from surgery.extensions import db
from surgery.reminders import notices
from surgery.reminders.models import FollowUp, Reminder
from surgery.surgeons.models import APPROVED, Surgeon, SurgeonSession

# a day whose follow-up is this long overdue (the worker was off for months) is left alone
FOLLOW_UP_LATEST = dt.timedelta(days=60)


@dataclass
class Queued:
    """What one round queued."""

    reminders: int = 0
    surgeons: int = 0
    follow_ups: int = 0

    def add(self, other: "Queued") -> None:
        """Count another day's in."""
        self.reminders += other.reminders
        self.surgeons += other.surgeons
        self.follow_ups += other.follow_ups


def days_to_remind(now: dt.datetime) -> list[int]:
    """Published days with a session starting soon enough that a reminder may be due."""
    ahead = now + dt.timedelta(days=rules.LONGEST_DAYS_BEFORE)
    query = (
        sa.select(Event.id)
        .join(EventSession, EventSession.event_id == Event.id)
        .where(
            Event.status == PUBLISHED,
            Event.reminder_days > 0,
            EventSession.starts_at > now,
            EventSession.starts_at <= ahead,
            sa.or_(_someone_to_remind(), _surgeon_to_remind()),
        )
        .distinct()
        .order_by(Event.id)
    )
    return list(db.session.scalars(query))


def _someone_to_remind():
    """A session with a confirmed booking not reminded yet (a day all reminded is not
    locked again every round)."""
    reminded = sa.select(Reminder.id).where(Reminder.booking_id == Booking.id)
    return (
        sa.select(Booking.id)
        .join(Registration, Registration.id == Booking.registration_id)
        .where(
            Booking.session_id == EventSession.id,
            Booking.status == CONFIRMED,
            Registration.email.is_not(None),
            Registration.email != "",
            ~reminded.exists(),
        )
        .exists()
    )


def _surgeon_to_remind():
    """A session with a surgeon's slot not reminded yet."""
    reminded = sa.select(Reminder.id).where(Reminder.slot_id == SurgeonSession.id)
    return (
        sa.select(SurgeonSession.id)
        .join(Surgeon, Surgeon.id == SurgeonSession.surgeon_id)
        .where(
            SurgeonSession.session_id == EventSession.id,
            Surgeon.status == APPROVED,
            ~reminded.exists(),
        )
        .exists()
    )


def remind_day(event_id: int, now: dt.datetime) -> Queued:
    """Queue the day's due reminders not queued yet (decided under the day's lock)."""
    event = lock_day(event_id)
    if event is None or event.status != PUBLISHED:
        return Queued()
    due = [
        s.id for s in event.sessions if rules.reminder_is_due(s.starts_at, event.reminder_days, now)
    ]
    if not due:
        return Queued()
    bookings = _unreminded_bookings(due)
    slots = _unreminded_slots(due)
    pairs = [(b, Reminder(event_id=event.id, booking_id=b.id, queued_at=now)) for b in bookings]
    surgeons = [(s, Reminder(event_id=event.id, slot_id=s.id, queued_at=now)) for s in slots]
    db.session.add_all([r for _, r in pairs + surgeons])
    db.session.flush()
    notices.queue_reminders(pairs)
    notices.queue_surgeon_reminders(surgeons)
    return Queued(reminders=len(pairs), surgeons=len(surgeons))


def _unreminded_bookings(session_ids: list[int]) -> list[Booking]:
    """Confirmed bookings with an email in these sessions that have no reminder yet."""
    reminded = sa.select(Reminder.booking_id).where(Reminder.booking_id.is_not(None))
    query = (
        sa.select(Booking)
        .join(Booking.registration)
        .where(
            Booking.session_id.in_(session_ids),
            Booking.status == CONFIRMED,
            Registration.email.is_not(None),
            Registration.email != "",
            Booking.id.not_in(reminded),
        )
        .options(selectinload(Booking.registration), selectinload(Booking.session))
        .order_by(Booking.id)
    )
    return list(db.session.scalars(query))


def _unreminded_slots(session_ids: list[int]) -> list[SurgeonSession]:
    """Approved surgeons' slots in these sessions that have no reminder yet."""
    reminded = sa.select(Reminder.slot_id).where(Reminder.slot_id.is_not(None))
    query = (
        sa.select(SurgeonSession)
        .join(SurgeonSession.surgeon)
        .where(
            SurgeonSession.session_id.in_(session_ids),
            Surgeon.status == APPROVED,
            SurgeonSession.id.not_in(reminded),
        )
        .options(selectinload(SurgeonSession.surgeon), selectinload(SurgeonSession.session))
        .order_by(SurgeonSession.id)
    )
    return list(db.session.scalars(query))


def days_to_follow_up(now: dt.datetime) -> list[int]:
    """Published days that ended four weeks ago or more (and not so long ago it is odd)."""
    ends = sa.func.max(EventSession.ends_at)
    query = (
        sa.select(Event.id)
        .join(EventSession, EventSession.event_id == Event.id)
        .where(Event.status == PUBLISHED)
        .group_by(Event.id)
        .having(
            ends <= now - rules.FOLLOW_UP_AFTER,
            ends > now - rules.FOLLOW_UP_AFTER - FOLLOW_UP_LATEST,
        )
        .order_by(Event.id)
    )
    asked = sa.select(Registration.event_id).where(
        Registration.wants_follow_up.is_(True),
        Registration.checked_in_at.is_not(None),
        Registration.id.not_in(
            sa.select(FollowUp.registration_id).where(FollowUp.registration_id.is_not(None))
        ),
    )
    return list(db.session.scalars(query.where(Event.id.in_(asked))))


def follow_up_day(event_id: int, now: dt.datetime) -> Queued:
    """Ask everyone of the day who came and opted in, once (under the day's lock)."""
    event = lock_day(event_id)
    ends = max((s.ends_at for s in event.sessions), default=None) if event else None
    if event is None or not rules.follow_up_is_due(ends, now):
        return Queued()
    asked = sa.select(FollowUp.registration_id).where(FollowUp.registration_id.is_not(None))
    query = (
        sa.select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.wants_follow_up.is_(True),
            Registration.checked_in_at.is_not(None),
            Registration.email.is_not(None),
            Registration.email != "",
            Registration.id.not_in(asked),
        )
        .order_by(Registration.id)
    )
    people = list(db.session.scalars(query))
    pairs = [
        (r, FollowUp(event_id=event.id, registration_id=r.id, seed=secrets.token_hex(16)))
        for r in people
    ]
    db.session.add_all([f for _, f in pairs])
    db.session.flush()
    notices.queue_follow_ups(event, pairs)
    return Queued(follow_ups=len(pairs))
