"""Mail trouble never slows the site: sending happens off the request threads, a dead or hung
mail server delays mail without losing it, and a sender killed mid-way leaves nothing stuck
and sends again at most the one message it had in flight.

Every check reads what a real SMTP server received or what the database holds; none times.
"""

import contextlib
import datetime as dt
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from surgery.database import utcnow
from surgery.extensions import db
from surgery.mail import outbox as outbox_module
from surgery.mail.models import QUEUED, SENDING, SENT, OutboxMessage
from surgery.mail.outbox import CLAIM, send_due
from tests.conftest import book, make_app, post_form
from tests.live_server import ROOT, serve, server_env
from tests.smtp import HeldInbox, HungServer, SmtpServer
from tests.test_outbox import (
    REFUSED,
    WORKER_LINE,
    Browser,
    app_on,
    queue_confirmations,
    received_by,
    seed_bookings,
    wait_for,
)

ROW = (OutboxMessage.to_address, OutboxMessage.status, OutboxMessage.attempts)


@contextlib.contextmanager
def observing(database_url: str):
    """Read the outbox as committed, from a connection of the test's own."""
    engine = sa.create_engine(database_url)

    def rows() -> dict[str, tuple[str, int]]:
        with engine.connect() as conn:
            return {
                to: (status, attempts) for to, status, attempts in conn.execute(sa.select(*ROW))
            }

    try:
        yield rows
    finally:
        engine.dispose()


def book_at(client, event_id: int, session_id: int, name: str):
    """Book one session through the public form."""
    data = {"name": name, "email": f"{name.lower()}@example.org", "sessions": [session_id]}
    return post_form(client, f"/events/{event_id}/book", data=data)


# --- the web process sends after the response, in a thread of its own ------------------


def test_the_sender_thread_sends_after_the_response_and_keeps_what_fails(live_database):
    server = SmtpServer()  # down until started
    config = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": server.port}
    app = make_app(live_database, MAIL_SEND_AFTER_REQUEST=True, **config)
    with app.app_context():
        upgrade()
        event_id, session_id = seed_bookings(0, capacity=5)
    client = app.test_client()
    try:
        with observing(live_database) as rows:
            response = book_at(client, event_id, session_id, "Ann")
            assert response.status_code == 303
            assert rows() == {"ann@example.org": (QUEUED, 0)}
            response.close()  # the response has gone: the sender thread tries
            wait_for(lambda: rows()["ann@example.org"] == (QUEUED, 1))

            server.start()
            book_at(client, event_id, session_id, "Bob").close()
            wait_for(lambda: rows()["bob@example.org"] == (SENT, 1))

            assert rows()["ann@example.org"] == (QUEUED, 1)  # waiting out its back-off
        assert received_by(server) == {"bob@example.org": 1}
        with app.app_context():
            ann = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).first()
            assert REFUSED in ann.last_error
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()


def sender_app(live_database, server: SmtpServer, pause: float, longest: float):
    """An app whose web process sends after requests, to this server, with this pause and
    this longest wait; migrated, with one session of 5 places; (app, event id, session id)."""
    config = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": server.port,
        "MAIL_AFTER_REQUEST_PAUSE_SECONDS": pause,
        "MAIL_AFTER_REQUEST_WAIT_SECONDS": longest,
    }
    app = make_app(live_database, MAIL_SEND_AFTER_REQUEST=True, **config)
    with app.app_context():
        upgrade()
        event_id, session_id = seed_bookings(0, capacity=5)
    return app, event_id, session_id


def sent_at(app, address: str) -> dt.datetime:
    """When the message to this address was recorded as sent."""
    with app.app_context():
        query = sa.select(OutboxMessage.sent_at).where(OutboxMessage.to_address == address)
        return db.session.scalars(query).one()


def test_the_sender_waits_until_requests_pause(live_database):
    """In a run of requests the answers come first: the confirmation goes only once no
    request has begun for the pause, so after the last request of the run began."""
    server = SmtpServer()
    server.start()
    app, event_id, session_id = sender_app(live_database, server, pause=8, longest=600)
    client = app.test_client()
    try:
        with observing(live_database) as rows:
            book_at(client, event_id, session_id, "Ann").close()  # wakes the sender
            # requests for 2 seconds, each begun well within the pause of the one before;
            # a sender that did not wait would have sent in the first moments of them
            end = time.monotonic() + 2
            while time.monotonic() < end:
                last_began = utcnow()
                assert client.get(f"/events/{event_id}").status_code == 200
            wait_for(lambda: rows()["ann@example.org"] == (SENT, 1))
        assert sent_at(app, "ann@example.org") >= last_began
        assert received_by(server) == {"ann@example.org": 1}
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()


