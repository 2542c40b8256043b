"""The matching page's work: suggestions from the pure matcher, locking and accepting pairs.

Suggestions are worked out afresh each time the page is opened, keeping every locked or
accepted pair; only pairs an organiser fixed are stored. Accepting a pair tells both
people, with updated invites, through the outbox; so does an accepted pair falling through
(the surgeon leaves the session, or the attendee cancels): the one still coming is told.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.domain import lifecycle, matching
from surgery.domain.capacity import CONFIRMED
from surgery.domain.errors import DomainError
from surgery.events.models import EventSession
from surgery.events.services import lock_day
from surgery.extensions import db
from surgery.mail import notices
from surgery.matching import last_time
from surgery.matching.models import ACCEPTED, LOCKED, Match
from surgery.surgeons.models import APPROVED, Surgeon, SurgeonSession


@dataclass
class Plan:
    """Everything the matching page shows for one surgery session."""

    session: EventSession
    bookings: dict[int, Booking]
    surgeons: dict[int, Surgeon]
    fixed: list[Match]
    suggestions: list[matching.Pair]
    unpaired: list[matching.Unpaired]

    def load(self, surgeon_id: int) -> int:
        """How many people a surgeon has, fixed and suggested."""
        return sum(1 for m in self.fixed if m.surgeon_id == surgeon_id) + sum(
            1 for p in self.suggestions if p.surgeon_id == surgeon_id
        )


def plan(session: EventSession) -> Plan:
    """Suggest pairs for a session, keeping locked and accepted ones."""
    bookings = _attendees(session)
    surgeons = _surgeons(session)
    fixed = _fixed(session)
    kept = [(m.booking_id, m.surgeon_id) for m in fixed]
    again = last_time.surgeons_asked_for(
        session.event_id, [b.registration for b in bookings.values()], surgeons.values()
    )
    result = matching.match(
        [as_attendee(b, again.get(b.registration_id)) for b in bookings.values()],
        [as_surgeon(s) for s in surgeons.values()],
        locked=kept,
    )
    suggestions = [p for p in result.pairs if not p.locked]
    return Plan(session, bookings, surgeons, fixed, suggestions, result.unpaired)


def _attendees(session: EventSession) -> dict[int, Booking]:
    """Confirmed bookings of the session, by booking id."""
    rows = db.session.scalars(
        sa.select(Booking)
        .where(Booking.session_id == session.id, Booking.status == CONFIRMED)
        .options(
            selectinload(Booking.registration).selectinload(Registration.topics),
            selectinload(Booking.registration).selectinload(Registration.role_tags),
        )
        .order_by(Booking.queue_key, Booking.id)
    )
    return {b.id: b for b in rows}


def _surgeons(session: EventSession) -> dict[int, Surgeon]:
    """Approved surgeons who can do the session, by id."""
    rows = db.session.scalars(
        sa.select(Surgeon)
        .join(SurgeonSession)
        .where(SurgeonSession.session_id == session.id, Surgeon.status == APPROVED)
        .options(selectinload(Surgeon.topics), selectinload(Surgeon.role_tags))
        .order_by(Surgeon.id)
    )
    return {s.id: s for s in rows}


def _fixed(session: EventSession) -> list[Match]:
    """Locked and accepted pairs of the session whose attendee is still booked."""
    query = (
        sa.select(Match)
        .join(Match.booking)
        .where(Match.session_id == session.id, Booking.status == CONFIRMED)
        .order_by(Match.id)
    )
    return list(db.session.scalars(query))


def as_attendee(booking: Booking, same_surgeon: int | None = None) -> matching.Attendee:
    """A booking as the matcher sees it; same_surgeon: the surgeon they asked for again."""
    registration = booking.registration
    return matching.Attendee(
        id=booking.id,
        topics=frozenset(t.name for t in registration.topics),
        wants_lived_experience=registration.wants_lived_experience,
        languages=frozenset(registration.languages or ()),
        same_surgeon=same_surgeon,
    )


def as_surgeon(surgeon: Surgeon) -> matching.Surgeon:
    """A surgeon as the matcher sees them."""
    return matching.Surgeon(
        id=surgeon.id,
        topics=frozenset(t.name for t in surgeon.topics),
        capacity=surgeon.capacity,
        lived_experience=surgeon.lived_experience,
        languages=frozenset(surgeon.languages or ()),
    )


def lock(session: EventSession, booking_id: int, surgeon_id: int) -> Match:
    """Fix a pair (a suggestion, or one chosen by hand) so matching again keeps it."""
    lock_day(session.event_id)
    return _lock(plan_people(session), booking_id, surgeon_id)


def _lock(people: "People", booking_id: int, surgeon_id: int) -> Match:
    """Fix one pair after checking both people and the surgeon's capacity."""
    session = people.session
    booking, surgeon = people.booking(booking_id), people.surgeon(surgeon_id)
    match = _pair_of(booking.id)
    if match is not None and match.surgeon_id == surgeon.id:
        return match
    status = match.status if match is not None else None
    lifecycle.change_pair(status, lifecycle.SUGGEST, session.event.status)
    taken = sum(1 for m in _fixed(session) if m.surgeon_id == surgeon.id)
    if taken >= surgeon.capacity:
        raise DomainError(f"{surgeon.name} is already helping {taken}, as many as they offered.")
    fit = matching.fit(as_attendee(booking), as_surgeon(surgeon))
    if match is None:
        match = Match(session_id=session.id, booking_id=booking.id)
        db.session.add(match)
    match.surgeon_id, match.status = surgeon.id, LOCKED
    match.reasons = list(fit[1]) if fit else ["chosen by an organiser"]
    db.session.flush()
    return match


