"""Check-in, walk-ins and feedback. Services flush and raise; the caller commits once."""

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from surgery.bookings.models import Booking, Registration
from surgery.bookings.services import AboutYou, apply_about, next_queue_key, place_on_arrival
from surgery.database import lock_row, utcnow
from surgery.day import door
from surgery.day.models import Feedback
from surgery.domain import arrival, attendance
from surgery.domain.capacity import CANCELLED, CONFIRMED
from surgery.domain.errors import DomainError
from surgery.domain.tokens import hash_token, manage_token, new_form_key, normalise_checkin_code
from surgery.events.models import CANCELLED as EVENT_CANCELLED
from surgery.events.models import PUBLISHED, SURGERY, Event, EventSession
from surgery.events.services import lock_day
from surgery.extensions import db
from surgery.mail import notices
from surgery.organise.create_once import create_once

# a door login can open a day's check-in from this long before it starts until this long after
DOOR_WINDOW = dt.timedelta(days=1)


def door_may_open(event: Event, now: dt.datetime | None = None) -> bool:
    """True when a check-in-only login may see this day's list: published, and near the day."""
    if event.status != PUBLISHED or not event.sessions:
        return False
    now = now or utcnow()
    first = min(s.starts_at for s in event.sessions)
    last = max(s.ends_at for s in event.sessions)
    return first - DOOR_WINDOW <= now <= last + DOOR_WINDOW


def people(event: Event, search: str = "", fresh: bool = False) -> list[Registration]:
    """Everyone expected (an active booking) or already here, by name; search narrows it.

    fresh: read again what this transaction loaded before (after taking the day's lock)."""
    active = sa.select(Booking.registration_id).where(Booking.status != CANCELLED)
    query = (
        sa.select(Registration)
        .where(
            Registration.event_id == event.id,
            sa.or_(Registration.id.in_(active), Registration.checked_in_at.is_not(None)),
        )
        .options(selectinload(Registration.bookings).selectinload(Booking.session))
        .order_by(sa.func.lower(Registration.name), Registration.id)
    )
    query = door.found_by(query, search)
    return list(db.session.scalars(query.execution_options(populate_existing=fresh)))


def check_in(registration: Registration) -> list[Booking]:
    """Mark someone arrived (again is harmless); refused for a cancelled booking or day.
    Someone on a waiting list gets a place that is free in that session; returns the
    bookings that got one. Otherwise they wait on the floor after people with places.

    Decided under the day's lock on fresh rows, so a booking cancelled a moment ago is
    never checked in on what the session read before.
    """
    event = lock_day(registration.event_id)
    db.session.refresh(registration)
    fresh = sa.select(Booking).where(Booking.registration_id == registration.id)
    db.session.scalars(fresh.execution_options(populate_existing=True)).all()
    db.session.expire(registration, ["bookings"])  # and bookings made meanwhile
    refusal = check_in_refusal(registration, door.state_of(registration), event)
    if refusal:
        raise DomainError(refusal)
    if registration.checked_in_at is None:
        registration.checked_in_at = utcnow()
    placed = [b for b in registration.bookings if place_on_arrival(b)]
    db.session.flush()
    return placed


def check_in_refusal(registration: Registration, state, event: Event | None = None):
    """Why this person cannot be checked in now (their state as given), or None."""
    event = event or registration.event
    return attendance.check_in_refusal(
        state,
        day_cancelled=event.status == EVENT_CANCELLED,
        already_here=registration.checked_in_at is not None,
    )


def undo_check_in(registration: Registration) -> None:
    """Someone was marked arrived by mistake."""
    registration.checked_in_at = None
    db.session.flush()


def by_code(typed: str) -> Registration | None:
    """The registration with this check-in code, however it was typed."""
    code = normalise_checkin_code(typed)
    query = sa.select(Registration).where(Registration.checkin_code == code)
    return db.session.scalars(query).one_or_none() if code else None


def mark_attendance(
    event: Event, shown_ids: set[int], was_here_ids: set[int], arrived_ids: set[int]
) -> int:
    """From the paper sheet: change only the boxes the organiser changed.

    The form says who it showed and who it showed as arrived; a box left as it was shown
    changes nothing, so someone checked in at the door while the form was open is not
    un-checked, nor an undone check-in made again. Returns how many of this event's people came.
    Decided under the day's lock, on people read again under it.
    """
    lock_row(Event, event.id)
    came = 0
    for registration in people(event, fresh=True):
        if registration.id in shown_ids:
            ticked, was = registration.id in arrived_ids, registration.id in was_here_ids
            if ticked and not was:
                check_in(registration)
            elif was and not ticked:
                registration.checked_in_at = None
        came += registration.checked_in_at is not None
    db.session.flush()
    return came


