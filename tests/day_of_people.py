"""A day of people for the tests and benchmark of removal, built quickly with bulk inserts.

Everything a day's removal and an erasure touch: registrations with sensitive answers
(role tags, access needs, help text, languages), topics, bookings (some waiting), surgeons
with role tags, topics and sessions, accepted pairs with reasons, help records and feedback
(for a day that is over), and outbox rows about bookings, surgeons' sessions and the day.
"""

import datetime as dt
import random

import sqlalchemy as sa

from surgery.bookings.models import (
    Booking,
    Registration,
    registration_role_tag,
    registration_topic,
)
from surgery.day.models import Feedback, HelpRecord
from surgery.domain.access import ACCESS_NEEDS
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.tokens import hash_token, new_form_key
from surgery.events.models import PUBLISHED, SURGERY, Event, EventSession
from surgery.extensions import db
from surgery.mail import wording
from surgery.mail.models import SENT, OutboxMessage, new_message
from surgery.matching.models import ACCEPTED, Match
from surgery.surgeons.models import (
    APPROVED,
    Surgeon,
    SurgeonSession,
    surgeon_role_tag,
    surgeon_topic,
)
from surgery.vocabulary.models import RoleTag, Topic
from tests.busy_day import FIRST, LAST

SURGEON_SHARE = 10  # one surgeon for every ten people
PER_SURGEON = 3  # people each surgeon is paired with


def _ids(query) -> list[int]:
    return list(db.session.scalars(query))


def _insert(target, rows: list[dict]) -> None:
    if rows:
        db.session.execute(sa.insert(target), rows)


