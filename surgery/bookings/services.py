"""Booking, cancelling and the waiting list.

Every change to a session's bookings is made holding the event's row lock, so bookings for
one event are made one at a time: places are counted and taken in the same transaction and
nothing is overbooked (PostgreSQL: FOR NO KEY UPDATE; SQLite: the write lock of BEGIN
IMMEDIATE).
Services flush and raise; the caller commits once.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from surgery.bookings.models import Booking, Registration
from surgery.database import by_token, utcnow
from surgery.day import changes
from surgery.domain import bookable, capacity, lifecycle
from surgery.domain.answers import Unconsented
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED
from surgery.domain.errors import DomainError, NotBookable, NotFound
from surgery.domain.tokens import hash_token, manage_token, new_form_key
from surgery.events.models import Event, EventSession
from surgery.events.services import lock_day
from surgery.extensions import db
from surgery.mail import notices
from surgery.matching import services as matching
from surgery.vocabulary.models import RoleTag, Topic
from surgery.vocabulary.services import terms


@dataclass
class AboutYou:
    """What a person tells us about themselves, as plain data from a form."""

    role_tag_ids: list[int] = field(default_factory=list)
    topic_ids: list[int] = field(default_factory=list)
    help_text: str = ""
    access_needs: list[str] = field(default_factory=list)
    access_other: str = ""
    consent: bool = False
    share_with_surgeon: bool = False
    wants_lived_experience: bool = False
    languages: list[str] = field(default_factory=list)

    def unconsented(self) -> Unconsented:
        """The answers we may keep only with consent that were given without it."""
        if self.consent:
            return Unconsented()
        return Unconsented(
            role_tags=len(self.role_tag_ids),
            access_needs=len(self.access_needs),
            access_other=bool(self.access_other.strip()),
            wants_lived_experience=self.wants_lived_experience,
        )


@dataclass
class BookingRequest:
    """A filled-in booking form."""

    name: str
    email: str
    session_ids: list[int]
    about: AboutYou
    form_key: str
    follow_up: bool = False  # asked "have you used what you learned?" four weeks after


@dataclass
class BookingOutcome:
    """What booking did: the registration and its token, or None for both when the email
    already had a booking for the day (from another form: nothing is shown or changed)."""

    registration: Registration | None
    token: str | None
    added: list[Booking] = field(default_factory=list)
    already: list[Booking] = field(default_factory=list)
    not_kept: Unconsented = field(default_factory=Unconsented)


def book(event_id: int, req: BookingRequest, secret: str) -> BookingOutcome:
    """Book the chosen sessions of one event for one person.

    If the email already has a booking for the day, made from another form, nothing changes
    and nothing of it is shown: its owner is emailed their private link instead, from which
    they can add sessions. Only the same form sent again (a double click) reaches it.

    Who is booking is settled before the day's lock, which is then held only to give out
    places: a new person's registration is written first. Two forms sent at once with one
    email (or one form twice) cannot both write one: the second waits for the first to
    commit and fails on the unique email or form, and web.run runs it again, when it finds
    the first one's registration.
    """
    seed = req.form_key
    token = manage_token(secret, seed)
    registration, form_used = _already_known(event_id, req.email, hash_token(token))
    if registration is not None and registration is not form_used:
        notices.notify_link(registration)
        return BookingOutcome(None, None)
    is_new = registration is None
    if is_new:
        if form_used is not None:  # the same form sent again with another email
            seed = new_form_key()
            token = manage_token(secret, seed)
        registration = _new_registration(event_id, req, seed, token)
    event = lock_day(event_id)
    if event is None:
        raise NotFound("This surgery day is not open for booking.")
    lifecycle.open_for_booking(event.status)
    sessions = _bookable_sessions(event, req.session_ids)
    added, already = _book_into(registration, sessions)
    not_kept = req.about.unconsented() if is_new else Unconsented()
    return BookingOutcome(registration, token, added, already, not_kept)


def _new_registration(event_id: int, req: BookingRequest, seed: str, token: str):
    """A new person's registration for the day, written now (before the day's lock)."""
    email = req.email.strip().lower()
    # bookings=[]: known empty, so adding the first reads nothing back
    registration = Registration(event_id=event_id, name=req.name.strip(), email=email, bookings=[])
    registration.token_seed, registration.token_hash = seed, hash_token(token)
    apply_about(registration, req.about)
    registration.wants_follow_up = req.follow_up
    db.session.add(registration)
    db.session.flush()
    return registration


def _already_known(event_id: int, email: str, token_hash: str):
    """(the registration this email has for the day, the one this form made), in one query;
    either may be None."""
    email = email.strip().lower()
    values = {"event_id": event_id, "email": email, "token_hash": token_hash}
    found = db.session.scalars(_KNOWN, values).all()
    by_email = next((r for r in found if r.event_id == event_id and r.email == email), None)
    return by_email, next((r for r in found if r.token_hash == token_hash), None)


# a day's registration by email, or any by the form's token (built once: every booking asks)
_KNOWN = sa.select(Registration).where(
    sa.or_(
        sa.and_(
            Registration.event_id == sa.bindparam("event_id"),
            Registration.email == sa.bindparam("email"),
        ),
        Registration.token_hash == sa.bindparam("token_hash"),
    )
)


def add_sessions(registration: Registration, session_ids: list[int]) -> list[Booking]:
    """Book more sessions of the same day from the private link; return the new bookings."""
    event = lock_event_of(registration)
    lifecycle.open_for_booking(event.status)
    added, _ = _book_into(registration, _bookable_sessions(registration.event, session_ids))
    return added


def _book_into(registration: Registration, sessions: list[EventSession]):
    """Book each session not yet booked (the event is locked), telling the person of each;
    return the new bookings and the ones they already had."""
    added, already = [], []
    for session in sessions:
        existing = _booking_for(registration, session)
        if existing is not None and existing.status != CANCELLED:
            already.append(existing)
        else:
            added.append(_place(registration, session, existing))
    db.session.flush()
    for booking, change, placement in added:
        notices.notify(change.tell, [booking], position=placement.position)
    return [booking for booking, _, _ in added], already


def _bookable_sessions(event: Event, session_ids: list[int]) -> list[EventSession]:
    """The chosen sessions, each checked to be open for booking (the event is locked)."""
    chosen = [s for s in event.sessions if s.id in set(session_ids)]
    if not chosen:
        raise NotBookable("Choose at least one session to book.")
    now = utcnow()
    for session in chosen:
        refused = refusal(session, now)
        if refused:
            raise NotBookable(refused)
    return chosen


def refusal(session: EventSession, now) -> str | None:
    """Why a session cannot be booked at this moment, or None when it can."""
    phase = bookable.phase(session.starts_at, session.ends_at, now)
    return bookable.refusal(session.title, session.needs_booking, phase)


def _booking_for(registration: Registration, session: EventSession) -> Booking | None:
    """This registration's booking for a session, if any."""
    return next((b for b in registration.bookings if b.session_id == session.id), None)


