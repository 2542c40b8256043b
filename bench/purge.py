"""The time of removing a past day's personal data, and of erasing one person, next to a bare
Flask page.

Builds a fresh database (SQLite in a temporary folder; PostgreSQL with --postgres or
TEST_DATABASE_URL) and, in one run, in-process:

1. times the bare page of bench/bare_app.py through its own test client, before and after;
2. for a day that ended 40 days ago with 50, 500 and 5,000 people (tests/day_of_people.py:
   answers, role tags, surgeons, pairs, help records, feedback, sent emails), removes both
   stages at once as an organiser's "remove personal data now" does (`remove_now`, then the
   commit), a fresh day each round, counting its SQL statements;
3. erases one person from a 5,000-person day: from an upcoming one with a waiting list (the
   place is given up and the first in line promoted), from the day that is over (the first
   erasure keeps the day's numbers), and one paired surgeon from the upcoming day;
4. times `days_due` with 200 days held.

Prints milliseconds (median, with the fastest and slowest), SQL statements, and the ratio
to the bare page.

    .venv/bin/python bench/purge.py [--sizes 50,500,5000] [--rounds 3] [--quick] [--postgres]
"""

import argparse
import contextlib
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/web.py

import sqlalchemy as sa  # noqa: E402
from move import time_bare  # noqa: E402
from web import app_env, flask_command, in_process  # noqa: E402

from surgery.bookings.models import Booking, Registration  # noqa: E402
from surgery.domain.capacity import CONFIRMED  # noqa: E402
from surgery.extensions import db  # noqa: E402
from surgery.matching.models import Match  # noqa: E402
from surgery.personal.services import erase_registration, erase_surgeon  # noqa: E402
from surgery.retention import services as retention  # noqa: E402
from surgery.surgeons.models import Surgeon  # noqa: E402
from tests.day_of_people import seed_day, seed_held_days  # noqa: E402

POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
NOT_COUNTED = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}
HELD_DAYS = 200
BIG = 5000
WAITING = 500  # of the upcoming day's people, on its waiting list


class Timed:
    """Seconds and SQL statements of each timed call."""

    def __init__(self, label: str, people: int | str = ""):
        self.label, self.people, self.seconds, self.statements = label, people, [], []

    @contextlib.contextmanager
    def one(self):
        counted = []

        def record(_conn, _cursor, statement, *_args):
            if statement.split(None, 1)[0].upper() not in NOT_COUNTED:
                counted.append(1)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        started = time.perf_counter()
        try:
            yield
            db.session.commit()
        finally:
            self.seconds.append(time.perf_counter() - started)
            sa.event.remove(db.engine, "before_cursor_execute", record)
            db.session.remove()  # the next call starts afresh, as a request does
        self.statements.append(len(counted))


def removals(sizes: list[int], rounds: int, now: dt.datetime) -> list[Timed]:
    """Remove both stages of a fresh past day of each size, `rounds` times."""
    results = []
    for people in sizes:
        timed = Timed("remove both stages (remove_now)", people)
        for n in range(rounds):
            event_id = seed_day(people, now - dt.timedelta(days=40), seed=n)
            db.session.remove()
            with timed.one():
                removed = retention.remove_now(event_id, now)
            assert removed.identity.attendees == people, removed
        results.append(timed)
    return results


def erasures(count: int, now: dt.datetime) -> list[Timed]:
    """Erase people from a 5,000-person day to come and from one that is over."""
    upcoming = seed_day(BIG, now + dt.timedelta(days=12), waiting=WAITING)
    paired = sa.select(Match.booking_id)
    query = (
        sa.select(Registration.id)
        .join(Booking)
        .where(Registration.event_id == upcoming, Booking.status == CONFIRMED)
        .where(Booking.id.in_(paired))
        .order_by(Registration.id)
    )
    first_ones = list(db.session.scalars(query.limit(count)))
    promote = Timed("erase a paired person, one promoted", BIG)
    for registration_id in first_ones:
        with promote.one():
            promoted = erase_registration(db.session.get(Registration, registration_id))
        assert len(promoted) == 1, promoted
    surgeon_ids = list(
        db.session.scalars(
            sa.select(Surgeon.id).where(Surgeon.event_id == upcoming).order_by(Surgeon.id)
        )
    )[-count:]
    surgeon = Timed("erase a paired surgeon (withdrawn)", BIG)
    for surgeon_id in surgeon_ids:
        with surgeon.one():
            erase_surgeon(db.session.get(Surgeon, surgeon_id))

    past = seed_day(BIG, now - dt.timedelta(days=2))
    people = list(
        db.session.scalars(
            sa.select(Registration.id).where(Registration.event_id == past).limit(count + 1)
        )
    )
    first = Timed("erase from a day over, numbers kept", BIG)
    later = Timed("erase from a day over, numbers kept already", BIG)
    for n, registration_id in enumerate(people):
        with (first if n == 0 else later).one():
            erase_registration(db.session.get(Registration, registration_id))
    return [promote, surgeon, first, later]


