"""The surgeon who helped someone on an earlier day, for "the same surgeon as last time".

Surgeons sign up for each day afresh, so last time's surgeon is found by their email among
this day's surgeons. Each question is one query, however many people ask.
"""

from collections.abc import Iterable

import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.day.models import HelpRecord
from surgery.domain.errors import DomainError
from surgery.extensions import db
from surgery.surgeons.models import Surgeon


def _earlier(event_id: int, emails: set[str]):
    """(attendee email, surgeon email) of every pairing on other days, oldest first."""
    return (
        sa.select(Registration.email, Surgeon.email)
        .select_from(HelpRecord)
        .join(HelpRecord.booking)
        .join(Booking.registration)
        .join(HelpRecord.surgeon)
        .where(Registration.email.in_(emails), Registration.event_id != event_id)
        .order_by(HelpRecord.started_at, HelpRecord.id)
    )


def had_a_surgeon_before(registration: Registration) -> bool:
    """True if this person (by their email) was helped by a surgeon on an earlier day."""
    if not registration.email:
        return False
    query = _earlier(registration.event_id, {registration.email}).limit(1)
    return db.session.execute(query).first() is not None


def surgeons_asked_for(
    event_id: int, registrations: Iterable[Registration], surgeons: Iterable[Surgeon]
) -> dict[int, int]:
    """registration id -> the surgeon here today who helped them last time, for those who
    asked for the same surgeon again and whose last surgeon is among these surgeons."""
    asking = [r for r in registrations if r.wants_same_surgeon and r.email]
    if not asking:
        return {}
    last: dict[str, str] = {}
    for attendee, surgeon in db.session.execute(_earlier(event_id, {r.email for r in asking})):
        last[attendee] = surgeon.lower()  # the newest pairing wins
    today = {s.email.lower(): s.id for s in surgeons}
    found = {r.id: today.get(last.get(r.email, "")) for r in asking}
    return {rid: sid for rid, sid in found.items() if sid is not None}


def helped_before(event_id: int, registrations: Iterable[Registration]) -> set[int]:
    """The ids of these registrations whose person was helped on an earlier day."""
    by_email = {r.email: r.id for r in registrations if r.email}
    if not by_email:
        return set()
    rows = db.session.execute(
        _earlier(event_id, set(by_email)).with_only_columns(Registration.email)
    )
    return {by_email[email] for (email,) in rows}


def ask_again(registration: Registration, wanted: bool) -> None:
    """They would like last time's surgeon (or no longer); only someone helped before may ask."""
    if wanted and not had_a_surgeon_before(registration):
        raise DomainError("They have not been helped by a surgeon on an earlier day.")
    registration.wants_same_surgeon = wanted
    db.session.flush()
