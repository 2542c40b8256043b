"""Organiser: a person who runs surgery days."""

import datetime as dt

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from surgery.database import UTCDateTime, utcnow
from surgery.extensions import db

ORGANISER, DOOR = "organiser", "door"


class Organiser(UserMixin, db.Model):
    """An organiser account; passwords are kept as scrypt hashes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    # "organiser" sees everything; "door" only checks people in
    role: Mapped[str] = mapped_column(sa.String(16), default="organiser")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_organiser(self) -> bool:
        """True for full organisers, False for check-in-only door logins."""
        return self.role == ORGANISER

    def set_password(self, password: str) -> None:
        """Store a scrypt hash of the password."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        """True if the password matches."""
        return check_password_hash(self.password_hash, password)