def looking_up(now: dt.datetime, calls: int) -> Timed:
    """`days_due` with HELD_DAYS more days held than the run made already."""
    seed_held_days(HELD_DAYS, now)
    held = len(retention.held())
    db.session.remove()
    timed = Timed("days_due", f"{held} days")
    for _ in range(calls):
        with timed.one():
            retention.days_due(now)
    return timed


@contextlib.contextmanager
def database(tmp: Path, postgres: bool):
    """A fresh, migrated database's URL: a SQLite file, or a PostgreSQL database made and
    dropped for the run."""
    if postgres:
        os.environ.setdefault("TEST_DATABASE_URL", POSTGRESQL)
    else:
        os.environ.pop("TEST_DATABASE_URL", None)
    from tests.conftest import fresh_database

    with fresh_database("bench_purge", tmp) as url:
        flask_command(app_env(url, tmp), "db", "upgrade")
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,500,5000", help="people on each removed day")
    parser.add_argument("--rounds", type=int, default=3, help="removals of each size")
    parser.add_argument("--erase", type=int, default=5, help="people erased, each way")
    parser.add_argument("--quick", action="store_true", help="one round, 3 erasures")
    parser.add_argument(
        "--postgres", action="store_true", help=f"on PostgreSQL (TEST_DATABASE_URL or {POSTGRESQL})"
    )
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.erase = 1, 3
    postgres = args.postgres or bool(os.environ.get("TEST_DATABASE_URL"))
    sizes = [int(size) for size in args.sizes.split(",")]
    started = time.monotonic()
    now = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="surgery-bench-purge-") as folder:
        tmp = Path(folder)
        with database(tmp, postgres) as url, in_process(url, tmp):
            bare = time_bare()
            results = removals(sizes, args.rounds, now)
            results += erasures(args.erase, now)
            results.append(looking_up(now, calls=20))
            bare += time_bare()
    print_table(results, statistics.median(bare), postgres, time.monotonic() - started)


def print_table(results: list[Timed], bare: float, postgres: bool, elapsed: float) -> None:
    """One line per measured call, and whether the removal's statements grow with people."""
    print()
    print(f"{'PostgreSQL' if postgres else 'SQLite'}; bare Flask page: median {bare * 1000:.2f} ms")
    print()
    head = (
        f"{'what':<44} {'people':>9} {'median ms':>10} {'min–max ms':>15} {'SQL':>9} {'vs bare':>9}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        median = statistics.median(r.seconds)
        spread = f"{min(r.seconds) * 1000:.0f}–{max(r.seconds) * 1000:.0f}"
        sql = "–".join(str(n) for n in sorted({min(r.statements), max(r.statements)}))
        people = f"{r.people:,}" if isinstance(r.people, int) else r.people
        print(
            f"{r.label:<44} {people:>9} {median * 1000:>10.1f} {spread:>15} {sql:>9} "
            f"{median / bare:>9,.0f}"
        )
    print("-" * len(head))
    print("SQL: statements per call, the commit's own not counted; vs bare: median / bare page")
    removed = [r for r in results if r.label.startswith("remove")]
    counts = ", ".join(f"{r.people:,} people {max(r.statements)}" for r in removed)
    if len(removed) > 1:
        small, big = removed[0], removed[-1]
        people = big.people - small.people
        more = (max(big.statements) - max(small.statements)) / people
        if more >= 0.5:
            verdict = f"GROW with people, {more:.1f} a person"
        elif more > 0:
            verdict = (
                f"grow in steps only, {more * 1000:.0f} per 1,000 people "
                "(related rows are loaded 500 people at a time)"
            )
        else:
            verdict = "do not grow with people"
        print(f"statements of one removal {verdict}: {counts}")
        seconds = statistics.median(big.seconds) - statistics.median(small.seconds)
        print(f"each person more adds {seconds / people * 1e6:.0f} µs to a removal")
    print(f"Total run time: {elapsed:.0f} s")


if __name__ == "__main__":
    main()
