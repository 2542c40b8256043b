"""Requests per second of the live surgery floor and the check-in page, next to a bare Flask page,
and how quickly a change reaches another organiser's screen through the event stream.

Builds a fresh SQLite database holding one surgery day as it happens: 500 people booked onto
the surgery session (about 200 checked in), 50 approved surgeons (40 here), pairings in
progress and finished. Serves it with gunicorn and, in the same run and with the same worker
settings, bench/bare_app.py; signs in as the organiser and loads the floor page, its live
fragment, the check-in search and the full check-in page with wrk (or a Python load
generator), then prints a table. The floor's live part is loaded as screens load it: as a
new copy (no ETag) and as "not modified" (the ETag they hold). Then times rounds of a change
made in the database reaching a screen listening to the floor's event stream, and that screen
fetching the new live part. Also counts the SQL queries of one floor request, its live part
and one check-in search in-process, on this day and on a day a tenth its size (a tenth of
the people and of the surgeons, so people still wait: with the same surgeons every person
here would be paired, and the queue's own query would be skipped as having nothing to ask),
so a page whose queries grow with people shows.

First, the door at scale: days of 50, 500 and 5,000 people (tests/crowded_day.py, bulk
inserts), and for each the CPU time (time.process_time, median of several) and the SQL
statements of one request of the check-in page, its search, the floor page and its live
part, in-process, next to the bare Flask page; `--door-only` stops after that.

    .venv/bin/python bench/day.py [--seconds 8] [--connections 16] [--workers 2] [--threads 4]
    .venv/bin/python bench/day.py --door-only
"""

import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/web.py

import sqlalchemy as sa  # noqa: E402
from bare_app import app as bare_app  # noqa: E402
from live_round import not_modified_etag, rounds  # noqa: E402
from web import (  # noqa: E402
    HIDDEN,
    ROOT,
    SECRET,
    app_env,
    flask_command,
    gunicorn,
    in_process,
    load_parser,
    measure,
    parsed,
)

from surgery.auth import services as organisers  # noqa: E402
from surgery.day import live  # noqa: E402
from surgery.extensions import db  # noqa: E402
from tests.busy_day import Day, seed_busy_day  # noqa: E402
from tests.crowded_day import seed_crowded_day  # noqa: E402

ORGANISER = ("bench-organiser@example.org", "bench-organiser-password")
SLOW = 0.02  # below this share of the bare page's rate, the floor page is profiled
SEARCH = "kha"  # part of a surname: about one in twelve people


# ---------------------------------------------------------------- the day


def seed_day(url: str, tmp: Path, people: int, surgeons: int, seed: int = 1) -> Day:
    """One published event on today, its surgery session under way, and an organiser."""
    with in_process(url, tmp):
        organisers.create(*ORGANISER[:1], "Bench Organiser", ORGANISER[1])
        return seed_busy_day(SECRET, ORGANISER[0], people, surgeons, seed)


def make_day(path: Path, tmp: Path, people: int, surgeons: int) -> tuple[str, Day]:
    """A migrated SQLite database with one seeded day; its URL and the day."""
    url = f"sqlite:///{path}"
    flask_command(app_env(url, tmp), "db", "upgrade")
    return url, seed_day(url, tmp, people, surgeons)


def pages(day: Day) -> dict[str, str]:
    """The benchmarked pages: label -> path."""
    floor = f"/organise/sessions/{day.session_id}/floor"
    checkin = f"/organise/events/{day.event_id}/checkin"
    return {
        "floor page": floor,
        "floor live fragment": floor + "/live",
        f"check-in search ?q={SEARCH}": f"{checkin}?q={SEARCH}",
        "check-in page, everyone": checkin,
    }


# ---------------------------------------------------------------- in-process figures


def signed_in_client(app):
    """A test client with the organiser's session."""
    client = app.test_client()
    organiser = organisers.find(ORGANISER[0])
    with client.session_transaction() as session:
        session["_user_id"] = organiser.get_id()
        session["_fresh"] = True
    return client