def _place(registration: Registration, session: EventSession, booking: Booking | None):
    """Give the registration a place or a queue position in a session; return the booking,
    the change the domain allowed, and the placement."""
    db.session.flush()
    confirmed, waiting, last_key = standing(session.id)
    placement = capacity.place_new_booking(session.capacity or 0, confirmed, waiting)
    status = booking.status if booking is not None else None
    full = placement.status == WAITLISTED
    change = lifecycle.change_booking(status, lifecycle.BOOK, session.event.status, full)
    if booking is None:
        booking = _insert_booking(registration, session, change.status, last_key + 1)
    else:
        booking.ical_sequence += 1  # booked again after a cancellation: a newer invite
        booking.status = change.status
        booking.queue_key = last_key + 1
    return booking, change, placement


# built once: every booking, promotion and walk-in runs it
_STANDING = sa.select(
    sa.func.count().filter(Booking.status == CONFIRMED),
    sa.func.count().filter(Booking.status == WAITLISTED),
    sa.func.coalesce(sa.func.max(Booking.queue_key), 0),
).where(Booking.session_id == sa.bindparam("session_id"))


def standing(session_id: int) -> tuple[int, int, int]:
    """Confirmed and waiting bookings in a session, and its last queue key, in one query."""
    confirmed, waiting, last_key = db.session.execute(_STANDING, {"session_id": session_id}).one()
    return confirmed, waiting, last_key


_INSERT_BOOKING = sa.insert(Booking).returning(Booking)


