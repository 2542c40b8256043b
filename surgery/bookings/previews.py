"""What cancelling bookings would do, worked out without changing anything.

Follows the same rules as services.cancel: the holder of a place is told, the first in
line move up into free places and are told, a surgeon told they would help is told.
"""

import sqlalchemy as sa

from surgery.bookings import services, state
from surgery.bookings.models import Booking, Registration
from surgery.domain import asking, capacity
from surgery.domain.asking import LostPlace, Person, WhatHappens
from surgery.domain.capacity import CANCELLED, CONFIRMED
from surgery.events.models import CANCELLED as EVENT_CANCELLED
from surgery.extensions import db
from surgery.matching.models import ACCEPTED, Match


def cancelling_booking(booking: Booking) -> WhatHappens:
    """What an organiser cancelling this booking would do."""
    if booking.status == CANCELLED:
        name = booking.registration.name
        return asking.nothing_to_do(
            f"Cancel {asking.possessive(name)} booking?",
            f"{asking.possessive(name)} booking is already cancelled.",
        )
    return asking.cancelling_booking(lost_place(booking))


def cancelling_own(registration: Registration, booking: Booking | None = None) -> WhatHappens:
    """What the person cancelling one of their sessions (or, with None, all) would do."""
    bookings = [booking] if booking is not None else services.cancellable(registration)
    bookings = [b for b in bookings if b.status != CANCELLED]
    if not bookings:
        return asking.nothing_to_do("Cancel your booking?", "it is already cancelled.")
    return asking.cancelling_own([lost_place(b) for b in bookings])


def lost_place(booking: Booking) -> LostPlace:
    """One booking about to be cancelled, with the people that touches."""
    return LostPlace(
        session=booking.session.title,
        holder=person(booking.registration),
        confirmed=booking.status == CONFIRMED,
        promoted=tuple(person(b.registration) for b in _would_move_up(booking)),
        surgeon=_surgeon_told(booking),
        day_cancelled=booking.session.event.status == EVENT_CANCELLED,
    )


def person(registration: Registration) -> Person:
    """Someone booked, as the wording needs them."""
    return Person(registration.name, registration.email)


def _would_move_up(booking: Booking) -> list[Booking]:
    """Who would take the places free once this booking is cancelled (as services.refill)."""
    session = booking.session
    if (
        session.capacity is None
        or session.event.status == EVENT_CANCELLED
        or services.is_over(session)
    ):
        return []
    queue = [b for b in services.waiting_list(session.id) if b.id != booking.id]
    confirmed = state.places_by_session([session])[session.id].confirmed
    confirmed -= booking.status == CONFIRMED
    ids = set(capacity.to_promote(session.capacity, confirmed, [b.id for b in queue]))
    return [b for b in queue if b.id in ids]


def _surgeon_told(booking: Booking) -> Person | None:
    """The surgeon who was told they would help this person, if the day goes ahead."""
    if booking.session.event.status == EVENT_CANCELLED:
        return None
    match = db.session.scalars(
        sa.select(Match).where(Match.booking_id == booking.id, Match.status == ACCEPTED)
    ).first()
    if match is None or booking.session_id not in match.surgeon.session_ids:
        return None
    return Person(match.surgeon.name, match.surgeon.email)
