"""OutboxMessage: one email waiting to go, gone, or given up on."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from surgery.database import UTCDateTime, utcnow
from surgery.extensions import db

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
ASKED = "asked"  # a lost-link look-up, never sent itself: see surgery.mail.lost_links
STATUSES = (QUEUED, SENDING, SENT, FAILED)


class OutboxMessage(db.Model):
    """An email, stored as the data to write it from, so the request that queues it is quick.

    A notice about a booking or a surgeon's session names it: its calendar entry is written
    when the message is sent, from that row as it is then (see surgery.mail.current).
    """

    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    to_address: Mapped[str] = mapped_column(sa.String(254))
    # what the message is about; a row deleted since leaves the message (SET NULL)
    booking_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("booking.id", ondelete="SET NULL"), nullable=True, index=True
    )
    slot_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("surgeon_session.id", ondelete="SET NULL"), nullable=True, index=True
    )
    subject: Mapped[str] = mapped_column(sa.String(300))
    payload: Mapped[dict] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(16), default=QUEUED)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # a worker that claimed the message owns it until then; after that it may be claimed again
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


def new_message(
    kind: str, to_address: str, subject: str, payload: dict, now, status=QUEUED, about=None
):
    """The values of one outbox row, due now and never tried, for an INSERT.

    `about` is ("booking", id) or ("slot", id) for a notice whose invite follows that row.
    """
    holder, row_id = about or (None, None)
    return {
        "kind": kind,
        "booking_id": row_id if holder == "booking" else None,
        "slot_id": row_id if holder == "slot" else None,
        "to_address": to_address,
        "subject": subject,
        "payload": payload,
        "status": status,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "last_error": "",
    }


def day_of_message():
    """The day a message is about, as SQL: every notice and announcement of a day names it
    in its payload, which stays when the booking or slot it was about is deleted; account
    and subscription mail names none."""
    return OutboxMessage.payload[("event", "id")].as_integer()
