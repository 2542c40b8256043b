"""CPU time and SQL queries of the organiser's event page with 50, 500 and 5,000 people
booked, next to a bare Flask page measured in the same run.

Builds a fresh SQLite database with one day per size: a workshop with four in five of its
people booked and the rest waiting, role tags and topics as tests/booked_crowd.py gives them,
and a reminder sent to everyone booked (one in four answered). Then, in this process through
the test client signed in as an organiser, requests each page `--repeat` times after a
warm-up and takes the median of `time.process_time()` per request (SQLite runs in-process,
so its work is counted too), and counts the SQL statements of one request with a
`before_cursor_execute` listener. The pages: the first page, a page in the middle of the
list and a search by name. The bare page is bench/bare_app.py through its own test client.

    .venv/bin/python bench/organiser_pages.py [--repeat 15] [--sizes 50 500 5000]
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
from day import ORGANISER, signed_in_client  # noqa: E402
from web import ROOT, app_env, flask_command, in_process  # noqa: E402

from surgery.auth import services as organisers  # noqa: E402
from surgery.bookings.models import Booking  # noqa: E402
from surgery.database import utcnow  # noqa: E402
from surgery.domain.capacity import CONFIRMED  # noqa: E402
from surgery.domain.reminders import STILL_COMING  # noqa: E402
from surgery.events.models import PUBLISHED, WORKSHOP, Event, EventSession  # noqa: E402
from surgery.extensions import db  # noqa: E402
from surgery.reminders.models import Reminder  # noqa: E402
from tests.booked_crowd import add_people  # noqa: E402

SKIP = {"BEGIN", "COMMIT", "ROLLBACK"}


def seed(url: str, tmp: Path, sizes: list[int]) -> dict[int, int]:
    """An organiser and one day per size; size -> event id."""
    days = {}
    with in_process(url, tmp):
        organisers.create(ORGANISER[0], "Bench Organiser", ORGANISER[1])
        for people in sizes:
            days[people] = _day(people)
        db.session.commit()
    return days


def _day(people: int) -> int:
    """A published day whose workshop has `people` booked or waiting, and their reminders."""
    starts = utcnow().replace(microsecond=0) + dt.timedelta(days=3)
    places = people * 4 // 5
    event = Event(title=f"Day of {people}", venue_name="Library", city="Leeds", status=PUBLISHED)
    session = EventSession(
        kind=WORKSHOP,
        title="Workshop",
        capacity=places,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    event.sessions.append(session)
    db.session.add(event)
    db.session.flush()
    add_people(session, people, places)
    booked = db.session.scalars(
        sa.select(Booking.id).where(Booking.session_id == session.id, Booking.status == CONFIRMED)
    )
    reminders = [
        {"event_id": event.id, "booking_id": b, "answer": STILL_COMING if n % 4 == 0 else None}
        for n, b in enumerate(booked)
    ]
    db.session.execute(sa.insert(Reminder), reminders)
    return event.id


def cpu_ms(client, path: str, repeat: int) -> float:
    """Median CPU milliseconds of one request, after two to warm up."""
    for _ in range(2):
        assert client.get(path).status_code == 200, path
    spent = []
    for _ in range(repeat):
        started = time.process_time()
        answer = client.get(path)
        spent.append(time.process_time() - started)
        assert answer.status_code == 200, path
    return statistics.median(spent) * 1000


def statements(client, path: str) -> int:
    """The SQL statements of one request (BEGIN, COMMIT and ROLLBACK aside)."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        sent.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get(path)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return sum(s.split()[0].upper() not in SKIP for s in sent)


def pages(event_id: int, people: int) -> dict[str, str]:
    """The measured pages of one day: label -> path."""
    page = f"/organise/events/{event_id}"
    middle = max(1, people // 50 // 2)
    return {
        "first page": page,
        f"page {middle}": f"{page}?page={middle}",
        "search ?q=person 0004": f"{page}?q=person+0004",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 5000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="surgery-bench-organiser-") as name:
        tmp = Path(name)
        url = f"sqlite:///{tmp / 'pages.sqlite3'}"
        flask_command(app_env(url, tmp), "db", "upgrade")
        days = seed(url, tmp, args.sizes)
        bare = bare_app.test_client()
        bare_before = cpu_ms(bare, "/", args.repeat * 4)
        figures = []
        with in_process(url, tmp) as app:
            client = signed_in_client(app)
            for people, event_id in days.items():
                for label, path in pages(event_id, people).items():
                    ms = cpu_ms(client, path, args.repeat)
                    figures.append((people, label, ms, statements(client, path)))
        bare_after = cpu_ms(bare, "/", args.repeat * 4)
    print_table(args, figures, (bare_before + bare_after) / 2)


def print_table(args, figures, bare: float) -> None:
    """The figures, each page's CPU also as a multiple of the bare page's."""
    print()
    print(
        f"In-process through the test client, SQLite, median of {args.repeat} requests "
        f"after 2 warm-ups; checkout {ROOT.name}"
    )
    print()
    print(f"{'people':>6}  {'organiser event page':<24} {'CPU ms':>8} {'x bare':>8} {'queries':>8}")
    print("-" * 60)
    for people, label, ms, queries in figures:
        print(f"{people:>6}  {label:<24} {ms:>8.1f} {ms / bare:>8.0f} {queries:>8}")
    print("-" * 60)
    print(f"{'':>6}  {'bare Flask page':<24} {bare:>8.2f} {1:>8} {0:>8}")
    by_label: dict[str, set[int]] = {}
    for _, label, _, queries in figures:
        by_label.setdefault(label.split()[0], set()).add(queries)
    same = all(len(counts) == 1 for counts in by_label.values())
    print("queries per page: " + ("the same at every size" if same else "GROW with people"))
    first = [ms for _, label, ms, _ in figures if label == "first page"]
    print(f"first page, largest over smallest: {max(first) / min(first):.2f}x")


if __name__ == "__main__":
    main()
