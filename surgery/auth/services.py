"""Organiser accounts."""

import sqlalchemy as sa

from surgery.auth.models import DOOR, ORGANISER, Organiser
from surgery.domain.errors import DomainError, NotFound
from surgery.extensions import db

MIN_PASSWORD_LENGTH = 10


def find(email: str) -> Organiser | None:
    """The organiser with this email, if any."""
    query = sa.select(Organiser).where(Organiser.email == email.strip().lower())
    return db.session.scalars(query).one_or_none()


def authenticate(email: str, password: str) -> Organiser | None:
    """The organiser if the password matches, else None."""
    organiser = find(email)
    return organiser if organiser and organiser.check_password(password) else None


def create(email: str, name: str, password: str, role: str = ORGANISER) -> Organiser:
    """Add an organiser or a check-in-only door login (flushes; the caller commits)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if find(email):
        raise DomainError(f"There is already an organiser with the email {email}.")
    organiser = Organiser(email=email.strip().lower(), name=name.strip(), role=role)
    organiser.set_password(password)
    db.session.add(organiser)
    db.session.flush()
    return organiser


def door_logins() -> list[Organiser]:
    """Every check-in-only login, by name."""
    query = sa.select(Organiser).where(Organiser.role == DOOR).order_by(Organiser.name)
    return list(db.session.scalars(query))


def remove_door_login(login_id: int) -> Organiser:
    """Delete a door login; whoever is signed in with it is signed out at their next click."""
    login = db.session.get(Organiser, login_id)
    if login is None or login.role != DOOR:
        raise NotFound("No such door login.")
    db.session.delete(login)
    db.session.flush()
    return login
