"""Volunteering as a surgeon, and organisers approving, declining or adding surgeons.

Services flush and raise; the caller commits once. Invites go through the outbox.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from surgery.bookings.models import Registration
from surgery.database import by_token, utcnow
from surgery.domain import bookable, volunteering
from surgery.domain.errors import DomainError, NotFound
from surgery.domain.lifecycle import AlreadyDone
from surgery.domain.tokens import hash_token, manage_token, new_form_key
from surgery.events.models import CANCELLED as EVENT_CANCELLED
from surgery.events.models import SURGERY, Event, EventSession
from surgery.events.services import lock_day
from surgery.extensions import db
from surgery.mail import notices
from surgery.matching import services as matching
from surgery.surgeons.models import (
    APPROVED,
    PENDING,
    WITHDRAWN,
    Surgeon,
    SurgeonSession,
)
from surgery.vocabulary.models import RoleTag, Topic
from surgery.vocabulary.services import terms


@dataclass
class SurgeonDetails:
    """What a volunteer tells us, as plain data from a form."""

    name: str
    email: str
    topic_ids: list[int]
    session_ids: list[int]
    capacity: int
    bio: str = ""
    languages: list[str] = field(default_factory=list)
    role_tag_ids: list[int] = field(default_factory=list)
    consent: bool = False


@dataclass
class VolunteerOutcome:
    """The surgeon record, its manage token when this form made it, and whether it is new."""

    surgeon: Surgeon
    token: str | None
    is_new: bool


def volunteer(
    event_id: int, details: SurgeonDetails, form_key: str, secret: str, by_organiser=False
) -> VolunteerOutcome:
    """Sign someone up as a surgeon for an event; an organiser's addition is approved at once."""
    event = lock_day(event_id)
    if event is None or (not by_organiser and not event.is_published):
        raise NotFound("This surgery day is not taking volunteers.")
    _refuse_if_cancelled(event, "it is not taking surgeons")
    if not by_organiser:  # an organiser may add someone who turned up to help on the day
        _refuse_started(event, details.session_ids)
    email = details.email.strip().lower()
    surgeon = db.session.scalars(
        sa.select(Surgeon).where(Surgeon.event_id == event.id, Surgeon.email == email)
    ).one_or_none()
    token = manage_token(secret, form_key)
    if surgeon is not None and surgeon.status != WITHDRAWN:
        if surgeon.token_hash == hash_token(token):  # the same form sent again
            return VolunteerOutcome(surgeon, token, False)
        if not by_organiser:  # someone used this address again: only its owner hears of it
            notices.notify_surgeon_link(surgeon)
        return VolunteerOutcome(surgeon, None, False)
    if surgeon is None:
        if by_token(Surgeon, token):  # the same form sent again with another email
            form_key = new_form_key()
            token = manage_token(secret, form_key)
        surgeon = Surgeon(event=event, email=email)
        db.session.add(surgeon)
    surgeon.token_seed, surgeon.token_hash = form_key, hash_token(token)
    surgeon.added_by_organiser = by_organiser
    surgeon.status = PENDING
    _store(surgeon, details, own_page=not by_organiser)
    if by_organiser:
        approve(surgeon)
    else:
        db.session.flush()
        notices.notify_surgeon(notices.SURGEON_RECEIVED, surgeon)
    return VolunteerOutcome(surgeon, token, True)


def apply_details(surgeon: Surgeon, details: SurgeonDetails) -> None:
    """The surgeon's own page: the same rules as volunteering, decided under the lock."""
    _store(surgeon, details, own_page=True)


