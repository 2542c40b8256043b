"""HelpRecord (who helped whom, on what, for how long) and Feedback (what people learned)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surgery.bookings.models import Booking, Registration
from surgery.database import UTCDateTime, utcnow
from surgery.extensions import db
from surgery.surgeons.models import Surgeon


class HelpRecord(db.Model):
    """One pairing on the surgery floor, from start to end."""

    __tablename__ = "help_record"
    # the floor reads a session's pairings going on (ended_at null) and the latest finished
    __table_args__ = (sa.Index("ix_help_record_session_ended", "session_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("event_session.id", ondelete="CASCADE"))
    # indexed: the floor asks, for each person here, whether their pairing is over
    booking_id: Mapped[int] = mapped_column(
        sa.ForeignKey("booking.id", ondelete="CASCADE"), index=True
    )
    surgeon_id: Mapped[int] = mapped_column(sa.ForeignKey("surgeon.id", ondelete="CASCADE"))
    topics: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # ended before they were done (the surgeon left, or they need more help): they wait again
    back_in_queue: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # an organiser chose this pair themselves rather than taking the floor's suggestion
    by_hand: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    booking: Mapped[Booking] = relationship()
    surgeon: Mapped[Surgeon] = relationship()


class Feedback(db.Model):
    """What someone who came learned; shared publicly (without a name) only if they said so."""

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="CASCADE"), unique=True
    )
    learned: Mapped[str] = mapped_column(sa.Text, default="")
    share_publicly: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship()
