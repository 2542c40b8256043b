"""The outbox: messages are added with the change that causes them and sent after commit.

Sending claims a few due rows at a time (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's write
lock serialises claims) and commits the claim, then sends them over one connection, recording
each as sent as soon as the server has taken it. A claimed row belongs to its sender until a
short lease ends; the lease of what is still to go is extended as sending goes on. A sender
killed mid-way leaves its claimed rows to be taken over when their lease ends, and has sent
again at most the one message the server took but the database had not yet heard of.
A failure waits longer each time and gives up after a limit.

What a claimed message says about its booking or slot is read with the claim, in a few
queries for the whole claim: its calendar is written from the state at sending, so a message
retried, delayed or sent again is never older than what the person's calendar holds.
"""

import datetime as dt
import smtplib
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app, g

from surgery.database import UTCDateTime, relaxed_durability, utcnow
from surgery.domain.retry import gives_up, next_attempt
from surgery.extensions import db
from surgery.mail import current, lost_links
from surgery.mail.compose import compose, sender_address, wire_address
from surgery.mail.models import FAILED, QUEUED, SENDING, SENT, OutboxMessage
from surgery.mail.transport import open_transport
from surgery.reminders.models import Reminder
from surgery.subscriptions.models import Subscriber

BATCH = 200  # messages sent over one connection by one call of send_due
CLAIM = 10  # messages claimed at a time: what a killed sender holds until its lease ends
# a message to (or naming) someone erased: deleted once it has gone, or been given up on
FORGET_AFTER_SEND = "forget_after_send"
# a message that is dropped, not sent, if its booking or slot is no longer on when it goes
ONLY_WHILE_ON = "only_while_on"


def add(rows: list[dict]) -> None:
    """Queue messages in the current transaction (one INSERT for many rows)."""
    if rows:
        db.session.execute(sa.insert(OutboxMessage), rows)
        g.outbox_added = True


