"""The outbox: mail is queued with the change that causes it and is never lost or sent twice.

DESIGN.md rules 1 and 3: the booking commits with its message in one transaction; sending
happens afterwards, to a real SMTP server (aiosmtpd) that may be down, slow or back again,
from the request that queued it, from `flask mail send`, or from several workers at once.
Every check reads what the SMTP server received, the files written, or the database.
"""

import asyncio
import contextlib
import datetime as dt
import email
import http.cookiejar
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from email import policy
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from flask import template_rendered
from flask_migrate import upgrade

from surgery.auth.models import Organiser
from surgery.bookings import services
from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.domain.capacity import CONFIRMED
from surgery.domain.tokens import hash_token, new_form_key
from surgery.events.models import PUBLISHED, SURGERY, Event, EventSession
from surgery.extensions import db
from surgery.mail import compose as compose_module
from surgery.mail import notices
from surgery.mail import outbox as outbox_module
from surgery.mail.models import FAILED, QUEUED, SENDING, SENT, OutboxMessage
from surgery.mail.outbox import send_due
from tests.conftest import ORGANISER_PASSWORD, book, csrf_from, guards_from, make_app, post_form
from tests.live_server import ROOT, serve, server_env
from tests.mail_fixtures import invite_in
from tests.smtp import Inbox, SmtpServer

REFUSED = "ConnectionRefusedError"
WORKER_LINE = re.compile(r"Sent (\d+), will retry (\d+), failed (\d+)\.")


# --- fixtures and helpers ---------------------------------------------------------------


@contextlib.contextmanager
def sending_to(app, port: int):
    """The app sends its mail over SMTP to this port on localhost for a while."""
    saved = {name: app.config[name] for name in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        yield
    finally:
        app.config.update(saved)


@pytest.fixture
def smtp_down(app):
    """The app sends to a real SMTP server that is not running yet; .start() brings it up."""
    server = SmtpServer()
    try:
        with sending_to(app, server.port):
            yield server
    finally:
        server.stop()


@contextlib.contextmanager
def app_on(database_url: str, **config):
    """An app of its own on a committed database, inside its app context."""
    app = make_app(database_url, **config)
    try:
        with app.app_context():
            yield app
    finally:
        with app.app_context():
            db.engine.dispose()


def outbox() -> list[OutboxMessage]:
    """Every outbox row, fresh from the database, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def received_by(server: SmtpServer) -> Counter:
    """How many messages the SMTP server received for each recipient."""
    with server.inbox.lock:
        return Counter(rcpt for _, rcpts, _ in server.inbox.received for rcpt in rcpts)


def mail_send(app, *args: str) -> str:
    """Run `flask mail send` in-process; return what it printed."""
    result = app.test_cli_runner().invoke(args=["mail", "send", *args])
    assert result.exit_code == 0, result.output
    return result.output


def make_due(message_ids: list[int]) -> None:
    """Move messages' next attempt to now, as if their back-off had passed."""
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids))
        .values(next_attempt_at=utcnow())
    )
    db.session.commit()


def seconds_until(moment: dt.datetime) -> float:
    return (moment - utcnow()).total_seconds()


def seed_bookings(count: int, capacity: int | None = None, organiser_email: str = ""):
    """A published event whose one session has `count` confirmed bookings, by bulk insert.

    Needs an app context; commits. Returns (event id, session id).
    """
    start = utcnow().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=12)
    event = Event(
        title="Big surgery",
        venue_name="Town Hall",
        venue_address="1 Main Street",
        city="Leeds",
        organiser_email=organiser_email,
        status=PUBLISHED,
    )
    session = EventSession(
        kind=SURGERY,
        title="Surgery space",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        capacity=capacity or count,
    )
    event.sessions.append(session)
    db.session.add(event)
    db.session.commit()
    if count == 0:
        return event.id, session.id
    db.session.execute(
        sa.insert(Registration),
        [
            {
                "event_id": event.id,
                "name": f"Person {i}",
                "email": f"person{i}@example.org",
                "token_seed": f"seed-{i:06d}-{new_form_key()}",
                "token_hash": hash_token(f"token-{i}-{new_form_key()}"),
            }
            for i in range(count)
        ],
    )
    registrations = db.session.execute(
        sa.select(Registration.id)
        .where(Registration.event_id == event.id)
        .order_by(Registration.id)
    ).scalars()
    db.session.execute(
        sa.insert(Booking),
        [
            {
                "registration_id": registration_id,
                "session_id": session.id,
                "status": CONFIRMED,
                "queue_key": i + 1,
                "ical_uid": f"seed-{event.id}-{i}@social-media-surgery",
                "ical_sequence": 0,
            }
            for i, registration_id in enumerate(registrations)
        ],
    )
    db.session.commit()
    return event.id, session.id