def _pair_of(booking_id: int) -> Match | None:
    """The pair a booking is in, as it is now (read again, under the event's lock)."""
    query = sa.select(Match).where(Match.booking_id == booking_id)
    return db.session.scalars(query.execution_options(populate_existing=True)).first()


def unlock(session: EventSession, match_id: int) -> None:
    """Let matching decide this pair again; accepted pairs stay, as both were told."""
    event = lock_day(session.event_id)
    match = db.session.get(Match, match_id, populate_existing=True)
    if match is not None and match.session_id != session.id:
        match = None
    status = match.status if match is not None else None
    lifecycle.change_pair(status, lifecycle.UNSUGGEST, event.status)
    db.session.delete(match)
    db.session.flush()


def accept(session: EventSession, pairs: list[tuple[int, int]]) -> list[Match]:
    """Accept pairs: lock each, mark it accepted, and send both people updated invites."""
    event = lock_day(session.event_id)
    people = plan_people(session)
    accepted = []
    for booking_id, surgeon_id in pairs:
        match = _pair_of(booking_id)
        same = match is not None and match.surgeon_id == surgeon_id
        try:
            lifecycle.change_pair(match.status if same else None, lifecycle.ACCEPT, event.status)
        except lifecycle.AlreadyDone:
            continue  # accepted before, and both were told then
        match = _lock(people, booking_id, surgeon_id)
        match.status, match.accepted_at = ACCEPTED, utcnow()
        accepted.append(match)
    db.session.flush()
    _tell(session, accepted)
    return accepted


def _tell(session: EventSession, accepted: list[Match]) -> None:
    """Each attendee hears who they will meet; each surgeon whom they will help."""
    surgeons = {}
    for match in accepted:
        match.booking.ical_sequence += 1
        notices.notify_matched_attendee(match.booking, match.surgeon)
        surgeons[match.surgeon_id] = match.surgeon
    for surgeon in surgeons.values():
        slot = next(a for a in surgeon.availability if a.session_id == session.id)
        slot.ical_sequence += 1
        notices.notify_matched_surgeon(surgeon, slot, surgeon_told_of(session, surgeon.id))
    db.session.flush()


def surgeon_told_of(session: EventSession, surgeon_id: int) -> list[Booking]:
    """The attendees a surgeon was told they will help in a session."""
    return [
        m.booking for m in _fixed(session) if m.status == ACCEPTED and m.surgeon_id == surgeon_id
    ]


def release_surgeon(surgeon: Surgeon, session_id: int) -> None:
    """Remove a surgeon's pairs in a session, so the attendees can be matched again.

    Attendees who were told who they would meet hear that their surgeon cannot come, with
    a newer invite that no longer names them.
    """
    event = lock_day(surgeon.event_id)
    query = sa.select(Match).where(Match.surgeon_id == surgeon.id, Match.session_id == session_id)
    pairs = list(db.session.scalars(query.order_by(Match.id)))
    told = []
    for match in pairs:
        change = lifecycle.change_pair(
            match.status, lifecycle.FALL_THROUGH, event.status, lifecycle.SURGEON_LEFT
        )
        if change.attendee and match.booking.status == CONFIRMED:
            told.append(match.booking)
        db.session.delete(match)
    db.session.flush()
    for booking in told:
        booking.ical_sequence += 1
    db.session.flush()
    notices.notify(lifecycle.BOOKING_UNMATCHED, told)


def release_booking(booking: Booking) -> None:
    """Remove the pair of a booking that is cancelled (the event must be locked).

    A surgeon who was told they would help this person hears they are not coming, with
    a newer invite listing who still is.
    """
    match = db.session.scalars(sa.select(Match).where(Match.booking_id == booking.id)).first()
    if match is None:
        return
    day = booking.session.event.status
    change = lifecycle.change_pair(
        match.status, lifecycle.FALL_THROUGH, day, lifecycle.ATTENDEE_LEFT
    )
    surgeon = match.surgeon
    db.session.delete(match)
    db.session.flush()
    slot = next((a for a in surgeon.availability if a.session_id == booking.session_id), None)
    if not change.surgeon or slot is None:
        return
    slot.ical_sequence += 1
    db.session.flush()
    still = surgeon_told_of(booking.session, surgeon.id)
    notices.notify_unmatched_surgeon(surgeon, slot, booking.registration, still)


@dataclass
class People:
    """The session's confirmed bookings and available surgeons, for checking a pair."""

    session: EventSession
    bookings: dict[int, Booking]
    surgeons: dict[int, Surgeon]

    def booking(self, booking_id: int) -> Booking:
        """A confirmed booking of this session, or a clear refusal."""
        if booking_id not in self.bookings:
            raise DomainError("That person is not booked on this session.")
        return self.bookings[booking_id]

    def surgeon(self, surgeon_id: int) -> Surgeon:
        """An approved surgeon available for this session, or a clear refusal."""
        if surgeon_id not in self.surgeons:
            raise DomainError("That surgeon is not available for this session.")
        return self.surgeons[surgeon_id]


def plan_people(session: EventSession) -> People:
    """Who can be paired in this session."""
    return People(session, _attendees(session), _surgeons(session))
