"""Calendar feeds, served as text/calendar (METHOD:PUBLISH, no attendees).

Calendars poll feeds often: each answers If-None-Match and If-Modified-Since with 304 Not
Modified while what it shows is unchanged (ETag from its entries, Last-Modified from the
latest change to the rows behind them).
"""

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy.orm import selectinload
from werkzeug.http import is_resource_modified

from surgery.bookings.views import registration_or_404
from surgery.database import utcnow
from surgery.domain import feeds, ical
from surgery.domain.discreet import titled
from surgery.events.models import CANCELLED, PUBLISHED, Event, EventSession
from surgery.events.services import published_event
from surgery.extensions import db
from surgery.links import public_url
from surgery.mail.compose import sender_address

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
    ).all()
    entries = [_session_entry(e, s) for e in events for s in e.sessions]
    # any day's change counts, so a day taken off the list changes the feed's date too
    changed = [db.session.scalar(sa.select(sa.func.max(Event.updated_at)))]
    changed += [s.updated_at for e in events for s in e.sessions]
    return _serve(entries, current_app.config["SITE_NAME"], "surgery", changed)


@bp.get("/events/<int:event_id>/calendar.ics")
def one_event(event_id: int):
    """One day's sessions."""
    event = published_event(event_id)
    if event is None:
        abort(404)
    entries = [_session_entry(event, s) for s in event.sessions]
    changed = [event.updated_at] + [s.updated_at for s in event.sessions]
    return _serve(entries, _name(event), f"event-{event.id}", changed)


@bp.get("/bookings/<token>/calendar.ics")
def my_bookings(token: str):
    """A person's own sessions, with the same entries as their invites; a day taken off the
    list shows as cancelled rather than vanishing, so no calendar keeps it."""
    registration = registration_or_404(token)
    event = registration.event
    entries = [e for e in (_booking_entry(event, b) for b in registration.bookings) if e]
    changed = [event.updated_at]
    changed += [t for b in registration.bookings for t in (b.updated_at, b.session.updated_at)]
    return _serve(entries, _name(event), "my-bookings", changed, private=True)


def _session_entry(event: Event, session: EventSession) -> ical.Entry:
    """A session as the public sees it."""
    return ical.Entry(
        uid=session.ical_uid,
        sequence=session.ical_sequence,
        summary=_summary(event, session),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=session.public_place(),  # never the video link
        description=event.access_info and f"Access: {event.access_info}",
        url=public_url("events.detail", event_id=event.id),
        cancelled=event.status == CANCELLED,
        organiser=_organiser(),
    )


def _booking_entry(event: Event, booking) -> ical.Entry | None:
    """A booked session, with the UID and SEQUENCE of the person's invite; None for a
    waiting-list place, which never had one."""
    shown = feeds.booked_entry(
        booking.status,
        booking.ical_sequence,
        day_listed=event.status == PUBLISHED,
        day_cancelled=event.status == CANCELLED,
    )
    if shown is None:
        return None
    session = booking.session
    return ical.Entry(
        uid=booking.ical_uid,
        sequence=shown.sequence,
        summary=_summary(event, session),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        location=session.public_place(),  # never the video link
        url=public_url("events.detail", event_id=event.id),  # never the private link
        cancelled=shown.cancelled,
        organiser=_organiser(),
    )


def _organiser() -> ical.Person:
    """The ORGANIZER of the day's entries: the site's own address, as in the emailed invites
    with the same UID (a calendar that sees another organiser for an entry may refuse the
    update, or show it twice). Replies to the day's organiser go by the email's Reply-To."""
    return ical.Person(sender_address(), current_app.config["SITE_NAME"])


def _summary(event: Event, session: EventSession) -> str:
    """An entry's title: what and which day, or only when for a day that asked discretion."""
    plain = f"{session.title} – {event.title}"
    return titled(plain, event.discreet, session.starts_at, event.timezone)


def _name(event: Event) -> str:
    """A one-day feed's name: the day's title, or only when for a discreet day."""
    return titled(event.title, event.discreet, event.starts_at, event.timezone)


def _serve(entries, name: str, filename: str, changed, private: bool = False) -> Response:
    """The feed, or 304 Not Modified when the caller's copy is still what it shows.

    A public feed may be kept by any cache that asks again each time (no-cache); a private
    feed's address is a key, so headers.py keeps it out of every cache (no-store).
    """
    version = feeds.version(name, entries)
    last_modified = max((t for t in changed if t is not None), default=None)
    if is_resource_modified(request.environ, etag=version, last_modified=last_modified):
        response = _calendar(ical.feed(entries, name, utcnow()), filename)
    else:
        response = Response(status=304)
    response.headers["ETag"] = version
    if last_modified is not None:
        response.last_modified = last_modified
    if not private:
        response.headers["Cache-Control"] = "no-cache"
    return response


def _calendar(body: bytes, name: str) -> Response:
    """Serve a calendar file that calendars can subscribe to or open."""
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response