def _insert_booking(registration, session, status: str, queue_key: int) -> Booking:
    """Write a new booking now, in one INSERT that returns it as a loaded row: under the
    day's lock, where every booking of the day waits for this one, it skips the work a
    flush does to find what changed. The day's change counter is told (a flush would)."""
    values = {
        "registration_id": registration.id,
        "session_id": session.id,
        "status": status,
        "queue_key": queue_key,
    }
    booking = db.session.scalars(_INSERT_BOOKING, [values]).one()
    bookings = [*registration.bookings, booking]
    set_committed_value(registration, "bookings", bookings)
    changes.note_session(db.session, session.id)
    return booking


def next_queue_key(session_id: int) -> int:
    """A queue key after every other in the session."""
    return standing(session_id)[2] + 1


def apply_about(registration: Registration, about: AboutYou) -> None:
    """Store what the person told us; sensitive answers only with their consent."""
    registration.topics = terms(Topic, about.topic_ids)
    registration.help_text = about.help_text.strip()
    registration.languages = list(about.languages)
    registration.consent_sensitive = about.consent
    registration.share_with_surgeon = about.consent and about.share_with_surgeon
    if about.consent:
        registration.consent_at = registration.consent_at or utcnow()
        registration.role_tags = terms(RoleTag, about.role_tag_ids)
        registration.access_needs = list(about.access_needs)
        registration.access_other = about.access_other.strip()
        registration.wants_lived_experience = about.wants_lived_experience
    else:
        registration.wants_lived_experience = False
        registration.consent_at = None
        registration.role_tags = []
        registration.access_needs = []
        registration.access_other = ""


def registration_for_token(token: str) -> Registration:
    """The registration a manage link belongs to."""
    registration = by_token(Registration, token)
    if registration is None:
        raise NotFound("This link does not match a booking. Check it was copied whole.")
    return registration


def lock_event_of(registration: Registration) -> Event:
    """Take the event's lock before changing any of its bookings; return the event, and
    read the registration and its bookings again under the lock."""
    event = lock_day(registration.event_id)
    db.session.refresh(registration)
    for booking in registration.bookings:
        db.session.refresh(booking)
    return event


def cancel(booking: Booking) -> list[Booking]:
    """Cancel one booking and drop its pair; return those promoted into its place.

    Cancelled already (a double press, or the organiser got there first): nothing is done."""
    event = lock_event_of(booking.registration)
    over = is_over(booking.session)
    try:
        change = lifecycle.change_booking(
            booking.status, lifecycle.CANCEL_BOOKING, event.status, over=over
        )
    except lifecycle.AlreadyDone:
        return []
    if change.tell:
        booking.ical_sequence += 1
        notices.notify(change.tell, [booking])
    booking.status = change.status
    db.session.flush()
    matching.release_booking(booking)
    return refill(booking.session) if change.frees_place else []


def cancel_all(registration: Registration) -> list[Booking]:
    """Cancel every booking of a registration; return who was promoted."""
    promoted = []
    for booking in cancellable(registration):
        promoted += cancel(booking)
    return promoted


def cancellable(registration: Registration) -> list[Booking]:
    """The bookings "Cancel all" cancels: sessions that are over keep theirs (all of them,
    so the refusal is said, when nothing else is left)."""
    active = registration.active_bookings
    return [b for b in active if not is_over(b.session)] or active


def is_over(session: EventSession) -> bool:
    """True once a session has ended."""
    return bookable.phase(session.starts_at, session.ends_at, utcnow()) == bookable.OVER


def refill(session: EventSession) -> list[Booking]:
    """Promote the first in line into any free places (the event must be locked).

    Nobody is promoted into a cancelled day or a session that is over (the domain refuses
    it): they would be invited to something not happening. Its waiting list stays, in order.
    """
    if session.capacity is None:
        return []
    queue = waiting_list(session.id)
    confirmed, _, _ = standing(session.id)
    ids = set(capacity.to_promote(session.capacity, confirmed, [b.id for b in queue]))
    promoted = [b for b in queue if b.id in ids]
    over = is_over(session)  # a session that has started may still take someone on the day
    try:
        changes = [
            lifecycle.change_booking(b.status, lifecycle.PROMOTE, session.event.status, over=over)
            for b in promoted
        ]
    except DomainError:
        return []
    for booking, change in zip(promoted, changes, strict=True):
        booking.status = change.status
    db.session.flush()
    notices.notify(lifecycle.PROMOTED, promoted)
    return promoted


