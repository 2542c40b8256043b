"""Requests per second of the public pages and the booking POST, next to a bare Flask page.

Serves the app with gunicorn on a fresh SQLite database of 50 upcoming events and, in the
same run and with the same worker settings, bench/bare_app.py; loads each page with wrk
(or a Python load generator when wrk is missing) and prints a table. Also counts the SQL
queries of one front-page request with 5 and with 50 events, in-process.

    .venv/bin/python bench/web.py [--seconds 8] [--connections 16] [--workers 2] [--threads 4]
"""

import argparse
import contextlib
import http.client
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # import the app from this checkout

import sqlalchemy as sa  # noqa: E402

from surgery import create_app  # noqa: E402
from surgery.events.models import SURGERY, EventSession  # noqa: E402
from surgery.extensions import db  # noqa: E402
from tests.live_server import free_port, wait_until_up  # noqa: E402

SECRET = "bench-secret"
TARGET = 0.35  # the front page should manage at least this share of the bare page's rate
LIMITS_TARGET = 0.9  # booking with rate limits on (Redis) against the same without limits
REDIS_URL = "redis://127.0.0.1:6379"
# Two limits, as the default public_form setting has, set far above what a run sends: the
# booking POST pays for counting in Redis and is never paused.
BENCH_LIMITS = "1000000 per 10 minutes; 10000000 per day"
BIG_CAPACITY = 1_000_000  # so every benchmarked booking is confirmed
HIDDEN = re.compile(r'<input[^>]*name="(csrf_token|form_key)"[^>]*value="([^"]*)"')

# One new person per request: a form key and an email of their own, a fixed cookie and
# CSRF token (the token belongs to the cookie's session, not to one form).
WRK_BOOKING_SCRIPT = """
local counter = 0
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  run = args[1]
end

wrk.method = "POST"
wrk.headers["Cookie"] = "{cookie}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

function request()
  counter = counter + 1
  local key = string.format("%s%06d%020d", run, id, counter)
  local body = "csrf_token={csrf}&sessions={session_id}&name=Bench+Person"
    .. "&form_key=" .. key .. "&email=b-" .. run .. "-" .. id .. "-" .. counter .. "%40example.org"
  return wrk.format(nil, nil, nil, body)
end
"""


RUN_NUMBERS = itertools.count(1)


@dataclass
class Result:
    """One load run."""

    label: str
    rps: float
    requests: int
    bad: int
    sent: int = 0  # requests of the warm-up and the measured run together


# ---------------------------------------------------------------- database and servers


def flask_command(env: dict, *args: str) -> None:
    """Run a `flask --app surgery` command against the benchmark database."""
    command = [sys.executable, "-m", "flask", "--app", "surgery", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)


def app_env(url: str, tmp: Path) -> dict:
    """Environment for the app: its database, a fixed secret, mail files kept out of the tree."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SURGERY_SECRET_KEY": SECRET,
        "SURGERY_MAIL_OUTBOX_FOLDER": str(tmp / "outbox"),
    }


def make_database(path: Path, events: int, tmp: Path) -> str:
    """A migrated SQLite database with `events` upcoming demo events; its URL."""
    url = f"sqlite:///{path}"
    env = app_env(url, tmp)
    flask_command(env, "db", "upgrade")
    flask_command(env, "demo", "--events", str(events))
    return url


@contextlib.contextmanager
def in_process(url: str, tmp: Path):
    """The app in this process on the given database, inside an app context."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET,
            "MAIL_OUTBOX_FOLDER": str(tmp),
            "PAGE_CACHE_SECONDS": 0,  # count the queries of a page really built
        }
    )
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def booking_target(
    url: str, tmp: Path, capacity: int = BIG_CAPACITY, newest: bool = False
) -> tuple[int, int]:
    """The first (or newest) surgery session, its capacity set; (event id, session id)."""
    order = EventSession.id.desc() if newest else EventSession.id
    with in_process(url, tmp):
        session = db.session.scalars(
            sa.select(EventSession).where(EventSession.kind == SURGERY).order_by(order)
        ).first()
        session.capacity = capacity
        db.session.commit()
        return session.event_id, session.id


