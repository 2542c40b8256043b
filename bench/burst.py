"""A burst of 300 people booking one session of 20 places at once, on SQLite and PostgreSQL.

For each database (a SQLite file; a fresh PostgreSQL database on 127.0.0.1:5432, made for
the run and dropped after, when one answers) it migrates, adds demo days and sets the first
surgery session to 20 places, serves the app with gunicorn (rate limits off, the settings of
bench/web.py), opens the booking form once for a session cookie and its CSRF token, then
sends 300 booking POSTs at the same moment, each a new person on a connection of its own,
and times until the last is answered. Afterwards it checks the session holds exactly 20
confirmed and 280 waiting, and that every answer was a 303 to a confirmation.

Then, in-process on the same database, it books people one after another and times the
locked section of each booking: from taking the day's lock (SQLite: BEGIN IMMEDIATE, the
database's write lock; PostgreSQL: SELECT … FOR NO KEY UPDATE of the day's row) to the end of the
commit, against the whole request. Bookings of one day are made one at a time through that
section, so it sets how fast a burst can be answered.

First, as a floor to read the figures against, the same client sends 300 GETs of the bare
Flask page (bench/bare_app.py, the same server settings) at once: what this machine manages
when a request has no work to do.

    .venv/bin/python bench/burst.py [--people 300] [--places 20] [--database sqlite|postgresql]
"""

import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # import the app from this checkout
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402
import web  # noqa: E402
from soak import postgresql_database  # noqa: E402

from surgery import create_app  # noqa: E402
from surgery.extensions import db  # noqa: E402

POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TARGET_SECONDS = 2.0
LOCKED_ROUNDS = 40
LOCKS = ("BEGIN IMMEDIATE", "FOR UPDATE", "FOR NO KEY UPDATE")  # where the locked section starts


def burst(base: str, form: web.BookingForm, people: int) -> tuple[float, float, dict[str, int]]:
    """Send `people` booking POSTs at once; (seconds until the last answer, this client's CPU
    seconds meanwhile, answers by kind)."""
    headers = {"Cookie": form.cookie, "Content-Type": "application/x-www-form-urlencoded"}
    bodies = [web.booking_body(form, "burst0", i, 0) for i in range(people)]

    def said(answer) -> str:
        ok = answer.status == 303 and "/confirmed" in (answer.getheader("Location") or "")
        return "303 to a confirmation" if ok else f"{answer.status}"

    return at_once(base, [("POST", form.path, body, headers) for body in bodies], said)


def bare_burst(base: str, people: int) -> float:
    """Seconds until `people` GETs of the bare page, sent at once, are all answered: what the
    same server settings and the same client manage on this machine with no work to do."""
    seconds, _, _ = at_once(base, [("GET", "/", None, {})] * people, lambda a: f"{a.status}")
    return seconds


def at_once(base: str, requests: list, said) -> tuple[float, float, dict[str, int]]:
    """Send every (method, path, body, headers) at the same moment, each on a connection of
    its own; (seconds until the last answer, this client's CPU seconds meanwhile, answers
    by what `said` makes of each)."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    connections = [http.client.HTTPConnection(host, int(port), timeout=60) for _ in requests]
    for connection in connections:
        connection.connect()  # connected beforehand: the burst is the requests themselves
    answers: dict[str, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(len(requests) + 1)

    def person(connection, request) -> None:
        method, path, body, headers = request
        start.wait()
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            answer.read()
            kind = said(answer)
        except OSError as error:
            kind = f"error: {type(error).__name__}"
        with lock:
            answers[kind] = answers.get(kind, 0) + 1

    threads = [
        threading.Thread(target=person, args=pair)
        for pair in zip(connections, requests, strict=True)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.join()
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    for connection in connections:
        connection.close()
    return seconds, cpu, answers


def locked_section(url: str, tmp: Path, event_id: int, session_id: int) -> tuple[float, float]:
    """Medians, in ms, of the locked section and of the whole booking POST, in-process."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": web.SECRET,
            "MAIL_OUTBOX_FOLDER": str(tmp),
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
        }
    )
    held: list[float] = []
    taken: list[float] = []

    def lock_taken(_conn, _cursor, statement, *_args):
        if not taken and any(lock in statement for lock in LOCKS):
            taken.append(time.perf_counter())

    def committed(_session):
        if taken:
            held.append(time.perf_counter() - taken.pop())

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", lock_taken)
    sa.event.listen(db.session, "after_commit", committed)
    client, whole = app.test_client(), []
    path = f"/events/{event_id}/book"
    try:
        for n in range(LOCKED_ROUNDS + 5):
            data = {"sessions": session_id, "name": "In Process", "form_key": f"inproc{n:030d}"}
            began = time.perf_counter()
            answer = client.post(path, data=data | {"email": f"inproc-{n}@example.org"})
            whole.append(time.perf_counter() - began)
            assert answer.status_code == 303, answer.status_code
    finally:
        sa.event.remove(engine, "before_cursor_execute", lock_taken)
        sa.event.remove(db.session, "after_commit", committed)
        with app.app_context():
            db.engine.dispose()
    # the first few warm the app up
    return statistics.median(held[5:]) * 1000, statistics.median(whole[5:]) * 1000


