"""The messages of someone being erased: what still goes, and nothing kept once it has gone.

The cancellations their erasure sends (the invites taking their sessions out of their
calendar) still reach them, and the notice telling their surgeon or attendees the pair has
fallen through still goes; those are marked to be forgotten when sent (the sender deletes
them). Everything else queued or sent to them about the day, and any message already sent
that names them, is deleted now.
"""

import json
import re

import sqlalchemy as sa

from surgery.domain import personal_data
from surgery.domain.ical import CANCEL
from surgery.extensions import db
from surgery.mail.models import ASKED, QUEUED, SENDING, OutboxMessage
from surgery.mail.outbox import FORGET_AFTER_SEND
from surgery.personal.records import event_of

STILL_TO_GO = (QUEUED, SENDING)


def forget_messages(email: str | None, names: set[str], event_id: int, as_surgeon: bool) -> None:
    """Deal with every outbox row of one day that is to, or names, the person erased."""
    names = {n.strip() for n in names if n and n.strip()}
    for row in _rows_touching(email, names):
        if event_of(row.payload) != event_id:
            continue
        if email and row.to_address == email and _is_theirs(row.kind, as_surgeon):
            if row.status in STILL_TO_GO and row.payload.get("written_for") == CANCEL:
                # their link stops working, so the cancellation goes without it
                _forget_after_sending(row, manage=None)
            else:
                _delete(row)
        elif _names(row.payload, names):
            if row.status in STILL_TO_GO:
                _forget_after_sending(row)
            else:
                _delete(row)


def _rows_touching(email: str | None, names: set[str]) -> list:
    """Rows to this address, or whose words might hold one of these names (checked after)."""
    table = OutboxMessage.__table__
    text = sa.cast(table.c.payload, sa.Text)
    # names are stored as JSON writes them (non-ASCII letters escaped), so look for that
    found = [text.contains(json.dumps(name)[1:-1], autoescape=True) for name in names]
    if email:
        found.append(table.c.to_address == email)
    if not found:
        return []
    query = sa.select(
        table.c.id, table.c.to_address, table.c.kind, table.c.status, table.c.payload
    ).where(table.c.status != ASKED, sa.or_(*found))
    return list(db.session.execute(query.order_by(table.c.id)))


def _is_theirs(kind: str, as_surgeon: bool) -> bool:
    """True if a message to their address is about the part being erased."""
    return personal_data.is_surgeon_kind(kind) == as_surgeon


def _names(payload: dict, names: set[str]) -> bool:
    """True if the words of a message to someone else name the person."""
    words = " ".join(str(line) for line in payload.get("intro") or [])
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", words) for name in names)


def _forget_after_sending(row, **changes) -> None:
    """Let a message go, marked to be deleted by the sender once it has gone."""
    payload = dict(row.payload) | changes | {FORGET_AFTER_SEND: True}
    table = OutboxMessage.__table__
    db.session.execute(sa.update(table).where(table.c.id == row.id).values(payload=payload))


def _delete(row) -> None:
    """Delete a message now."""
    table = OutboxMessage.__table__
    db.session.execute(sa.delete(table).where(table.c.id == row.id))
