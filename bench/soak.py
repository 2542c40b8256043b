"""Soak: threaded gunicorn workers under load for minutes, counting every worker that dies.

On each database (a SQLite file, and PostgreSQL when it answers), builds a busy day under way
(500 people, 50 surgeons, pairings in progress) and an upcoming day with a session of 20
places, serves the app as the README's production recipe does (gthread, several threads per
worker), signs in as an organiser and loads with wrk, one after another: the live floor, the
check-in page, the organiser's event page, and a booking burst (a new person every request
into the small session). Prints requests, bad answers and worker deaths per load; deaths are
read from the gunicorn log (a worker killed by a signal or exiting, and every worker started
beyond the first ones). Exits 1 if any worker died.

    .venv/bin/python bench/soak.py [--seconds 45] [--threads 8] [--database sqlite|postgresql]
"""

import re
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/web.py and bench/day.py

import sqlalchemy as sa  # noqa: E402
from day import pages, seed_day, sign_in  # noqa: E402
from web import (  # noqa: E402
    ROOT,
    app_env,
    booking_target,
    flask_command,
    gunicorn,
    load_parser,
    measure,
    open_booking_form,
    parsed,
)

from surgery.config import normalise_database_url  # noqa: E402

POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BOOTED = re.compile(r"Booting worker with pid: (\d+)")
DIED = re.compile(r"was sent SIG\w+|terminated due to signal \d+|exited with code \d+|TIMEOUT")


@dataclass
class Load:
    """One load run and the deaths seen while it ran."""

    database: str
    label: str
    requests: int
    bad: int
    deaths: int


def postgresql_database(base: str):
    """A fresh PostgreSQL database's URL, and a function that drops it; None if none answers."""
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"surgery_soak_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        return None, None

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    url = sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    return url, drop


def seeded(url: str, tmp: Path, people: int, surgeons: int):
    """Migrate, then seed the busy day, the organiser and an upcoming day to book."""
    env = app_env(url, tmp)
    flask_command(env, "db", "upgrade")
    day = seed_day(url, tmp, people, surgeons)
    flask_command(env, "demo", "--events", "1")
    event_id, session_id = booking_target(url, tmp, capacity=20, newest=True)
    return day, event_id, session_id


def deaths_in(log: Path, workers: int) -> int:
    """Workers that died: killed or exited, or started beyond the first ones."""
    text = log.read_text(errors="replace")
    return max(len(DIED.findall(text)), len(BOOTED.findall(text)) - workers)


def soak(name: str, url: str, tmp: Path, args) -> list[Load]:
    """Every load against one database, with the deaths seen during each."""
    day, event_id, session_id = seeded(url, tmp, args.people, args.surgeons)
    log = tmp / f"{name}.log"
    loads = []
    with gunicorn("surgery:create_app()", ROOT, app_env(url, tmp), args, log, "info") as base:
        signed_in = {"Cookie": sign_in(base)}
        targets = {
            "floor page": pages(day)["floor page"],
            "check-in page, everyone": pages(day)["check-in page, everyone"],
            "organiser event page": f"/organise/events/{day.event_id}",
        }
        for label, path in targets.items():
            before = deaths_in(log, args.workers)
            result = measure(label, base + path, args, tmp, headers=signed_in)
            loads.append(
                Load(
                    name, label, result.requests, result.bad, deaths_in(log, args.workers) - before
                )
            )
        before = deaths_in(log, args.workers)
        form = open_booking_form(base, event_id, session_id)
        result = measure("booking burst", base + form.path, args, tmp, form)
        loads.append(Load(name, "booking burst (20 places)", result.requests, result.bad, 0))
        loads[-1].deaths = deaths_in(log, args.workers) - before
    return loads


def main() -> None:
    parser = load_parser(__doc__)
    parser.set_defaults(seconds=45, threads=8, connections=16, warmup=2)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--surgeons", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parsed(parser)
    started = time.monotonic()
    loads: list[Load] = []
    with tempfile.TemporaryDirectory(prefix="surgery-soak-") as name:
        tmp = Path(name)
        if args.database in ("sqlite", "both"):
            loads += soak("SQLite", f"sqlite:///{tmp / 'soak.sqlite3'}", tmp, args)
        if args.database in ("postgresql", "both"):
            url, drop = postgresql_database(normalise_database_url(POSTGRESQL))
            if url is None:
                print("PostgreSQL did not answer on 127.0.0.1:5432; soaked SQLite only.")
            else:
                try:
                    loads += soak("PostgreSQL", url, tmp, args)
                finally:
                    drop()
    print_table(loads, args, time.monotonic() - started)
    if any(load.deaths for load in loads):
        sys.exit(1)


def print_table(loads: list[Load], args, elapsed: float) -> None:
    """Requests, bad answers and worker deaths per load."""
    tool = f"wrk, {args.wrk_threads} threads" if args.use_wrk else "Python load generator"
    print()
    print(
        f"gunicorn gthread, {args.workers} workers x {args.threads} threads; {tool}, "
        f"{args.connections} connections, {args.seconds:g} s per load; "
        f"{args.people} people, {args.surgeons} surgeons"
    )
    print()
    print(f"{'database':<11} {'load':<30} {'requests':>9} {'bad':>6} {'deaths':>7}")
    print("-" * 67)
    for load in loads:
        print(
            f"{load.database:<11} {load.label:<30} {load.requests:>9} {load.bad:>6} "
            f"{load.deaths:>7}"
        )
    print("-" * 67)
    deaths = sum(load.deaths for load in loads)
    print(f"Worker deaths: {deaths}  ({'none' if not deaths else 'FAILED'})")
    print("bad: errors or 4xx/5xx answers; the burst's 303s to the confirmation page count as good")
    print(f"Total run time: {elapsed:.0f} s")


if __name__ == "__main__":
    main()
