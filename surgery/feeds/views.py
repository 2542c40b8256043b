"""Calendar feeds, served as text/calendar (METHOD:PUBLISH, no attendees)."""

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app
from sqlalchemy.orm import selectinload

from surgery.bookings.views import registration_or_404
from surgery.database import utcnow
from surgery.domain import ical
from surgery.domain.capacity import CANCELLED as BOOKING_CANCELLED
from surgery.domain.capacity import WAITLISTED
from surgery.events.models import CANCELLED, PUBLISHED, Event, EventSession
from surgery.events.services import published_event
from surgery.extensions import db
from surgery.links import public_url
from surgery.mail.notices import organiser_address

bp = Blueprint("feeds", __name__)
RECENT = dt.timedelta(days=30)


@bp.get("/calendar.ics")
def all_events():
    """Every published (or cancelled) day from the last month on."""
    since = utcnow() - RECENT
    events = db.session.scalars(
        sa.select(Event)
        .where(
            Event.status.in_([PUBLISHED, CANCELLED]),
            Event.sessions.any(EventSession.ends_at >= since),
        )
        .options(selectinload(Event.sessions))
        .order_by(Event.id)
    )
    entries = [_session_entry(e, s) for e in events for s in e.sessions]
    return _calendar(ical.feed(entries, current_app.config["SITE_NAME"], utcnow()), "surgery")


@bp.get("/events/<int:event_id>/calendar.ics")
def one_event(event_id: int):
    """One day's sessions."""
    event = published_event(event_id)
    if event is None:
        abort(404)
    entries = [_session_entry(event, s) for s in event.sessions]
    return _calendar(ical.feed(entries, event.title, utcnow()), f"event-{event.id}")


@bp.get("/bookings/<token>/calendar.ics")
def my_bookings(token: str):
    """A person's own sessions, with the same entries as their invites."""
    registration = registration_or_404(token)
    event = registration.event
    entries = [_booking_entry(event, b) for b in registration.bookings if b.status != WAITLISTED]
    return _calendar(ical.feed(entries, event.title, utcnow()), "my-bookings")


def _session_entry(event: Event, session: EventSession) -> ical.Entry:
    """A session as the public sees it."""
    return ical.Entry(
        uid=session.ical_uid,
        sequence=session.ical_sequence,
        summary=f"{session.title} – {event.title}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=_location(event),
        description=event.access_info and f"Access: {event.access_info}",
        url=public_url("events.detail", event_id=event.id),
        cancelled=event.status == CANCELLED,
        organiser=_organiser(event),
    )


def _booking_entry(event: Event, booking) -> ical.Entry:
    """A booked session, with the UID and SEQUENCE of the person's invite."""
    session = booking.session
    return ical.Entry(
        uid=booking.ical_uid,
        sequence=booking.ical_sequence,
        summary=f"{session.title} – {event.title}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=_location(event),
        url=public_url("events.detail", event_id=event.id),  # never the private link
        cancelled=booking.status == BOOKING_CANCELLED or event.status == CANCELLED,
        organiser=_organiser(event),
    )


def _organiser(event: Event) -> ical.Person:
    """Who organises the day: the address its invites come from."""
    return ical.Person(organiser_address(event), current_app.config["SITE_NAME"])


def _location(event: Event) -> str:
    """Venue and address on one line."""
    return ", ".join(p for p in (event.venue_name, event.venue_address) if p)


def _calendar(body: bytes, name: str) -> Response:
    """Serve a calendar file that calendars can subscribe to or open."""
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response