def queue_confirmations(session_id: int) -> int:
    """Queue a booking confirmation for every confirmed booking of a session; commit."""
    bookings = list(
        db.session.scalars(
            sa.select(Booking).where(Booking.session_id == session_id).order_by(Booking.id)
        )
    )
    notices.notify(notices.CONFIRMED, bookings)
    db.session.commit()
    return len(bookings)


class Rows(HTMLParser):
    """The text of each table row of a page."""

    def __init__(self):
        super().__init__()
        self.rows: list[str] = []
        self.current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.current = []

    def handle_endtag(self, tag):
        if tag == "tr" and self.current is not None:
            self.rows.append(" ".join(" ".join(self.current).split()))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def table_row_of(page: str, text: str) -> str:
    """The one table row that mentions text."""
    parser = Rows()
    parser.feed(page)
    rows = [row for row in parser.rows if text in row]
    assert len(rows) == 1, parser.rows
    return rows[0]


# --- 1. queued in the same transaction as the booking ----------------------------------


def test_a_booking_and_its_message_commit_together_and_not_before(live_database):
    """Another connection sees neither the booking nor its message until the one commit."""
    observer = sa.create_engine(live_database)

    def committed() -> tuple[int, int]:
        with observer.connect() as conn:
            bookings = conn.scalar(sa.select(sa.func.count()).select_from(Booking))
            messages = conn.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
            return bookings, messages

    try:
        with app_on(live_database, MAIL_SEND_AFTER_REQUEST=False) as app:
            upgrade()
            event_id, session_id = seed_bookings(0, capacity=5)
            request = services.BookingRequest(
                name="Sam",
                email="sam@example.org",
                session_ids=[session_id],
                about=services.AboutYou(),
                form_key=new_form_key(),
            )

            services.book(event_id, request, app.secret_key)
            db.session.flush()
            # in this transaction: the booking and its message, side by side
            assert db.session.scalar(sa.select(OutboxMessage.kind)) == notices.CONFIRMED
            assert committed() == (0, 0)  # nobody else (no worker) can see or send it yet
            db.session.rollback()
            assert committed() == (0, 0)
            assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0

            services.book(event_id, request, app.secret_key)
            assert committed() == (0, 0)
            db.session.commit()
            assert committed() == (1, 1)
            message = db.session.scalars(sa.select(OutboxMessage)).one()
            assert (message.status, message.attempts, message.sent_at) == (QUEUED, 0, None)
            assert message.to_address == "sam@example.org"
    finally:
        observer.dispose()


def test_a_booking_that_fails_queues_nothing(client, make_event, smtp):
    started = make_event(days_ahead=-1)
    event = make_event()

    bad_email = book(client, event, "Sam", email="not an address")
    # the form of a past day is closed, so this is a form sent from a page opened earlier
    late = {"name": "Kim", "email": "kim@example.org", "sessions": [started.sessions[0].id]}
    late["csrf_token"] = csrf_from(client.get("/lost-link").text)
    too_late = client.post(f"/events/{started.id}/book", data=late)
    no_session = book(client, event, name="Lee", sessions=[])

    for response in (bad_email, too_late, no_session):
        assert response.status_code == 400
        response.close()
    assert outbox() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0
    assert smtp.inbox.received == []


def test_queued_right_after_the_booking_commits_and_sent_only_afterwards(client, make_event, smtp):
    event = make_event()

    response = book(client, event, "Sam")

    assert response.status_code == 303
    [message] = outbox()  # committed with the booking, before any sending
    assert (message.kind, message.status, message.attempts) == (notices.CONFIRMED, QUEUED, 0)
    assert smtp.inbox.received == []  # the sender's thread sends: tests/test_mail_sender.py
    send_due()
    assert received_by(smtp) == {"sam@example.org": 1}
    assert outbox()[0].status == SENT


