"""Organiser: a person who runs surgery days; AccountLink: an emailed link to choose a password."""

import datetime as dt
import secrets

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from surgery.database import UTCDateTime, utcnow
from surgery.extensions import db

ORGANISER, DOOR = "organiser", "door"


def hash_password(password: str) -> str:
    """A scrypt hash of a password, as stored."""
    return generate_password_hash(password, method="scrypt")


def password_matches(password_hash: str, password: str) -> bool:
    """True if the password matches the stored hash (the slow part of signing in)."""
    return check_password_hash(password_hash, password)


def new_session_token() -> str:
    """A random value that signed-in cookies must carry; a new one signs everyone out."""
    return secrets.token_urlsafe(16)


class Organiser(UserMixin, db.Model):
    """An organiser account; passwords are kept as scrypt hashes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    # "organiser" sees everything; "door" only checks people in
    role: Mapped[str] = mapped_column(sa.String(16), default="organiser")
    # part of the id in the session cookie: replaced at sign-out and on a new password,
    # so a copy of an older cookie no longer signs anyone in
    session_token: Mapped[str] = mapped_column(sa.String(32), default=new_session_token)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    links: Mapped[list["AccountLink"]] = relationship(
        back_populates="organiser", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_organiser(self) -> bool:
        """True for full organisers, False for check-in-only door logins."""
        return self.role == ORGANISER

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the current session token."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Sign this account out everywhere: cookies carrying the old token stop working."""
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        """Store a scrypt hash of the password."""
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        """True if the password matches."""
        return password_matches(self.password_hash, password)


class AccountLink(db.Model):
    """A single-use emailed link to choose a password: a reset, or an invite to join.

    Only the hash of its token is kept; the email is written from a seed and the secret key.
    A link is deleted once used.
    """

    __tablename__ = "account_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organiser.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(sa.String(16))  # "reset" or "invite"
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    organiser: Mapped[Organiser] = relationship(back_populates="links")