@dataclass
class WalkIn:
    """What a walk-in tells the kiosk."""

    name: str
    email: str = ""
    about: AboutYou = field(default_factory=AboutYou)
    need: str | None = None  # what they need now (surgery.domain.arrival); None: a surgeon
    follow_up: bool = False  # "have you used what you learned?" four weeks after the day


def register_walk_in(
    event_id: int, walk_in: WalkIn, secret: str, create_key: str | None = None
) -> Registration:
    """Register and check in someone at the door, into the surgery session even if full;
    the same form sent twice (a double tap) registers them once."""
    event = lock_day(event_id)
    if event is None or not event.is_published:
        raise DomainError("This surgery day is not running.")
    made = create_once(Registration, create_key, lambda: _walk_in(event, walk_in, secret))
    return made[0]


def _walk_in(event: Event, walk_in: WalkIn, secret: str) -> Registration:
    """The walk-in's registration (theirs already, if their email has one), checked in."""
    email = walk_in.email.strip().lower() or None
    registration = None
    if email:
        registration = db.session.scalars(
            sa.select(Registration).where(
                Registration.event_id == event.id, Registration.email == email
            )
        ).one_or_none()
    if registration is None:
        seed = new_form_key()
        registration = Registration(
            event=event, name=walk_in.name.strip(), email=email, is_walk_in=True
        )
        registration.token_seed = seed
        registration.token_hash = hash_token(manage_token(secret, seed))
        apply_about(registration, walk_in.about)
        db.session.add(registration)
    elif not registration.active_bookings:
        registration.is_walk_in = True  # their booking was cancelled: they came without one
    registration.need_now = arrival.parse(walk_in.need) or registration.need_now
    if walk_in.follow_up and registration.email:
        registration.wants_follow_up = True
    surgery = surgery_now(event)
    if surgery is not None and arrival.joins_surgeon_queue(registration.need_now):
        _into_surgery(registration, surgery)
    db.session.flush()
    check_in(registration)
    return registration


def surgery_now(event: Event) -> EventSession | None:
    """The surgery session running now, else the next one, else the last one."""
    surgeries = [s for s in event.sessions if s.kind == SURGERY]
    now = utcnow()
    running = [s for s in surgeries if s.starts_at <= now < s.ends_at]
    upcoming = [s for s in surgeries if s.starts_at > now]
    return (running or upcoming or surgeries[-1:] or [None])[0]


def _into_surgery(registration: Registration, session: EventSession) -> None:
    """A confirmed place in the surgery session; walk-ins may take it past capacity."""
    booking = next((b for b in registration.bookings if b.session_id == session.id), None)
    if booking is None:
        booking = Booking(session=session)
        registration.bookings.append(booking)
    if booking.status != CONFIRMED:
        booking.status = CONFIRMED
        booking.queue_key = next_queue_key(session.id)


def request_feedback(event: Event) -> int:
    """Email a short 'what did you learn?' link to everyone who came, gave an email and has
    not been asked yet; return how many were asked now."""
    lock_row(Event, event.id)  # two presses at once must not ask anyone twice
    came = not_yet_asked(event)
    now = utcnow()
    for registration in came:
        registration.feedback_requested_at = now
    db.session.flush()
    notices.notify_feedback(event, came)
    return len(came)


def not_yet_asked(event: Event) -> list[Registration]:
    """Everyone who came, gave an email, and was neither asked for feedback nor answered."""
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.checked_in_at.is_not(None),
                Registration.email.is_not(None),
                Registration.feedback_requested_at.is_(None),
                Registration.id.not_in(sa.select(Feedback.registration_id)),  # answered already
            )
            .order_by(Registration.id)
        )
    )


def feedback_asked(event: Event) -> int:
    """How many people have been sent the 'what did you learn?' link."""
    return db.session.scalar(
        sa.select(sa.func.count(Registration.id)).where(
            Registration.event_id == event.id, Registration.feedback_requested_at.is_not(None)
        )
    )


def save_feedback(registration: Registration, learned: str, share: bool) -> Feedback:
    """Keep (or replace) what someone learned."""
    if registration.checked_in_at is None:
        raise DomainError("Feedback is for people who came on the day.")
    feedback = db.session.scalars(
        sa.select(Feedback).where(Feedback.registration_id == registration.id)
    ).one_or_none() or Feedback(registration=registration)
    feedback.learned, feedback.share_publicly = learned.strip(), share
    db.session.add(feedback)
    db.session.flush()
    return feedback


def shared_feedback(event: Event) -> list[str]:
    """What people agreed to share publicly, without names, newest first."""
    query = (
        sa.select(Feedback.learned)
        .join(Feedback.registration)
        .where(Registration.event_id == event.id, Feedback.share_publicly.is_(True))
        .where(Feedback.learned != "")
        .order_by(Feedback.id.desc())
    )
    return list(db.session.scalars(query))
