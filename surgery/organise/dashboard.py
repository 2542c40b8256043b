"""The organiser's dashboard: every day with its figures and what needs attention.

Every figure of every day comes from a few GROUP BY queries, however many days there
are; no registration is loaded.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from surgery.bookings.models import Booking
from surgery.database import utcnow
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.dashboard import DayFigures, SessionFigures, in_order
from surgery.events.models import SURGERY, Event, EventSession
from surgery.extensions import db
from surgery.mail.models import FAILED, OutboxMessage, day_of_message
from surgery.matching.models import LOCKED, Match
from surgery.surgeons.models import APPROVED, PENDING, Surgeon, SurgeonSession


@dataclass
class DayRow:
    """One day on the dashboard: the event, its figures, and the surgery sessions with
    pairs still to accept (id, title, how many), each with its own matching page."""

    event: Event
    figures: DayFigures
    pairs: list[tuple[int, str, int]] = field(default_factory=list)


def days(now: dt.datetime | None = None) -> dict[str, list[DayRow]]:
    """Every day with its figures, by section (coming up, drafts, past and cancelled)."""
    now = now or utcnow()
    events = db.session.scalars(sa.select(Event)).all()
    sessions = db.session.execute(
        sa.select(
            EventSession.id,
            EventSession.event_id,
            EventSession.kind,
            EventSession.title,
            EventSession.capacity,
            EventSession.starts_at,
            EventSession.ends_at,
        ).order_by(EventSession.starts_at, EventSession.id)
    ).all()
    bookings, helped, pairs = _bookings(), _helped(), _pairs()
    surgeons, failed = _surgeons(), _failed_mail()
    of_day = defaultdict(list)
    for s in sessions:
        of_day[s.event_id].append(s)
    rows = []
    for event in events:
        mine = of_day[event.id]
        figures = DayFigures(
            status=event.status,
            starts=min((s.starts_at for s in mine), default=None),
            ends=max((s.ends_at for s in mine), default=None),
            sessions=tuple(
                SessionFigures(
                    surgery=s.kind == SURGERY,
                    capacity=s.capacity,
                    booked=bookings[s.id, CONFIRMED],
                    waiting=bookings[s.id, WAITLISTED],
                    helped=helped[s.id],
                    pairs_to_accept=pairs[s.id],
                )
                for s in mine
            ),
            approved=surgeons[event.id, APPROVED],
            pending=surgeons[event.id, PENDING],
            failed_mail=failed[event.id],
        )
        to_accept = [(s.id, s.title, pairs[s.id]) for s in mine if pairs[s.id]]
        rows.append((event, figures, to_accept))
    ordered = in_order(rows, now)
    return {name: [DayRow(*row) for row in found] for name, found in ordered.items()}


def _counts(query) -> defaultdict:
    """A GROUP BY query's rows as {key: count}, 0 for keys it did not return."""
    found = defaultdict(int)
    for *key, n in db.session.execute(query):
        found[key[0] if len(key) == 1 else tuple(key)] = int(n or 0)
    return found


def _bookings() -> defaultdict:
    """Places taken and people waiting, by (session, status)."""
    return _counts(
        sa.select(Booking.session_id, Booking.status, sa.func.count())
        .where(Booking.status.in_([CONFIRMED, WAITLISTED]))
        .group_by(Booking.session_id, Booking.status)
    )


def _helped() -> defaultdict:
    """How many people the approved surgeons of each session can help between them."""
    return _counts(
        sa.select(SurgeonSession.session_id, sa.func.sum(Surgeon.capacity))
        .join(Surgeon, Surgeon.id == SurgeonSession.surgeon_id)
        .where(Surgeon.status == APPROVED)
        .group_by(SurgeonSession.session_id)
    )


def _pairs() -> defaultdict:
    """Locked pairs not yet accepted (nobody told), by session, as the matching page shows
    them: only those whose attendee is still booked."""
    return _counts(
        sa.select(Match.session_id, sa.func.count())
        .join(Booking, Booking.id == Match.booking_id)
        .where(Match.status == LOCKED, Booking.status == CONFIRMED)
        .group_by(Match.session_id)
    )


def _surgeons() -> defaultdict:
    """Surgeons approved and volunteers waiting for an answer, by (day, status)."""
    return _counts(
        sa.select(Surgeon.event_id, Surgeon.status, sa.func.count())
        .where(Surgeon.status.in_([APPROVED, PENDING]))
        .group_by(Surgeon.event_id, Surgeon.status)
    )


def _failed_mail() -> defaultdict:
    """Mail given up on, by the day it was about."""
    day = day_of_message()
    return _counts(
        sa.select(day, sa.func.count())
        .where(OutboxMessage.status == FAILED, day.is_not(None))
        .group_by(day)
    )
