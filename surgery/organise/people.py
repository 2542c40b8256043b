"""What the organiser's day page shows of its people: counts and the mix of people for the
whole day, counted by the database, and the people themselves a page at a time.

A page costs what the organiser can see, not what the day holds: the same queries for 50
people or 5,000, each row read as the columns it shows, never as whole registrations.
"""

from dataclasses import dataclass, field
from itertools import groupby

import sqlalchemy as sa

from surgery.bookings.models import (
    Booking,
    Registration,
    registration_role_tag,
    registration_topic,
)
from surgery.day.door import found_by
from surgery.domain import search_key
from surgery.domain.access import labels as access_labels
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.paging import Page, page_of
from surgery.events.models import EventSession
from surgery.extensions import db
from surgery.vocabulary.models import RoleTag, Topic

PAGE_SIZE = 50
ACTIVE = (CONFIRMED, WAITLISTED)


@dataclass(frozen=True)
class Counts:
    """A session's people: booked and waiting."""

    confirmed: int = 0
    waiting: int = 0


def session_counts(event_id: int) -> dict[int, Counts]:
    """Booked and waiting in each session of a day that has any, counted in one query."""
    sessions = sa.select(EventSession.id).where(EventSession.event_id == event_id)
    query = (
        sa.select(Booking.session_id, Booking.status, sa.func.count())
        .where(Booking.session_id.in_(sessions), Booking.status.in_(ACTIVE))
        .group_by(Booking.session_id, Booking.status)
    )
    found: dict[int, dict[str, int]] = {}
    for session_id, status, count in db.session.execute(query):
        found.setdefault(session_id, {})[status] = count
    return {
        session_id: Counts(counts.get(CONFIRMED, 0), counts.get(WAITLISTED, 0))
        for session_id, counts in found.items()
    }


def role_tag_mix(event_id: int) -> list[tuple[str, int]]:
    """How many people with a booking (confirmed or waiting) chose each role tag, most first."""
    link = registration_role_tag
    people = sa.func.count(sa.distinct(Booking.registration_id))
    query = (
        sa.select(RoleTag.name, people)
        .select_from(Booking)
        .join(EventSession, Booking.session_id == EventSession.id)
        .join(link, link.c.registration_id == Booking.registration_id)
        .join(RoleTag, RoleTag.id == link.c.role_tag_id)
        .where(EventSession.event_id == event_id, Booking.status.in_(ACTIVE))
        .group_by(RoleTag.id, RoleTag.name, RoleTag.position)
        .order_by(people.desc(), RoleTag.position, RoleTag.id)
    )
    return [(name, count) for name, count in db.session.execute(query)]


@dataclass
class Row:
    """One booking on the page, as the organiser sees it."""

    booking_id: int
    session_id: int
    status: str
    position: int  # its place in its session's booked list or waiting list, from 1
    registration_id: int
    name: str
    email: str
    help_text: str
    access: list[str]
    role_tags: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    @property
    def waiting(self) -> bool:
        """Whether this is a place on a waiting list."""
        return self.status == WAITLISTED


@dataclass
class Group:
    """The rows of one session's booked list or waiting list that are on the page."""

    session_id: int
    waiting: bool
    rows: list[Row]


@dataclass
class PeoplePage:
    """One page of a day's bookings, by session, the booked before the waiting list."""

    page: Page
    rows: list[Row]
    search: str
    session_id: int | None

    @property
    def groups(self) -> list[Group]:
        """The page's rows, one group per list they belong to."""
        lists = groupby(self.rows, key=lambda row: (row.session_id, row.waiting))
        return [Group(session_id, waiting, list(rows)) for (session_id, waiting), rows in lists]