def queries_per_request(url: str, tmp: Path, day: Day) -> dict[str, tuple[int, int]]:
    """Per page: (SQL statements of one request after a warm-up, bytes of the page)."""
    counts = {}
    paths = pages(day)
    counted = {
        "floor page": (paths["floor page"], True),
        "floor live part, built": (paths["floor live fragment"], True),
        "floor live part, shared": (paths["floor live fragment"], False),
        "check-in search": (paths[f"check-in search ?q={SEARCH}"], False),
    }
    with in_process(url, tmp) as app:
        client = signed_in_client(app)
        for label, (path, fresh) in counted.items():
            assert client.get(path).status_code == 200, path
            if fresh:  # as the first screen to ask after a change
                live.fragments.copies.clear()
                live.states.copies.clear()
            statements: list[str] = []

            def record(_conn, _cursor, statement, *_args, statements=statements):
                statements.append(statement)

            sa.event.listen(db.engine, "before_cursor_execute", record)
            try:
                size = len(client.get(path).data)
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", record)
            skip = {"BEGIN", "COMMIT", "ROLLBACK"}
            counts[label] = (sum(s.split()[0].upper() not in skip for s in statements), size)
    return counts


def profile_floor(url: str, tmp: Path, day: Day, requests: int = 20) -> str:
    """The top of a cProfile of floor requests, by cumulative time."""
    with in_process(url, tmp) as app:
        client = signed_in_client(app)
        path = pages(day)["floor page"]
        client.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            client.get(path)
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    return out.getvalue()


# ---------------------------------------------------------------- the door at scale


DOOR_SIZES = (50, 500, 5000)
DOOR_RUNS = 9  # requests timed per page; the median is printed


def door_pages(day) -> dict[str, tuple[str, bool]]:
    """Check-in and floor pages of a crowded day: label -> (path, built afresh: the screen
    copies are dropped first, as for the first screen after a change)."""
    floor = f"/organise/sessions/{day.session_id}/floor"
    checkin = f"/organise/events/{day.event_id}/checkin"
    return {
        "check-in page": (checkin, True),
        f"check-in search ?q={DOOR_SEARCH}": (f"{checkin}?q={DOOR_SEARCH}", True),
        "floor page, floor worked out": (floor, True),
        "floor page, floor shared": (floor, False),
        "floor live part, built": (floor + "/live", True),
        "floor live part, shared": (floor + "/live", False),
    }


DOOR_SEARCH = "khan"  # a surname: one person in twelve


def door_at_scale(tmp: Path, sizes=DOOR_SIZES) -> dict:
    """CPU (time.process_time, median of DOOR_RUNS), SQL statements and SQLite's own work
    (thousands of virtual-machine steps, counted by its progress handler: the same every
    run, whatever the machine is doing) per request of the check-in and floor pages on
    days of each size, next to the bare Flask page, all in this process through test
    clients; seeded with bulk inserts (tests/crowded_day.py)."""
    url = f"sqlite:///{tmp / 'door.sqlite3'}"
    flask_command(app_env(url, tmp), "db", "upgrade")
    with in_process(url, tmp):
        organisers.create(*ORGANISER[:1], "Bench Organiser", ORGANISER[1])
        days = {n: seed_crowded_day(n, ORGANISER[0]) for n in sizes}
    bare_client = bare_app.test_client()
    figures = {"bare Flask page": {n: (_cpu(lambda: bare_client.get("/")), 0, 0) for n in sizes}}
    steps = [0]
    with in_process(url, tmp) as app:
        sa.event.listen(db.engine, "connect", _counting_steps(steps))
        db.engine.dispose()  # every connection from now on counts
        client = signed_in_client(app)
        for n, day in days.items():
            for label, (path, afresh) in door_pages(day).items():
                figures.setdefault(label, {})[n] = _door_page(client, path, afresh, steps)
    return figures


