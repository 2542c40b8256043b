"""Each web process runs one booking at a time (surgery.gate), and loses none by it.

Bookings sent at once from threads of one process (as a threaded worker serves them) pass
the booking service one at a time, and every one of them is booked; a booking that has
waited its limit for a turn goes ahead.
"""

import threading
import time

import pytest
import sqlalchemy as sa

from surgery.bookings import services
from surgery.bookings.models import Booking, Registration
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.extensions import db
from surgery.gate import Gate
from tests.conftest import make_app
from tests.live_server import migrate
from tests.test_concurrency import seed_event

PEOPLE = 6
CAPACITY = 3
IN_THE_SERVICE = 0.05  # seconds each booking stays in the service: room for another to overlap


@pytest.fixture
def gated_day(live_database):
    """An app on a database of its own (CSRF aside: the forms are sent straight), with one
    published day of one surgery session; (app, event id, session id)."""
    migrate(live_database)
    event_id, session_id = seed_event(live_database, capacity=CAPACITY)
    return make_app(live_database, WTF_CSRF_ENABLED=False), event_id, session_id


def test_bookings_sent_at_once_in_one_process_are_made_one_at_a_time(gated_day, monkeypatch):
    app, event_id, session_id = gated_day
    inside, most, seen = [], [0], threading.Lock()
    real_book = services.book

    def watched_book(*args, **kwargs):
        with seen:
            inside.append(threading.get_ident())
            most[0] = max(most[0], len(inside))
        time.sleep(IN_THE_SERVICE)
        try:
            return real_book(*args, **kwargs)
        finally:
            with seen:
                inside.remove(threading.get_ident())

    monkeypatch.setattr(services, "book", watched_book)
    start, answers = threading.Barrier(PEOPLE), []

    def person(n: int) -> None:
        client = app.test_client()
        data = {"name": f"Person {n}", "email": f"person{n}@example.org", "sessions": session_id}
        start.wait()
        answers.append(client.post(f"/events/{event_id}/book", data=data).status_code)

    threads = [threading.Thread(target=person, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [303] * PEOPLE  # each sent on to their confirmation
    assert most[0] == 1  # never two bookings in the service at once
    with app.app_context():
        rows = db.session.execute(
            sa.select(Registration.email, Booking.status).join(Booking.registration)
        ).all()
    assert len(rows) == PEOPLE
    statuses = sorted(status for _, status in rows)
    assert statuses == sorted([CONFIRMED] * CAPACITY + [WAITLISTED] * (PEOPLE - CAPACITY))


def test_a_caller_waits_for_the_turn_then_goes_in():
    gate, order = Gate(wait_seconds=30), []
    first_in, let_go = threading.Event(), threading.Event()

    def first() -> None:
        with gate.turn() as got:
            order.append(("first in", got))
            first_in.set()
            let_go.wait()
            order.append(("first out", got))

    def second() -> None:
        first_in.wait()
        with gate.turn() as got:
            order.append(("second in", got))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_in.wait()
    time.sleep(0.1)  # the second is waiting at the gate by now, or about to
    let_go.set()
    for thread in threads:
        thread.join()

    assert order == [("first in", True), ("first out", True), ("second in", True)]


def test_a_caller_that_waited_its_limit_goes_through_beside_the_one_inside():
    gate, let_go = Gate(wait_seconds=0.2), threading.Event()
    inside = threading.Event()

    def holder() -> None:
        with gate.turn():
            inside.set()
            let_go.wait()

    thread = threading.Thread(target=holder)
    thread.start()
    inside.wait()
    with gate.turn() as got:
        went_through_while_held = not let_go.is_set()
    let_go.set()
    thread.join()

    assert got is False and went_through_while_held
    with gate.turn() as again:  # the holder's turn was given back; the latecomer's not taken
        assert again is True
