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
    """An email, stored as the data to write it from, so the request that queues it is quick."""

    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    to_address: Mapped[str] = mapped_column(sa.String(254))
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


def new_message(kind: str, to_address: str, subject: str, payload: dict, now, status=QUEUED):
    """The values of one outbox row, due now and never tried, for an INSERT."""
    return {
        "kind": kind,
        "to_address": to_address,
        "subject": subject,
        "payload": payload,
        "status": status,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "last_error": "",
    }
