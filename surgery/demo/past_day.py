"""The day that has happened: booked, checked in, paired on the floor and asked what people
learned, so its numbers page shows real figures.

The services refuse to book a day that is over, and stamp each change with the present
moment. So the day is booked and volunteered for while it still stands ahead (tomorrow);
then it is moved to its real date (demo only, telling nobody); then people check in, walk
in, are paired and give feedback through the services; and each row's times are set to when
it happened on the day. The emails queued meanwhile describe the day on the date it stood
on while booked, and it is over now: they are deleted, never sent.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from surgery.audit.models import AuditEntry
from surgery.bookings import services as bookings
from surgery.bookings.models import Registration
from surgery.day import floor
from surgery.day import services as day
from surgery.demo import days
from surgery.demo.people import about, book, email_of, volunteer
from surgery.domain.arrival import DESK
from surgery.events.models import SURGERY, WORKSHOP, Event
from surgery.extensions import db
from surgery.learned.demo import add_demo_resources
from surgery.mail.models import OutboxMessage


@dataclass(frozen=True)
class Visit:
    """One person's day: what they booked (nothing: a walk-in), when they arrived (None:
    they did not come), the surgeon who helped them and when, and what they learned."""

    name: str
    kinds: tuple[str, ...] = (SURGERY,)
    topics: tuple[str, ...] = ()
    help_text: str = ""
    role_tags: tuple[str, ...] = ()
    arrived: str | None = None
    helped: tuple[str, str, str] | None = None  # surgeon, from, until
    learned: str = ""
    shared: bool = False
    cancelled: bool = False  # gave their place up before the day
    need: str | None = None  # a walk-in's need at the door (None: a surgeon)
    no_email: bool = False  # a walk-in who gave no address


WORKER = "Worker in a voluntary or community organisation"
LIVED = "Lived experience of mental health difficulties"
BOOKED = [
    Visit(
        "Ada Example",
        topics=("Facebook",),
        help_text="Scheduling posts for our allotment group's page.",
        role_tags=("Volunteer",),
        arrived="10:05",
        helped=("Sam Surgeon", "10:10", "10:40"),
        learned="How to schedule our Facebook posts, so I am not on my phone every evening.",
        shared=True,
    ),
    Visit(
        "Ben Placeholder",
        kinds=(SURGERY, WORKSHOP),
        topics=("Blogging",),
        help_text="Starting a blog for our peer support group.",
        role_tags=(LIVED,),
        arrived="10:12",
        helped=("Pat Helper", "10:15", "10:55"),
        learned="That a blog can be free, and that I can write it a little at a time.",
        shared=True,
    ),
    Visit(
        "Cleo Sample",
        topics=("Online safety and privacy",),
        help_text="Who can see what I post?",
        arrived="10:30",
        helped=("Sam Surgeon", "10:45", "11:20"),
        learned="How to check who can see my posts, and to take my address off my profile.",
        shared=True,
    ),
    Visit(
        "Dev Testperson",
        kinds=(WORKSHOP,),
        topics=("Blogging",),
        role_tags=(WORKER,),
        arrived="13:20",
        learned="Enough to start our newsletter as a blog. I would rather not be quoted.",
    ),
    Visit("Eve Demo", topics=("Instagram",), help_text="Instagram for our cafe."),
    Visit("Finn Fictional", topics=("Websites",), cancelled=True),
    Visit(
        "Gus Madeup",
        topics=("Email newsletters",),
        role_tags=(WORKER,),
        arrived="11:00",
        helped=("Lee Volunteer", "11:05", "11:45"),
    ),
]
WALK_INS = [
    Visit(
        "Hana Walkin",
        kinds=(),
        topics=("Instagram",),
        arrived="11:15",
        helped=("Pat Helper", "11:30", "12:10"),
        learned="Hashtags: a few good ones, not thirty.",
        shared=True,
    ),
    Visit("Ivo Dropin", kinds=(), arrived="12:00", need=DESK, no_email=True),
]
SURGEONS = [
    ("Sam Surgeon", ("Facebook", "Instagram", "Online safety and privacy")),
    ("Pat Helper", ("Blogging", "Websites", "Instagram")),
    ("Lee Volunteer", ("Email newsletters", "Online safety and privacy")),
]
SURGEONS_ARRIVE, SURGEONS_LEAVE = "09:45", "13:00"


def make(date: dt.date, organiser_email: str) -> Event:
    """The past day on `date`, with its people, pairs and feedback."""
    queued_before = _last_message_id()
    audited_before = db.session.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0
    event = days.make_day(days.today() + dt.timedelta(days=1), organiser_email)
    days.publish(event)
    _date_made(event, days.at(date - dt.timedelta(days=35), "10:00"), audited_before)
    people = _booked_ahead(event, date)
    surgeons = {name: volunteer(event, name, topics) for name, topics in SURGEONS}
    days.move(event, date)
    _date_surgeons(surgeons.values(), date)
    people |= _arrivals(event, people, date)
    surgery = days.session_of(event, SURGERY)
    for surgeon in surgeons.values():
        floor.surgeon_arrived(surgeon)
        surgeon.arrived_at = days.at(date, SURGEONS_ARRIVE)
    _pairs(surgery, people, surgeons, date)
    for surgeon in surgeons.values():
        floor.surgeon_gone(surgeon)
        surgeon.left_at = days.at(date, SURGEONS_LEAVE)
    _feedback(event, people, date)
    add_demo_resources(event, surgeons["Pat Helper"])  # on its "what we learned" page
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.id > queued_before))
    db.session.flush()
    return event


def _last_message_id() -> int:
    """The newest outbox row's id (0: none)."""
    return db.session.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0


