"""Writing to the audit log, inside the change's own transaction (the edge commits it)."""

import sqlalchemy as sa
from flask import has_request_context
from flask_login import current_user

from surgery.audit.models import AuditEntry
from surgery.database import utcnow, writing
from surgery.domain import audit
from surgery.extensions import db
from surgery.web import run


def record(action: str, event_id=None, subject: str = "", fields=(), detail="", actor=None):
    """Add one entry: by `actor` if given ("the person themselves", "automatic removal"),
    otherwise by the signed-in organiser. Flushed with the change, committed with it."""
    db.session.add(_entry(action, event_id, subject, fields, detail, actor))


def viewed(action: str, event_id=None, detail: str = "", subject: str = "") -> None:
    """Record that an organiser looked at or downloaded sensitive data.

    A page that only reads has no change of its own, so the entry is committed here, at
    the edge. Its read is ended first and the write begins with the write lock, so many
    screens opening the floor at once queue for it instead of failing to upgrade a read.
    A page opened again by the same organiser a moment ago is the same look, not written.
    """
    organiser_id, _ = _organiser()
    last = _last_look(organiser_id, action, event_id, subject)
    if not audit.worth_recording(action, last, utcnow()):
        return
    db.session.commit()  # nothing written: it ends the read
    with writing():
        run(lambda: record(action, event_id=event_id, subject=subject, detail=detail))


def _entry(action, event_id, subject, fields, detail, actor) -> AuditEntry:
    """The row for one entry, its wording checked by the domain's rule."""
    organiser_id = None
    if actor is None:
        organiser_id, actor = _organiser()
    line = audit.entry(action, actor, event_id, subject, fields, detail)
    return AuditEntry(
        organiser_id=organiser_id,
        actor=line.actor,
        action=line.action,
        event_id=line.event_id,
        subject=line.subject,
        detail=line.detail,
    )


def _last_look(organiser_id, action: str, event_id, subject: str):
    """When this organiser last did this to this page, if they ever did."""
    return db.session.scalar(
        sa.select(sa.func.max(AuditEntry.at)).where(
            AuditEntry.organiser_id == organiser_id,
            AuditEntry.action == action,
            AuditEntry.event_id == event_id,
            AuditEntry.subject == subject,
        )
    )


def _organiser() -> tuple[int | None, str]:
    """The signed-in organiser's id and name, or nobody outside a request."""
    if has_request_context() and current_user.is_authenticated:
        return current_user.id, current_user.name or current_user.email
    return None, "unknown"
