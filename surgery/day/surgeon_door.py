"""Surgeons at the door: their own check-in code, typed or scanned as attendees' codes are."""

import sqlalchemy as sa

from surgery.day import floor
from surgery.domain.errors import DomainError
from surgery.domain.tokens import normalise_checkin_code
from surgery.events.models import CANCELLED
from surgery.extensions import db
from surgery.surgeons.models import APPROVED, Surgeon

NOT_CONFIRMED = (
    "This surgeon is not confirmed for this day, so their code cannot be used to check in. "
    "Please see an organiser at the desk."
)
DAY_CANCELLED = "This surgery day was cancelled, so its codes cannot be used to check in."


def by_code(typed: str) -> Surgeon | None:
    """The surgeon with this check-in code, however it was typed."""
    code = normalise_checkin_code(typed)
    query = sa.select(Surgeon).where(Surgeon.checkin_code == code)
    return db.session.scalars(query).one_or_none() if code else None


def refusal(surgeon: Surgeon) -> str | None:
    """Why this surgeon cannot be marked here now, or None."""
    if surgeon.event.status == CANCELLED:
        return DAY_CANCELLED
    if surgeon.status != APPROVED:
        return NOT_CONFIRMED
    return None


def check_in(surgeon: Surgeon) -> None:
    """Mark a confirmed surgeon arrived (again is harmless); they show on the floor as here."""
    db.session.refresh(surgeon)
    said = refusal(surgeon)
    if said:
        raise DomainError(said)
    floor.surgeon_arrived(surgeon)
