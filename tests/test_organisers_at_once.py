"""Organisers pressing at the same moment, against a real server: one row, no lost save.

A create form sent several times at once makes one event; two organisers saving the same
session at once from the same version: one save is kept, the other is refused, never a 500.
"""

import datetime as dt

import pytest
import sqlalchemy as sa

from surgery.auth.models import Organiser
from surgery.database import utcnow
from surgery.events.models import SURGERY, Event, EventSession
from surgery.extensions import db
from tests.conftest import ORGANISER_PASSWORD, make_app
from tests.live_server import migrate, serve
from tests.test_concurrency import Browser, HiddenFields, all_at_once, count_rows
from tests.test_concurrency import server_errors as errors_in

pytestmark = pytest.mark.server
ORGANISERS = ("one@example.org", "two@example.org")


def seed(url: str) -> tuple[int, int]:
    """Two organiser accounts, and a day with one session from 10am to 1pm; (event, session)."""
    app = make_app(url)
    with app.app_context():
        for email in ORGANISERS:
            person = Organiser(email=email, name=email.split("@")[0])
            person.set_password(ORGANISER_PASSWORD)
            db.session.add(person)
        start = utcnow().replace(hour=10, minute=0, second=0, microsecond=0)
        start += dt.timedelta(days=7)
        event = Event(title="Busy day", venue_name="Library", city="Leeds", timezone="UTC")
        event.sessions.append(
            EventSession(kind=SURGERY, title="Surgery space", starts_at=start,
                         ends_at=start + dt.timedelta(hours=3), capacity=20)
        )  # fmt: skip
        db.session.add(event)
        db.session.commit()
        ids = event.id, event.sessions[0].id
        db.session.remove()
        db.engine.dispose()
    return ids


def hidden(browser: Browser, path: str) -> dict[str, str]:
    """The hidden fields of a page's form (its CSRF token and guard fields)."""
    answer = browser.request(path)
    assert answer.status == 200, answer.status
    parser = HiddenFields()
    parser.feed(answer.body)
    return parser.fields


def signed_in(base: str, email: str) -> Browser:
    """An organiser's browser, signed in."""
    browser = Browser(base)
    login = {**hidden(browser, "/login"), "email": email, "password": ORGANISER_PASSWORD}
    assert browser.request("/login", login).status == 303
    return browser


@pytest.fixture
def server(live_database, tmp_path):
    """A real server with two organisers and one event."""
    migrate(live_database)
    event_id, session_id = seed(live_database)
    log = tmp_path / "server.log"
    with serve(live_database, workers=2, threads=8, log=log) as base:
        yield base, event_id, session_id, live_database, log


def test_a_create_form_sent_many_times_at_once_makes_one_event(server):
    base, _, _, url, log = server
    before = count_rows(url, Event)
    browser = signed_in(base, ORGANISERS[0])
    form = hidden(browser, "/organise/events/new")
    data = {**form, "title": "New day", "venue_name": "Hall", "city": "York",
            "timezone": "Europe/London"}  # fmt: skip

    answers = all_at_once([lambda: browser.request("/organise/events/new", data)] * 6)

    assert not errors_in(log), errors_in(log)
    assert [a.status for a in answers] == [303] * 6, answers
    assert len({a.location for a in answers}) == 1
    assert count_rows(url, Event) == before + 1


def test_two_saves_from_the_same_version_at_once_keep_one(server):
    base, event_id, session_id, url, log = server
    edit = f"/organise/events/{event_id}/sessions/{session_id}/edit"
    organisers = [signed_in(base, email) for email in ORGANISERS]
    forms = [hidden(browser, edit) for browser in organisers]
    app = make_app(url)
    with app.app_context():
        event, session = db.session.get(Event, event_id), db.session.get(EventSession, session_id)
        starts, ends = event.local(session.starts_at), event.local(session.ends_at)
        db.session.remove()
        db.engine.dispose()
    fields = {"kind": "surgery", "title": "Surgery space", "day": starts.date().isoformat(),
              "starts": starts.strftime("%H:%M"), "ends": ends.strftime("%H:%M")}  # fmt: skip

    def save(n: int, capacity: str):
        data = {**forms[n], **fields, "capacity": capacity}
        return lambda: organisers[n].request(edit, data)

    answers = all_at_once([save(0, "30"), save(1, "40")])

    assert not errors_in(log), errors_in(log)
    assert sorted(a.status for a in answers) == [303, 409], answers
    kept = "30" if answers[0].status == 303 else "40"
    with app.app_context():
        capacity = db.session.scalar(
            sa.select(EventSession.capacity).where(EventSession.id == session_id)
        )
        db.session.remove()
        db.engine.dispose()
    assert str(capacity) == kept