def place_on_arrival(booking: Booking) -> bool:
    """Someone on a waiting list has come on the day: a place free in that session is theirs
    now (the day must be locked). True if they got it. They are at the door, so the door
    tells them; no email."""
    session = booking.session
    if booking.status != WAITLISTED or session.capacity is None:
        return False
    confirmed, _, _ = standing(session.id)
    if capacity.places_left(session.capacity, confirmed) <= 0:
        return False
    try:
        change = lifecycle.change_booking(
            booking.status, lifecycle.PROMOTE, session.event.status, over=is_over(session)
        )
    except DomainError:
        return False
    booking.status = change.status
    db.session.flush()
    return True


def announce_change(
    sessions: list[EventSession], kind: str = notices.UPDATED, notes: list[str] = ()
) -> int:
    """Send everyone confirmed in these sessions a newer invite (update or cancellation);
    notes say what changed."""
    bookings = _bookings_in(sessions, CONFIRMED)
    for booking in bookings:
        booking.ical_sequence += 1
    for session in sessions:
        session.ical_sequence += 1
    db.session.flush()
    notices.notify(kind, bookings, notes=notes)
    return len(bookings)


def tell_waiting(sessions: list[EventSession], kind: str) -> int:
    """Tell everyone waiting in these sessions (the day is cancelled, or on again) where
    they are in the queue; their places in it are kept."""
    waiting = []
    positions: dict[int, int] = {}
    for session in sessions:
        queue = waiting_list(session.id)
        positions |= capacity.positions([b.id for b in queue])
        waiting += queue
    notices.notify(kind, waiting, positions=positions)
    return len(waiting)


def _bookings_in(sessions: list[EventSession], status: str) -> list[Booking]:
    """The bookings of these sessions with this status, with their people, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Booking)
            .where(Booking.session_id.in_([s.id for s in sessions]), Booking.status == status)
            .options(selectinload(Booking.registration))
            .order_by(Booking.id)
        )
    )


def waiting_list(session_id: int) -> list[Booking]:
    """The session's waiting list, first in line first."""
    return list(
        db.session.scalars(
            sa.select(Booking)
            .where(Booking.session_id == session_id, Booking.status == WAITLISTED)
            .options(selectinload(Booking.registration))
            .order_by(Booking.queue_key, Booking.id)
        )
    )


def move_up(booking: Booking) -> None:
    """Move a waiting booking one place nearer the front of its queue."""
    event = lock_event_of(booking.registration)
    lifecycle.change_booking(booking.status, lifecycle.MOVE_UP, event.status)
    queue = waiting_list(booking.session_id)
    keys = [b.queue_key for b in queue]
    order = capacity.swap_up([b.id for b in queue], booking.id)
    by_id = {b.id: b for b in queue}
    # give the keys out again in the new order; keys stay unique and increasing
    for key, booking_id in zip(sorted(keys), order, strict=True):
        by_id[booking_id].queue_key = key
    db.session.flush()


def waiting_positions(registration: Registration) -> dict[int, int]:
    """Waiting-list position of each of this registration's waiting bookings."""
    result = {}
    for booking in registration.bookings:
        if booking.status == WAITLISTED:
            queue = [b.id for b in waiting_list(booking.session_id)]
            result[booking.id] = capacity.positions(queue)[booking.id]
    return result


def hand_over(pairs: list[tuple[Booking, Booking]]) -> None:
    """On the day: each confirmed place (of someone not here) goes to a waiting booking (of
    someone here), not to whoever is first in line; both people are told. The event must be
    locked and the bookings read under the lock."""
    for lost, got in pairs:
        day = lost.session.event.status
        gone = lifecycle.change_booking(lost.status, lifecycle.CANCEL_BOOKING, day)
        given = lifecycle.change_booking(got.status, lifecycle.PROMOTE, day)
        lost.status, lost.ical_sequence = gone.status, lost.ical_sequence + 1
        got.status = given.status
        db.session.flush()
        matching.release_booking(lost)
    notices.notify(notices.RELEASED, [lost for lost, _ in pairs])
    notices.notify(lifecycle.PROMOTED, [got for _, got in pairs])
