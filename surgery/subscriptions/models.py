"""Subscriber (an address that asked to hear of new days) and DayAnnouncement (a day's
announcement, queued once)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from surgery.database import UTCDateTime, utcnow
from surgery.extensions import db


class Subscriber(db.Model):
    """An email address and nothing else. Its links are rebuilt from the seed with the
    secret key, so the table alone opens nothing. Mail goes only once confirmed_at is set;
    unsubscribing deletes the row."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    seed: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class DayAnnouncement(db.Model):
    """A day announced to subscribers: at most one row a day, so publishing it again (after
    unpublishing or cancelling) announces nothing more."""

    __tablename__ = "day_announcement"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
