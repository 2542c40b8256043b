"""CreateKey: the one-time key of an organiser's create form, and the row it made."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from surgery.database import UTCDateTime, utcnow
from surgery.extensions import db


class CreateKey(db.Model):
    """A create form pressed once: a second press with the same key finds this row's id."""

    __tablename__ = "create_key"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    made: Mapped[str] = mapped_column(sa.String(32))  # the table of the row made
    row_id: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
