"""Many upcoming days for benchmarks: plain rows, quick to make, no people."""

import datetime as dt

from surgery.database import utcnow
from surgery.demo.days import at
from surgery.events.models import OPEN_SPACE, PUBLISHED, SURGERY, WORKSHOP, Event, EventSession
from surgery.extensions import db

KINDS_OF_DAY = [
    {
        "city": "Leeds",
        "venue_name": "Leeds Central Library",
        "venue_address": "Calverley Street, Leeds LS1 3AB",
        "access_info": "Step-free entrance on Calverley Street. Accessible toilets.",
        "description": "Free one-to-one help with blogging, Facebook, Instagram and more.",
        "sessions": [
            (SURGERY, "Surgery space: one-to-one help", "10:00", "13:00", 12),
            (WORKSHOP, "Blogging for beginners", "13:30", "15:00", 15),
            (OPEN_SPACE, "Open space: tea, chat and questions", "10:00", "15:00", None),
        ],
    },
    {
        "city": "Bradford",
        "venue_name": "Kala Sangam",
        "venue_address": "1 Forster Square, Bradford BD1 1DA",
        "access_info": "Lift to all floors. Accessible toilet. BSL interpreter on request.",
        "description": "Help with Facebook pages, newsletters and staying safe online.",
        "sessions": [
            (SURGERY, "Surgery space", "18:00", "20:00", 8),
            (WORKSHOP, "Email newsletters that people read", "18:00", "19:00", 10),
        ],
    },
    {
        "city": "Wakefield",
        "venue_name": "The Art House",
        "venue_address": "Drury Lane, Wakefield WF1 2TE",
        "access_info": "Step-free access throughout. Quiet space on the first floor.",
        "description": "A surgery with peer supporters who bring lived experience.",
        "sessions": [
            (SURGERY, "Surgery space", "11:00", "14:00", 10),
            (OPEN_SPACE, "Open space", "11:00", "14:00", None),
        ],
    },
]


def make_many(count: int, organiser_email: str) -> int:
    """count upcoming published days, one a day from a week ahead (flushes)."""
    for n in range(count):
        spec = KINDS_OF_DAY[n % len(KINDS_OF_DAY)]
        _make_event(spec, f"Surgery day {n + 1}", 7 + n, organiser_email)
    db.session.flush()
    return count


def _make_event(spec: dict, title: str, days_ahead: int, organiser_email: str) -> Event:
    """One published day with its sessions, days_ahead days from today."""
    fields = ("city", "venue_name", "venue_address", "access_info", "description")
    event = Event(
        status=PUBLISHED,
        title=title,
        organiser_email=organiser_email,
        **{f: spec[f] for f in fields},
    )
    day = utcnow().date() + dt.timedelta(days=days_ahead)
    for kind, session_title, starts, ends, capacity in spec["sessions"]:
        event.sessions.append(
            EventSession(
                kind=kind,
                title=session_title,
                starts_at=at(day, starts),
                ends_at=at(day, ends),
                capacity=capacity,
            )
        )
    db.session.add(event)
    return event
