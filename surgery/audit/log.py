"""Writing to the audit log, inside the change's own transaction (the edge commits it)."""

from flask import has_request_context
from flask_login import current_user

from surgery.audit.models import AuditEntry
from surgery.domain import audit
from surgery.extensions import db
from surgery.web import run


def record(action: str, event_id=None, subject: str = "", fields=(), detail="", actor=None):
    """Add one entry: by `actor` if given ("the person themselves", "automatic removal"),
    otherwise by the signed-in organiser. Flushed with the change, committed with it."""
    organiser_id = None
    if actor is None:
        organiser_id, actor = _organiser()
    line = audit.entry(action, actor, event_id, subject, fields, detail)
    db.session.add(
        AuditEntry(
            organiser_id=organiser_id,
            actor=line.actor,
            action=line.action,
            event_id=line.event_id,
            subject=line.subject,
            detail=line.detail,
        )
    )


def viewed(action: str, event_id=None, detail: str = "", subject: str = "") -> None:
    """Record that an organiser looked at or downloaded sensitive data: a page that only
    reads has no change of its own, so the entry is committed here, at the edge."""
    run(lambda: record(action, event_id=event_id, subject=subject, detail=detail))


def _organiser() -> tuple[int | None, str]:
    """The signed-in organiser's id and name, or nobody outside a request."""
    if has_request_context() and current_user.is_authenticated:
        return current_user.id, current_user.name or current_user.email
    return None, "unknown"