def stored_bookings(url: str, tmp: Path, session_id: int) -> dict[str, int]:
    """Bookings in the session by status."""
    from surgery.bookings.models import Booking

    with in_process(url, tmp):
        rows = db.session.execute(
            sa.select(Booking.status, sa.func.count())
            .where(Booking.session_id == session_id)
            .group_by(Booking.status)
        )
        return dict(rows.all())


def queries_per_front_page(url: str, tmp: Path) -> tuple[int, int]:
    """(SQL statements, events listed) for one front-page request, after a warm-up request."""
    with in_process(url, tmp) as app:
        client = app.test_client()
        assert client.get("/").status_code == 200
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            page = client.get("/").get_data(as_text=True)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
    queries = [s for s in statements if s.split()[0].upper() not in {"BEGIN", "COMMIT", "ROLLBACK"}]
    return len(queries), page.count('class="event-card"')


@contextlib.contextmanager
def gunicorn(app_spec: str, chdir: Path, env: dict, args, log: Path, level: str = "warning"):
    """Serve a WSGI app with gunicorn's threaded workers; yield its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "--chdir", str(chdir),
        "--workers", str(args.workers), "--worker-class", "gthread",
        "--threads", str(args.threads), "--bind", f"127.0.0.1:{port}",
        "--log-level", level, app_spec,
    ]  # fmt: skip
    with open(log, "ab") as errors:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=errors)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, process)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)


# ---------------------------------------------------------------- the booking form


@dataclass
class BookingForm:
    """What a browser holds after opening the booking form."""

    path: str
    cookie: str
    csrf: str
    session_id: int


def open_booking_form(base: str, event_id: int, session_id: int) -> BookingForm:
    """GET the booking form; keep its session cookie and CSRF token."""
    path = f"/events/{event_id}/book"
    with urllib.request.urlopen(base + path, timeout=10) as page:
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
        fields = dict(HIDDEN.findall(page.read().decode()))
    return BookingForm(path, cookie, fields["csrf_token"], session_id)


def booking_body(form: BookingForm, run: str, worker: int, n: int) -> str:
    """The form as one new person sends it (the same fields as the wrk script)."""
    key = f"{run}{worker:06d}{n:020d}"
    return urllib.parse.urlencode(
        {
            "csrf_token": form.csrf,
            "sessions": form.session_id,
            "name": "Bench Person",
            "form_key": key,
            "email": f"b-{run}-{worker}-{n}@example.org",
        }
    )


def check_one_booking(base: str, form: BookingForm, run: str = "check0") -> None:
    """Send one booking by hand: it must be a 303 to the confirmation page."""
    request = urllib.request.Request(
        base + form.path,
        data=booking_body(form, run, 0, 0).encode(),
        headers={"Cookie": form.cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )

    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        urllib.request.build_opener(Keep()).open(request, timeout=10)
    except urllib.error.HTTPError as answer:
        with answer:
            if answer.code == 303 and "/confirmed" in answer.headers["Location"]:
                return
            raise RuntimeError(f"booking POST answered {answer.code}") from None
    raise RuntimeError("booking POST did not redirect to a confirmation")


# ---------------------------------------------------------------- load generators


def wrk_load(
    url: str, args, seconds: float, script: Path | None = None, run: str = "", headers=None
) -> Result:
    """Load one URL with wrk (headers: extra request headers, e.g. a session cookie)."""
    command = ["wrk", "-t", str(args.wrk_threads), "-c", str(args.connections)]
    command += ["-d", f"{seconds}s", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    command += [url]
    if script:
        command += ["--", run]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stdout}{done.stderr}")
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(bad.group(1)) if bad else 0
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return Result("", rps, requests, errors)


def python_load(url: str, args, seconds: float, body=None, headers=None) -> Result:
    """Load one URL from threads with keep-alive connections (when wrk is missing)."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    counts = [[0, 0] for _ in range(args.connections)]
    deadline = time.monotonic() + seconds
    start = time.monotonic()

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        n = 0
        while time.monotonic() < deadline:
            n += 1
            try:
                if body:
                    conn.request("POST", target, body(index, n), headers or {})
                else:
                    conn.request("GET", target, headers=headers or {})
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                ok = False
            counts[index][0] += 1
            counts[index][1] += not ok
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    requests = sum(c[0] for c in counts)
    return Result("", requests / elapsed, requests, sum(c[1] for c in counts))


