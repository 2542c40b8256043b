"""Event (one surgery day) and EventSession (a part of the day)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surgery.database import UTCDateTime, utcnow
from surgery.domain.ical import new_uid
from surgery.domain.online import IN_PERSON, MODES, public_place
from surgery.domain.times import utc_to_local
from surgery.extensions import db

DRAFT, PUBLISHED, CANCELLED = "draft", "published", "cancelled"
EVENT_STATUSES = (DRAFT, PUBLISHED, CANCELLED)

SURGERY, WORKSHOP, OPEN_SPACE = "surgery", "workshop", "open_space"
SESSION_KINDS = {
    SURGERY: "Surgery (one-to-one help)",
    WORKSHOP: "Workshop",
    OPEN_SPACE: "Open space",
}


class Event(db.Model):
    """One surgery day at one place."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    venue_name: Mapped[str] = mapped_column(sa.String(200))
    venue_address: Mapped[str] = mapped_column(sa.Text, default="")
    city: Mapped[str] = mapped_column(sa.String(100), index=True)
    access_info: Mapped[str] = mapped_column(sa.Text, default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/London")
    status: Mapped[str] = mapped_column(sa.String(16), default=DRAFT, index=True)
    organiser_email: Mapped[str] = mapped_column(sa.String(254), default="")
    # email subjects and calendar titles say only "Drop-in session, Saturday 10am"
    discreet: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # minutes after a session starts before places of people not here may be given away
    grace_minutes: Mapped[int] = mapped_column(sa.Integer, default=15, server_default="15")
    # each confirmed person (and surgeon) is reminded this many days before a session; 0: never
    reminder_days: Mapped[int] = mapped_column(sa.Integer, default=2, server_default="2")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # raised by each organiser save that changes a field of the edit form (see form_guards);
    # every UPDATE checks it, so a write from a stale read fails instead of undoing a save
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    sessions: Mapped[list["EventSession"]] = relationship(
        back_populates="event", order_by="EventSession.starts_at", cascade="all, delete-orphan"
    )

    @property
    def is_published(self) -> bool:
        """True when attendees can see and book it."""
        return self.status == PUBLISHED

    @property
    def starts_at(self) -> dt.datetime | None:
        """When the first session starts (UTC)."""
        return min((s.starts_at for s in self.sessions), default=None)

    def local(self, moment: dt.datetime) -> dt.datetime:
        """A UTC time shown as the event's wall-clock time."""
        return utc_to_local(moment, self.timezone)


class EventSession(db.Model):
    """A part of the day: a surgery space, a workshop or open space."""

    __tablename__ = "event_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # in person, online or hybrid (surgery.domain.online); the video link is shown only to
    # people with a confirmed place on the session, never on public pages or feeds
    mode: Mapped[str] = mapped_column(sa.String(16), default=IN_PERSON, server_default=IN_PERSON)
    online_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    # None for open space, which needs no booking
    capacity: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    # the public calendar feed's entry for this session
    ical_uid: Mapped[str] = mapped_column(sa.String(80), unique=True, default=new_uid)
    ical_sequence: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the calendar feeds' Last-Modified: a moved or renamed session changes them
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # as Event.version: other writes (a newer calendar sequence) check it but keep it
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
    # a day's sessions in order, as its people are listed
    __table_args__ = (sa.Index("ix_event_session_event_starts", "event_id", "starts_at"),)

    event: Mapped[Event] = relationship(back_populates="sessions")

    @property
    def needs_booking(self) -> bool:
        """Open space has no capacity and no booking."""
        return self.kind != OPEN_SPACE and self.capacity is not None

    @property
    def mode_label(self) -> str:
        """In person, Online, or In person and online."""
        return MODES.get(self.mode, MODES[IN_PERSON])

    def public_place(self) -> str:
        """Where, as the public may see it: never the video link."""
        venue = ", ".join(p for p in (self.event.venue_name, self.event.venue_address) if p)
        return public_place(self.mode, venue)

    @property
    def kind_label(self) -> str:
        """The kind in plain English."""
        return SESSION_KINDS.get(self.kind, self.kind)
