"""A surgery day as it happens, for tests and benchmarks of the busy pages.

One published event today with its surgery session under way: people booked (two in five
checked in over the last hour), approved surgeons (four in five here), pairings in progress
and finished. Built through the ORM in one transaction, inside the caller's app context.
"""

import datetime as dt
import random
from dataclasses import dataclass

import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.day.models import HelpRecord
from surgery.domain.capacity import CONFIRMED
from surgery.domain.tokens import hash_token, manage_token, new_form_key
from surgery.events.models import PUBLISHED, SURGERY, Event, EventSession
from surgery.extensions import db
from surgery.surgeons.models import APPROVED, Surgeon, SurgeonSession
from surgery.vocabulary.models import Topic

FIRST = [
    "Amira",
    "Ben",
    "Cara",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Hamza",
    "Iris",
    "Jon",
    "Kemi",
    "Liam",
    "Maya",
    "Noor",
    "Owen",
    "Priya",
]
LAST = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
]


@dataclass
class Day:
    """The seeded day."""

    event_id: int
    session_id: int


def seed_busy_day(
    secret: str, organiser_email: str, people: int, surgeons: int, seed: int = 1
) -> Day:
    """One published event today, its surgery session under way; committed."""
    rng = random.Random(seed)
    topics = list(db.session.scalars(sa.select(Topic).order_by(Topic.position)))
    now = utcnow()
    event = Event(
        title="Bench surgery day",
        city="Leeds",
        venue_name="Leeds Central Library",
        status=PUBLISHED,
        organiser_email=organiser_email,
    )
    session = EventSession(
        kind=SURGERY,
        title="Surgery space",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
        capacity=600,
    )
    event.sessions.append(session)
    db.session.add(event)

    here: list[Booking] = []
    for n in range(people):
        token_seed = new_form_key()
        registration = Registration(
            event=event,
            name=f"{FIRST[n % len(FIRST)]} {LAST[n * 7 % len(LAST)]}",
            email=f"person{n}@example.org",
            help_text="Help with our group's page.",
            token_seed=token_seed,
            token_hash=hash_token(manage_token(secret, token_seed)),
            topics=rng.sample(topics, rng.randint(1, 2)),
        )
        booking = Booking(registration=registration, session=session, status=CONFIRMED)
        if n % 5 < 2:  # two in five are here, arrived over the last hour
            registration.checked_in_at = now - dt.timedelta(seconds=3600 * n / people)
            here.append(booking)
        db.session.add_all([registration, booking])

    present: list[Surgeon] = []
    for n in range(surgeons):
        token_seed = new_form_key()
        surgeon = Surgeon(
            event=event,
            name=f"Surgeon {n:02d}",
            email=f"surgeon{n}@example.org",
            status=APPROVED,
            capacity=rng.randint(1, 3),
            token_seed=token_seed,
            token_hash=hash_token(manage_token(secret, token_seed)),
            topics=rng.sample(topics, min(len(topics), rng.randint(3, 5))),
        )
        surgeon.availability.append(SurgeonSession(session=session))
        if n < surgeons * 4 // 5:  # four in five are here
            surgeon.arrived_at = now - dt.timedelta(minutes=70 - n)
            present.append(surgeon)
        db.session.add(surgeon)

    db.session.flush()  # ids for the pairings
    # a pairing in progress for one in four surgeons here, three finished per busy surgeon
    busy = present[: len(present) // 4]
    for i, surgeon in enumerate(busy):
        for k in range(4):
            person = here[(i * 4 + k) % len(here)]
            started = now - dt.timedelta(minutes=60 - 15 * k)
            db.session.add(
                HelpRecord(
                    session_id=session.id,
                    booking=person,
                    surgeon=surgeon,
                    topics=[t.name for t in person.registration.topics],
                    started_at=started,
                    ended_at=None if k == 3 else started + dt.timedelta(minutes=12),
                )
            )
    db.session.commit()
    return Day(event.id, session.id)
