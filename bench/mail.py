"""Messages per second of the outbox sender, next to plain smtplib, to one local SMTP server.

Queues 1,000 booking confirmations (each one booked through the booking service, so the
outbox rows are exactly what a booking queues) on a fresh SQLite database, starts aiosmtpd in
a process of its own, then in the same run:

1. sends the same messages, composed beforehand into bytes, with plain smtplib over one
   connection (the floor: nothing but SMTP);
2. drains the outbox with the app's sender (`send_due`, batch after batch, as
   `flask mail send` does): claiming ten at a time, composing text, HTML and invite, SMTP
   over one connection per batch, committing each result as soon as the server answers;
3. plain smtplib again, so a machine that got busier shows;
4. the same messages queued again and drained by two worker processes at once, as mail
   workers share the outbox at scale (each message still goes exactly once).

Prints messages/s of each, the ratio, and what the SMTP server counted.

    .venv/bin/python bench/mail.py [--messages 1000] [--batch 200] [--profile]
                                   [--server-delay-ms 0]
"""

import argparse
import contextlib
import cProfile
import datetime as dt
import io
import multiprocessing
import os
import pstats
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # import the app from this checkout

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from surgery import create_app  # noqa: E402
from surgery.bookings import services  # noqa: E402
from surgery.database import utcnow  # noqa: E402
from surgery.domain.tokens import new_form_key  # noqa: E402
from surgery.events.models import PUBLISHED, SURGERY, Event, EventSession  # noqa: E402
from surgery.extensions import db  # noqa: E402
from surgery.mail import current, notices  # noqa: E402
from surgery.mail.compose import compose, sender_address  # noqa: E402
from surgery.mail.models import SENT, OutboxMessage  # noqa: E402
from surgery.mail.outbox import send_due  # noqa: E402
from tests.live_server import free_port  # noqa: E402

TARGET = 0.7  # the outbox should manage at least this share of plain smtplib's rate

# aiosmtpd in its own process: counts what it accepts (optionally taking a while over each,
# like a server across a network), prints the count when told to stop.
SMTP_SERVER = """
import asyncio, signal, sys, threading
from aiosmtpd.controller import Controller

class Count:
    received = 0
    delay = float(sys.argv[2]) / 1000
    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        Count.received += 1
        return "250 OK"

controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait()
controller.stop()
print(Count.received, flush=True)
"""


@contextlib.contextmanager
def smtp_server(port: int, delay_ms: float = 0):
    """Run the counting aiosmtpd process; yield a list that holds its count once stopped."""
    command = [sys.executable, "-c", SMTP_SERVER, str(port), str(delay_ms)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    counted: list[int] = []
    try:
        assert process.stdout.readline().strip() == "ready", "the SMTP server did not start"
        yield counted
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
        counted.append(int(out.strip() or 0))


def queue_confirmations(app, count: int) -> None:
    """One event with a session big enough for everyone; book `count` people through it."""
    with app.app_context():
        upgrade()
        start = utcnow().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=9)
        event = Event(
            title="Bradford social media surgery",
            venue_name="Bradford Central Library",
            venue_address="Princes Way, Bradford BD1 1NN",
            city="Bradford",
            access_info="Step-free entrance on Princes Way; quiet room on the first floor.",
            organiser_email="hello@surgery.example.org",
            status=PUBLISHED,
        )
        event.sessions.append(
            EventSession(
                kind=SURGERY,
                title="Surgery space",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=3),
                capacity=count,
            )
        )
        db.session.add(event)
        db.session.commit()
        session_id = event.sessions[0].id
        for i in range(count):
            request = services.BookingRequest(
                name=f"Attendee {i} Ó Súilleabháin",
                email=f"person{i}@example.org",
                session_ids=[session_id],
                about=services.AboutYou(),
                form_key=new_form_key(),
            )
            services.book(event.id, request, app.secret_key)
            db.session.commit()
        kinds = db.session.execute(
            sa.select(OutboxMessage.kind, sa.func.count()).group_by(OutboxMessage.kind)
        ).all()
        assert kinds == [(notices.CONFIRMED, count)], kinds