def _counting_steps(steps: list[int]):
    """A connect listener that has SQLite add one to steps[0] every thousand steps."""

    def on_connect(dbapi_connection, _record):
        def tick() -> int:
            steps[0] += 1
            return 0  # go on

        dbapi_connection.set_progress_handler(tick, 1000)

    return on_connect


def _door_page(client, path: str, afresh: bool, steps: list[int]) -> tuple[float, int, int]:
    """(median CPU seconds, SQL statements, thousands of SQLite steps) of one page."""

    def get():
        if afresh:
            live.fragments.copies.clear()
            live.states.copies.clear()
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)

    get()  # warm: who is signed in, templates compiled
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if statement.split()[0].upper() not in {"BEGIN", "COMMIT", "ROLLBACK"}:
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    steps[0] = 0
    try:
        get()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    counted = steps[0]
    return _cpu(get), len(statements), counted


def _cpu(request) -> float:
    """The median CPU time of DOOR_RUNS calls, in seconds."""
    times = []
    for _ in range(DOOR_RUNS):
        started = time.process_time()
        request()
        times.append(time.process_time() - started)
    return statistics.median(times)


def print_door(figures: dict) -> None:
    """One line per page: CPU ms and statements at each size."""
    sizes = list(next(iter(figures.values())))
    print()
    print(
        "Check-in and floor by people booked: CPU ms per request (median), SQL statements,"
        " SQLite's own work (thousands of steps)"
    )
    print(f"{'page':<34}" + "".join(f"{f'{n:,} people':>25}" for n in sizes))
    print("-" * (34 + 25 * len(sizes)))
    for label, by_size in figures.items():
        cells = "".join(
            f"{f'{ms * 1000:.1f} ms, {q:>2} q, {k:>3}k':>25}" for ms, q, k in by_size.values()
        )
        print(f"{label:<34}{cells}")
    grows = [
        label for label, by_size in figures.items() if len({q for _, q, _ in by_size.values()}) > 1
    ]
    print("  -> statements " + (f"GROW for: {', '.join(grows)}" if grows else "do not grow"))


# ---------------------------------------------------------------- over HTTP


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base: str) -> str:
    """POST /login with the CSRF token from GET /login; the signed-in session cookie."""
    with urllib.request.urlopen(base + "/login", timeout=10) as page:
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
        csrf = dict(HIDDEN.findall(page.read().decode()))["csrf_token"]
    body = urllib.parse.urlencode(
        {"csrf_token": csrf, "email": ORGANISER[0], "password": ORGANISER[1]}
    )
    request = urllib.request.Request(
        base + "/login", data=body.encode(), headers={"Cookie": cookie}
    )
    try:
        urllib.request.build_opener(_NoRedirect()).open(request, timeout=10)
    except urllib.error.HTTPError as answer:
        with answer:
            if answer.code == 303:
                cookies = answer.headers.get_all("Set-Cookie") or []
                return next(c.split(";", 1)[0] for c in cookies if c.startswith("session="))
            raise RuntimeError(f"login answered {answer.code}") from None
    raise RuntimeError("login did not redirect")


def check_pages(base: str, cookie: str, day: Day) -> None:
    """Each page must answer 200 to the signed-in cookie (a redirect to /login would count as
    a success for wrk)."""
    opener = urllib.request.build_opener(_NoRedirect())
    for path in pages(day).values():
        request = urllib.request.Request(base + path, headers={"Cookie": cookie})
        with opener.open(request, timeout=30) as page:
            if page.status != 200:
                raise RuntimeError(f"{path} answered {page.status}")


# ---------------------------------------------------------------- the run


