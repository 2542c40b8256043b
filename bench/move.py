"""The time of moving a session with 1,000 people booked, next to a bare Flask page.

Builds a fresh SQLite database holding one published day whose surgery session has 1,000
confirmed bookings, signs in as an organiser through the test client, and in one run:

1. moves the session an hour later and back again, `--rounds` times each way, timing each
   POST of the edit-session form (it queues one update per person and renders no mail);
2. times the bare page of bench/bare_app.py through its own test client, before and after;
3. sends the first `--send` updates to .eml files as the mail worker does (each calendar
   written then, from the session as it is), counting the SQL statements per claim.

Prints the medians, the ratio of the move to the bare page, and what the move queued.

    .venv/bin/python bench/move.py [--people 1000] [--rounds 5] [--send 200]
"""

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/web.py

import sqlalchemy as sa  # noqa: E402
from bare_app import app as bare_app  # noqa: E402
from flask import template_rendered  # noqa: E402
from web import app_env, flask_command, in_process  # noqa: E402

from surgery.auth import services as organisers  # noqa: E402
from surgery.events.models import Event, EventSession  # noqa: E402
from surgery.extensions import db  # noqa: E402
from surgery.mail.models import OutboxMessage  # noqa: E402
from surgery.mail.outbox import CLAIM, send_due  # noqa: E402
from tests.conftest import csrf_from, guards_from  # noqa: E402
from tests.test_outbox import seed_bookings  # noqa: E402

ORGANISER = ("bench-organiser@example.org", "bench-organiser-password")


def sign_in(client) -> None:
    """Sign in as the bench organiser through the login form."""
    token = csrf_from(client.get("/login").text)
    form = {"csrf_token": token, "email": ORGANISER[0], "password": ORGANISER[1]}
    assert client.post("/login", data=form).status_code == 303


def move_form(client, event_id: int, session_id: int, hours: int) -> tuple[str, dict]:
    """The edit-session form's address and fields, the session starting `hours` later."""
    event, session = db.session.get(Event, event_id), db.session.get(EventSession, session_id)
    start, end = event.local(session.starts_at), event.local(session.ends_at)
    start, end = start + dt.timedelta(hours=hours), end + dt.timedelta(hours=hours)
    edit = f"/organise/events/{event_id}/sessions/{session_id}/edit"
    page = client.get(edit).text
    fields = {
        "csrf_token": csrf_from(page),
        **guards_from(page),  # the version the form showed: an edit without it is refused
        "kind": session.kind,
        "title": session.title,
        "day": start.date().isoformat(),
        "starts": f"{start:%H:%M}",
        "ends": f"{end:%H:%M}",
        "capacity": str(session.capacity),
    }
    db.session.remove()  # the request reads the session afresh
    return edit, fields


def time_moves(client, event_id: int, session_id: int, rounds: int, people: int):
    """Seconds of each move (later, then back), and how many mail templates they rendered."""
    times, rendered = [], []
    with template_rendered.connected_to(lambda sender, template, **kw: rendered.append(template)):
        for n in range(rounds * 2):
            edit, fields = move_form(client, event_id, session_id, 1 if n % 2 == 0 else -1)
            started = time.perf_counter()
            response = client.post(edit, data=fields)
            times.append(time.perf_counter() - started)
            assert response.status_code == 303, response.status_code
            queued = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
            assert queued == (n + 1) * people, queued
            db.session.remove()
    return times, sum(1 for t in rendered if (t.name or "").startswith("email/"))


def time_bare(requests: int = 300) -> list[float]:
    """Seconds of each request for the bare page."""
    client, times = bare_app.test_client(), []
    for _ in range(requests):
        started = time.perf_counter()
        assert client.get("/").status_code == 200
        times.append(time.perf_counter() - started)
    return times


def send_some(count: int) -> tuple[float, float]:
    """Send `count` queued updates to .eml files: messages/s, SQL statements per claim."""
    statements = []
    listen = lambda *args: statements.append(1)  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listen)
    try:
        started = time.perf_counter()
        report = send_due(limit=count)
        seconds = time.perf_counter() - started
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listen)
    assert len(report.sent) == count, report
    return count / seconds, len(statements) / (count / CLAIM)


def main() -> None:
    """Build the day, time the moves and the bare page, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5, help="moves each way")
    parser.add_argument("--send", type=int, default=200, help="updates sent afterwards")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        url = f"sqlite:///{tmp / 'move.sqlite3'}"
        flask_command(app_env(url, tmp), "db", "upgrade")
        with in_process(url, tmp) as app:
            app.config.update(MAIL_SEND_AFTER_REQUEST=False, RATELIMIT_ENABLED=False)
            organisers.create(ORGANISER[0], "Bench Organiser", ORGANISER[1])
            db.session.commit()
            event_id, session_id = seed_bookings(args.people, organiser_email=ORGANISER[0])
            client = app.test_client()
            sign_in(client)
            bare = time_bare()
            moves, mail_rendered = time_moves(
                client, event_id, session_id, args.rounds, args.people
            )
            bare += time_bare()
            rate, per_claim = send_some(args.send)
    move, page = statistics.median(moves), statistics.median(bare)
    print(f"move a session of {args.people} people: median {move * 1000:.0f} ms "
          f"({len(moves)} moves, {min(moves) * 1000:.0f}–{max(moves) * 1000:.0f} ms)")  # fmt: skip
    print(f"bare Flask page: median {page * 1000:.2f} ms ({len(bare)} requests)")
    print(
        f"move / bare page: {move / page:.0f}x; per person queued: {move / args.people * 1e6:.0f} µs"
    )
    print(f"mail templates rendered in the move requests: {mail_rendered}")
    print(f"sending {args.send} updates to .eml files: {rate:.0f} messages/s, "
          f"{per_claim:.1f} SQL statements per claim of {CLAIM}")  # fmt: skip


if __name__ == "__main__":
    main()
