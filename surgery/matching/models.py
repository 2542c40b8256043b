"""Match: an attendee's booking paired with a surgeon, locked by hand or accepted."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surgery.bookings.models import Booking
from surgery.database import UTCDateTime, utcnow
from surgery.extensions import db
from surgery.surgeons.models import Surgeon

LOCKED, ACCEPTED = "locked", "accepted"


class Match(db.Model):
    """A pair the organiser fixed: locked (kept when matching runs again) or accepted (told)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_session.id", ondelete="CASCADE"), index=True
    )
    # one surgeon per attendee per session
    booking_id: Mapped[int] = mapped_column(
        sa.ForeignKey("booking.id", ondelete="CASCADE"), unique=True
    )
    surgeon_id: Mapped[int] = mapped_column(sa.ForeignKey("surgeon.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(16), default=LOCKED)
    reasons: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    booking: Mapped[Booking] = relationship()
    surgeon: Mapped[Surgeon] = relationship()
