"""What organisers download or print about a day's people: the bookings spreadsheet and
the venue's needs sheet."""

import dataclasses
import datetime as dt

import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.domain import export, needs
from surgery.domain.access import labels as access_labels
from surgery.domain.capacity import CANCELLED, CONFIRMED
from surgery.events.models import Event, EventSession
from surgery.extensions import db
from surgery.organise.people import ROLE_TAGS, TOPICS, term_names


def bookings_csv(event: Event, sensitive: bool = False) -> str:
    """Every confirmed and waiting booking of an event, one row each: session by session,
    places in booking order, then the waiting list in its order. Sensitive answers are read
    and written only when asked for. Reads the columns it writes, in the same statements
    however many people booked."""
    day = sa.select(Registration.id).where(Registration.event_id == event.id)
    topics = term_names(TOPICS, day)
    role_tags = term_names(ROLE_TAGS, day) if sensitive else {}
    confirmed: dict[int, list] = {s.id: [] for s in event.sessions}
    waiting: dict[int, list] = {s.id: [] for s in event.sessions}
    for booked in db.session.execute(_bookings_of(event, sensitive)):
        (confirmed if booked.status == CONFIRMED else waiting)[booked.session_id].append(booked)
    rows = []
    for session in event.sessions:
        where = (session.title, _local(event, session.starts_at), session.kind_label)
        numbered = [(None, b) for b in confirmed[session.id]]
        numbered += list(enumerate(waiting[session.id], start=1))
        for position, booked in numbered:
            person = booked.registration_id
            row = _row(event, where, booked, position, topics.get(person, []))
            if sensitive:
                row = _with_sensitive(row, booked, role_tags.get(person, []))
            rows.append(row)
    return export.to_csv(rows, sensitive)


def _bookings_of(event: Event, sensitive: bool):
    """The day's confirmed and waiting bookings with the columns the spreadsheet shows, in
    booking order (the waiting lists' order too)."""
    shown = [
        Booking.session_id,
        Booking.status,
        Booking.created_at,
        Registration.id.label("registration_id"),
        Registration.name,
        Registration.email,
        Registration.languages,
        Registration.is_walk_in,
        Registration.checked_in_at,
    ]
    if sensitive:
        shown += [
            Registration.help_text,
            Registration.access_needs,
            Registration.access_other,
            Registration.wants_lived_experience,
        ]
    return (
        sa.select(*shown)
        .join(Booking.registration)
        .join(Booking.session)
        .where(EventSession.event_id == event.id, Booking.status != CANCELLED)
        .order_by(Booking.queue_key, Booking.id)
    )


def _row(event: Event, where: tuple, booked, position, topics: list[str]) -> export.ExportRow:
    """One booking in words; `where`: its session's title, start and kind, as cells."""
    title, starts, kind = where
    return export.ExportRow(
        name=booked.name,
        email=booked.email or "",
        session=title,
        starts=starts,
        kind=kind,
        state=export.state_words(booked.status),
        waiting_position=str(position or ""),
        topics="; ".join(topics),
        languages="; ".join(booked.languages or []),
        walk_in=export.yes(booked.is_walk_in),
        checked_in=_local(event, booked.checked_in_at),
        booked_at=_local(event, booked.created_at),
    )


def _with_sensitive(row: export.ExportRow, booked, role_tags: list[str]) -> export.ExportRow:
    """The row with the sensitive answers filled in (read only when asked for)."""
    return dataclasses.replace(
        row,
        role_tags="; ".join(role_tags),
        help_wanted=booked.help_text or "",
        access_needs="; ".join(access_labels(booked.access_needs or [])),
        access_other=booked.access_other or "",
        lived_experience=export.yes(booked.wants_lived_experience),
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