# --- 2. the SMTP server is down, then back ----------------------------------------------


def test_bookings_succeed_while_smtp_is_down_and_go_once_when_it_is_back(
    app, client, make_event, smtp_down
):
    event = make_event()
    people = ["Ann", "Bob", "Cat"]

    for name in people:
        response = book(client, event, name)
        assert response.status_code == 303  # booked, although no mail could go
    send_due()  # the first attempt, as the sender makes after the bookings

    first = outbox()
    assert [m.to_address for m in first] == [f"{n.lower()}@example.org" for n in people]
    for message in first:
        assert (message.status, message.attempts) == (QUEUED, 1)
        assert REFUSED in message.last_error
        assert 20 < seconds_until(message.next_attempt_at) <= 30

    make_due([m.id for m in first])
    report = send_due()
    assert sorted(report.retrying) == [m.id for m in first] and not report.sent

    second = outbox()
    for message in second:
        assert (message.status, message.attempts) == (QUEUED, 2)
        assert REFUSED in message.last_error
        assert 50 < seconds_until(message.next_attempt_at) <= 60  # twice as long as before

    smtp_down.start()
    assert "Sent 0, will retry 0, failed 0." in mail_send(app)  # still waiting out back-off
    assert smtp_down.inbox.received == []

    output = mail_send(app, "--now")

    assert "3 waiting to be retried, now due." in output
    assert "Sent 3, will retry 0, failed 0." in output
    assert received_by(smtp_down) == {f"{n.lower()}@example.org": 1 for n in people}
    assert {m.status for m in outbox()} == {SENT}
    assert "Sent 0," in mail_send(app, "--now")
    assert len(smtp_down.inbox.received) == 3  # nothing went twice
    subjects = [m["Subject"] for m in smtp_down.inbox.messages()]
    assert all(s.startswith("Booked: Surgery space") for s in subjects), subjects


def test_messages_queued_while_down_are_all_sent_by_the_worker_command(
    app, client, make_event, smtp_down
):
    """Many batches: `mail send --batch` loops until nothing is left."""
    event = make_event(sessions=[{"kind": SURGERY, "title": "Surgery space", "capacity": 30}])
    for i in range(12):
        book(client, event, f"P{i}")
    while send_due().retrying:  # each tried once while the server is down
        pass
    assert {(m.status, m.attempts) for m in outbox()} == {(QUEUED, 1)}

    smtp_down.start()
    output = mail_send(app, "--now", "--batch", "5")

    assert "Sent 12, will retry 0, failed 0." in output
    assert received_by(smtp_down) == {f"p{i}@example.org": 1 for i in range(12)}


# --- 3. giving up, the organiser's outbox page, and sending again -----------------------


