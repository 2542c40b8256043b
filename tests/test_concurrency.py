"""Bursts of simultaneous bookings against a real gunicorn server.

Capacity must hold under concurrent requests (DESIGN.md rule 4): 200 people booking a
session of 20 places at the same moment end with exactly 20 booked and 180 on the waiting
list in one unbroken order, and every one of them gets a real answer, never an error.
"""

import datetime as dt
import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.events.models import PUBLISHED, SURGERY, Event, EventSession
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.mail.wording import BOOKING_LINK
from surgery.mail.wording import CONFIRMED as CONFIRMED_MAIL
from surgery.mail.wording import WAITLISTED as WAITLISTED_MAIL
from tests.conftest import make_app
from tests.live_server import migrate, serve

pytestmark = pytest.mark.server

CAPACITY = 20
PEOPLE = 200
DOUBLE_SUBMITTERS = 50
SHARED_ADDRESSES = 30  # addresses each sent on two forms at once
TIMEOUT = 120  # seconds for one request; a burst on SQLite queues its writers
CONFIRMATION = re.compile(r"^/bookings/[A-Za-z0-9_-]+/confirmed$")
BOOKED = re.compile(r">\s*Booked\s*<")
WAITING = re.compile(r"waiting list, number (\d+)")
EXCEPTION = re.compile(r"^[\w.]+(Error|Exception|Violation)\b")  # the last line of a traceback
SERVER_ERRORS = ("database is locked", "Traceback", "Error handling request")


class HiddenFields(HTMLParser):
    """Collects the hidden inputs of a page (csrf_token, form_key)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "input" and values.get("type") == "hidden" and values.get("name"):
            self.fields.setdefault(values["name"], values.get("value") or "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand redirects back to the caller, so a 303 is seen as a 303."""

    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    """What the server said to one request."""

    status: int
    location: str
    body: str


class Browser:
    """One person: a cookie jar of their own, redirects not followed."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, path: str, form: dict | None = None) -> Answer:
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=TIMEOUT) as response:
                return Answer(response.status, "", response.read().decode())
        except urllib.error.HTTPError as error:
            with error:
                body = error.read().decode(errors="replace")
                return Answer(error.code, error.headers.get("Location", ""), body)

    def booking_form(self, event_id: int) -> dict[str, str]:
        """Open the booking form; return its hidden fields."""
        answer = self.request(f"/events/{event_id}/book")
        assert answer.status == 200, answer.status
        parser = HiddenFields()
        parser.feed(answer.body)
        assert {"csrf_token", "form_key"} <= parser.fields.keys(), parser.fields
        return parser.fields


def seed_event(url: str, capacity: int = CAPACITY) -> tuple[int, int]:
    """A published event with one surgery session of `capacity` places (CAPACITY unless
    said); (event id, session id)."""
    app = make_app(url)
    try:
        with app.app_context():
            start = utcnow().replace(microsecond=0) + dt.timedelta(days=7)
            event = Event(
                title="Burst surgery", venue_name="Library", city="Leeds", status=PUBLISHED
            )
            session = EventSession(
                kind=SURGERY,
                title="Surgery space",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=3),
                capacity=capacity,
            )
            event.sessions.append(session)
            db.session.add(event)
            db.session.commit()
            return event.id, session.id
    finally:
        with app.app_context():
            db.engine.dispose()


def stored_bookings(url: str, session_id: int) -> list[tuple[str, str, int]]:
    """(email, status, queue_key) of every booking in the session, read from the database."""
    app = make_app(url)
    try:
        with app.app_context():
            rows = db.session.execute(
                sa.select(Registration.email, Booking.status, Booking.queue_key)
                .join(Booking.registration)
                .where(Booking.session_id == session_id)
                .order_by(Booking.queue_key, Booking.id)
            )
            return [tuple(row) for row in rows]
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def count_rows(url: str, model) -> int:
    """How many rows a table holds."""
    app = make_app(url)
    try:
        with app.app_context():
            return db.session.scalar(sa.select(sa.func.count()).select_from(model))
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def all_at_once(jobs: list) -> list:
    """Run every job in its own thread, released together by a barrier; their results."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index: int, job) -> None:
        barrier.wait()
        try:
            results[index] = job()
        except Exception as error:  # a refused or dropped connection is a failure too
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def problems_in(answers: list) -> list[str]:
    """Every answer that is not a 303 to a confirmation page, described."""
    problems = []
    for answer in answers:
        if isinstance(answer, Exception):
            problems.append(f"{type(answer).__name__}: {answer}")
        elif answer.status != 303 or not CONFIRMATION.match(
            urllib.parse.urlsplit(answer.location).path
        ):
            title = re.search(r"<title>(.*?)</title>", answer.body, re.S)
            problems.append(
                f"{answer.status} {title.group(1).strip() if title else answer.body[:80]}"
            )
    return problems