def _store(surgeon: Surgeon, details: SurgeonDetails, own_page: bool) -> None:
    """Store a surgeon's answers; role tags only with consent; invites follow availability.

    own_page: the surgeon (not an organiser) chose, so no session that has started is
    added, and someone who withdrew meanwhile changes nothing."""
    with db.session.no_autoflush:  # a new surgeon is stored once it is filled in
        lock_day(surgeon.event_id)  # before any invite or pair changes, as when booking
    _read_status_again(surgeon)
    if own_page:
        if surgeon.status == WITHDRAWN:
            raise DomainError("You have withdrawn, so there is nothing to change.")
        _refuse_started(surgeon.event, set(details.session_ids) - surgeon.session_ids)
    surgeon.name = details.name.strip()
    surgeon.bio = details.bio.strip()
    surgeon.capacity = details.capacity
    surgeon.languages = list(details.languages)
    surgeon.consent_sensitive = details.consent
    surgeon.topics = terms(Topic, details.topic_ids)
    surgeon.role_tags = terms(RoleTag, details.role_tag_ids) if details.consent else []
    _set_availability(surgeon, details.session_ids)
    db.session.flush()


def _set_availability(surgeon: Surgeon, session_ids: list[int]) -> None:
    """Add and remove surgery sessions; an approved surgeon gets invites and cancellations
    (the day is locked)."""
    valid = {s.id for s in surgeon.event.sessions if s.kind == SURGERY}
    wanted = set(session_ids) & valid
    if not wanted:
        raise DomainError("Choose at least one surgery session you can do.")
    for slot in list(surgeon.availability):
        if slot.session_id not in wanted:
            if surgeon.status == APPROVED:
                slot.ical_sequence += 1
                notices.notify_surgeon(notices.SURGEON_CANCELLED, surgeon, [slot])
            matching.release_surgeon(surgeon, slot.session_id)
            surgeon.availability.remove(slot)
    added = [SurgeonSession(session_id=sid) for sid in sorted(wanted - surgeon.session_ids)]
    if added:
        _refuse_if_cancelled(surgeon.event, "sessions cannot be added to it")
    surgeon.availability.extend(added)
    if surgeon.status == APPROVED and added:
        db.session.flush()
        notices.notify_surgeon(notices.SURGEON_CONFIRMED, surgeon, added)


def _read_status_again(surgeon: Surgeon) -> None:
    """Read a stored surgeon's status again under the day's lock, unless this change set it."""
    state = sa.inspect(surgeon)
    if state.persistent and not state.attrs.status.history.has_changes():
        db.session.refresh(surgeon, ["status"])


def _read_again(surgeon: Surgeon) -> None:
    """Read a stored surgeon and their sessions again under the day's lock: an invite for a
    session they dropped meanwhile would point at a row that is gone."""
    state = sa.inspect(surgeon)
    if not state.persistent or state.modified:  # this change is filling them in
        return
    db.session.refresh(surgeon)
    slots = sa.select(SurgeonSession).where(SurgeonSession.surgeon_id == surgeon.id)
    db.session.scalars(slots.execution_options(populate_existing=True)).all()
    db.session.expire(surgeon, ["availability"])


def approve(surgeon: Surgeon) -> bool:
    """Approve a volunteer: they get an invite for each session they can do; True if done.

    Approved already (a double press, or another organiser): nothing is sent again."""
    event = lock_day(surgeon.event_id)
    _read_again(surgeon)
    try:
        change = volunteering.change_surgeon(surgeon.status, volunteering.APPROVE, event.status)
    except AlreadyDone:
        return False
    surgeon.status = change.status
    for slot in surgeon.availability:
        if slot.ical_sequence:  # a cancellation went out with this number: send a newer one
            slot.ical_sequence += 1
    db.session.flush()
    for kind in change.tell:
        notices.notify_surgeon(kind, surgeon, surgeon.availability)
    return True


def _refuse_if_cancelled(event: Event, consequence: str) -> None:
    """No new invites for a cancelled day: they would put it back in people's calendars."""
    if event.status == EVENT_CANCELLED:
        raise DomainError(f"This surgery day is cancelled, so {consequence}.")


def _refuse_started(event: Event, session_ids: list[int]) -> None:
    """Nobody volunteers for a surgery session that has started or is over (event locked)."""
    now = utcnow()
    for session in event.sessions:
        if session.id in set(session_ids):
            phase = bookable.phase(session.starts_at, session.ends_at, now)
            refused = bookable.volunteer_refusal(session.title, phase)
            if refused:
                raise DomainError(refused)


