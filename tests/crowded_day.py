"""A surgery day under way with many people booked, built quickly with bulk inserts, for the
tests and benchmark of the check-in page and the floor at scale.

However many booked, the floor looks the same: two in five people are here, all but the
last WAITING of them already helped (their pairings finished), SURGEONS surgeons of whom
all but two are here and two are busy. So a page whose work grows with the people booked,
not with what it shows, stands out.
"""

import datetime as dt
import random
from dataclasses import dataclass

import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration, registration_topic
from surgery.database import utcnow
from surgery.day.models import HelpRecord
from surgery.domain.capacity import CONFIRMED
from surgery.domain.search_key import key as search_key
from surgery.domain.tokens import hash_token, new_form_key
from surgery.events.models import PUBLISHED, SURGERY, Event, EventSession
from surgery.extensions import db
from surgery.surgeons.models import APPROVED, Surgeon, SurgeonSession, surgeon_topic
from surgery.vocabulary.models import Topic
from tests.busy_day import FIRST, LAST

WAITING = 12  # people here and waiting, whatever the size of the day
SURGEONS = 10  # all but two here, two of those busy


@dataclass
class CrowdedDay:
    """The seeded day, and a name to search for that sorts after the first page."""

    event_id: int
    session_id: int
    last_name: str  # the person last by name, not here yet


def _ids(query) -> list[int]:
    return list(db.session.scalars(query))


def _insert(target, rows: list[dict]) -> None:
    if rows:
        db.session.execute(sa.insert(target), rows)


def name_of(n: int) -> str:
    """The n-th person's name: the first names and surnames of busy_day, made unique."""
    return f"{FIRST[n % len(FIRST)]} {LAST[n * 7 % len(LAST)]} {n:05d}"


def seed_crowded_day(people: int, organiser_email: str, seed: int = 1) -> CrowdedDay:
    """One published day today, its surgery session under way, `people` booked; committed."""
    rng = random.Random(seed)
    now = utcnow()
    starts = now - dt.timedelta(hours=2)
    event = Event(
        title="Crowded surgery day",
        city="Leeds",
        venue_name="Leeds Central Library",
        status=PUBLISHED,
        organiser_email=organiser_email,
    )
    session = EventSession(
        kind=SURGERY, title="Surgery space", starts_at=starts,
        ends_at=now + dt.timedelta(hours=2), capacity=people + 10,
    )  # fmt: skip
    event.sessions.append(session)
    db.session.add(event)
    db.session.commit()
    key = f"{event.id}-{new_form_key()[:8]}"
    here = people * 2 // 5

    def arrived(n: int) -> dt.datetime | None:
        # the first `here` people came over the last 100 minutes, in order
        return starts + dt.timedelta(seconds=6000 * n / max(here, 1)) if n < here else None

    names = [name_of(n) for n in range(people)]
    _insert(
        Registration,
        [
            {
                "event_id": event.id,
                "name": names[n],
                "email": f"person{n}@example.org",
                "search_key": search_key(names[n], f"person{n}@example.org"),
                "help_text": "Help with our group's page.",
                "token_seed": f"seed-{key}-{n}",
                "token_hash": hash_token(f"token-{key}-{n}"),
                "checked_in_at": arrived(n),
            }
            for n in range(people)
        ],
    )
    registrations = _ids(
        sa.select(Registration.id)
        .where(Registration.event_id == event.id)
        .order_by(Registration.id)
    )
    topics = _ids(sa.select(Topic.id).order_by(Topic.position))
    _insert(
        registration_topic,
        [
            {"registration_id": r, "topic_id": t}
            for r in registrations
            for t in rng.sample(topics, rng.randint(1, 2))
        ],
    )
    _insert(
        Booking,
        [
            {
                "registration_id": r,
                "session_id": session.id,
                "status": CONFIRMED,
                "ical_uid": f"crowded-{key}-{n}@social-media-surgery",
            }
            for n, r in enumerate(registrations)
        ],
    )
    bookings = _ids(
        sa.select(Booking.id).where(Booking.session_id == session.id).order_by(Booking.id)
    )
    surgeons = _surgeons(event, session, key, starts, topics)
    present = surgeons[: SURGEONS - 2]
    helped = max(here - WAITING, 0)
    records = []
    for n in range(helped):
        surgeon = present[n % len(present)]
        started = arrived(n) + dt.timedelta(minutes=5)
        busy = n >= helped - 2  # the last two are still with their surgeon
        records.append(
            {
                "session_id": session.id,
                "booking_id": bookings[n],
                "surgeon_id": present[-1 - (helped - 1 - n)] if busy else surgeon,
                "topics": ["Facebook"],
                "started_at": now - dt.timedelta(minutes=10) if busy else started,
                "ended_at": None if busy else started + dt.timedelta(minutes=12),
            }
        )
    _insert(HelpRecord, records)
    db.session.commit()
    return CrowdedDay(event.id, session.id, max(names, key=str.lower))


def _surgeons(event, session, key: str, starts: dt.datetime, topics: list[int]) -> list[int]:
    """SURGEONS approved surgeons who help with everything, all but the last two here."""
    _insert(
        Surgeon,
        [
            {
                "event_id": event.id,
                "name": f"Surgeon {n:02d}",
                "email": f"surgeon{n}@example.org",
                "status": APPROVED,
                "capacity": 3,
                "arrived_at": starts if n < SURGEONS - 2 else None,
                "token_seed": f"surgeon-seed-{key}-{n}",
                "token_hash": hash_token(f"surgeon-token-{key}-{n}"),
            }
            for n in range(SURGEONS)
        ],
    )
    surgeons = _ids(sa.select(Surgeon.id).where(Surgeon.event_id == event.id).order_by(Surgeon.id))
    _insert(surgeon_topic, [{"surgeon_id": s, "topic_id": t} for s in surgeons for t in topics])
    _insert(
        SurgeonSession,
        [{"surgeon_id": s, "session_id": session.id, "ical_sequence": 0} for s in surgeons],
    )
    return surgeons
