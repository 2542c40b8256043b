"""A counter per day that moves whenever what the floor or check-in shows changes.

Screens ask "has the counter moved?" (cheap) instead of rebuilding the page to find out.
The counter is bumped by a session hook in the same transaction as the change itself, so
services stay as they are and a change rolled back moves nothing. The bump is written just
before the commit, after the day's lock, so it holds the counter's row only for a moment.
"""

import functools
import importlib

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.util import identity_key

from surgery.bookings.models import Booking, Registration
from surgery.day.models import HelpRecord
from surgery.events.models import EventSession
from surgery.extensions import db
from surgery.surgeons.models import Surgeon, SurgeonSession

PENDING = "day_changes"  # session.info key: {"event": set(ids), "session": set(ids)}
# for a registration, only these columns show at the door or on the floor
REGISTRATION_SHOWN = (
    "name",
    "email",
    "checked_in_at",
    "is_walk_in",
    "event_id",
    "need_now",
    "wants_same_surgeon",
    "wants_follow_up",
)


class DayChange(db.Model):
    """How many times a day's check-in or floor has changed."""

    __tablename__ = "day_change"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    counter: Mapped[int] = mapped_column(sa.Integer, default=0)


def counter(event_id: int) -> int:
    """The day's counter now (0 before its first change)."""
    query = sa.select(DayChange.counter).where(DayChange.event_id == event_id)
    return db.session.scalar(query) or 0


def _days_touched(obj, is_new_or_gone: bool) -> tuple[str, int | None] | None:
    """("event", id) or ("session", id) when this row's change shows on a day's screens."""
    if isinstance(obj, Registration):
        if is_new_or_gone or any(_changed(obj, name) for name in REGISTRATION_SHOWN):
            return "event", obj.event_id
        return None
    if isinstance(obj, Surgeon):
        return "event", obj.event_id
    if isinstance(obj, Booking | HelpRecord | SurgeonSession):
        return "session", obj.session_id
    return None


def _changed(obj, name: str) -> bool:
    """True when this attribute has a change waiting to be written."""
    return sa.inspect(obj).attrs[name].history.has_changes()


def _note(session: Session, _context) -> None:
    """After a flush: remember which days the written rows belong to."""
    pending = _pending(session)
    for objects, whole in ((session.new, True), (session.deleted, True), (session.dirty, False)):
        for obj in objects:
            touched = _days_touched(obj, whole)
            if touched and touched[1] is not None:
                pending[touched[0]].add(touched[1])


def note_session(session: Session, session_id: int) -> None:
    """Remember a change to one of a day's sessions written without a flush (an INSERT run
    directly), which the flush hook cannot see: its day's counter moves at the commit."""
    _pending(session)["session"].add(session_id)


def _pending(session: Session) -> dict[str, set]:
    """The days this transaction has changed so far, as noted."""
    return session.info.setdefault(PENDING, {"event": set(), "session": set()})


def _bump(session: Session) -> None:
    """Before a commit: move the counter of every day this transaction changed."""
    session.flush()  # what is still pending is noted too
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    events = set(pending["event"])
    unknown = set()
    for session_id in pending["session"]:  # most are loaded already (a booking's session)
        loaded = session.identity_map.get(identity_key(EventSession, session_id))
        if loaded is not None and "event_id" in loaded.__dict__:
            events.add(loaded.event_id)
        else:
            unknown.add(session_id)
    if unknown:
        query = sa.select(EventSession.event_id).where(EventSession.id.in_(unknown))
        events.update(session.execute(query).scalars())
    connection = session.connection()
    statement = _bump_statement(connection.dialect.name)
    for event_id in sorted(events):  # one order, so two commits never wait on each other
        connection.execute(statement, {"event_id": event_id})


@functools.cache
def _bump_statement(dialect: str):
    """Add one to a day's counter, making its row at 1. Built once for the database in use
    (nearly every commit runs it); the other database's dialect is never imported."""
    insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
    statement = insert(DayChange).values(event_id=sa.bindparam("event_id"), counter=1)
    return statement.on_conflict_do_update(
        index_elements=[DayChange.event_id], set_={"counter": DayChange.counter + 1}
    )


def _forget(session: Session, *_args) -> None:
    """A rolled-back change moves nothing."""
    session.info.pop(PENDING, None)


def install() -> None:
    """Listen on every session of the app (once)."""
    if not sa.event.contains(Session, "after_flush", _note):
        sa.event.listen(Session, "after_flush", _note)
        sa.event.listen(Session, "before_commit", _bump)
        sa.event.listen(Session, "after_rollback", _forget)
