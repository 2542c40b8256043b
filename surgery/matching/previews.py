"""What accepting pairs would do, worked out without changing anything."""

import sqlalchemy as sa

from surgery.domain import asking
from surgery.domain.asking import Person, WhatHappens
from surgery.events.models import CANCELLED as EVENT_CANCELLED
from surgery.events.models import EventSession
from surgery.extensions import db
from surgery.matching import services
from surgery.matching.models import ACCEPTED, Match


def accepting(session: EventSession, pairs: list[tuple[int, int]]) -> WhatHappens:
    """Who accepting these pairs would tell: both people in each pair not yet accepted.

    A pair that cannot be accepted (someone gone, a surgeon full) is left to the change
    itself, which refuses the whole press and says why.
    """
    if session.event.status == EVENT_CANCELLED:
        return asking.nothing_to_do("Accept these pairs?", "this surgery day is cancelled.")
    people = services.plan_people(session)
    query = sa.select(Match.booking_id, Match.surgeon_id).where(
        Match.session_id == session.id, Match.status == ACCEPTED
    )
    accepted = {(booking_id, surgeon_id) for booking_id, surgeon_id in db.session.execute(query)}
    new = []
    for booking_id, surgeon_id in dict.fromkeys(pairs):
        booking, surgeon = people.bookings.get(booking_id), people.surgeons.get(surgeon_id)
        if booking is None or surgeon is None or (booking_id, surgeon_id) in accepted:
            continue
        registration = booking.registration
        new.append(
            (Person(registration.name, registration.email), Person(surgeon.name, surgeon.email))
        )
    return asking.accepting_pairs(new)
