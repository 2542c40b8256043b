"""Reminder (one per booking or surgeon slot), FollowUp (one per person) and the follow-up's
answers, which keep no name."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from surgery.database import UTCDateTime, utcnow
from surgery.extensions import db


class Reminder(db.Model):
    """A reminder queued for one booking or one surgeon's session: at most one each, which
    the database holds to whichever worker queues it first."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    booking_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("booking.id", ondelete="CASCADE"), unique=True, nullable=True
    )
    slot_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("surgeon_session.id", ondelete="CASCADE"), unique=True, nullable=True
    )
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # surgery.domain.reminders STILL_COMING or RELEASED; None until they answer
    answer: Mapped[str | None] = mapped_column(sa.String(16), nullable=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    # a day's answers counted for its organiser's page without reading every reminder
    __table_args__ = (sa.Index("ix_reminder_event_answer", "event_id", "answer", "booking_id"),)


class FollowUp(db.Model):
    """The follow-up asked of one person, once; its link is rebuilt from the seed with the
    secret key. The answer is kept apart (FollowUpAnswer), without the person."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    # kept while the person is; removing their data leaves the row (and its once) behind
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="SET NULL"), unique=True, nullable=True
    )
    seed: Mapped[str] = mapped_column(sa.String(64))
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class FollowUpAnswer(db.Model):
    """'Have you used what you learned?': counted on the day's numbers, shared without a
    name only if the person said so. It names nobody, so it outlives removals."""

    __tablename__ = "follow_up_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    used: Mapped[str] = mapped_column(sa.String(16))
    words: Mapped[str] = mapped_column(sa.Text, default="")
    share: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
