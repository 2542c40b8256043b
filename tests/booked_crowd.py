"""Thousands of people booked onto one session, written in a few bulk inserts, for tests and
benchmarks of the pages that list a day's people. Inside the caller's app context; flushed,
not committed.

Person n (from 0) is named "Person 0000n" (email person0000n@example.org); the first `places`
are booked and the rest wait in order. Every third chose the first role tag, every fifth the
second too; everyone wants help with one topic.
"""

import sqlalchemy as sa

from surgery.bookings.models import (
    Booking,
    Registration,
    registration_role_tag,
    registration_topic,
)
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.search_key import key
from surgery.domain.tokens import hash_token
from surgery.events.models import EventSession
from surgery.extensions import db
from surgery.vocabulary.models import RoleTag, Topic


def name_of(n: int) -> str:
    """The name of the nth person added."""
    return f"Person {n:05d}"


def add_people(session: EventSession, people: int, places: int) -> list[int]:
    """Register and book `people` onto a session, the first `places` booked and the rest on
    its waiting list in order; their registration ids, in the same order."""
    tags = list(
        db.session.scalars(sa.select(RoleTag.id).order_by(RoleTag.position, RoleTag.id).limit(2))
    )
    topic = db.session.scalar(sa.select(Topic.id).order_by(Topic.position, Topic.id).limit(1))
    rows = []
    for n in range(people):
        name, email = name_of(n), f"person{n:05d}@example.org"
        rows.append(
            {
                "event_id": session.event_id,
                "name": name,
                "email": email,
                "search_key": key(name, email),
                "consent_sensitive": True,
                "token_seed": f"crowd-{session.id}-{n}",
                "token_hash": hash_token(f"crowd-{session.id}-{n}"),
            }
        )
    inserted = sa.insert(Registration).returning(Registration.id, sort_by_parameter_order=True)
    ids = list(db.session.scalars(inserted, rows))
    db.session.execute(
        sa.insert(Booking),
        [
            {
                "registration_id": registration_id,
                "session_id": session.id,
                "status": CONFIRMED if n < places else WAITLISTED,
                "queue_key": n + 1,
            }
            for n, registration_id in enumerate(ids)
        ],
    )
    chosen = [(r, tags[0]) for n, r in enumerate(ids) if n % 3 == 0]
    chosen += [(r, tags[1]) for n, r in enumerate(ids) if n % 5 == 0]
    db.session.execute(
        sa.insert(registration_role_tag),
        [{"registration_id": r, "role_tag_id": t} for r, t in chosen],
    )
    db.session.execute(
        sa.insert(registration_topic), [{"registration_id": r, "topic_id": topic} for r in ids]
    )
    db.session.flush()
    return ids


def tag_names() -> tuple[str, str]:
    """The names of the two role tags add_people chooses, first and second."""
    names = db.session.scalars(
        sa.select(RoleTag.name).order_by(RoleTag.position, RoleTag.id).limit(2)
    )
    first, second = names
    return first, second
