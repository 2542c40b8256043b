"""Registration (one person at one event) and Booking (their place in one session)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from surgery.database import UTCDateTime, utcnow
from surgery.domain import visibility
from surgery.domain.access import labels as access_labels
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED
from surgery.domain.ical import new_uid
from surgery.domain.search_key import MAX_LENGTH as SEARCH_KEY_LENGTH
from surgery.domain.search_key import key as search_key_of
from surgery.domain.tokens import new_checkin_code
from surgery.events.models import Event, EventSession
from surgery.extensions import db
from surgery.vocabulary.models import RoleTag, Topic

registration_role_tag = sa.Table(
    "registration_role_tag",
    db.metadata,
    sa.Column(
        "registration_id", sa.ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("role_tag_id", sa.ForeignKey("role_tag.id", ondelete="CASCADE"), primary_key=True),
)
registration_topic = sa.Table(
    "registration_topic",
    db.metadata,
    sa.Column(
        "registration_id", sa.ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("topic_id", sa.ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
)

BOOKING_STATUSES = (CONFIRMED, WAITLISTED, CANCELLED)


class Registration(db.Model):
    """One person at one event, reached through a private manage link."""

    __table_args__ = (
        sa.UniqueConstraint("event_id", "email"),
        # the check-in list's order (not here yet first, then by name), so its first page is
        # read from the index without sorting the whole day
        sa.Index(
            "ix_registration_door_order",
            "event_id",
            sa.text("(checked_in_at IS NOT NULL)"),
            sa.text("lower(name)"),
            "id",
        ),
        # a person's earlier days are found by their email, not by reading every pairing
        sa.Index("ix_registration_email", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # lower-cased; optional for walk-ins
    email: Mapped[str | None] = mapped_column(sa.String(254), nullable=True)
    help_text: Mapped[str] = mapped_column(sa.Text, default="")
    # codes from surgery.domain.access, kept only with consent
    access_needs: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    access_other: Mapped[str] = mapped_column(sa.Text, default="")
    consent_sensitive: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # may their surgeon see role tags and access needs too (only with consent_sensitive)
    share_with_surgeon: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    wants_lived_experience: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # they would like the surgeon who helped them on an earlier day, if that surgeon is here
    wants_same_surgeon: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # languages besides English they would like help in, e.g. ["BSL"]
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    consent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # the manage link is derived from the seed with the app's secret; only its hash is looked up
    token_seed: Mapped[str] = mapped_column(sa.String(64))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    is_walk_in: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # shown as text and a QR code; typed or scanned at the door
    checkin_code: Mapped[str] = mapped_column(sa.String(12), unique=True, default=new_checkin_code)
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # what they said they need on arrival (surgery.domain.arrival); None: not said
    need_now: Mapped[str | None] = mapped_column(sa.String(16), nullable=True)
    # the "what did you learn?" email goes once; pressing the button again asks only newcomers
    feedback_requested_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # asked "have you used what you learned?" four weeks after the day (they chose to be)
    wants_follow_up: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # name and email without accents, case or extra spaces, for check-in search
    search_key: Mapped[str] = mapped_column(sa.String(SEARCH_KEY_LENGTH), default="")

    event: Mapped[Event] = relationship()
    role_tags: Mapped[list[RoleTag]] = relationship(
        secondary=registration_role_tag, order_by="RoleTag.position"
    )
    topics: Mapped[list[Topic]] = relationship(
        secondary=registration_topic, order_by="Topic.position"
    )
    bookings: Mapped[list["Booking"]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="Booking.id"
    )

    @validates("name", "email")
    def _keep_search_key(self, field: str, value: str | None) -> str | None:
        """Keep the search key in step with the name and email as they are set."""
        name = value if field == "name" else self.name
        email = value if field == "email" else self.email
        self.search_key = search_key_of(name, email)
        return value

    @property
    def active_bookings(self) -> list["Booking"]:
        """Bookings that are confirmed or waiting."""
        return [b for b in self.bookings if b.status != CANCELLED]

    def seen_by_surgeon(self) -> visibility.SurgeonView:
        """This person as their surgeon may see them (email, invite, floor)."""
        return visibility.for_surgeon(
            visibility.Attendee(
                name=self.name,
                topics=tuple(t.name for t in self.topics),
                help_text=self.help_text or "",
                role_tags=tuple(t.name for t in self.role_tags),
                access_needs=(*access_labels(self.access_needs or []), self.access_other or ""),
                consent_sensitive=self.consent_sensitive,
                share_with_surgeon=self.share_with_surgeon,
            )
        )


class Booking(db.Model):
    """A registration's place in one session."""

    __table_args__ = (
        sa.UniqueConstraint("registration_id", "session_id"),
        # a session's booked or waiting list in order: counts, and the organiser's list
        sa.Index("ix_booking_session_status_queue", "session_id", "status", "queue_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("event_session.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(16))
    # order in the waiting list: lower goes first; swapped when an organiser moves someone up
    queue_key: Mapped[int] = mapped_column(sa.Integer, default=0)
    # the person's calendar entry for this session: same UID for life, SEQUENCE up on each change
    ical_uid: Mapped[str] = mapped_column(sa.String(80), unique=True, default=new_uid)
    ical_sequence: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    registration: Mapped[Registration] = relationship(back_populates="bookings")
    session: Mapped[EventSession] = relationship()