def decline(surgeon: Surgeon) -> bool:
    """Decline a volunteer, with thanks; cancel invites if they had been approved. True if
    done (not declined or withdrawn already)."""
    return _stand_down(surgeon, volunteering.DECLINE)


def withdraw(surgeon: Surgeon) -> None:
    """The volunteer can no longer come: cancel their invites and pairs."""
    _stand_down(surgeon, volunteering.WITHDRAW)


def _stand_down(surgeon: Surgeon, action: str) -> bool:
    """Leave every session: CANCEL invites sent, pairs dropped, told attendees told.

    Nothing is done if they had already left (a double press, or a decline after they
    withdrew): nobody is told twice."""
    event = lock_day(surgeon.event_id)  # before any invite or pair changes
    db.session.refresh(surgeon)
    try:
        change = volunteering.change_surgeon(surgeon.status, action, event.status)
    except AlreadyDone:
        return False
    for kind in change.tell:
        if kind == notices.SURGEON_CANCELLED:
            for slot in surgeon.availability:
                slot.ical_sequence += 1
            notices.notify_surgeon(kind, surgeon, surgeon.availability)
        else:
            notices.notify_surgeon(kind, surgeon)
    for slot in surgeon.availability:
        matching.release_surgeon(surgeon, slot.session_id)
    surgeon.status = change.status
    db.session.flush()
    return True


def announce_change(sessions: list[EventSession], kind: str, notes: list[str] = ()) -> int:
    """Send the approved surgeons of these sessions a newer invite of this kind: the session
    as it is now (still listing whom they will help), or the day's cancellation; notes say
    what changed."""
    slots = list(
        db.session.scalars(
            sa.select(SurgeonSession)
            .join(SurgeonSession.surgeon)
            .where(
                SurgeonSession.session_id.in_([s.id for s in sessions]),
                Surgeon.status == APPROVED,
            )
            .options(selectinload(SurgeonSession.surgeon), selectinload(SurgeonSession.session))
            .order_by(SurgeonSession.id)
        )
    )
    for slot in slots:
        slot.ical_sequence += 1
    db.session.flush()
    for slot in slots:
        helping = matching.surgeon_told_of(slot.session, slot.surgeon_id)
        notices.notify_surgeon_slot(kind, slot.surgeon, slot, helping, notes)
    return len(slots)


def surgeon_for_token(token: str) -> Surgeon:
    """The surgeon a manage link belongs to."""
    surgeon = by_token(Surgeon, token)
    if surgeon is None:
        raise NotFound("This link does not match a volunteer. Check it was copied whole.")
    return surgeon


def surgeons_of(event: Event) -> list[Surgeon]:
    """Every volunteer of an event, newest first, with what the organiser page shows."""
    return list(
        db.session.scalars(
            sa.select(Surgeon)
            .where(Surgeon.event_id == event.id)
            .options(
                selectinload(Surgeon.topics),
                selectinload(Surgeon.role_tags),
                selectinload(Surgeon.availability),
            )
            .order_by(Surgeon.id.desc())
        )
    )


@dataclass
class History:
    """What a person did before, found by their email."""

    attended: list[Registration]
    volunteered: list[Surgeon]


def history(emails: list[str], exclude_event_id: int) -> dict[str, History]:
    """Earlier bookings and volunteering for each email, in two queries."""
    found = {e: History([], []) for e in emails}
    if not emails:
        return found
    for registration in db.session.scalars(
        sa.select(Registration)
        .where(Registration.email.in_(emails), Registration.event_id != exclude_event_id)
        .order_by(Registration.id)
    ):
        found[registration.email].attended.append(registration)
    for surgeon in db.session.scalars(
        sa.select(Surgeon)
        .where(Surgeon.email.in_(emails), Surgeon.event_id != exclude_event_id)
        .order_by(Surgeon.id)
    ):
        found[surgeon.email].volunteered.append(surgeon)
    return found
