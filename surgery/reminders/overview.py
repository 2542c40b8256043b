"""What the organiser sees of a day's reminders: each person's answer, and the counts."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.domain import reminders as rules
from surgery.extensions import db
from surgery.reminders.models import FollowUp, FollowUpAnswer, Reminder


@dataclass
class Answers:
    """Each booking's reminder in a few words, and the day's counts in a line."""

    by_booking: dict[int, str] = field(default_factory=dict)
    released: int = 0
    summary: str = ""
    # who gave their place up from a reminder, by session (their bookings are cancelled)
    gave_up: dict[int, list[str]] = field(default_factory=dict)

    def state(self, booking_id: int) -> str:
        """A confirmed booking's reminder: not sent, sent with no answer, or still coming."""
        return self.by_booking.get(booking_id, rules.reminder_state(False, None))


def answers(event_id: int) -> Answers:
    """The reminders of a day's bookings, read in one query."""
    query = sa.select(Reminder.booking_id, Reminder.answer).where(
        Reminder.event_id == event_id, Reminder.booking_id.is_not(None)
    )
    found = Answers()
    for booking_id, answer in db.session.execute(query):
        found.by_booking[booking_id] = rules.reminder_state(True, answer)
    states = list(found.by_booking.values())
    found.released = states.count(rules.reminder_state(True, rules.RELEASED))
    if states:
        found.summary = rules.answer_counts(states)
    gave_up = (
        sa.select(Booking.session_id, Registration.name)
        .join(Reminder, Reminder.booking_id == Booking.id)
        .join(Registration, Booking.registration_id == Registration.id)
        .where(Reminder.event_id == event_id, Reminder.answer == rules.RELEASED)
        .order_by(Reminder.answered_at, Reminder.id)
    )
    for session_id, name in db.session.execute(gave_up):
        found.gave_up.setdefault(session_id, []).append(name)
    return found


@dataclass
class FollowUpNumbers:
    """Four weeks on: how many were asked, how they answered, and the words shared."""

    asked: int
    counts: list[tuple[str, int, int]]
    shared: list[str]

    @property
    def answered(self) -> int:
        """How many answered."""
        return sum(count for _, count, _ in self.counts)


def follow_up_numbers(event_id: int) -> FollowUpNumbers:
    """Counted from the answers, which name nobody, so removals after the day keep them."""
    asked = db.session.scalar(
        sa.select(sa.func.count()).select_from(FollowUp).where(FollowUp.event_id == event_id)
    )
    rows = db.session.execute(
        sa.select(FollowUpAnswer.used, FollowUpAnswer.words, FollowUpAnswer.share)
        .where(FollowUpAnswer.event_id == event_id)
        .order_by(FollowUpAnswer.id.desc())
    ).all()
    shared = [row.words for row in rows if row.share and row.words]
    return FollowUpNumbers(asked or 0, rules.used_counts([row.used for row in rows]), shared)