@dataclass
class Report:
    """What one round of sending did."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    # no longer true when their turn came (a reminder of a place given up): not sent
    dropped: list[int] = field(default_factory=list)

    def count(self) -> int:
        """How many messages were tried."""
        return len(self.sent) + len(self.retrying) + len(self.failed) + len(self.dropped)


@dataclass(frozen=True)
class Claimed:
    """A message this sender has claimed, as plain data to send from after the commit."""

    id: int
    to_address: str
    subject: str
    payload: dict
    attempts: int
    now: current.Now | None = None  # its booking or slot as it is at sending


@dataclass
class Claim:
    """Messages claimed together and not yet recorded, and when their lease ends."""

    messages: list[Claimed]
    until: dt.datetime | None = None


def send_due(limit: int = BATCH) -> Report:
    """Send up to `limit` due messages over one connection, recording each as it goes.

    No transaction is open while the mail server is being talked to, so a slow or hung
    server never holds up the database (on SQLite a transaction holds the write lock).
    The sender's own commits may be lost by a crash of the machine, never of the process:
    what that can cost is a message sent twice, never one lost (see relaxed_durability).
    """
    lost_links.answer_due(limit)  # what they find is sent with the rest
    report = Report()
    with relaxed_durability():
        claim = claim_due(min(limit, CLAIM))
        if claim.messages:
            _send_claimed(claim, limit, report)
    return report


def claim_due(limit: int) -> Claim:
    """Take due messages (and ones whose sender died) for this sender, and commit."""
    now = utcnow()
    table = OutboxMessage.__table__
    due = sa.or_(
        sa.and_(table.c.status == QUEUED, table.c.next_attempt_at <= now),
        sa.and_(table.c.status == SENDING, table.c.claimed_until < now),
    )
    query = (
        sa.select(table.c.id, table.c.to_address, table.c.subject, table.c.payload)
        .add_columns(table.c.attempts + 1, table.c.booking_id, table.c.slot_id)
        .where(due)
        .order_by(table.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claim = Claim(_as_they_are_now(db.session.execute(query).all()), now + _lease())
    if claim.messages:
        db.session.execute(
            sa.update(table)
            .where(table.c.id.in_([message.id for message in claim.messages]))
            .values(status=SENDING, claimed_until=claim.until, attempts=table.c.attempts + 1)
        )
    db.session.commit()
    return claim


def _as_they_are_now(rows) -> list[Claimed]:
    """Claimed messages, each with its booking or slot as it is now, read for all at once."""
    bookings = {row.booking_id for row in rows if row.booking_id is not None}
    slots = {row.slot_id for row in rows if row.slot_id is not None}
    by_booking, by_slot = current.load(bookings, slots)
    return [
        Claimed(
            *row[:5],
            now=by_booking.get(row.booking_id) if row.booking_id else by_slot.get(row.slot_id),
        )
        for row in rows
    ]


def _send_claimed(claim: Claim, limit: int, report: Report) -> None:
    """Send claim after claim over one connection until `limit` or nothing is due."""
    try:
        with open_transport() as transport:
            while claim.messages:
                _send_each(transport, claim, report)
                left = limit - report.count()
                claim = claim_due(min(left, CLAIM)) if left > 0 else Claim([])
    except (smtplib.SMTPException, OSError) as error:
        # the server went away or never answered: what was not sent waits to be tried again
        for message in claim.messages:
            _record(message, _describe(error), report)
        db.session.commit()


def _send_each(transport, claim: Claim, report: Report) -> None:
    """Send the claimed messages one by one; commit each result before the next is sent."""
    sender = wire_address(sender_address())
    while claim.messages:
        message = claim.messages[0]
        if _stale(message):
            claim.messages.pop(0)
            _drop(message)
            report.dropped.append(message.id)
            db.session.commit()
            continue
        error = _send_one(transport, message, sender)
        claim.messages.pop(0)
        _record(message, error, report)
        _renew(claim)
        db.session.commit()


def _stale(message: Claimed) -> bool:
    """True for a message that goes only while its place stands (a reminder), once the
    place, the surgeon's session or the day is no longer on: it would remind of nothing.
    Mail to a subscriber who has unsubscribed (or was removed) since is not sent either."""
    held = message.payload.get("subscription")
    if held:
        return db.session.get(Subscriber, held["id"]) is None
    if not message.payload.get(ONLY_WHILE_ON):
        return False
    return message.now is None or not message.now.confirmed


def _drop(message: Claimed) -> None:
    """Delete a message no longer true, and its reminder's row: nothing was sent, so a day
    on again may remind them afresh."""
    db.session.execute(_FORGET, {"message_id": message.id})
    reminder = message.payload.get(ONLY_WHILE_ON)
    if isinstance(reminder, dict) and reminder.get("reminder"):
        db.session.execute(sa.delete(Reminder).where(Reminder.id == reminder["reminder"]))


def _send_one(transport, message: Claimed, sender: str) -> str | None:
    """Send one message from the site's address; the error if the server refused it (a
    lost server raises)."""
    try:
        # e.g. an address with non-ASCII letters, which email headers cannot hold
        data = compose(message.id, message.subject, message.payload, utcnow(), message.now)
    except Exception as error:  # this message fails alone; the batch goes on
        return _describe(error)
    try:
        transport.send_bytes(sender, wire_address(message.to_address), data, name=str(message.id))
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
        return _describe(error)
    return None


def _record(message: Claimed, error: str | None, report: Report) -> None:
    """Mark a message sent; or keep its error, and wait longer or give up."""
    now = utcnow()
    forget = bool(message.payload.get(FORGET_AFTER_SEND))
    if error is None:
        if forget:
            db.session.execute(_FORGET, {"message_id": message.id})
        else:
            db.session.execute(_MARK_SENT, {"message_id": message.id, "at": now})
        report.sent.append(message.id)
        return
    values = {"message_id": message.id, "error": error[:2000], "at": now}
    if gives_up(message.attempts, current_app.config["MAIL_MAX_ATTEMPTS"]):
        if forget:
            db.session.execute(_FORGET, {"message_id": message.id})
        else:
            db.session.execute(_MARK_FAILED, values)
        report.failed.append(message.id)
    else:
        values["at"] = next_attempt(message.attempts, now)
        db.session.execute(_MARK_RETRY, values)
        report.retrying.append(message.id)


def _update_one(**values) -> sa.Update:
    """An UPDATE of one outbox row by id, built once: one runs after every message sent."""
    table = OutboxMessage.__table__
    return sa.update(table).where(table.c.id == sa.bindparam("message_id")).values(**values)


_AT = sa.bindparam("at", type_=UTCDateTime())
_ERROR = sa.bindparam("error", type_=sa.Text())
_MARK_SENT = _update_one(status=SENT, sent_at=_AT, claimed_until=None)
_MARK_FAILED = _update_one(status=FAILED, last_error=_ERROR, claimed_until=None)
_FORGET = sa.delete(OutboxMessage.__table__).where(
    OutboxMessage.__table__.c.id == sa.bindparam("message_id")
)
_MARK_RETRY = _update_one(status=QUEUED, next_attempt_at=_AT, last_error=_ERROR, claimed_until=None)


def _renew(claim: Claim) -> None:
    """Once half the lease has passed, extend it for the messages still to go.

    Only rows still holding this claim are extended: one whose lease ran out and that
    another sender took over (which counted another attempt) is its now, and is dropped.
    """
    now = utcnow()
    if not claim.messages or now < claim.until - _lease() / 2:
        return
    until = now + _lease()
    claimed = [(message.id, message.attempts) for message in claim.messages]
    ours = sa.and_(
        sa.tuple_(OutboxMessage.id, OutboxMessage.attempts).in_(claimed),
        OutboxMessage.status == SENDING,
        OutboxMessage.claimed_until == claim.until,
    )
    result = db.session.execute(sa.update(OutboxMessage).where(ours).values(claimed_until=until))
    if result.rowcount != len(claimed):
        query = sa.select(OutboxMessage.id).where(
            sa.tuple_(OutboxMessage.id, OutboxMessage.attempts).in_(claimed),
            OutboxMessage.claimed_until == until,
        )
        kept = set(db.session.scalars(query))
        claim.messages = [message for message in claim.messages if message.id in kept]
    claim.until = until


def _lease() -> dt.timedelta:
    """How long a claim is this sender's alone without being renewed."""
    return dt.timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])


def retry_now() -> int:
    """Make every message waiting out its back-off due now (the server is back).

    The caller commits. A message that fails again waits as before, so one round of
    sending tries each message once.
    """
    now = utcnow()
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at > now)
        .values(next_attempt_at=now)
    )
    return result.rowcount


def _describe(error: Exception) -> str:
    """A one-line description of a sending error."""
    return f"{type(error).__name__}: {error}".replace("\n", " ")


def resend(message: OutboxMessage) -> None:
    """Queue a message again now, with a fresh count of attempts.

    It is written afresh when sent: its invite as things are then, a new Message-ID.
    """
    message.status, message.attempts, message.next_attempt_at = QUEUED, 0, utcnow()
    message.claimed_until, message.sent_at = None, None
    g.outbox_added = True
    db.session.flush()
