"""Demo data for `make run`: a day that has happened and a monthly series of days to come,
made through the same services as the site's forms; and many days for benchmarks."""

import sqlalchemy as sa

from surgery.audit.models import AuditEntry
from surgery.auth import services as organisers
from surgery.day import floor
from surgery.day import services as day
from surgery.demo import days, past_day, upcoming
from surgery.demo.many import make_many as _make_many
from surgery.domain.online import is_online
from surgery.events.models import Event
from surgery.extensions import db
from surgery.organise.services import people_of
from surgery.surgeons.models import PENDING, Surgeon
from surgery.templating import format_day

ORGANISER_EMAIL = "organiser@example.org"
ORGANISER_NAME = "Demo Organiser"
ORGANISER_PASSWORD = "surgery-demo-2027"


def has_events() -> bool:
    """True if any event exists."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event)) > 0


def make_showcase() -> list[str]:
    """The demo organiser, the past day and the series; lines saying what was made
    (flushes; the caller commits)."""
    organiser = organisers.find(ORGANISER_EMAIL) or organisers.create(
        ORGANISER_EMAIL, ORGANISER_NAME, ORGANISER_PASSWORD
    )
    audited_before = db.session.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0
    past = past_day.make(days.last_saturday_but_one(), ORGANISER_EMAIL)
    series = days.monthly_series(past)
    upcoming.fill(series)
    # what the demo did, the audit log shows the organiser doing (no one is signed in here)
    db.session.execute(
        sa.update(AuditEntry)
        .where(AuditEntry.id > audited_before, AuditEntry.organiser_id.is_(None))
        .where(AuditEntry.actor == "unknown")
        .values(organiser_id=organiser.id, actor=organiser.name)
    )
    db.session.flush()
    return [describe(event) for event in [past, *series]]


def make_many(count: int) -> int:
    """count upcoming published days for benchmarks (flushes; the caller commits)."""
    return _make_many(count, ORGANISER_EMAIL)


def describe(event: Event) -> str:
    """One line about a demo day, for the command's output."""
    when = f"{event.title}, {format_day(event.local(event.starts_at))}"
    numbers = floor.numbers(event)
    if numbers.day_over:
        shared = len(day.shared_feedback(event))
        return (
            f"{when} (over): {numbers.arrived} came ({numbers.walk_ins} walking in), "
            f"{numbers.helped} helped one to one, {numbers.no_shows} booked but did not come, "
            f"{_counted(shared, 'answer')} shared; its numbers: /organise/events/{event.id}/numbers"
        )
    people = people_of(event)
    pending = db.session.scalar(
        sa.select(sa.func.count()).where(Surgeon.event_id == event.id, Surgeon.status == PENDING)
    )
    online = any(is_online(s.mode) for s in event.sessions)
    return (
        f"{when} ({event.status}): {people.confirmed} booked, {people.waiting} waiting, "
        f"{_counted(people.surgeons, 'surgeon')}, {_counted(pending, 'volunteer')} to approve"
        + ("; one session is online too" if online else "")
    )


def _counted(count: int, noun: str) -> str:
    """'1 surgeon', '2 surgeons'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