def main() -> None:
    parser = load_parser(__doc__)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--surgeons", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="profile the floor page anyway")
    parser.add_argument(
        "--door-only", action="store_true", help="only check-in and the floor at 50/500/5,000"
    )
    args = parsed(parser)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="surgery-bench-day-") as name:
        tmp = Path(name)
        door = door_at_scale(tmp)
        if args.door_only:
            print_door(door)
            return
        url, day = make_day(tmp / "day.sqlite3", tmp, args.people, args.surgeons)
        small_people, small_surgeons = args.people // 10, max(args.surgeons // 10, 2)
        small_url, small_day = make_day(tmp / "small.sqlite3", tmp, small_people, small_surgeons)
        queries = {
            (args.people, args.surgeons): queries_per_request(url, tmp, day),
            (small_people, small_surgeons): queries_per_request(small_url, tmp, small_day),
        }

        env = app_env(url, tmp)
        log = tmp / "servers.log"
        with (
            gunicorn("surgery:create_app()", ROOT, env, args, log) as app_base,
            gunicorn("bare_app:app", ROOT / "bench", env, args, log) as bare_base,
        ):
            cookie = sign_in(app_base)
            check_pages(app_base, cookie, day)
            signed_in = {"Cookie": cookie}
            results = [measure("bare Flask page", bare_base + "/", args, tmp)]
            for label, path in pages(day).items():
                results.append(measure(label, app_base + path, args, tmp, headers=signed_in))
            etag = not_modified_etag(app_base, cookie, day.session_id)
            held = {**signed_in, "If-None-Match": etag}
            live_path = app_base + pages(day)["floor live fragment"]
            results.append(
                measure("floor live part, not modified", live_path, args, tmp, headers=held)
            )
            results.append(measure("bare Flask page, again", bare_base + "/", args, tmp))
            stream = rounds(app_base, cookie, url, tmp, day.session_id, day.event_id)
        server_errors = [line for line in log.read_text().splitlines() if "Error" in line]
        bare = (results[0].rps + results[-1].rps) / 2
        floor_ratio = results[1].rps / bare
        profile = profile_floor(url, tmp, day) if args.profile or floor_ratio < SLOW else ""
    print_table(args, results, bare, queries, server_errors, time.monotonic() - started)
    print_door(door)
    print(
        f"Event stream, {len(stream) and 20} changes: to the other screen's event "
        f"{stream[0]:.0f} ms (median), to its new live part {stream[1]:.0f} ms; "
        f"missed {stream[2]} (the stream looks at the counter every 0.5 s)"
    )
    if profile:
        print(f"\nThe floor page, profiled in-process (20 requests):\n{profile}")


def print_table(args, results, bare, queries, server_errors, elapsed) -> None:
    """The figures, with each page's rate as a share of the bare page's."""
    tool = f"wrk, {args.wrk_threads} threads" if args.use_wrk else "Python load generator"
    print()
    print(
        f"gunicorn gthread, {args.workers} workers x {args.threads} threads, both apps; "
        f"{tool}, {args.connections} connections, {args.seconds:g} s per page "
        f"after {args.warmup:g} s warm-up; SQLite; {args.people} people booked, "
        f"{args.surgeons} surgeons"
    )
    print()
    print(
        f"{'page (signed in as organiser)':<34} {'requests/s':>11} {'vs bare':>8} {'requests':>9} {'bad':>5}"
    )
    print("-" * 71)
    for r in results:
        print(f"{r.label:<34} {r.rps:>11.1f} {r.rps / bare:>8.2f} {r.requests:>9} {r.bad:>5}")
    print("-" * 71)
    print("vs bare: the rate over the mean of the two bare runs; bad: errors or 4xx/5xx answers")
    print()
    print("SQL queries per request, in-process, page cache off:")
    for (people, surgeons), counts in queries.items():
        figures = ", ".join(f"{label}: {n} ({size:,} bytes)" for label, (n, size) in counts.items())
        print(f"  {people:>4} people, {surgeons:>3} surgeons -> {figures}")
    by_page = list(zip(*(tuple(n for n, _ in c.values()) for c in queries.values()), strict=True))
    same = all(len(set(row)) == 1 for row in by_page)
    print("  -> " + ("does not grow with people" if same else "GROWS with people"))
    if server_errors:
        print(f"Server errors logged: {len(server_errors)}, first: {server_errors[0]}")
    print(f"Total run time: {elapsed:.0f} s")


if __name__ == "__main__":
    main()