def test_after_the_last_attempt_the_message_fails_and_the_organiser_can_resend_it(
    app, organiser_client, make_event, smtp_down, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    event = make_event()
    book(organiser_client, event, "Sam")
    send_due()  # attempt 1
    assert "will retry 1" in mail_send(app, "--now")  # attempt 2

    assert "Sent 0, will retry 0, failed 1." in mail_send(app, "--now")  # attempt 3: give up

    [message] = outbox()
    assert (message.status, message.attempts) == (FAILED, 3)
    assert REFUSED in message.last_error
    mail_send(app, "--now")
    assert (outbox()[0].status, outbox()[0].attempts) == (FAILED, 3)  # not retried again

    page = organiser_client.get("/organise/outbox/?status=failed")
    assert page.status_code == 200
    row = table_row_of(page.text, "sam@example.org")
    assert "Failed" in row
    assert "Booked: Surgery space" in row
    assert REFUSED in row and "Connection refused" in row
    assert "Failed (1)" in page.text
    assert "sam@example.org" not in organiser_client.get("/organise/outbox/?status=sent").text

    smtp_down.start()
    resend = f"/organise/outbox/{message.id}/resend?status=failed"
    response = post_form(organiser_client, "/organise/outbox/?status=failed", resend)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/organise/outbox/?status=failed")
    assert (outbox()[0].status, outbox()[0].attempts) == (QUEUED, 0)
    assert smtp_down.inbox.received == []

    response.close()  # sent after the request, like any other
    mail_send(app, "--now")

    assert received_by(smtp_down) == {"sam@example.org": 1}
    assert outbox()[0].status == SENT
    assert "sam@example.org" in organiser_client.get("/organise/outbox/?status=sent").text


def test_resending_needs_the_csrf_token(organiser_client, make_event):
    event = make_event()
    book(organiser_client, event, "Sam")
    [message] = outbox()
    response = organiser_client.post(f"/organise/outbox/{message.id}/resend")
    assert response.status_code == 400
    assert outbox()[0].attempts == 0


def test_the_outbox_page_is_for_organisers_only(client):
    response = client.get("/organise/outbox/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# --- 4. several workers at once ---------------------------------------------------------

# A worker process: `flask mail send`, started only when told, after everything is imported
# (an app is built once to warm up), so the workers really run side by side.
WORKER = """
import sys
import flask.cli
from surgery import create_app
create_app()
print("ready", flush=True)
sys.stdin.readline()
sys.argv[0] = "flask"
flask.cli.main()
"""


def test_workers_running_together_send_each_message_exactly_once(live_database):
    messages = 300
    with app_on(live_database, MAIL_SEND_AFTER_REQUEST=False):
        upgrade()
        _, session_id = seed_bookings(messages, organiser_email="org@example.org")
        assert queue_confirmations(session_id) == messages
    server = SmtpServer()
    server.start()
    env = server_env(
        live_database, SURGERY_MAIL_SERVER="127.0.0.1", SURGERY_MAIL_PORT=str(server.port)
    )
    command = [sys.executable, "-c", WORKER, "--app", "surgery", "mail", "send", "--batch", "10"]
    workers = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        for worker in workers:
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outputs = [worker.communicate(timeout=180) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        server.stop()

    sent = []
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert "Traceback" not in err, err
        match = WORKER_LINE.search(out)
        assert match, out
        assert match.group(2, 3) == ("0", "0"), out
        sent.append(int(match.group(1)))
    assert sum(sent) == messages
    assert sum(1 for n in sent if n) >= 2, sent  # the workers overlapped, or this proves little

    expected = {f"person{i}@example.org": 1 for i in range(messages)}
    assert received_by(server) == expected  # each person exactly one message
    ids = [m["Message-ID"] for m in server.inbox.messages()]
    assert len(set(ids)) == len(ids) == messages

    with app_on(live_database):
        rows = db.session.execute(sa.select(OutboxMessage.status, OutboxMessage.attempts)).all()
    assert Counter(rows) == {(SENT, 1): messages}  # each claimed once, by one worker


def test_a_message_whose_worker_died_is_sent_after_its_lease_and_not_before(
    app, client, make_event, smtp
):
    event = make_event()
    book(client, event, "Sam")
    book(client, event, "Kim")
    sam, kim = outbox()
    # two workers claimed these and died before recording anything
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == sam.id)
        .values(status=SENDING, attempts=1, claimed_until=utcnow() + dt.timedelta(minutes=5))
    )
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == kim.id)
        .values(status=SENDING, attempts=1, claimed_until=utcnow() - dt.timedelta(seconds=1))
    )
    db.session.commit()

    report = send_due()

    assert report.sent == [kim.id]  # its lease ran out: another worker takes it over
    assert received_by(smtp) == {"kim@example.org": 1}
    sam, kim = outbox()
    assert (sam.status, sam.attempts) == (SENDING, 1)  # still its worker's, left alone
    assert (kim.status, kim.attempts) == (SENT, 2)


# --- 5. a slow mail server does not hold up the database -------------------------------