def measure(
    label: str, url: str, args, tmp: Path, form: BookingForm | None = None, headers=None
) -> Result:
    """A short warm-up run, then the measured run (headers: extra ones for a GET)."""
    # six characters, new for every run, so every booking POST is a new person
    number = next(RUN_NUMBERS)
    runs = iter((f"warm{number:02d}", f"meas{number:02d}"))
    result, sent = None, 0
    for seconds in (args.warmup, args.seconds):
        run = next(runs)
        if args.use_wrk and form:
            script = tmp / "booking.lua"
            script.write_text(
                WRK_BOOKING_SCRIPT.replace("{cookie}", form.cookie)
                .replace("{csrf}", urllib.parse.quote(form.csrf, safe=""))
                .replace("{session_id}", str(form.session_id))
            )
            result = wrk_load(url, args, seconds, script, run)
        elif args.use_wrk:
            result = wrk_load(url, args, seconds, headers=headers)
        elif form:
            headers = {"Cookie": form.cookie, "Content-Type": "application/x-www-form-urlencoded"}
            result = python_load(
                url, args, seconds, lambda i, n, run=run: booking_body(form, run, i, n), headers
            )
        else:
            result = python_load(url, args, seconds, headers=headers)
        sent += result.requests
    result.label, result.sent = label, sent
    return result


# ---------------------------------------------------------------- the run


def load_parser(doc: str) -> argparse.ArgumentParser:
    """The options every load benchmark takes: run length, connections, server workers."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=8, help="measured seconds per page")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--no-wrk", action="store_true", help="use the Python load generator")
    return parser


def parsed(parser: argparse.ArgumentParser):
    """The parsed options, with use_wrk: wrk unless told not to or it is missing."""
    args = parser.parse_args()
    args.use_wrk = not args.no_wrk and shutil.which("wrk") is not None
    return args


def parse_args():
    parser = load_parser(__doc__)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument(
        "--booking-rounds", type=int, default=2, help="booking runs without and with limits"
    )
    return parsed(parser)


def main() -> None:
    args = parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="surgery-bench-") as name:
        tmp = Path(name)
        url = make_database(tmp / "bench.sqlite3", args.events, tmp)
        small = make_database(tmp / "small.sqlite3", 5, tmp)
        queries = {5: queries_per_front_page(small, tmp)}
        queries[args.events] = queries_per_front_page(url, tmp)
        event_id, session_id = booking_target(url, tmp)

        env = {**app_env(url, tmp), "SURGERY_RATELIMIT_ENABLED": "0"}
        log = tmp / "servers.log"
        uncached_env = {**env, "SURGERY_PAGE_CACHE_SECONDS": "0"}
        prefix = f"bench-{os.getpid()}-{int(time.time())}"
        limited_env = {
            **env,
            "SURGERY_RATELIMIT_ENABLED": "1",
            "SURGERY_RATELIMIT_STORAGE_URI": REDIS_URL,
            "SURGERY_RATELIMIT_KEY_PREFIX": prefix,
            "SURGERY_RATELIMIT_PUBLIC_FORM": BENCH_LIMITS,
        }
        with (
            gunicorn("surgery:create_app()", ROOT, env, args, log) as app_base,
            gunicorn("surgery:create_app()", ROOT, uncached_env, args, log) as uncached_base,
            gunicorn("surgery:create_app()", ROOT, limited_env, args, log) as limited_base,
            gunicorn("bare_app:app", ROOT / "bench", env, args, log) as bare_base,
        ):
            form = open_booking_form(app_base, event_id, session_id)
            check_one_booking(app_base, form)
            limited_form = open_booking_form(limited_base, event_id, session_id)
            check_one_booking(limited_base, limited_form, "check1")
            booking = [
                ("booking POST (new person)", app_base + form.path, form),
                ("booking POST, limits on (Redis)", limited_base + form.path, limited_form),
            ]
            results = [
                measure("bare Flask page", bare_base + "/", args, tmp),
                measure(f"front page / ({args.events} events)", app_base + "/", args, tmp),
                measure(
                    f"event page /events/{event_id}", f"{app_base}/events/{event_id}", args, tmp
                ),
                # without and with limits, in turn, so a busy moment weighs on both
                *[measure(label, u, args, tmp, f) for label, u, f in booking * args.booking_rounds],
                measure("front page, page cache off", uncached_base + "/", args, tmp),
                measure(
                    "event page, page cache off", f"{uncached_base}/events/{event_id}", args, tmp
                ),
                # the bare page again: the two bare figures show how steady the machine was
                measure("bare Flask page, again", bare_base + "/", args, tmp),
            ]
        forget_counters(prefix)
        booked = stored_bookings(url, tmp, session_id)
        booked["POSTs sent"] = sum(r.sent + 1 for r in results if r.label.startswith("booking"))
        server_errors = [line for line in log.read_text().splitlines() if "Error" in line]
    print_table(args, results, queries, booked, server_errors, time.monotonic() - started)


def forget_counters(prefix: str) -> None:
    """Delete the run's rate-limit counters from Redis."""
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    keys = list(server.scan_iter(f"*LIMITER/{prefix}/*"))
    if keys:
        server.delete(*keys)
    server.close()


