"""Resource (a link and a short note shared from a day) and FacilitatorLink (the private
link a day's workshop facilitators add resources with)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surgery.database import UTCDateTime, utcnow
from surgery.domain.resources import PENDING, TITLE_LIMIT, URL_LIMIT
from surgery.events.models import Event, EventSession
from surgery.extensions import db


class FacilitatorLink(db.Model):
    """A day's link for workshop facilitators. Its token is rebuilt from the seed with the
    secret key, so the table alone opens nothing; replacing it sets replaced_at, and a
    replaced link opens nothing."""

    __tablename__ = "facilitator_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    seed: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    replaced_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Resource(db.Model):
    """A link shared from a day, shown publicly only once an organiser approved it.

    Who added it is a surgeon of the day or a facilitator link, never a name: erasing the
    surgeon (or the day's names) only cuts the tie, and the resource stays.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event_session.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(sa.String(TITLE_LIMIT))
    url: Mapped[str] = mapped_column(sa.String(URL_LIMIT))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    surgeon_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("surgeon.id", ondelete="SET NULL"), nullable=True, index=True
    )
    facilitator_link_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("facilitator_link.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[str] = mapped_column(sa.String(16), default=PENDING, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    moderated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    moderated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organiser.id", ondelete="SET NULL"), nullable=True
    )

    event: Mapped[Event] = relationship()
    session: Mapped[EventSession | None] = relationship()

    @property
    def added_by(self) -> str:
        """Who added it, in words an organiser reads (never a name)."""
        if self.surgeon_id is not None:
            return "A surgeon of the day"
        if self.facilitator_link_id is not None:
            return "The facilitators' link"
        return "Someone whose details have been removed"