class SlowInbox(Inbox):
    """A server that takes its time over each message's data, and says when one arrives and
    when it has answered."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.in_data = threading.Event()
        self.answered = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.in_data.set()
        await asyncio.sleep(self.seconds)
        self.answered.set()
        return await super().handle_DATA(server, session, envelope)


def test_bookings_do_not_wait_while_a_message_is_in_flight(live_database):
    """While a worker waits on a slow mail server, the database is free for bookings: the
    booking is saved before the server has answered the worker (an order, not a time)."""
    server = SmtpServer()
    server.inbox = slow = SlowInbox(seconds=6)
    server.start()
    config = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": server.port,
        "MAIL_SEND_TIMEOUT_SECONDS": 30,  # the worker waits for the answer, holding nothing
    }
    with app_on(live_database, **config) as app:
        upgrade()
        event_id, session_id = seed_bookings(1, capacity=10)
        queue_confirmations(session_id)
    worker = threading.Thread(target=send_in_own_app, args=(live_database, config))
    worker.start()
    try:
        assert slow.in_data.wait(timeout=30)  # the worker is sending; the server is slow
        with app_on(live_database, MAIL_SEND_AFTER_REQUEST=False) as app:
            request = services.BookingRequest(
                name="Sam",
                email="sam@example.org",
                session_ids=[session_id],
                about=services.AboutYou(),
                form_key=new_form_key(),
            )
            services.book(event_id, request, app.secret_key)
            db.session.commit()
        assert not slow.answered.is_set()  # saved while the worker still waited on the server
        assert worker.is_alive()
    finally:
        worker.join(timeout=60)
        server.stop()
    with app_on(live_database):
        query = sa.select(OutboxMessage).where(OutboxMessage.to_address == "person0@example.org")
        message = db.session.scalars(query).one()
        assert (message.status, message.attempts) == (SENT, 1)


def send_in_own_app(database_url: str, config: dict) -> None:
    """What a worker process does: one round of sending, with its own app and connection."""
    with app_on(database_url, **config):
        send_due()


# --- 6. a session with 1,000 bookings changes time --------------------------------------


class Browser:
    """One organiser with a cookie jar, not following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), self.NoRedirect()
        )

    def request(self, path: str, form: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read().decode(errors="replace")

    def form(self, path: str) -> dict[str, str]:
        """The CSRF token of a page's form, and its guard fields (an edit form's version)."""
        status, page = self.request(path)
        assert status == 200, status
        return {"csrf_token": csrf_from(page), **guards_from(page)}


@pytest.mark.server
def test_moving_a_session_of_1000_people_answers_at_once_and_queues_1000_updates(
    live_database, monkeypatch
):
    people = 1000
    with app_on(live_database) as app:
        upgrade()
        event_id, session_id = seed_bookings(people, organiser_email="org@example.org")
        organiser = Organiser(email="org@example.org", name="Org")
        organiser.set_password(ORGANISER_PASSWORD)
        db.session.add(organiser)
        db.session.commit()
        session = db.session.get(EventSession, session_id)
        event = db.session.get(Event, event_id)
        local_start, local_end = event.local(session.starts_at), event.local(session.ends_at)
        old_start = session.starts_at
        limit = app.config["MAIL_AFTER_REQUEST_LIMIT"]
    observer = sa.create_engine(live_database)

    def statuses() -> Counter:
        with observer.connect() as conn:
            return Counter(dict(conn.execute(status_counts).all()))

    status_counts = sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    smtp = SmtpServer()
    smtp.start()
    monkeypatch.setenv("SURGERY_MAIL_SERVER", "127.0.0.1")
    monkeypatch.setenv("SURGERY_MAIL_PORT", str(smtp.port))
    try:
        with serve(live_database, workers=1, threads=4) as base:
            browser = Browser(base)
            login = {"email": "org@example.org", "password": ORGANISER_PASSWORD}
            status, _ = browser.request("/login", {**browser.form("/login"), **login})
            assert status == 303
            edit = f"/organise/events/{event_id}/sessions/{session_id}/edit"
            fields = {
                **browser.form(edit),
                "kind": SURGERY,
                "title": "Surgery space",
                "day": local_start.date().isoformat(),
                "starts": (local_start + dt.timedelta(hours=1)).strftime("%H:%M"),
                "ends": (local_end + dt.timedelta(hours=1)).strftime("%H:%M"),
                "capacity": str(people),
            }

            status, body = browser.request(edit, fields)

            assert status == 303, body
            # after the response, the server sends at most MAIL_AFTER_REQUEST_LIMIT of them
            wait_for(lambda: statuses()[SENT] >= limit)
            time.sleep(0.5)
            assert statuses() == {SENT: limit, QUEUED: people - limit}
            assert len(smtp.inbox.received) == limit

        with app_on(live_database):
            kinds = db.session.scalars(sa.select(OutboxMessage.kind)).all()
            sequences = db.session.scalars(sa.select(Booking.ical_sequence)).all()
            moved = db.session.get(EventSession, session_id).starts_at
        assert Counter(kinds) == {notices.UPDATED: people}
        assert Counter(sequences) == {1: people}
        assert moved - old_start == dt.timedelta(hours=1)

        # the worker sends the rest, each once
        env = server_env(
            live_database, SURGERY_MAIL_SERVER="127.0.0.1", SURGERY_MAIL_PORT=str(smtp.port)
        )
        worker = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "surgery", "mail", "send"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert worker.returncode == 0, worker.stderr
        assert f"Sent {people - limit}, will retry 0, failed 0." in worker.stdout
        assert statuses() == {SENT: people}
    finally:
        smtp.stop()
        observer.dispose()
    assert received_by(smtp) == {f"person{i}@example.org": 1 for i in range(people)}
    subjects = {m["Subject"].split(" on ")[0] for m in smtp.inbox.messages()}
    assert subjects == {"Changed: Surgery space"}


def test_moving_a_session_of_1000_people_renders_no_mail_and_queues_1000_rows(
    organiser_client, mailbox, monkeypatch
):
    people = 1000
    event_id, session_id = seed_bookings(people, organiser_email="org@example.org")
    event, session = db.session.get(Event, event_id), db.session.get(EventSession, session_id)
    start, end = event.local(session.starts_at), event.local(session.ends_at)
    edit = f"/organise/events/{event_id}/sessions/{session_id}/edit"
    form = organiser_client.get(edit).text
    fields = {
        "csrf_token": csrf_from(form),
        **guards_from(form),
        "kind": SURGERY,
        "title": "Surgery space",
        "day": start.date().isoformat(),
        "starts": (start + dt.timedelta(hours=1)).strftime("%H:%M"),
        "ends": (end + dt.timedelta(hours=1)).strftime("%H:%M"),
        "capacity": str(people),
    }
    rendered, made = [], []

    def compose_refused(*args):
        made.append("email")
        raise AssertionError("an email was written in the request")

    monkeypatch.setattr(outbox_module, "compose", compose_refused)
    monkeypatch.setattr(compose_module, "qr_image", lambda url: made.append("qr"))
    with template_rendered.connected_to(lambda sender, template, **kw: rendered.append(template)):
        response = organiser_client.post(edit, data=fields)

    assert response.status_code == 303
    assert [t.name for t in rendered] == [] and made == []  # no mail and no QR code made
    rows = outbox()
    assert len(rows) == people
    assert {row.kind for row in rows} == {notices.UPDATED}
    booked = set(db.session.scalars(sa.select(Booking.id).where(Booking.session_id == session_id)))
    assert {row.booking_id for row in rows} == booked  # each names its booking: one row each
    assert all(row.payload["calendar"] is None for row in rows)  # written when sent
    monkeypatch.undo()

    sent = send_due(limit=5)  # the first few, written now from the session as it is

    assert len(sent.sent) == 5
    for received in mailbox.collect():
        invite = invite_in(received)
        assert (invite.method, invite.sequence) == ("REQUEST", 1)
        assert invite.starts == session.starts_at == event.sessions[0].starts_at


def wait_for(condition, seconds: float = 30) -> None:
    """Poll until condition() is true."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.05)


# --- 7. no mail server: .eml files ------------------------------------------------------


def test_without_a_mail_server_each_message_is_an_eml_file(
    app, client, make_event, tmp_path, monkeypatch
):
    folder = tmp_path / "outbox"
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_FOLDER", str(folder))
    event = make_event(title="Café surgery")
    book(client, event, "Sam")
    book(client, event, "Zoë", email="zoe@example.org")

    report = send_due()

    files = sorted(folder.iterdir())
    ids = [m.id for m in outbox()]
    assert sorted(report.sent) == ids
    assert {f.name for f in files} == {f"{i}.eml" for i in ids}  # and no half-written drafts
    messages = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == [
        "sam@example.org",
        "zoe@example.org",
    ]
    for message in messages:
        assert message["Subject"].startswith("Booked: Surgery space")
        assert message.get_content_type() == "multipart/mixed"
        calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        assert b"Caf\xc3\xa9 surgery" in calendar.get_payload(decode=True)
        assert "Café surgery" in message.get_body(preferencelist=("plain",)).get_content()
    assert {m.status for m in outbox()} == {SENT}
    assert send_due().sent == [] and len(list(folder.iterdir())) == 2  # written once
