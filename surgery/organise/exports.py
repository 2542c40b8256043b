"""What organisers download or print about a day's people: the bookings spreadsheet and
the venue's needs sheet."""

import datetime as dt

import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.domain import export, needs
from surgery.domain.access import labels as access_labels
from surgery.domain.capacity import CONFIRMED
from surgery.events.models import Event, EventSession
from surgery.extensions import db
from surgery.organise.services import event_overview


def bookings_csv(event: Event, sensitive: bool = False) -> str:
    """Every confirmed and waiting booking of an event, one row each; sensitive answers
    only when asked for."""
    rows = []
    for view in event_overview(event):
        numbered = [(None, b) for b in view.confirmed] + list(enumerate(view.waiting, start=1))
        rows += [_row(event, view.session, booking, position) for position, booking in numbered]
    return export.to_csv(rows, sensitive)


def _row(event: Event, session: EventSession, booking: Booking, position) -> export.ExportRow:
    """One booking in words, every column filled (the export chooses which to show)."""
    r = booking.registration
    return export.ExportRow(
        name=r.name,
        email=r.email or "",
        session=session.title,
        starts=_local(event, session.starts_at),
        kind=session.kind_label,
        state=export.state_words(booking.status),
        waiting_position=str(position or ""),
        topics="; ".join(t.name for t in r.topics),
        languages="; ".join(r.languages or []),
        walk_in=export.yes(r.is_walk_in),
        checked_in=_local(event, r.checked_in_at),
        booked_at=_local(event, booking.created_at),
        role_tags="; ".join(t.name for t in r.role_tags),
        help_wanted=r.help_text or "",
        access_needs="; ".join(access_labels(r.access_needs or [])),
        access_other=r.access_other or "",
        lived_experience=export.yes(r.wants_lived_experience),
    )


def _local(event: Event, moment: dt.datetime | None) -> str:
    """A UTC time as the day's wall-clock time, or empty."""
    return event.local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def needs_sheet(event: Event) -> list[tuple[EventSession, list[int]]]:
    """Per session, how many confirmed people need each kind of access: one query, no names."""
    answers = db.session.execute(
        sa.select(Booking.session_id, Registration.consent_sensitive, Registration.access_needs)
        .join(Booking.registration)
        .join(Booking.session)
        .where(EventSession.event_id == event.id, Booking.status == CONFIRMED)
    ).all()
    counts = needs.count_needs((s.id for s in event.sessions), answers)
    return [(session, counts[session.id]) for session in event.sessions]
