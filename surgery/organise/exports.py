"""What organisers download or print about a day's people: the bookings spreadsheet and
the venue's needs sheet."""

import datetime as dt

import sqlalchemy as sa

from surgery.bookings.models import (
    Booking,
    Registration,
    registration_role_tag,
    registration_topic,
)
from surgery.domain import export, needs
from surgery.domain.access import labels as access_labels
from surgery.domain.capacity import CANCELLED, CONFIRMED
from surgery.events.models import Event, EventSession
from surgery.extensions import db
from surgery.vocabulary.models import RoleTag, Topic


def bookings_csv(event: Event, sensitive: bool = False) -> str:
    """Every confirmed and waiting booking of an event, one row each: session by session,
    places in booking order, then the waiting list in its order. Sensitive answers are read
    and written only when asked for. Reads the columns it writes, in the same statements
    however many people booked."""
    sessions = {s.id: s for s in event.sessions}
    topics = _names_by_person(event, registration_topic.c.topic_id, Topic)
    role_tags = (
        _names_by_person(event, registration_role_tag.c.role_tag_id, RoleTag) if sensitive else {}
    )
    confirmed: dict[int, list] = {s: [] for s in sessions}
    waiting: dict[int, list] = {s: [] for s in sessions}
    for booked in db.session.execute(_bookings_of(event, sensitive)):
        (confirmed if booked.status == CONFIRMED else waiting)[booked.session_id].append(booked)
    rows = []
    for session_id, session in sessions.items():
        numbered = [(None, b) for b in confirmed[session_id]]
        numbered += list(enumerate(waiting[session_id], start=1))
        rows += [
            _row(event, session, booked, position, topics, role_tags)
            for position, booked in numbered
        ]
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


def _names_by_person(event: Event, term_id: sa.Column, term) -> dict[int, str]:
    """registration id -> the names of their terms (topics or role tags: `term_id` is the
    link table's column) in the vocabulary's order, joined for a cell; one query for the
    whole day."""
    link = term_id.table
    rows = db.session.execute(
        sa.select(link.c.registration_id, term.name)
        .join(term, term.id == term_id)
        .join(Registration, Registration.id == link.c.registration_id)
        .where(Registration.event_id == event.id)
        .order_by(link.c.registration_id, term.position)
    )
    names: dict[int, list[str]] = {}
    for registration_id, name in rows:
        names.setdefault(registration_id, []).append(name)
    return {registration_id: "; ".join(terms) for registration_id, terms in names.items()}


def _row(event, session, booked, position, topics, role_tags) -> export.ExportRow:
    """One booking in words, every column it read filled (the export chooses which to show)."""
    said = {}
    if "help_text" in booked._fields:  # the sensitive columns were read
        said = {
            "role_tags": role_tags.get(booked.registration_id, ""),
            "help_wanted": booked.help_text or "",
            "access_needs": "; ".join(access_labels(booked.access_needs or [])),
            "access_other": booked.access_other or "",
            "lived_experience": export.yes(booked.wants_lived_experience),
        }
    return export.ExportRow(
        name=booked.name,
        email=booked.email or "",
        session=session.title,
        starts=_local(event, session.starts_at),
        kind=session.kind_label,
        state=export.state_words(booked.status),
        waiting_position=str(position or ""),
        topics=topics.get(booked.registration_id, ""),
        languages="; ".join(booked.languages or []),
        walk_in=export.yes(booked.is_walk_in),
        checked_in=_local(event, booked.checked_in_at),
        booked_at=_local(event, booked.created_at),
        **said,
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
