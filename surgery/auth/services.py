"""Organiser accounts: signing in, passwords, invites and door logins."""

import functools
import secrets

import sqlalchemy as sa

from surgery.audit import log
from surgery.auth.models import (
    DOOR,
    ORGANISER,
    AccountLink,
    Organiser,
    hash_password,
    password_matches,
)
from surgery.database import utcnow
from surgery.domain import audit
from surgery.domain.accounts import INVITE, RESET, link_expires_at, link_is_open, password_problem
from surgery.domain.errors import DomainError, NotFound
from surgery.domain.tokens import account_link_token, hash_token
from surgery.extensions import db
from surgery.mail import account_notices


def find(email: str) -> Organiser | None:
    """The organiser with this email, if any."""
    query = sa.select(Organiser).where(Organiser.email == email.strip().lower())
    return db.session.scalars(query).one_or_none()


@functools.cache
def _stand_in_hash() -> str:
    """A password hash no one knows the password of, made like the real ones."""
    return hash_password(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> Organiser | None:
    """The organiser if the password matches, else None.

    An unknown email costs one password check too, so how long the answer takes does not
    tell whether someone has an account.
    """
    organiser = find(email)
    if organiser is None:
        password_matches(_stand_in_hash(), password)
        return None
    return organiser if organiser.check_password(password) else None


def create(email: str, name: str, password: str, role: str = ORGANISER) -> Organiser:
    """Add an organiser or a check-in-only door login (flushes; the caller commits)."""
    _check_new_password(password)
    organiser = _new_account(email, name, role)
    organiser.set_password(password)
    db.session.flush()
    return organiser


def _new_account(email: str, name: str, role: str) -> Organiser:
    """An account row for an address nobody uses yet."""
    if find(email):
        raise DomainError(f"There is already an organiser with the email {email}.")
    organiser = Organiser(email=email.strip().lower(), name=name.strip(), role=role)
    db.session.add(organiser)
    return organiser


def _check_new_password(password: str) -> None:
    """Refuse a password that is too weak."""
    problem = password_problem(password)
    if problem:
        raise DomainError(problem)


def sign_out(organiser: Organiser) -> None:
    """End every signed-in session of this account (flushes; the caller commits)."""
    organiser.end_sessions()
    db.session.flush()


def change_password(organiser: Organiser, current: str, new: str) -> None:
    """A signed-in person's new password, given their current one; other sessions end."""
    if not organiser.check_password(current):
        raise DomainError("That is not your current password.")
    _check_new_password(new)
    _set_password(organiser, new)


def _set_password(organiser: Organiser, password: str) -> None:
    """Store a new password, end every session and close every emailed link."""
    organiser.set_password(password)
    organiser.end_sessions()
    organiser.links.clear()
    db.session.flush()


def request_reset(email: str, secret: str) -> None:
    """Email a link to choose a new password, if the address has an account.

    Says nothing either way: the page answers the same for any address.
    """
    organiser = find(email)
    if organiser is not None:
        _send_link(organiser, RESET, secret)


def invite(email: str, name: str, role: str, secret: str, invited_by: str) -> Organiser:
    """Invite a co-organiser or a door volunteer to choose their password by email.

    Someone invited who has not joined yet is invited again, with a new link.
    """
    organiser = find(email)
    if organiser is None:
        organiser = _new_account(email, name, role)
        # nobody knows this password: the account opens only through the invite
        organiser.set_password(secrets.token_urlsafe(24))
        db.session.flush()
    elif not _waiting_to_join(organiser) or organiser.role != role:
        raise DomainError(f"There is already an account with the email {email}.")
    else:
        organiser.name = name.strip()
    _send_link(organiser, INVITE, secret, invited_by)
    return organiser


def _send_link(organiser: Organiser, purpose: str, secret: str, invited_by: str = "") -> None:
    """Replace this account's links of this purpose by a new one, and email it."""
    organiser.links = [link for link in organiser.links if link.purpose != purpose]
    seed = secrets.token_urlsafe(24)
    link = AccountLink(
        purpose=purpose,
        token_hash=hash_token(account_link_token(secret, purpose, seed)),
        expires_at=link_expires_at(purpose, utcnow()),
    )
    organiser.links.append(link)
    db.session.flush()
    account_notices.notify_link(organiser, link, seed, invited_by)


def _waiting_to_join(organiser: Organiser) -> bool:
    """True for an invited account whose person has not chosen a password yet."""
    return any(link.purpose == INVITE for link in organiser.links)


def open_link(token: str, purpose: str, lock: bool = False) -> AccountLink | None:
    """The link this token opens, if it exists, is for this purpose and has not expired.

    With lock, the link is locked first, so two uses at once cannot both succeed.
    """
    query = sa.select(AccountLink).where(AccountLink.token_hash == hash_token(token))
    link = db.session.scalars(query.with_for_update() if lock else query).one_or_none()
    if link is None or link.purpose != purpose or not link_is_open(link.expires_at, utcnow()):
        return None
    return link


def use_link(token: str, purpose: str, password: str) -> Organiser:
    """Choose a password through an emailed link, which then stops working."""
    link = open_link(token, purpose, lock=True)
    if link is None:
        raise NotFound("This link does not work any more.")
    _check_new_password(password)
    organiser = link.organiser
    _set_password(organiser, password)
    return organiser


def door_logins() -> list[Organiser]:
    """Every check-in-only login, by name."""
    return _accounts(DOOR)


def organisers() -> list[Organiser]:
    """Every full organiser, by name."""
    return _accounts(ORGANISER)


def _accounts(role: str) -> list[Organiser]:
    """The accounts with this role, by name, with their links."""
    query = (
        sa.select(Organiser)
        .where(Organiser.role == role)
        .options(sa.orm.selectinload(Organiser.links))
        .order_by(Organiser.name)
    )
    return list(db.session.scalars(query))


def waiting_to_join(accounts: list[Organiser]) -> dict[int, bool]:
    """For each invited account that has not joined: True while its invite still works."""
    now = utcnow()
    return {
        a.id: link_is_open(link.expires_at, now)
        for a in accounts
        for link in a.links
        if link.purpose == INVITE
    }


def remove_door_login(login_id: int) -> Organiser:
    """Delete a door login; whoever is signed in with it is signed out at their next click."""
    login = db.session.get(Organiser, login_id)
    if login is None or login.role != DOOR:
        raise NotFound("No such door login.")
    db.session.delete(login)
    db.session.flush()
    return login


def logged(account: Organiser, done: str, actor: str | None = None) -> Organiser:
    """Log a change to an account, with the change: its role and id, never its name."""
    what = "door login" if account.role == DOOR else "organiser"
    subject, detail = f"organiser {account.id}", f"{what} {done}"
    log.record(audit.CHANGED_ACCOUNT, subject=subject, detail=detail, actor=actor)
    return account
