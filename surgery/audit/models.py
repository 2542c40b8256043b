"""AuditEntry: one thing an organiser (or the person, or the purge) did with people's data."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from surgery.database import UTCDateTime, utcnow
from surgery.extensions import db


class AuditEntry(db.Model):
    """One line of the audit log. It outlives the rows it names: ids are kept as plain
    numbers, not foreign keys, and the organiser's name is copied, so erasing a person or
    removing a day never removes the record that it was done."""

    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index("ix_audit_entry_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    organiser_id: Mapped[int | None] = mapped_column(sa.Integer, nullable=True, index=True)
    # the organiser's name then, "the person themselves" or "automatic removal"
    actor: Mapped[str] = mapped_column(sa.String(120))
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    event_id: Mapped[int | None] = mapped_column(sa.Integer, nullable=True, index=True)
    # the kind and id of the row, e.g. "booking 12"; never a name or an address
    subject: Mapped[str] = mapped_column(sa.String(80), default="")
    # which fields changed, or how many rows: never the values of sensitive answers
    detail: Mapped[str] = mapped_column(sa.String(500), default="")