def print_table(args, results, queries, booked, server_errors, elapsed) -> None:
    """The figures, with each page's rate as a share of the bare page's."""
    bare = (results[0].rps + results[-1].rps) / 2
    tool = f"wrk, {args.wrk_threads} threads" if args.use_wrk else "Python load generator"
    print()
    print(
        f"gunicorn gthread, {args.workers} workers x {args.threads} threads, both apps; "
        f"{tool}, {args.connections} connections, {args.seconds:g} s per page "
        f"after {args.warmup:g} s warm-up; SQLite"
    )
    print()
    print(f"{'page':<34} {'requests/s':>11} {'vs bare':>8} {'requests':>9} {'bad':>5}")
    print("-" * 71)
    for r in results:
        print(f"{r.label:<34} {r.rps:>11.1f} {r.rps / bare:>8.2f} {r.requests:>9} {r.bad:>5}")
    print("-" * 71)
    print("vs bare: the rate over the mean of the two bare runs; bad: errors or 4xx/5xx answers")
    print()
    for events, (count, listed) in queries.items():
        print(f"SQL queries per front-page request, {events:>3} events: {count} ({listed} listed)")
    counts = {n for n, _ in queries.values()}
    print("  -> " + ("does not grow with events" if len(counts) == 1 else "GROWS with events"))
    print(f"Bookings stored for the benchmarked session: {booked}")
    if server_errors:
        print(f"Server errors logged: {len(server_errors)}, first: {server_errors[0]}")
    ratio = results[1].rps / bare
    verdict = "met" if ratio >= TARGET else "MISSED"
    print(f"Target front page >= {TARGET} x bare page: {ratio:.2f} ({verdict})")
    plain = [r.rps for r in results if r.label == "booking POST (new person)"]
    limited = [r.rps for r in results if r.label == "booking POST, limits on (Redis)"]
    ratio = (sum(limited) / len(limited)) / (sum(plain) / len(plain))
    verdict = "met" if ratio >= LIMITS_TARGET else "MISSED"
    print(
        f"Booking with limits on (Redis) >= {LIMITS_TARGET} x without: {ratio:.2f} ({verdict});"
        f" means {sum(limited) / len(limited):.1f} and {sum(plain) / len(plain):.1f} requests/s"
    )
    print(f"Total run time: {elapsed:.0f} s")


if __name__ == "__main__":
    main()
