"""What erasing a person would do, worked out without changing anything.

Follows surgery.personal.services: the places it gives up are worded as when cancelling
(surgery.bookings.previews), a surgeon's leaving as when withdrawing.
"""

from surgery.bookings import previews as booking_previews
from surgery.bookings.models import Registration
from surgery.domain import erasing
from surgery.domain.asking import WhatHappens
from surgery.personal.services import places_to_cancel, stands_down
from surgery.surgeons import previews as surgeon_previews
from surgery.surgeons.models import Surgeon


def erasing_own(registration: Registration) -> WhatHappens:
    """What an attendee deleting everything from their link would do."""
    places = [booking_previews.lost_place(b) for b in places_to_cancel(registration)]
    return erasing.erasing_own(registration.event.title, places)


def erasing_attendee(registration: Registration) -> WhatHappens:
    """What an organiser erasing an attendee would do."""
    places = [booking_previews.lost_place(b) for b in places_to_cancel(registration)]
    return erasing.erasing_attendee(registration.name, places)


def erasing_own_volunteering(surgeon: Surgeon) -> WhatHappens:
    """What a surgeon deleting everything from their link would do."""
    leaving = surgeon_previews.standing_down(surgeon) if stands_down(surgeon) else None
    return erasing.erasing_own_volunteering(surgeon.event.title, leaving)


def erasing_surgeon(surgeon: Surgeon) -> WhatHappens:
    """What an organiser erasing a surgeon would do."""
    leaving = surgeon_previews.standing_down(surgeon) if stands_down(surgeon) else None
    return erasing.erasing_surgeon(leaving, surgeon.name)