def _date_made(event: Event, moment: dt.datetime, audited_before: int) -> None:
    """The day was made and published five weeks before it, and the audit log says so."""
    event.created_at = moment
    for session in event.sessions:
        session.created_at = moment
    db.session.execute(
        sa.update(AuditEntry)
        .where(AuditEntry.id > audited_before, AuditEntry.event_id == event.id)
        .values(at=moment)
    )
    db.session.flush()


def _booked_ahead(event: Event, date: dt.date) -> dict[str, Registration]:
    """Everyone who booked, over the three weeks before the day; one gave their place up."""
    people = {}
    for n, visit in enumerate(BOOKED):
        sessions = [days.session_of(event, kind).id for kind in visit.kinds]
        told = about(visit.topics, visit.help_text, visit.role_tags)
        registration = book(event, visit.name, sessions, told)
        if visit.cancelled:
            bookings.cancel_all(registration)
        _stamp_booked(registration, days.at(date - dt.timedelta(days=21 - 2 * n), "19:30"))
        people[visit.name] = registration
    return people


def _stamp_booked(registration: Registration, moment: dt.datetime) -> None:
    """Date a registration and its bookings to when they were made."""
    registration.created_at = moment
    if registration.consent_at is not None:
        registration.consent_at = moment
    for booking in registration.bookings:
        booking.created_at = moment
    db.session.flush()


def _date_surgeons(surgeons, date: dt.date) -> None:
    """The surgeons volunteered a month before the day."""
    for n, surgeon in enumerate(surgeons):
        surgeon.created_at = days.at(date - dt.timedelta(days=30 - 3 * n), "12:00")
    db.session.flush()


def _arrivals(event: Event, people: dict, date: dt.date) -> dict[str, Registration]:
    """Check people in at the door in the order they came, and register the walk-ins;
    the walk-ins' registrations by name."""
    came = sorted((v for v in BOOKED + WALK_INS if v.arrived), key=lambda v: v.arrived)
    walked_in = {}
    for visit in came:
        if visit in WALK_INS:
            walk_in = day.WalkIn(
                visit.name,
                "" if visit.no_email else email_of(visit.name),
                about(visit.topics),
                need=visit.need,
            )
            registration = day.register_walk_in(event.id, walk_in, current_app.secret_key)
            walked_in[visit.name] = registration
            _stamp_booked(registration, days.at(date, visit.arrived))
        else:
            registration = people[visit.name]
            day.check_in(registration)
        registration.checked_in_at = days.at(date, visit.arrived)
        db.session.flush()
    return walked_in


def _pairs(surgery, people: dict, surgeons: dict, date: dt.date) -> None:
    """Each pair on the floor, started and ended through the floor, timed as it was."""
    helped = sorted((v for v in BOOKED + WALK_INS if v.helped), key=lambda v: v.helped[1])
    for visit in helped:
        surgeon, starts, ends = visit.helped
        booking = next(b for b in people[visit.name].bookings if b.session_id == surgery.id)
        record = floor.start(surgery, booking.id, surgeons[surgeon].id)
        floor.end(surgery, record.id)
        record.started_at, record.ended_at = days.at(date, starts), days.at(date, ends)
        db.session.flush()


def _feedback(event: Event, people: dict, date: dt.date) -> None:
    """The organiser asked everyone who came on the Monday after; some answered, and some
    of those agreed their words may be shared without their name."""
    day.request_feedback(event)
    asked = days.at(date + dt.timedelta(days=2), "09:30")
    for registration in people.values():
        if registration.feedback_requested_at is not None:
            registration.feedback_requested_at = asked
    for n, visit in enumerate(v for v in BOOKED + WALK_INS if v.learned):
        feedback = day.save_feedback(people[visit.name], visit.learned, visit.shared)
        feedback.created_at = asked + dt.timedelta(hours=3 + 5 * n)
    db.session.flush()
