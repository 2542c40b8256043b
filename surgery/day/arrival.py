"""What people need on arrival, said at check-in or at the kiosk, and who is here for what.

Services flush and raise; the caller commits once.
"""

from collections import Counter

import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.day import services
from surgery.domain import arrival
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.errors import DomainError
from surgery.events.models import SURGERY, Event, EventSession
from surgery.events.services import lock_day
from surgery.extensions import db

ACTIVE = (CONFIRMED, WAITLISTED)


def check_in(registration: Registration, need: str | None) -> list:
    """Mark someone arrived, with what they need now if it was said; returns the bookings
    that got a place from the waiting list on arrival."""
    placed = services.check_in(registration)
    if need is not None:
        set_need(registration, need)
    return placed


def set_need(registration: Registration, need: str) -> None:
    """Say what someone who is here needs now. Someone who now needs a surgeon and is not
    booked on a surgery session is given a place in it, as a walk-in is; someone on its
    waiting list stays there."""
    if arrival.parse(need) is None:
        raise DomainError("Choose what they need now.")
    event = lock_day(registration.event_id)
    db.session.refresh(registration)
    if registration.checked_in_at is None:
        raise DomainError(f"{registration.name} is not marked as here.")
    registration.need_now = need
    if need == arrival.SURGEON and not _has_surgery_place(registration):
        surgery = services.surgery_now(event)
        if surgery is not None:
            services._into_surgery(registration, surgery)
    db.session.flush()


def ask_follow_up(registration: Registration, wanted: bool) -> None:
    """They would like the short question four weeks after the day (or no longer); only
    someone with an email address can be asked."""
    if wanted and not registration.email:
        raise DomainError(f"{registration.name} has no email address to ask them at.")
    registration.wants_follow_up = wanted
    db.session.flush()


def _has_surgery_place(registration: Registration) -> bool:
    """True when they have a place, or a waiting-list place, in one of the day's surgery
    sessions."""
    return any(b.status in ACTIVE and b.session.kind == SURGERY for b in registration.bookings)


def need_now(registration: Registration) -> str:
    """What someone needs now, said or by default."""
    return arrival.need_of(registration.need_now, _has_surgery_place(registration))


def came_for(came: list[Registration]) -> dict[str, int]:
    """The day's numbers: how many who came needed the help desk, or the workshop or open
    space (their bookings loaded)."""
    counts = arrival.counted(need_now(r) for r in came)
    return {"came_for_desk": counts[arrival.DESK], "came_for_space": counts[arrival.SPACE]}


def queued_for_surgeon():
    """The floor's filter: people who said nothing, or said they need a surgeon."""
    return sa.or_(Registration.need_now.is_(None), Registration.need_now == arrival.SURGEON)


def here_for(event: Event) -> dict[str, int]:
    """How many people here need each thing (said, or by default), counted by the database
    in one query: grouped by what they said and whether they have a surgery place."""
    surgery_place = (
        sa.select(Booking.id)
        .join(Booking.session)
        .where(
            Booking.registration_id == Registration.id,
            Booking.status.in_(ACTIVE),
            EventSession.kind == SURGERY,
        )
        .exists()
    )
    rows = db.session.execute(
        sa.select(Registration.need_now, surgery_place, sa.func.count())
        .where(Registration.event_id == event.id, Registration.checked_in_at.is_not(None))
        .group_by(Registration.need_now, surgery_place)
    ).all()
    counts: Counter[str] = Counter()
    for said, has, n in rows:
        counts[arrival.need_of(said, bool(has))] += n
    return arrival.counted(counts.elements())
