"""Demo data: a few realistic surgery days, and many events for benchmarks."""

import datetime as dt

import sqlalchemy as sa

from surgery.auth import services as organisers
from surgery.database import utcnow
from surgery.domain.times import local_to_utc
from surgery.events.models import OPEN_SPACE, PUBLISHED, SURGERY, WORKSHOP, Event, EventSession
from surgery.extensions import db

ORGANISER_EMAIL = "organiser@example.org"
ORGANISER_PASSWORD = "surgery-demo-2027"

SHOWCASE = [
    {
        "title": "Leeds Social Media Surgery",
        "city": "Leeds",
        "venue_name": "Leeds Central Library",
        "venue_address": "Calverley Street, Leeds LS1 3AB",
        "access_info": "Step-free entrance on Calverley Street. Accessible toilets on the ground "
        "floor. A quiet room is available all day. Hearing loop in the workshop room.",
        "description": "Free one-to-one help with blogging, Facebook, Instagram and more, for "
        "community groups, charities and people using or working in mental health services.",
        "days_ahead": 14,
        "sessions": [
            (SURGERY, "Surgery space: one-to-one help", "10:00", "13:00", 12),
            (WORKSHOP, "Blogging for beginners", "13:30", "15:00", 15),
            (OPEN_SPACE, "Open space: tea, chat and questions", "10:00", "15:00", None),
        ],
    },
    {
        "title": "Bradford Community Media Surgery",
        "city": "Bradford",
        "venue_name": "Kala Sangam",
        "venue_address": "1 Forster Square, Bradford BD1 1DA",
        "access_info": "Lift to all floors. Accessible toilet. BSL interpreter on request.",
        "description": "Help with Facebook pages, newsletters and staying safe online.",
        "days_ahead": 28,
        "sessions": [
            (SURGERY, "Surgery space", "18:00", "20:00", 8),
            (WORKSHOP, "Email newsletters that people read", "18:00", "19:00", 10),
        ],
    },
    {
        "title": "Wakefield Wellbeing Online",
        "city": "Wakefield",
        "venue_name": "The Art House",
        "venue_address": "Drury Lane, Wakefield WF1 2TE",
        "access_info": "Step-free access throughout. Quiet space on the first floor.",
        "description": "A surgery with peer supporters who bring lived experience.",
        "days_ahead": 42,
        "sessions": [
            (SURGERY, "Surgery space", "11:00", "14:00", 10),
            (OPEN_SPACE, "Open space", "11:00", "14:00", None),
        ],
    },
]


def has_events() -> bool:
    """True if any event exists."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event)) > 0


def make_showcase() -> int:
    """The demo organiser and the showcase days (flushes; the caller commits)."""
    if organisers.find(ORGANISER_EMAIL) is None:
        organisers.create(ORGANISER_EMAIL, "Demo Organiser", ORGANISER_PASSWORD)
    for spec in SHOWCASE:
        _make_event(spec, spec["days_ahead"])
    db.session.flush()
    return len(SHOWCASE)


def make_many(count: int) -> int:
    """count upcoming published events, each with three sessions."""
    for n in range(count):
        spec = dict(SHOWCASE[n % len(SHOWCASE)], title=f"Surgery day {n + 1}")
        _make_event(spec, 7 + n)
    db.session.flush()
    return count


def _make_event(spec: dict, days_ahead: int) -> Event:
    """One published event with its sessions, days_ahead days from today."""
    fields = ("title", "city", "venue_name", "venue_address", "access_info", "description")
    event = Event(status=PUBLISHED, organiser_email=ORGANISER_EMAIL, **{f: spec[f] for f in fields})
    day = utcnow().date() + dt.timedelta(days=days_ahead)
    for kind, title, starts, ends, capacity in spec["sessions"]:
        event.sessions.append(
            EventSession(
                kind=kind,
                title=title,
                starts_at=_at(day, starts),
                ends_at=_at(day, ends),
                capacity=capacity,
            )
        )
    db.session.add(event)
    return event


def _at(day: dt.date, clock: str) -> dt.datetime:
    """A London wall-clock time on a day, as UTC."""
    return local_to_utc(dt.datetime.combine(day, dt.time.fromisoformat(clock)), "Europe/London")
