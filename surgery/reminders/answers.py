"""What a reminder's links and the follow-up's form record.

Each link's token is made for one purpose from its holder's seed: the "still coming" token
opens only the "still coming" page, so it can never free a place.
"""

import datetime as dt

from flask import current_app

from surgery.bookings import services as bookings
from surgery.bookings.models import Booking
from surgery.database import lock_row
from surgery.domain import reminders as rules
from surgery.domain.capacity import CONFIRMED
from surgery.domain.errors import DomainError, NotFound
from surgery.domain.tokens import purpose_token, same_token
from surgery.extensions import db
from surgery.reminders.models import FollowUp, FollowUpAnswer, Reminder
from surgery.reminders.notices import follow_up_seed, reminder_seed

GONE = "This link does not match a reminder. Check it was copied whole."


def reminder_for(reminder_id: int, purpose: str, token: str) -> tuple[Reminder, Booking]:
    """The reminder and booking a link belongs to, if its token was made for this purpose."""
    reminder = db.session.get(Reminder, reminder_id)
    booking = (
        db.session.get(Booking, reminder.booking_id) if reminder and reminder.booking_id else None
    )
    if booking is None:
        raise NotFound(GONE)
    expected = purpose_token(
        current_app.secret_key, purpose, reminder_seed(booking.registration, reminder)
    )
    if not same_token(token, expected):
        raise NotFound(GONE)
    return reminder, booking


def still_coming(reminder: Reminder, booking: Booking, now: dt.datetime) -> None:
    """Record that they are still coming (under the day's lock); never changes the place."""
    bookings.lock_event_of(booking.registration)
    db.session.refresh(reminder)
    if reminder.answer == rules.RELEASED or booking.status != CONFIRMED:
        raise DomainError("This place is no longer booked, so there is nothing to confirm.")
    if reminder.answer != rules.STILL_COMING:
        reminder.answer, reminder.answered_at = rules.STILL_COMING, now


def release(reminder: Reminder, booking: Booking, now: dt.datetime) -> list[Booking]:
    """Give the place up: cancelled as from the manage page, so the next person on the
    waiting list is promoted and told, and a matched surgeon is told; a second press does
    nothing."""
    promoted = bookings.cancel(booking)
    db.session.refresh(reminder)
    if reminder.answer != rules.RELEASED:
        reminder.answer, reminder.answered_at = rules.RELEASED, now
    return promoted


def follow_up_for(follow_up_id: int, token: str) -> FollowUp:
    """The follow-up a link belongs to."""
    follow_up = db.session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise NotFound("This link does not match a question we asked. Check it was copied whole.")
    expected = purpose_token(current_app.secret_key, "follow_up", follow_up_seed(follow_up))
    if not same_token(token, expected):
        raise NotFound("This link does not match a question we asked. Check it was copied whole.")
    return follow_up


def answer_follow_up(follow_up: FollowUp, used: str, words: str, share: bool, now) -> bool:
    """Keep the answer without the person; once only (False if already answered)."""
    follow_up = lock_row(FollowUp, follow_up.id)
    if follow_up.answered_at is not None:
        return False
    follow_up.answered_at = now
    db.session.add(
        FollowUpAnswer(
            event_id=follow_up.event_id, used=used, words=words.strip(), share=share, created_at=now
        )
    )
    return True