def people_page(
    event_id: int, asked_page: str | None, search: str = "", session_id: int | None = None
) -> PeoplePage:
    """One page of the day's active bookings, narrowed to a session and a search (name or
    email); waiting-list places keep their numbers whatever the page or search."""
    found = _narrowed(sa.select(sa.func.count()), event_id, search, session_id)
    page = page_of(asked_page, db.session.scalar(found) or 0, PAGE_SIZE)
    shown = _narrowed(_in_order(sa.select()), event_id, search, session_id)
    rows = [
        Row(b_id, s_id, status, position or 0, r_id, name, email or "", help_text or "",
            access_labels(needs or []) + ([other] if other else []))
        for b_id, s_id, status, position, r_id, name, email, help_text, needs, other
        in db.session.execute(_with_people(shown.offset(page.offset).limit(PAGE_SIZE)))
    ]  # fmt: skip
    _add_terms(rows)
    return PeoplePage(page, rows, search, session_id)


def _in_order(query):
    """Bookings in the order the list shows them: by session, the booked, then the waiting
    ("confirmed" sorts before "waitlisted"), in the order of the indexes that read them."""
    columns = (Booking.id, Booking.session_id, Booking.status, Booking.queue_key)
    return query.add_columns(*columns, Booking.registration_id, EventSession.starts_at).order_by(
        EventSession.starts_at, EventSession.id, Booking.status, Booking.queue_key, Booking.id
    )


def _with_people(page):
    """A page of bookings with the columns shown of each person, and each waiting place's
    number in its list."""
    shown = page.cte("shown")
    waiting = _waiting_positions(shown)
    return (
        sa.select(
            shown.c.id, shown.c.session_id, shown.c.status, waiting.c.position,
            Registration.id, Registration.name, Registration.email, Registration.help_text,
            Registration.access_needs, Registration.access_other,
        )
        .join(Registration, Registration.id == shown.c.registration_id)
        .outerjoin(waiting, waiting.c.id == shown.c.id)
        .order_by(
            shown.c.starts_at, shown.c.session_id, shown.c.status, shown.c.queue_key,
            shown.c.id,
        )
    )  # fmt: skip


def _narrowed(query, event_id: int, search: str, session_id: int | None):
    """A query of the day's active bookings, narrowed to a session and a search as asked."""
    query = (
        query.select_from(Booking)
        .join(EventSession, Booking.session_id == EventSession.id)
        .where(EventSession.event_id == event_id, Booking.status.in_(ACTIVE))
    )
    if session_id is not None:
        query = query.where(Booking.session_id == session_id)
    if search_key.words(search):
        query = found_by(
            query.join(Registration, Registration.id == Booking.registration_id), search
        )
    return query


def _waiting_positions(shown):
    """The places on the waiting lists with a row on the page, each with its number in its
    list from 1: a page of people booked numbers no list."""
    sessions = sa.select(shown.c.session_id).where(shown.c.status == WAITLISTED)
    position = sa.func.row_number().over(
        partition_by=Booking.session_id, order_by=(Booking.queue_key, Booking.id)
    )
    return (
        sa.select(Booking.id, position.label("position"))
        .where(Booking.status == WAITLISTED, Booking.session_id.in_(sessions))
        .subquery("waiting")
    )


ROLE_TAGS = (RoleTag, registration_role_tag.c.role_tag_id)
TOPICS = (Topic, registration_topic.c.topic_id)


def term_names(terms, registrations) -> dict[int, list[str]]:
    """registration id -> the names of their role tags or topics (`terms`: ROLE_TAGS or
    TOPICS), in the vocabulary's order, for `registrations` (ids, or a query of them); one
    query, for a page of people or a whole day."""
    term, column = terms
    link = column.table
    rows = db.session.execute(
        sa.select(link.c.registration_id, term.name)
        .join(term, term.id == column)
        .where(link.c.registration_id.in_(registrations))
        .order_by(term.position, term.id)
    )
    names: dict[int, list[str]] = {}
    for registration_id, name in rows:
        names.setdefault(registration_id, []).append(name)
    return names


def _add_terms(rows: list[Row]) -> None:
    """Role tags and topics of just the people on the page, in one query each."""
    by_person: dict[int, list[Row]] = {}
    for row in rows:
        by_person.setdefault(row.registration_id, []).append(row)
    if not by_person:
        return
    for terms, attribute in ((ROLE_TAGS, "role_tags"), (TOPICS, "topics")):
        for registration_id, names in term_names(terms, list(by_person)).items():
            for row in by_person[registration_id]:
                getattr(row, attribute).extend(names)