def run_on(name: str, url: str, tmp: Path, args) -> dict:
    """Migrate and seed, serve, burst, check; then time the locked section in-process."""
    env = web.app_env(url, tmp)
    web.flask_command(env, "db", "upgrade")
    web.flask_command(env, "demo", "--events", "5")
    event_id, session_id = web.booking_target(url, tmp, capacity=args.places)
    serve_env = {**env, "SURGERY_RATELIMIT_ENABLED": "0"}
    with web.gunicorn("surgery:create_app()", ROOT, serve_env, args, tmp / "server.log") as base:
        form = web.open_booking_form(base, event_id, session_id)
        seconds, client_cpu, answers = burst(base, form, args.people)
    stored = web.stored_bookings(url, tmp, session_id)
    locked, whole = locked_section(url, tmp, event_id, session_id)
    return {
        "database": name,
        "seconds": seconds,
        "client_cpu": client_cpu,
        "answers": answers,
        "stored": stored,
        "locked": locked,
        "whole": whole,
    }


def main() -> None:
    parser = web.load_parser(__doc__)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--places", type=int, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory(prefix="surgery-bench-") as name:
        tmp = Path(name)
        with web.gunicorn(
            "bare_app:app", ROOT / "bench", {**os.environ}, args, tmp / "bare.log"
        ) as base:
            bare = min(bare_burst(base, args.people) for _ in range(3))
        if args.database in ("sqlite", "both"):
            runs.append(run_on("SQLite", f"sqlite:///{tmp / 'burst.sqlite3'}", tmp, args))
        if args.database in ("postgresql", "both"):
            url, drop = postgresql_database(POSTGRESQL)
            if url is None:
                print("No PostgreSQL on 127.0.0.1:5432: skipped.")
            else:
                try:
                    runs.append(run_on("PostgreSQL", url, tmp, args))
                finally:
                    drop()
    print_table(runs, args, bare)
    if not all(ok(run, args) for run in runs):
        sys.exit(1)


def ok(run: dict, args) -> bool:
    """Exactly the places confirmed, the rest waiting, every answer a confirmation, in time."""
    stored, answers = run["stored"], run["answers"]
    waiting = args.people - args.places
    kept = stored.get("confirmed") == args.places and stored.get("waitlisted") == waiting
    answered = answers.get("303 to a confirmation") == args.people
    return kept and answered and run["seconds"] <= TARGET_SECONDS


def print_table(runs: list[dict], args, bare: float) -> None:
    """One line per database, then the checks."""
    print(
        f"\n{args.people} people book one session of {args.places} places at once; gunicorn "
        f"gthread, {args.workers} workers x {args.threads} threads; in-process medians of "
        f"{LOCKED_ROUNDS} bookings one after another\n"
    )
    print(f"{'database':12} {'burst':>8} {'confirmed':>10} {'waiting':>8} {'errors':>7}"
          f" {'locked/booking':>15} {'whole POST':>11}")  # fmt: skip
    for run in runs:
        bad = args.people - run["answers"].get("303 to a confirmation", 0)
        print(
            f"{run['database']:12} {run['seconds']:7.2f}s {run['stored'].get('confirmed', 0):>10}"
            f" {run['stored'].get('waitlisted', 0):>8} {bad:>7} {run['locked']:13.2f}ms"
            f" {run['whole']:9.2f}ms"
        )
    print(f"{'bare page':12} {bare:7.2f}s  ({args.people} GETs of bench/bare_app.py at once,"
          " the same server settings: the floor on this machine; best of 3)")  # fmt: skip
    for run in runs:
        verdict = "met" if ok(run, args) else "MISSED"
        print(f"{run['database']}: the client's own CPU during the burst {run['client_cpu']:.2f} s;"
              f" answers {run['answers']}; target all answered within "
              f"{TARGET_SECONDS:.0f} s, {args.places} confirmed, 0 errors: {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
