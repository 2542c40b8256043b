"""Queuing and sending 1,000 reminders, next to plain smtplib, to one local SMTP server.

Books 1,000 people into one session through the booking service (their confirmations are
marked sent), then in the same run:

1. queues the session's reminders with the round the mail worker and `flask remind` run
   (one day, under its lock: a reminder row and an outbox row per person);
2. sends the same reminders, composed beforehand into bytes, with plain smtplib over one
   connection (the floor: nothing but SMTP);
3. drains the outbox with the app's sender (`send_due`, batch after batch): each reminder
   read as it is now, its two answer links and private link written from their seeds;
4. plain smtplib again, so a machine that got busier shows.

Prints the seconds and messages/s of each, the ratio, and what the SMTP server counted.

    .venv/bin/python bench/reminders.py [--messages 1000] [--batch 200]
"""

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # import the app from this checkout

import sqlalchemy as sa  # noqa: E402

from bench.mail import plain_smtplib, queue_confirmations, smtp_server  # noqa: E402
from surgery import create_app  # noqa: E402
from surgery.database import utcnow  # noqa: E402
from surgery.events.models import EventSession  # noqa: E402
from surgery.extensions import db  # noqa: E402
from surgery.mail import current  # noqa: E402
from surgery.mail.compose import compose, sender_address  # noqa: E402
from surgery.mail.models import SENT, OutboxMessage  # noqa: E402
from surgery.mail.outbox import send_due  # noqa: E402
from surgery.mail.wording import REMINDER  # noqa: E402
from surgery.reminders.cli import remind_round  # noqa: E402
from tests.live_server import free_port  # noqa: E402


def booked(app, count: int) -> dt.datetime:
    """`count` people booked into one session, their confirmations already sent; return
    when the session's reminders are due."""
    queue_confirmations(app, count)
    with app.app_context():
        db.session.execute(sa.update(OutboxMessage).values(status=SENT, sent_at=utcnow()))
        db.session.commit()
        starts = db.session.scalar(sa.select(EventSession.starts_at))
    return starts - dt.timedelta(days=2)


def queue(app, due: dt.datetime) -> tuple[float, int]:
    """Run the reminder round once; seconds taken and reminders queued."""
    with app.app_context():
        started = time.perf_counter()
        queued = remind_round(due)
        return time.perf_counter() - started, queued.reminders


def prebuilt(app) -> list[tuple[str, str, bytes]]:
    """Every queued reminder composed into bytes, before any sending."""
    with app.app_context():
        query = sa.select(OutboxMessage).where(OutboxMessage.kind == REMINDER)
        rows = db.session.scalars(query.order_by(OutboxMessage.id)).all()
        now, sender = utcnow(), sender_address()
        states, _ = current.load({m.booking_id for m in rows}, set())
        return [
            (sender, m.to_address, compose(m.id, m.subject, m.payload, now, states[m.booking_id]))
            for m in rows
        ]


def drain(app, batch: int) -> tuple[float, int]:
    """Send every due reminder with the app's sender; seconds taken and reminders sent."""
    with app.app_context():
        started = time.perf_counter()
        while True:
            report = send_due(limit=batch)
            if not (report.sent or report.retrying or report.failed or report.dropped):
                break
            assert not report.retrying and not report.failed, report
        seconds = time.perf_counter() - started
        query = sa.select(sa.func.count()).where(
            OutboxMessage.kind == REMINDER, OutboxMessage.status == SENT
        )
        return seconds, db.session.scalar(query)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=200, help="messages per connection")
    args = parser.parse_args()

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="surgery-bench-reminders-") as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                "SECRET_KEY": "bench-secret",
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": port,
                "MAIL_SEND_AFTER_REQUEST": False,
                "PAGE_CACHE_SECONDS": 0,
            }
        )
        due = booked(app, args.messages)
        queuing, queued = queue(app, due)
        again, _ = queue(app, due)  # the next round finds everything reminded already
        messages = prebuilt(app)
        with smtp_server(port) as counted:
            plain_before = plain_smtplib(port, messages)
            ours, sent = drain(app, args.batch)
            plain_after = plain_smtplib(port, messages)
        with app.app_context():
            db.engine.dispose()

    n = len(messages)
    plain_rate = n / ((plain_before + plain_after) / 2)
    print(f"{'step':<38}{'reminders':>10}{'seconds':>10}{'per second':>12}")
    for label, count, seconds in (
        ("queue (one round, under the lock)", queued, queuing),
        ("queue again (nothing new)", 0, again),
        ("plain smtplib, prebuilt (before)", n, plain_before),
        ("outbox send_due", sent, ours),
        ("plain smtplib, prebuilt (after)", n, plain_after),
    ):
        rate = f"{count / seconds:>12.0f}" if count else f"{'':>12}"
        print(f"{label:<38}{count:>10}{seconds:>10.2f}{rate}")
    print()
    print(f"Queue and send, end to end: {queuing + ours:.2f} s for {sent} reminders.")
    print(f"Ratio outbox / plain smtplib (mean of both runs): {sent / ours / plain_rate:.2f}")
    print(f"The SMTP server received {counted[0]} messages (expected {3 * n}).")
    if queued != args.messages or sent != n or counted[0] != 3 * n:
        sys.exit("Some reminders went missing or went twice.")


if __name__ == "__main__":
    main()