def test_requests_that_never_pause_hold_the_sender_only_until_its_limit(live_database):
    server = SmtpServer()
    server.start()
    # a pause no test waits for: only the limit lets the mail go
    app, event_id, session_id = sender_app(live_database, server, pause=3600, longest=0.5)
    try:
        with observing(live_database) as rows:
            book_at(app.test_client(), event_id, session_id, "Bob").close()
            wait_for(lambda: rows()["bob@example.org"] == (SENT, 1))
        assert received_by(server) == {"bob@example.org": 1}
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()


@pytest.mark.server
def test_bookings_are_answered_while_a_hung_mail_server_holds_the_sender(
    live_database, monkeypatch
):
    """More bookings than the server has threads, all answered before the mail server is let
    go; their messages wait in the outbox and go, once each, when a server answers."""
    bookings = 6
    with app_on(live_database):
        upgrade()
        event_id, session_id = seed_bookings(0, capacity=bookings)
    hung = HungServer()
    monkeypatch.setenv("SURGERY_MAIL_SERVER", "127.0.0.1")
    monkeypatch.setenv("SURGERY_MAIL_PORT", str(hung.port))
    monkeypatch.setenv("SURGERY_MAIL_SEND_TIMEOUT_SECONDS", "600")  # it waits until let go
    happened: list[str] = []
    smtp = SmtpServer()
    try:
        with observing(live_database) as rows, serve(live_database, workers=1, threads=2) as base:

            def book_everyone() -> None:
                for i in range(bookings):
                    browser = Browser(base)
                    page = f"/events/{event_id}/book"
                    form = {"name": f"P{i}", "email": f"p{i}@example.org", "sessions": session_id}
                    status, _ = browser.request(page, {**browser.form(page), **form})
                    if i == 0:  # its message wakes the sender, which connects and waits
                        assert status == 303 and hung.connected.wait(timeout=60)
                    else:
                        happened.append(f"answered {status}, sender held: {hung.all_held()}")

            booking = threading.Thread(target=book_everyone)
            booking.start()
            booking.join(timeout=120)  # only a failing server makes this wait the whole time
            happened.append("released")
            hung.release()
            booking.join(timeout=120)

            answered = ["answered 303, sender held: True"] * (bookings - 1)
            assert happened == [*answered, "released"]
            # nothing lost: every message is queued, tried once, waiting out its back-off
            everyone = {f"p{i}@example.org" for i in range(bookings)}
            wait_for(lambda: rows() == dict.fromkeys(everyone, (QUEUED, 1)))

            smtp.port = hung.port  # a mail server answers on that port again
            smtp.start()
            env = server_env(
                live_database, SURGERY_MAIL_SERVER="127.0.0.1", SURGERY_MAIL_PORT=str(hung.port)
            )
            sent = mail_command(env, "send", "--now")
            assert f"Sent {bookings}, will retry 0, failed 0." in sent.stdout
            assert rows() == dict.fromkeys(everyone, (SENT, 2))
    finally:
        if not hung.released:
            hung.release()
        smtp.stop()
    assert received_by(smtp) == dict.fromkeys(everyone, 1)


