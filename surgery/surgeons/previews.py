"""What a surgeon leaving a day would do, worked out without changing anything.

Follows services._stand_down: an approved surgeon's invites are cancelled, a declined one
is thanked, and attendees told who they would meet are told their surgeon cannot come.
"""

import sqlalchemy as sa

from surgery.bookings.models import Booking
from surgery.domain import asking
from surgery.domain.asking import Person, StandingDown, WhatHappens
from surgery.domain.capacity import CONFIRMED
from surgery.events.models import CANCELLED as EVENT_CANCELLED
from surgery.extensions import db
from surgery.matching.models import ACCEPTED, Match
from surgery.surgeons.models import Surgeon


def declining(surgeon: Surgeon) -> WhatHappens:
    """What an organiser declining (or removing) this surgeon would do."""
    return asking.declining_surgeon(standing_down(surgeon))


def withdrawing(surgeon: Surgeon) -> WhatHappens:
    """What this surgeon withdrawing would do."""
    return asking.withdrawing(standing_down(surgeon))


def standing_down(surgeon: Surgeon) -> StandingDown:
    """The surgeon, their sessions, and the attendees who would be told."""
    return StandingDown(
        surgeon=Person(surgeon.name, surgeon.email),
        status=surgeon.status,
        sessions=tuple(slot.session.title for slot in surgeon.availability),
        attendees=tuple(Person(b.registration.name, b.registration.email) for b in _told(surgeon)),
    )


def _told(surgeon: Surgeon) -> list[Booking]:
    """Booked attendees told they would meet this surgeon (nobody, once the day is off)."""
    if surgeon.event.status == EVENT_CANCELLED:
        return []
    return list(
        db.session.scalars(
            sa.select(Booking)
            .join(Match, Match.booking_id == Booking.id)
            .where(
                Match.surgeon_id == surgeon.id,
                Match.status == ACCEPTED,
                Match.session_id.in_(surgeon.session_ids),
                Booking.status == CONFIRMED,
            )
            .order_by(Match.id)
        )
    )
