"""What the organiser sees of a day's reminders: each person's answer, and the counts."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.domain import reminders as rules
from surgery.extensions import db
from surgery.reminders.models import FollowUp, FollowUpAnswer, Reminder


@dataclass
class Answers:
    """The reminders of the bookings on a page in a few words, and the day's counts in a line."""

    by_booking: dict[int, str] = field(default_factory=dict)
    summary: str = ""
    # who gave their place up from a reminder, by session (their bookings are cancelled)
    gave_up: dict[int, list[str]] = field(default_factory=dict)

    def state(self, booking_id: int) -> str:
        """A confirmed booking's reminder: not sent, sent with no answer, or still coming."""
        return self.by_booking.get(booking_id, rules.reminder_state(False, None))


def answers(event_id: int, booking_ids: list[int]) -> Answers:
    """The day's reminders counted by answer, and the reminders of the given bookings (those
    on the page), in a query each."""
    found = Answers()
    of_day = (Reminder.event_id == event_id, Reminder.booking_id.is_not(None))
    counted = sa.select(Reminder.answer, sa.func.count()).where(*of_day).group_by(Reminder.answer)
    counts: dict[str, int] = {}
    for answer, count in db.session.execute(counted):
        state = rules.reminder_state(True, answer)
        counts[state] = counts.get(state, 0) + count
    if counts:
        found.summary = rules.counted_answers(counts)
    # by booking alone: each has one reminder at most, found by its own index; asking for
    # the day as well led SQLite to read all the day's reminders to find the page's few
    shown = sa.select(Reminder.booking_id, Reminder.answer).where(
        Reminder.booking_id.in_(booking_ids)
    )
    for booking_id, answer in db.session.execute(shown):
        found.by_booking[booking_id] = rules.reminder_state(True, answer)
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