def server_errors(log) -> list[str]:
    """Lines of the server's error output that show a failed request."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return [line for line in lines if any(marker in line for marker in SERVER_ERRORS)]


def report(answers: list, log, rows: list[tuple[str, str, int]]) -> str:
    """Everything that went wrong in a burst, for a readable failure message."""
    problems = Counter(problems_in(answers))
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    logged = Counter(line[:160] for line in lines if EXCEPTION.match(line))
    keys = Counter(key for _, _, key in rows)
    return "\n".join(
        [
            f"bad answers: {sum(problems.values())} {dict(problems)}",
            f"server errors: {dict(logged)}",
            f"bookings stored: {dict(Counter(status for _, status, _ in rows))}",
            f"queue keys: {len(keys)} distinct, {sum(n - 1 for n in keys.values())} duplicated",
        ]
    )


@pytest.fixture
def burst_server(live_database, tmp_path):
    """A real server on a database of its own with one session of CAPACITY places."""
    migrate(live_database)
    event_id, session_id = seed_event(live_database)
    log = tmp_path / "server.log"
    # two hundred people booking at once from one address: a flood the rate limits would
    # rightly pause, so they are off here, where the subject is the database's locking
    limits_off = {"SURGERY_RATELIMIT_ENABLED": "0"}
    with serve(live_database, workers=2, threads=16, log=log, env=limits_off) as base:
        yield base, event_id, session_id, live_database, log


def test_burst_of_bookings_never_overbooks(burst_server):
    base, event_id, session_id, url, log = burst_server
    people = [Browser(base) for _ in range(PEOPLE)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        forms = list(pool.map(lambda person: person.booking_form(event_id), people))

    def booking(n: int):
        fields = {
            **forms[n],
            "name": f"Person {n}",
            "email": f"person{n}@example.org",
            "sessions": [str(session_id)],
        }
        return lambda: people[n].request(f"/events/{event_id}/book", fields)

    answers = all_at_once([booking(n) for n in range(PEOPLE)])

    rows = stored_bookings(url, session_id)
    assert not problems_in(answers) and not server_errors(log), report(answers, log, rows)
    statuses = Counter(status for _, status, _ in rows)
    assert statuses == {CONFIRMED: CAPACITY, WAITLISTED: PEOPLE - CAPACITY}, report(
        answers, log, rows
    )
    assert count_rows(url, Registration) == PEOPLE
    assert sorted(email for email, _, _ in rows) == sorted(
        f"person{n}@example.org" for n in range(PEOPLE)
    )
    # one unbroken order: keys 1..200, the first 20 booked, the rest waiting in key order
    keys = [key for _, _, key in rows]
    assert keys == list(range(1, PEOPLE + 1)), "queue keys have gaps or duplicates"
    assert [status for _, status, _ in rows] == [CONFIRMED] * CAPACITY + [WAITLISTED] * (
        PEOPLE - CAPACITY
    )

    # each person's confirmation page says what the database says
    expected = {email: (status, key - CAPACITY) for email, status, key in rows}
    # every fifth in the queue's order, so both the booked and the waiting are looked at
    sample = [int(email.removeprefix("person").split("@")[0]) for email, _, _ in rows[::5]]

    def confirmation(n: int) -> tuple[int, str]:
        page = people[n].request(urllib.parse.urlsplit(answers[n].location).path)
        assert page.status == 200, page.status
        return n, page.body

    with ThreadPoolExecutor(max_workers=16) as pool:
        pages = list(pool.map(confirmation, sample))
    seen = Counter()
    for n, body in pages:
        status, position = expected[f"person{n}@example.org"]
        assert f"Thank you, Person {n}" in body
        if status == CONFIRMED:
            assert BOOKED.search(body) and not WAITING.search(body), f"person {n}"
        else:
            assert [int(p) for p in WAITING.findall(body)] == [position], f"person {n}"
        seen[status] += 1
    assert seen[CONFIRMED] and seen[WAITLISTED], seen


def test_double_submits_make_one_booking_each(burst_server):
    base, event_id, session_id, url, log = burst_server
    people = [Browser(base) for _ in range(DOUBLE_SUBMITTERS)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        forms = list(pool.map(lambda person: person.booking_form(event_id), people))

    def submit(n: int):
        fields = {
            **forms[n],
            "name": f"Clicker {n}",
            "email": f"clicker{n}@example.org",
            "sessions": [str(session_id)],
        }
        return lambda: people[n].request(f"/events/{event_id}/book", fields)

    # the same form from the same browser, twice at the same moment
    jobs = [submit(n) for n in range(DOUBLE_SUBMITTERS) for _ in range(2)]
    answers = all_at_once(jobs)

    rows = stored_bookings(url, session_id)
    assert not problems_in(answers) and not server_errors(log), report(answers, log, rows)
    for n in range(DOUBLE_SUBMITTERS):
        first, second = answers[2 * n], answers[2 * n + 1]
        assert first.location == second.location, "both clicks lead to the same booking"

    per_email = Counter(email for email, _, _ in rows)
    assert per_email == {f"clicker{n}@example.org": 1 for n in range(DOUBLE_SUBMITTERS)}
    assert count_rows(url, Registration) == DOUBLE_SUBMITTERS
    assert count_rows(url, Booking) == DOUBLE_SUBMITTERS
    statuses = Counter(status for _, status, _ in rows)
    assert statuses == {CONFIRMED: CAPACITY, WAITLISTED: DOUBLE_SUBMITTERS - CAPACITY}, statuses
    assert [key for _, _, key in rows] == list(range(1, DOUBLE_SUBMITTERS + 1))


def outbox_kinds(url: str) -> Counter:
    """(address, kind) of every queued or sent message."""
    app = make_app(url)
    try:
        with app.app_context():
            rows = db.session.execute(sa.select(OutboxMessage.to_address, OutboxMessage.kind))
            return Counter(tuple(row) for row in rows)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_two_forms_sent_at_once_with_one_email_make_one_booking(burst_server):
    """Two people (or two tabs) send different forms with the same address at the same
    moment. A registration is written before the day's lock, so the second waits for the
    first and meets the unique address: it is run again and finds the first one's booking.
    One is booked, the other told the address already has a booking, and the link is
    emailed once; no error, nothing stored twice."""
    base, event_id, session_id, url, log = burst_server
    people = [Browser(base) for _ in range(2 * SHARED_ADDRESSES)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        forms = list(pool.map(lambda person: person.booking_form(event_id), people))

    def submit(n: int):
        fields = {
            **forms[n],
            "name": f"Sharer {n}",
            "email": f"shared{n // 2}@example.org",  # two forms for each address
            "sessions": [str(session_id)],
        }
        return lambda: people[n].request(f"/events/{event_id}/book", fields)

    answers = all_at_once([submit(n) for n in range(2 * SHARED_ADDRESSES)])

    rows = stored_bookings(url, session_id)
    assert not server_errors(log), report(answers, log, rows)
    for n in range(SHARED_ADDRESSES):
        pair = answers[2 * n : 2 * n + 2]
        assert all(not isinstance(answer, Exception) for answer in pair), pair
        booked = [a for a in pair if a.status == 303 and CONFIRMATION.match(a.location)]
        told = [a for a in pair if a.status == 200 and "already has a booking" in a.body]
        assert len(booked) == 1 and len(told) == 1, [a.status for a in pair]

    emails = [f"shared{n}@example.org" for n in range(SHARED_ADDRESSES)]
    assert Counter(email for email, _, _ in rows) == {email: 1 for email in emails}
    assert count_rows(url, Registration) == SHARED_ADDRESSES
    assert [key for _, _, key in rows] == list(range(1, SHARED_ADDRESSES + 1))
    sent = outbox_kinds(url)
    for email in emails:
        booked_notice = sent[(email, CONFIRMED_MAIL)] + sent[(email, WAITLISTED_MAIL)]
        assert (booked_notice, sent[(email, BOOKING_LINK)]) == (1, 1), (email, sent)
