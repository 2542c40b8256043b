"""The outbox: messages are added with the change that causes them and sent after commit.

Sending claims a batch of due rows (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's write
lock serialises claims), commits the claim, sends over one connection, then records each
result. A claimed row belongs to its worker until its lease ends, so several workers never
send the same message twice; a failure waits longer each time and gives up after a limit.
"""

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field
from functools import partial

import sqlalchemy as sa
from flask import current_app, g

from surgery.database import utcnow
from surgery.domain.retry import gives_up, next_attempt
from surgery.extensions import db
from surgery.mail import lost_links
from surgery.mail.compose import compose, wire_address
from surgery.mail.models import FAILED, QUEUED, SENDING, SENT, OutboxMessage
from surgery.mail.transport import open_transport

log = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=10)
BATCH = 200  # messages claimed, sent over one connection, and recorded at a time


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


def send_due(limit: int = BATCH) -> Report:
    """Send up to `limit` due messages: claim them, send them, record every result at once.

    No transaction is open while the mail server is being talked to, so a slow or hung
    server never holds up the database (on SQLite a transaction holds the write lock).
    """
    lost_links.answer_due(limit)  # what they find is sent with the rest
    messages = claim(limit)
    report = Report()
    if not messages:
        return report
    errors = _deliver(messages)
    _record(messages, errors, report)
    db.session.commit()
    return report


@dataclass(frozen=True)
class Claimed:
    """A message this worker has claimed, as plain data to send from after the commit."""

    id: int
    to_address: str
    subject: str
    payload: dict
    attempts: int


def claim(limit: int) -> list[Claimed]:
    """Take due messages (and ones whose worker died) for this worker, and commit."""
    now = utcnow()
    due = sa.or_(
        sa.and_(OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_until < now),
    )
    query = (
        sa.select(OutboxMessage)
        .where(due)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = []
    for message in db.session.scalars(query):
        message.status, message.claimed_until = SENDING, now + LEASE
        message.attempts += 1
        claimed.append(
            Claimed(
                message.id, message.to_address, message.subject, message.payload, message.attempts
            )
        )
    db.session.commit()
    return claimed


def _record(messages: list[Claimed], errors: dict[int, str], report: Report) -> None:
    """Mark what went as sent; keep the error of what did not, and wait longer or give up."""
    now = utcnow()
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    changes = []
    for message in messages:
        change = {"id": message.id, "claimed_until": None}
        error = errors.get(message.id)
        if error is None:
            change.update(status=SENT, sent_at=now)
            report.sent.append(message.id)
        elif gives_up(message.attempts, max_attempts):
            change.update(status=FAILED, last_error=error[:2000])
            report.failed.append(message.id)
        else:
            retry_at = next_attempt(message.attempts, now)
            change.update(status=QUEUED, next_attempt_at=retry_at, last_error=error[:2000])
            report.retrying.append(message.id)
        changes.append(change)
    db.session.execute(sa.update(OutboxMessage), changes)  # by primary key, batched


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


def _deliver(messages: list[Claimed]) -> dict[int, str]:
    """Send each message over one connection; return the error of each that did not go."""
    errors: dict[int, str] = {}
    gone: set[int] = set()
    default_sender = current_app.config["MAIL_DEFAULT_SENDER"]
    try:
        with open_transport() as transport:
            for message in messages:
                sender = message.payload.get("sender", {}).get("email") or default_sender
                try:
                    # e.g. an address with non-ASCII letters, which email headers cannot hold
                    data = compose(message.id, message.subject, message.payload, utcnow())
                except Exception as error:  # this message fails alone; the batch goes on
                    errors[message.id] = _describe(error)
                    continue
                try:
                    transport.send_bytes(
                        wire_address(sender),
                        wire_address(message.to_address),
                        data,
                        name=str(message.id),
                    )
                    gone.add(message.id)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                    errors[message.id] = _describe(error)
    except (smtplib.SMTPException, OSError) as error:
        # the server went away: whatever had not gone waits to be tried again
        for message in messages:
            if message.id not in gone:
                errors.setdefault(message.id, _describe(error))
    return errors


def _describe(error: Exception) -> str:
    """A one-line description of a sending error."""
    return f"{type(error).__name__}: {error}".replace("\n", " ")


def resend(message: OutboxMessage) -> None:
    """Queue a message again now, with a fresh count of attempts."""
    message.status, message.attempts, message.next_attempt_at = QUEUED, 0, utcnow()
    message.claimed_until, message.sent_at = None, None
    g.outbox_added = True
    db.session.flush()


def register(app) -> None:
    """After a request that queued mail has committed, try to send it without holding it up."""

    @app.after_request
    def send_after_response(response):
        if g.get("outbox_added") and app.config["MAIL_SEND_AFTER_REQUEST"]:
            response.call_on_close(partial(_send_quietly, app))
        return response


def _send_quietly(app) -> None:
    """Send what is due; whatever fails stays queued for the worker."""
    with app.app_context():
        try:
            send_due(limit=app.config["MAIL_AFTER_REQUEST_LIMIT"])
        except Exception:  # the response is gone; the worker retries what is left
            log.exception("sending after the request failed; messages stay queued")
            db.session.rollback()
