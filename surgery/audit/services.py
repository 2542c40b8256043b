"""Reading the audit log: one page of entries, newest first, and what it can be filtered by."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from surgery.audit.models import AuditEntry
from surgery.events.models import Event
from surgery.extensions import db

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    """What an organiser asked to see; times are UTC bounds (`until` not included)."""

    actor: str = ""
    action: str = ""
    event_id: int | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def page_of(filters: Filters, page: int, size: int = PAGE_SIZE) -> tuple[list[AuditEntry], bool]:
    """The entries of one page, newest first, and whether there is a page after it."""
    query = sa.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    for condition in _conditions(filters):
        query = query.where(condition)
    rows = list(db.session.scalars(query.offset((page - 1) * size).limit(size + 1)))
    return rows[:size], len(rows) > size


def _conditions(filters: Filters) -> list:
    """The WHERE clauses for the filters that were given."""
    conditions = []
    if filters.actor:
        conditions.append(AuditEntry.actor == filters.actor)
    if filters.action:
        conditions.append(AuditEntry.action == filters.action)
    if filters.event_id is not None:
        conditions.append(AuditEntry.event_id == filters.event_id)
    if filters.since is not None:
        conditions.append(AuditEntry.at >= filters.since)
    if filters.until is not None:
        conditions.append(AuditEntry.at < filters.until)
    return conditions


def actors() -> list[str]:
    """Everyone the log names as having done something, by name."""
    return list(db.session.scalars(sa.select(AuditEntry.actor).distinct().order_by("actor")))


def days() -> dict[int, str]:
    """Every surgery day's title by id, newest first."""
    rows = db.session.execute(sa.select(Event.id, Event.title).order_by(Event.id.desc()))
    return dict(rows.all())
