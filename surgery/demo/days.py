"""The demo's surgery days: one day made as an organiser makes it, and a monthly series of it
made with the organiser's own series code."""

import datetime as dt

from surgery.database import utcnow
from surgery.domain import lifecycle
from surgery.domain import series as rules
from surgery.domain.online import HYBRID
from surgery.domain.times import local_to_utc, utc_to_local
from surgery.events.models import OPEN_SPACE, SURGERY, WORKSHOP, Event, EventSession
from surgery.extensions import db
from surgery.organise import series
from surgery.organise import services as organise
from surgery.organise.services import SessionData

ZONE = "Europe/London"
SATURDAY = 5
SERIES_DAYS = 4  # the first Saturday of each of the next four months
PUBLISHED_DAYS = 3  # the last is left a draft for the organiser to review
VIDEO_LINK = "https://meet.example.org/leeds-blogging"  # example.org: no real meeting

LEEDS = {
    "title": "Leeds Social Media Surgery",
    "city": "Leeds",
    "venue_name": "Leeds Central Library",
    "venue_address": "Calverley Street, Leeds LS1 3AB",
    "access_info": "Step-free entrance on Calverley Street. Accessible toilets on the ground "
    "floor. A quiet room is available all day. Hearing loop in the workshop room.",
    "description": "Free one-to-one help with blogging, Facebook, Instagram and more, for "
    "community groups, charities and people using or working in mental health services.",
    "timezone": ZONE,
}
SESSIONS = [
    (SURGERY, "Surgery space: one-to-one help", "10:00", "13:00", 12),
    (WORKSHOP, "Blogging for beginners", "13:30", "15:00", 6),
    (OPEN_SPACE, "Open space: tea, chat and questions", "10:00", "15:00", None),
]


def today() -> dt.date:
    """Today's date in Leeds."""
    return utc_to_local(utcnow(), ZONE).date()


def last_saturday_but_one() -> dt.date:
    """The Saturday 7 to 13 days ago: over, and well inside the 30 days before sensitive
    answers are removed."""
    return today() - dt.timedelta(days=(today().weekday() - SATURDAY) % 7 + 7)


def at(day: dt.date, clock: str) -> dt.datetime:
    """A Leeds wall-clock time on a day, as UTC."""
    return local_to_utc(dt.datetime.combine(day, dt.time.fromisoformat(clock)), ZONE)


def make_day(day: dt.date, organiser_email: str) -> Event:
    """A draft day with its three sessions, saved as the organiser's forms save it."""
    event = organise.save_event(Event(), {**LEEDS, "organiser_email": organiser_email})
    for kind, title, starts, ends, capacity in SESSIONS:
        data = SessionData(kind, title, _local(day, starts), _local(day, ends), capacity)
        organise.save_session(event, None, data)
    return event


def _local(day: dt.date, clock: str) -> dt.datetime:
    """A wall-clock time on a day, as the session form gives it."""
    return dt.datetime.combine(day, dt.time.fromisoformat(clock))


def publish(event: Event) -> None:
    """Publish a day, as the organiser's Publish button does."""
    organise.change_status(event.id, lifecycle.PUBLISH, asked=False)


def move(event: Event, day: dt.date) -> None:
    """Demo only: put a day's sessions on another date at the same local times, telling
    nobody. No organiser page does this to a booked day; the past day needs it (see
    surgery.demo.past_day)."""
    first = series.first_day(event)
    for session in event.sessions:
        slot = rules.slot_of(session.starts_at, session.ends_at, first, event.timezone)
        session.starts_at, session.ends_at = rules.on_date(slot, day, event.timezone)
    db.session.flush()


def monthly_series(event: Event) -> list[Event]:
    """Copies of the day on the first Saturday of each of the next months: the first ones
    published, the last left a draft; one of them has its workshop online as well."""
    start = today() + dt.timedelta(days=1)
    dates = rules.monthly(start, start + dt.timedelta(days=160), SATURDAY, 1, SERIES_DAYS)
    days = series.make_series(event, dates)
    make_hybrid(session_of(days[1], WORKSHOP))
    for day in days[:PUBLISHED_DAYS]:
        publish(day)
    return days


def make_hybrid(session: EventSession) -> None:
    """The session in the room and online, edited as the organiser's session form does."""
    event = session.event
    data = SessionData(
        session.kind,
        session.title,
        event.local(session.starts_at).replace(tzinfo=None),
        event.local(session.ends_at).replace(tzinfo=None),
        session.capacity,
        version=session.version,
        mode=HYBRID,
        online_url=VIDEO_LINK,
    )
    organise.save_session(event, session, data)


def session_of(event: Event, kind: str) -> EventSession:
    """The day's first session of this kind."""
    return next(s for s in event.sessions if s.kind == kind)