def seed_day(people: int, ends_at: dt.datetime, waiting: int = 0, seed: int = 1) -> int:
    """One published day of `people` (the last `waiting` of them on the waiting list) whose
    surgery session ends at `ends_at`; committed. Returns the event's id."""
    rng = random.Random(seed)
    over = ends_at <= dt.datetime.now(dt.UTC)
    tags = _ids(sa.select(RoleTag.id))
    topics = db.session.execute(sa.select(Topic.id, Topic.name)).all()
    event = Event(
        title="Bench past day",
        city="Leeds",
        venue_name="Leeds Central Library",
        status=PUBLISHED,
        organiser_email="bench-organiser@example.org",
    )
    starts = ends_at - dt.timedelta(hours=3)
    session = EventSession(
        kind=SURGERY, title="Surgery space", starts_at=starts, ends_at=ends_at,
        capacity=people - waiting,
    )  # fmt: skip
    event.sessions.append(session)
    db.session.add(event)
    db.session.commit()
    key = f"{event.id}-{new_form_key()[:8]}"

    def came(n: int) -> bool:
        return over and n % 5 < 2

    _insert(
        Registration,
        [
            {
                "event_id": event.id,
                "name": f"{FIRST[n % len(FIRST)]} {LAST[n * 7 % len(LAST)]} {n}",
                "email": f"person{n}@example.org",
                "help_text": "Help with our group's page and its newsletter.",
                "access_needs": rng.sample(sorted(ACCESS_NEEDS), rng.randint(0, 2)),
                "access_other": "Seat near the door" if n % 7 == 0 else "",
                "languages": ["BSL"] if n % 20 == 0 else [],
                "wants_lived_experience": n % 4 == 0,
                "consent_sensitive": True,
                "share_with_surgeon": n % 2 == 0,
                "consent_at": starts - dt.timedelta(days=10),
                "token_seed": f"seed-{key}-{n}",
                "token_hash": hash_token(f"token-{key}-{n}"),
                "checked_in_at": starts + dt.timedelta(minutes=n % 60) if came(n) else None,
            }
            for n in range(people)
        ],
    )
    registrations = _ids(
        sa.select(Registration.id)
        .where(Registration.event_id == event.id)
        .order_by(Registration.id)
    )
    _insert(
        registration_topic,
        [
            {"registration_id": r, "topic_id": t}
            for r in registrations
            for t, _ in rng.sample(topics, rng.randint(1, 2))
        ],
    )
    _insert(
        registration_role_tag,
        [
            {"registration_id": r, "role_tag_id": t}
            for n, r in enumerate(registrations)
            if n % 2 == 0
            for t in rng.sample(tags, min(len(tags), rng.randint(1, 2)))
        ],
    )
    _insert(
        Booking,
        [
            {
                "registration_id": r,
                "session_id": session.id,
                "status": WAITLISTED if n >= people - waiting else CONFIRMED,
                "queue_key": n + 1,
                "ical_uid": f"bench-{key}-{n}@social-media-surgery",
                "ical_sequence": 0,
            }
            for n, r in enumerate(registrations)
        ],
    )
    bookings = _ids(
        sa.select(Booking.id).where(Booking.session_id == session.id).order_by(Booking.id)
    )

    helpers = max(2, people // SURGEON_SHARE)
    _insert(
        Surgeon,
        [
            {
                "event_id": event.id,
                "name": f"Surgeon {n:04d}",
                "email": f"surgeon{n}@example.org",
                "bio": "Runs the digital side of a local charity.",
                "languages": ["Urdu"] if n % 9 == 0 else [],
                "capacity": PER_SURGEON,
                "consent_sensitive": n % 3 == 0,
                "status": APPROVED,
                "arrived_at": starts if over else None,
                "token_seed": f"surgeon-seed-{key}-{n}",
                "token_hash": hash_token(f"surgeon-token-{key}-{n}"),
            }
            for n in range(helpers)
        ],
    )
    surgeons = _ids(sa.select(Surgeon.id).where(Surgeon.event_id == event.id).order_by(Surgeon.id))
    _insert(
        surgeon_topic,
        [{"surgeon_id": s, "topic_id": t} for s in surgeons for t, _ in rng.sample(topics, 3)],
    )
    _insert(
        surgeon_role_tag,
        [{"surgeon_id": s, "role_tag_id": tags[0]} for n, s in enumerate(surgeons) if n % 3 == 0],
    )
    _insert(
        SurgeonSession,
        [{"surgeon_id": s, "session_id": session.id, "ical_sequence": 0} for s in surgeons],
    )
    slots = _ids(sa.select(SurgeonSession.id).where(SurgeonSession.session_id == session.id))

    paired = [
        (bookings[i], surgeons[i // PER_SURGEON])
        for i in range(min(people - waiting, helpers * PER_SURGEON))
    ]
    _insert(
        Match,
        [
            {
                "session_id": session.id,
                "booking_id": b,
                "surgeon_id": s,
                "status": ACCEPTED,
                "reasons": ["knows your topic", "brings lived experience"],
                "accepted_at": starts - dt.timedelta(days=1),
            }
            for b, s in paired
        ],
    )
    index = {b: n for n, b in enumerate(bookings)}
    _insert(
        HelpRecord,
        [
            {
                "session_id": session.id,
                "booking_id": b,
                "surgeon_id": s,
                "topics": [topics[0][1]],
                "started_at": starts + dt.timedelta(minutes=30),
                "ended_at": starts + dt.timedelta(minutes=50),
            }
            for b, s in paired
            if came(index[b])
        ],
    )
    _insert(
        Feedback,
        [
            {
                "registration_id": r,
                "learned": "How to plan a month of posts.",
                "share_publicly": True,
            }
            for n, r in enumerate(registrations)
            if came(n) and n % 2 == 0
        ],
    )

    about_day = {"id": event.id, "title": event.title}
    sent = starts - dt.timedelta(days=10)

    def message(kind, to, name, about=None):
        payload = {"event": about_day, "intro": [f"Hello {name},", "See you on the day."]}
        return new_message(kind, to, "Your place", payload, sent, status=SENT, about=about)

    rows = [
        message(wording.CONFIRMED, f"person{n}@example.org", f"Person {n}", ("booking", b))
        for n, b in enumerate(bookings)
    ]
    rows += [
        message(
            wording.SURGEON_CONFIRMED, f"surgeon{n}@example.org", f"Surgeon {n:04d}", ("slot", s)
        )
        for n, s in enumerate(slots)
    ]
    rows += [
        message(wording.FEEDBACK_REQUEST, f"person{n}@example.org", f"Person {n}")
        for n in range(people)
        if came(n)
    ]
    _insert(OutboxMessage, rows)
    db.session.commit()
    return event.id


def seed_held_days(count: int, now: dt.datetime) -> None:
    """`count` days over at different times in the last year and more, each still holding
    data (no removal yet); one session each, no people (the look-up reads days, not people)."""
    rows = [
        {"title": f"Held day {n}", "city": "York", "venue_name": "Hall", "status": PUBLISHED,
         "organiser_email": "bench-organiser@example.org"}
        for n in range(count)
    ]  # fmt: skip
    _insert(Event, rows)
    events = _ids(sa.select(Event.id).where(Event.title.like("Held day %")).order_by(Event.id))
    sessions = []
    for n, event_id in enumerate(events):
        ends = now - dt.timedelta(days=2 * n, hours=n % 5)
        sessions.append(
            {"event_id": event_id, "kind": SURGERY, "title": "Surgery space",
             "starts_at": ends - dt.timedelta(hours=3), "ends_at": ends, "capacity": 20}
        )  # fmt: skip
    _insert(EventSession, sessions)
    db.session.commit()
