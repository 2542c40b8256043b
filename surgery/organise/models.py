"""CreateKey: the one-time key of an organiser's create form, and the row it made; and
DayMessage: a message the organisers sent to a day's people."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surgery.auth.models import Organiser
from surgery.database import UTCDateTime, utcnow
from surgery.extensions import db


class CreateKey(db.Model):
    """A create form pressed once: a second press with the same key finds this row's id."""

    __tablename__ = "create_key"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    made: Mapped[str] = mapped_column(sa.String(32))  # the table of the row made
    row_id: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class DayMessage(db.Model):
    """A message sent to a day's people: what it said, to which audiences, how many got
    it. Its emails are queued in the same transaction, one per person."""

    __tablename__ = "day_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    # the audiences chosen (surgery.domain.day_messages), e.g. ["booked", "surgeons"]
    audiences: Mapped[list[str]] = mapped_column(sa.JSON)
    subject: Mapped[str] = mapped_column(sa.String(150))
    body: Mapped[str] = mapped_column(sa.Text)
    sent_count: Mapped[int] = mapped_column(sa.Integer)
    # people in the audiences without an email address, who did not get it
    without_email: Mapped[int] = mapped_column(sa.Integer, default=0)
    organiser_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organiser.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    organiser: Mapped[Organiser | None] = relationship()