def prebuilt(app) -> list[tuple[str, str, bytes]]:
    """Every queued message composed into bytes, with its envelope, before any sending."""
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        now, sender = utcnow(), sender_address()
        states, _ = current.load({m.booking_id for m in rows}, set())  # as the sender reads
        return [
            (sender, m.to_address, compose(m.id, m.subject, m.payload, now, states[m.booking_id]))
            for m in rows
        ]


def plain_smtplib(port: int, messages: list[tuple[str, str, bytes]]) -> float:
    """Send prepared bytes over one connection; return the seconds taken."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for sender, recipient, data in messages:
            smtp.sendmail(sender, [recipient], data)
    return time.perf_counter() - started


def drain_outbox(app, batch: int, profile: bool) -> tuple[float, int]:
    """Send everything due with the app's sender; return the seconds taken and rows sent."""
    profiler = cProfile.Profile() if profile else None
    with app.app_context():
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        while True:
            report = send_due(limit=batch)
            if not (report.sent or report.retrying or report.failed):
                break
            assert not report.retrying and not report.failed, report
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
        query = sa.select(sa.func.count()).where(OutboxMessage.status == SENT)
        sent = db.session.scalar(query)
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        print(out.getvalue())
    return seconds, sent


def requeue(app) -> None:
    """Put every message back in the queue, to send the same batch again."""
    with app.app_context():
        db.session.execute(
            sa.update(OutboxMessage).values(
                status="queued", attempts=0, next_attempt_at=utcnow(), sent_at=None
            )
        )
        db.session.commit()
        db.engine.dispose()  # the worker processes open connections of their own


def drain_with_workers(app, batch: int, workers: int) -> tuple[float, int]:
    """Drain the outbox with several worker processes at once, as at scale; seconds, sent."""
    requeue(app)
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_worker, args=(app, batch)) for _ in range(workers)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    seconds = time.perf_counter() - started
    with app.app_context():
        sent = db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.status == SENT))
    return seconds, sent


def _worker(app, batch: int) -> None:
    """One mail worker process: send batches until nothing is due."""
    with app.app_context():
        while send_due(limit=batch).sent:
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=200, help="messages per connection")
    parser.add_argument("--profile", action="store_true", help="cProfile the outbox drain")
    parser.add_argument(
        "--server-delay-ms",
        type=float,
        default=0,
        help="the SMTP server takes this long over each message (a server across a network)",
    )
    args = parser.parse_args()

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="surgery-bench-mail-") as tmp:
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
        started = time.perf_counter()
        queue_confirmations(app, args.messages)
        print(f"Queued {args.messages} confirmations in {time.perf_counter() - started:.1f} s.")
        messages = prebuilt(app)
        size = sum(len(data) for _, _, data in messages) / len(messages)
        print(f"Each message is about {size / 1024:.1f} KiB (text, HTML, invite and .ics).")

        with smtp_server(port, args.server_delay_ms) as counted:
            plain_before = plain_smtplib(port, messages)
            ours, sent = drain_outbox(app, args.batch, args.profile)
            plain_after = plain_smtplib(port, messages)
            pair, pair_sent = drain_with_workers(app, args.batch // 2 or 1, 2)
        with app.app_context():
            db.engine.dispose()

    n = len(messages)
    plain_rate = n / ((plain_before + plain_after) / 2)
    ours_rate = sent / ours
    ratio = ours_rate / plain_rate
    print()
    print(f"{'sender':<34}{'messages':>10}{'seconds':>10}{'messages/s':>12}")
    for label, count, seconds in (
        ("plain smtplib, prebuilt (before)", n, plain_before),
        ("outbox send_due", sent, ours),
        ("plain smtplib, prebuilt (after)", n, plain_after),
        ("outbox, two worker processes", pair_sent, pair),
    ):
        print(f"{label:<34}{count:>10}{seconds:>10.2f}{count / seconds:>12.0f}")
    print()
    print(f"Ratio outbox / plain smtplib (mean of both runs): {ratio:.2f}  (target >= {TARGET})")
    print(f"With two mail workers sharing the outbox: {pair_sent / pair / plain_rate:.2f}")
    print(f"The SMTP server received {counted[0]} messages (expected {4 * n}).")
    if counted[0] != 4 * n or sent != n or pair_sent != n:
        sys.exit("Some messages went missing.")
    if os.environ.get("BENCH_STRICT") and ratio < TARGET:
        sys.exit("Below target.")


if __name__ == "__main__":
    main()