def mail_command(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run `flask mail …` in a process of its own, to the end."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "surgery", "mail", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result


# --- the timeout covers the greeting and every later answer -----------------------------


def test_a_server_that_never_greets_times_out_and_its_message_waits(live_database):
    hung = HungServer()
    config = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": hung.port, "MAIL_SEND_TIMEOUT_SECONDS": 0.5}
    try:
        with app_on(live_database, **config):
            upgrade()
            _, session_id = seed_bookings(1)
            queue_confirmations(session_id)

            report = send_due()

            [message] = db.session.scalars(sa.select(OutboxMessage)).all()
            assert report.retrying == [message.id]
            assert (message.status, message.attempts) == (QUEUED, 1)
            assert "timed out" in message.last_error
    finally:
        hung.release()


def test_a_server_that_stops_answering_mid_message_times_out_and_keeps_the_rest(live_database):
    server = SmtpServer()
    server.inbox = held = HeldInbox(allow=2)
    server.start()
    config = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": server.port, "MAIL_SEND_TIMEOUT_SECONDS": 1}
    try:
        with app_on(live_database, **config):
            upgrade()
            _, session_id = seed_bookings(5)
            queue_confirmations(session_id)

            report = send_due()

            rows = db.session.execute(sa.select(*ROW).order_by(OutboxMessage.id)).all()
    finally:
        held.gate.set()
        server.stop()
    assert len(report.sent) == 2 and len(report.retrying) == 3
    assert [(status, attempts) for _, status, attempts in rows] == [(SENT, 1)] * 2 + [
        (QUEUED, 1)
    ] * 3


# --- the lease: short, extended while sending, and only over what is still this sender's --


class SlowClock:
    """The outbox's clock, moved on by each message the sender writes, as a slow server would."""

    def __init__(self, monkeypatch, seconds_per_message: float) -> None:
        self.now = utcnow()
        self.step = dt.timedelta(seconds=seconds_per_message)
        self.lapsed: list[int] = []  # messages found claimed with a lease already over
        self.compose = outbox_module.compose
        monkeypatch.setattr(outbox_module, "utcnow", lambda: self.now)
        monkeypatch.setattr(outbox_module, "compose", self.compose_slowly)

    def compose_slowly(self, message_id: int, *args):
        self.now += self.step
        query = sa.select(OutboxMessage.id, OutboxMessage.claimed_until).where(
            OutboxMessage.status == SENDING
        )
        self.lapsed += [i for i, until in db.session.execute(query) if until <= self.now]
        return self.compose(message_id, *args)


def test_the_lease_of_what_is_still_to_go_is_extended_as_sending_goes_on(
    client, make_event, smtp, monkeypatch
):
    event = make_event()
    for name in ("Ann", "Bob", "Cat", "Dan", "Eve"):
        book(client, event, name)
    clock = SlowClock(monkeypatch, seconds_per_message=40)  # two messages outlast one lease

    report = send_due()

    assert len(report.sent) == 5
    assert clock.lapsed == []  # no message was ever left for another sender to take over
    assert len(smtp.inbox.received) == 5


def test_a_sender_whose_lease_ran_out_leaves_what_another_sender_took_over(
    client, make_event, smtp, monkeypatch
):
    event = make_event()
    for name in ("Ann", "Bob", "Cat"):
        book(client, event, name)
    clock = SlowClock(monkeypatch, seconds_per_message=0)
    ann, bob, cat = db.session.scalars(sa.select(OutboxMessage.id).order_by(OutboxMessage.id))

    def stall_then_lose_bob(message_id: int, *args):
        if message_id == ann:  # the sender stalls past its lease; another sender takes Bob
            clock.now += dt.timedelta(minutes=2)
            other = {"claimed_until": clock.now + dt.timedelta(minutes=1), "attempts": 2}
            db.session.execute(
                sa.update(OutboxMessage).where(OutboxMessage.id == bob).values(**other)
            )
        return clock.compose(message_id, *args)

    monkeypatch.setattr(outbox_module, "compose", stall_then_lose_bob)

    report = send_due()

    assert report.sent == [ann, cat]
    assert received_by(smtp) == {"ann@example.org": 1, "cat@example.org": 1}
    status, attempts = db.session.execute(
        sa.select(OutboxMessage.status, OutboxMessage.attempts).where(OutboxMessage.id == bob)
    ).one()
    assert (status, attempts) == (SENDING, 2)  # the other sender's, left to it


# --- a sender killed while it waits on the server ----------------------------------------


def test_a_sender_killed_mid_batch_leaves_nothing_stuck_and_repeats_one_message_at_most(
    live_database,
):
    messages, taken = 30, 5
    with app_on(live_database):
        upgrade()
        _, session_id = seed_bookings(messages)
        queue_confirmations(session_id)
    server = SmtpServer()
    server.inbox = held = HeldInbox(allow=taken)  # answers 5, then holds the 6th unanswered
    server.start()
    env = server_env(
        live_database,
        SURGERY_MAIL_SERVER="127.0.0.1",
        SURGERY_MAIL_PORT=str(server.port),
        SURGERY_MAIL_SEND_TIMEOUT_SECONDS="600",
        SURGERY_MAIL_LEASE_SECONDS="2",
    )
    command = [sys.executable, "-m", "flask", "--app", "surgery", "mail", "send", "--batch", "200"]
    try:
        sender = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        try:
            assert held.holding.wait(timeout=120), "the sender never reached the 6th message"
        finally:
            sender.send_signal(signal.SIGKILL)
            sender.wait(timeout=30)

        with app_on(live_database):
            now = utcnow()
            rows = db.session.execute(
                sa.select(OutboxMessage.status, OutboxMessage.claimed_until).order_by(
                    OutboxMessage.id
                )
            ).all()
        statuses = Counter(status for status, _ in rows)
        # what the server took is recorded; only the rest of one small claim is held
        assert statuses == {SENT: taken, SENDING: CLAIM - taken, QUEUED: messages - CLAIM}
        leases = [until for status, until in rows if status == SENDING]
        assert max(leases) <= now + dt.timedelta(seconds=2)  # a short lease, not minutes

        held.gate.set()
        held.allow = messages * 2
        time.sleep(max(0.0, (max(leases) - utcnow()).total_seconds()) + 0.1)  # the lease runs out
        again = mail_command(env, "send")
        assert WORKER_LINE.search(again.stdout).group(1, 2, 3) == (
            str(messages - taken),
            "0",
            "0",
        )
    finally:
        held.gate.set()
        server.stop()

    with app_on(live_database):
        statuses = Counter(db.session.scalars(sa.select(OutboxMessage.status)))
    assert statuses == {SENT: messages}  # nothing stuck in sending
    received = received_by(server)
    assert set(received) == {f"person{i}@example.org" for i in range(messages)}
    twice = {address for address, n in received.items() if n > 1}
    assert twice == {f"person{taken}@example.org"}  # only the one in flight
    assert max(received.values()) == 2
