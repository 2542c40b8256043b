"""Surgeon (a volunteer at one event) and SurgeonSession (a surgery session they can do)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surgery.database import UTCDateTime, utcnow
from surgery.domain.ical import new_uid
from surgery.domain.tokens import new_checkin_code
from surgery.events.models import Event, EventSession
from surgery.extensions import db
from surgery.vocabulary.models import RoleTag, Topic

PENDING, APPROVED, DECLINED, WITHDRAWN = "pending", "approved", "declined", "withdrawn"
SURGEON_STATUSES = (PENDING, APPROVED, DECLINED, WITHDRAWN)

surgeon_topic = sa.Table(
    "surgeon_topic",
    db.metadata,
    sa.Column("surgeon_id", sa.ForeignKey("surgeon.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
)
surgeon_role_tag = sa.Table(
    "surgeon_role_tag",
    db.metadata,
    sa.Column("surgeon_id", sa.ForeignKey("surgeon.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role_tag_id", sa.ForeignKey("role_tag.id", ondelete="CASCADE"), primary_key=True),
)


class Surgeon(db.Model):
    """A volunteer for one surgery day, reached through a private manage link."""

    __table_args__ = (sa.UniqueConstraint("event_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254))
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    # languages besides English they can help in, e.g. ["BSL", "Urdu"]
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    capacity: Mapped[int] = mapped_column(sa.Integer, default=1)  # people per session
    consent_sensitive: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    status: Mapped[str] = mapped_column(sa.String(16), default=PENDING, index=True)
    added_by_organiser: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # on the day
    arrived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    left_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # shown as text and a QR code; typed or scanned at the door, as attendees' codes are
    checkin_code: Mapped[str | None] = mapped_column(
        sa.String(12), unique=True, index=True, nullable=True, default=new_checkin_code
    )
    token_seed: Mapped[str] = mapped_column(sa.String(64))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=surgeon_topic, order_by="Topic.position")
    role_tags: Mapped[list[RoleTag]] = relationship(
        secondary=surgeon_role_tag, order_by="RoleTag.position"
    )
    availability: Mapped[list["SurgeonSession"]] = relationship(
        back_populates="surgeon", cascade="all, delete-orphan", order_by="SurgeonSession.id"
    )

    @property
    def lived_experience(self) -> bool:
        """True if they told us (with consent) they bring lived experience."""
        return any(tag.means_lived_experience for tag in self.role_tags)

    @property
    def session_ids(self) -> set[int]:
        """The surgery sessions they can do."""
        return {a.session_id for a in self.availability}


class SurgeonSession(db.Model):
    """A surgery session a surgeon can do, with their calendar entry for it."""

    __tablename__ = "surgeon_session"
    __table_args__ = (sa.UniqueConstraint("surgeon_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    surgeon_id: Mapped[int] = mapped_column(sa.ForeignKey("surgeon.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_session.id", ondelete="CASCADE"), index=True
    )
    ical_uid: Mapped[str] = mapped_column(sa.String(80), unique=True, default=new_uid)
    ical_sequence: Mapped[int] = mapped_column(sa.Integer, default=0)

    surgeon: Mapped[Surgeon] = relationship(back_populates="availability")
    session: Mapped[EventSession] = relationship()
