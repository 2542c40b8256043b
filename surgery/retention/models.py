"""RetentionSettings (how long data is kept) and DayRetention (what a day has had removed)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from surgery.database import UTCDateTime, utcnow
from surgery.domain.retention import DEFAULTS
from surgery.extensions import db

SETTINGS_ID = 1  # one row for the whole site


class RetentionSettings(db.Model):
    """The periods an organiser chose, each no longer than its default."""

    __tablename__ = "retention_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    sensitive_days: Mapped[int] = mapped_column(sa.Integer, default=DEFAULTS.sensitive_days)
    identity_days: Mapped[int] = mapped_column(sa.Integer, default=DEFAULTS.identity_days)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class DayRetention(db.Model):
    """A day's numbers, kept before anything was removed, and when each stage was removed."""

    __tablename__ = "day_retention"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    # the day in numbers as they were before the first removal; counts only, no names
    numbers: Mapped[dict] = mapped_column(sa.JSON)
    numbers_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sensitive_removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    identity_removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
