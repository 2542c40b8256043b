"""Organisers' screens in step: the day's change counter, the shared fragment (304 while
nothing changed, built once per change), the event stream on a real server, and check-in
search that ignores accents, case and word order."""

import datetime as dt
import http.client
import re
import threading
import urllib.parse

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from surgery.auth.models import Organiser
from surgery.bookings.models import Registration
from surgery.database import utcnow
from surgery.day import changes, live
from surgery.day import floor_state as floor_module
from surgery.day import services as day_services
from surgery.events.models import PUBLISHED, SURGERY, Event, EventSession
from surgery.extensions import db
from tests import test_floor
from tests.conftest import ORGANISER_PASSWORD, make_app, post_form
from tests.live_server import migrate, serve
from tests.test_floor import floor_url, here
from tests.test_matching_page import attend
from tests.test_migrations import old_event, old_registration
from tests.test_organisers_at_once import signed_in
from tests.test_outbox import app_on

floor = test_floor.floor  # the fixture: four people booked, three here, two surgeons
FROZEN = dt.datetime(2026, 11, 30, 10, 42, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fresh_copies(monkeypatch):
    """Each test starts with no shared copies, in a minute that does not end."""
    live.fragments.copies.clear()
    monkeypatch.setattr(live, "utcnow", lambda: FROZEN)


def counter(event) -> int:
    return changes.counter(event.id)


def checkin_url(event, registration_id: int | None = None) -> str:
    url = f"/organise/events/{event.id}/checkin"
    return url if registration_id is None else f"{url}/{registration_id}/arrive"


def person(name: str) -> Registration:
    return db.session.scalars(sa.select(Registration).where(Registration.name == name)).one()


# ---------------------------------------------------------------- the counter


def test_the_counter_moves_with_each_change_the_floor_or_check_in_shows(
    organiser_client, client, floor
):
    dee = person("Dee")
    before = counter(floor)
    post_form(organiser_client, checkin_url(floor), checkin_url(floor, dee.id))
    assert person("Dee").checked_in_at is not None
    after_check_in = counter(floor)
    assert after_check_in > before

    here(organiser_client, floor, "Sue")
    after_surgeon = counter(floor)
    assert after_surgeon > after_check_in

    attend(client, floor, "Eve", topics=("Facebook",))  # a new booking
    assert counter(floor) > after_surgeon


@pytest.mark.parametrize(
    ("column", "value"),
    [("need_now", "desk"), ("wants_same_surgeon", True), ("wants_follow_up", True)],
)
def test_what_a_check_in_row_offers_moves_the_counter(floor, column, value):
    """Each check-in row shows what the person needs now and what they asked for: another
    screen must see it change, not a copy shared from before."""
    before = counter(floor)
    setattr(person("Ana"), column, value)
    db.session.commit()
    assert counter(floor) > before


def test_the_counter_stays_for_changes_nobody_on_the_day_sees(organiser_client, floor):
    before = counter(floor)
    assert organiser_client.get(floor_url(floor)).status_code == 200  # opening is logged
    ana = person("Ana")
    ana.help_text = "Something else now"
    db.session.commit()
    event = db.session.get(Event, floor.id)
    event.description = "Bring a laptop"
    db.session.commit()
    assert counter(floor) == before


def test_a_change_rolled_back_moves_nothing(floor):
    before = counter(floor)
    person("Ana").checked_in_at = None
    db.session.flush()
    db.session.rollback()
    assert counter(floor) == before


# ---------------------------------------------------------------- the shared fragment


def test_the_fragment_is_not_sent_again_until_something_changes(organiser_client, floor):
    url = floor_url(floor) + "/live"
    first = organiser_client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    again = organiser_client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert again.data == b""

    here(organiser_client, floor, "Sue")
    changed = organiser_client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "Sue" in changed.get_data(as_text=True).split("Not here")[0]  # among those here
    assert "Sue" not in first.get_data(as_text=True).split("Not here")[0]


def test_the_fragment_is_built_once_per_change_for_every_screen(
    organiser_client, floor, monkeypatch
):
    built = []
    real = floor_module.state
    monkeypatch.setattr(floor_module, "state", lambda session: built.append(1) or real(session))
    url = floor_url(floor) + "/live"
    # the same page each time, but for the form token, signed anew each second
    pages = {
        re.sub(r'name="csrf_token" value="[^"]+"', "", organiser_client.get(url).text)
        for _ in range(10)
    }
    assert len(built) == 1
    assert len(pages) == 1
    here(organiser_client, floor, "Tom")  # the page works the new floor out: once
    assert len(built) == 2
    for _ in range(10):  # and every screen's live part shares what the page worked out
        assert "Tom" in organiser_client.get(url).get_data(as_text=True)
    assert len(built) == 2


def test_each_screen_gets_its_own_form_token_in_the_shared_copy(app, organiser_client, floor):
    here(organiser_client, floor, "Sue")
    url = floor_url(floor) + "/live"
    mine = organiser_client.get(url).get_data(as_text=True)
    other = app.test_client()
    post_form(other, "/login", data={"email": "org@example.org", "password": ORGANISER_PASSWORD})
    theirs = other.get(url).get_data(as_text=True)
    token = organiser_client.get(floor_url(floor)).get_data(as_text=True)
    assert 'name="csrf_token"' in mine and 'name="csrf_token"' in theirs
    assert live.CSRF_MARK not in mine
    assert _tokens(mine) != _tokens(theirs)
    assert _tokens(mine) == _tokens(token)  # the page and its fragment agree


def _tokens(html: str) -> set[str]:
    # a token is signed with the time it was made: the part before the first dot is the
    # session's own secret
    return {t.split(".")[0] for t in re.findall(r'name="csrf_token" value="([^"]+)"', html)}


def test_the_check_in_fragment_follows_arrivals(organiser_client, floor):
    url = checkin_url(floor) + "/live"
    first = organiser_client.get(url)
    assert first.status_code == 200
    dee = person("Dee")
    post_form(organiser_client, checkin_url(floor), checkin_url(floor, dee.id))
    after = organiser_client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200
    item = after.get_data(as_text=True).split(f'id="person-{dee.id}"')[1].split("</li>")[0]
    assert "Here" in item


def test_live_parts_are_for_organisers_only(app, floor):
    client = app.test_client()  # nobody signed in
    assert client.get(floor_url(floor) + "/live").status_code in (302, 303)
    assert client.get(floor_url(floor) + "/events").status_code in (302, 303)
    assert client.get(checkin_url(floor) + "/live").status_code in (302, 303)
    assert client.get(checkin_url(floor) + "/events").status_code in (302, 303)


# ---------------------------------------------------------------- accent-insensitive search


NAMES = ("José García", "Amina Patel", "Zoë Brontë", "Łukasz Nowak", "Sam Smith")


@pytest.fixture
def names(client, make_event):
    event = make_event(sessions=[{"kind": SURGERY, "title": "Surgery space", "capacity": 20}])
    for number, name in enumerate(NAMES):
        attend(client, event, name, topics=("Facebook",), email=f"person{number}@example.org")
    return event


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("garcia", ["José García"]),
        ("GARCÍA", ["José García"]),
        ("patel amina", ["Amina Patel"]),
        ("  amina   PAT ", ["Amina Patel"]),
        ("zoe", ["Zoë Brontë"]),
        ("lukasz", ["Łukasz Nowak"]),
        ("Łukasz", ["Łukasz Nowak"]),
        ("patel sam", []),
        ("100%", []),
    ],
)
def test_check_in_search_ignores_accents_case_and_order(organiser_client, names, typed, found):
    page = organiser_client.get(checkin_url(names), query_string={"q": typed})
    shown = [n for n in NAMES if n in page.get_data(as_text=True).split('id="people"')[-1]]
    assert shown == found
    assert [r.name for r in day_services.people(names, typed)] == found


def test_a_renamed_person_is_found_by_their_new_name(organiser_client, names):
    zoe = person("Zoë Brontë")
    zoe.name = "Zoë Ærøskøbing"
    db.session.commit()
    assert [r.name for r in day_services.people(names, "aeroskobing zoe")] == [zoe.name]
    assert day_services.people(names, "bronte") == []


def test_people_booked_before_the_search_key_are_found(live_database):
    with app_on(live_database):
        upgrade(revision="0016")
        event_id = old_event()
        old_registration(event_id, name="Zoë García", email="zoe@example.org")
        db.session.commit()

        upgrade()

        keys = db.session.scalars(sa.select(Registration.search_key)).all()
        assert keys == ["zoe garcia zoe@example.org"]


# ---------------------------------------------------------------- the stream, on a real server


def seed_day(url: str) -> tuple[int, int, int]:
    """An organiser, and a published day today with one booked person; (event, session,
    registration)."""
    app = make_app(url)
    with app.app_context():
        organiser = Organiser(email="one@example.org", name="One")
        organiser.set_password(ORGANISER_PASSWORD)
        start = utcnow().replace(microsecond=0)
        event = Event(title="Live day", venue_name="Library", city="Leeds", status=PUBLISHED)
        session = EventSession(kind=SURGERY, title="Surgery space", starts_at=start,
                               ends_at=start + dt.timedelta(hours=3), capacity=5)  # fmt: skip
        event.sessions.append(session)
        db.session.add_all([organiser, event])
        db.session.flush()
        registration = Registration(event=event, name="Amina Patel", token_seed="s",
                                    token_hash="h")  # fmt: skip
        db.session.add(registration)
        from surgery.bookings.models import Booking

        db.session.add(Booking(registration=registration, session=session, status="confirmed"))
        db.session.commit()
        ids = event.id, session.id, registration.id
        db.session.remove()
        db.engine.dispose()
    return ids


class Listener(threading.Thread):
    """Reads an event stream and keeps the data of each event it sends."""

    def __init__(self, base: str, path: str, cookie: str):
        super().__init__(daemon=True)
        parts = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.connection.request("GET", path, headers={"Cookie": cookie})
        self.response = self.connection.getresponse()
        self.events: list[str] = []
        self.arrived = threading.Condition()

    def run(self):
        try:
            for line in self.response:
                if line.startswith(b"data: "):
                    with self.arrived:
                        self.events.append(line[6:].decode().strip())
                        self.arrived.notify_all()
        except (OSError, AttributeError, ValueError):
            pass  # closed at the end of the test

    def wait_for(self, count: int, seconds: float = 20) -> list[str]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.events) >= count, timeout=seconds)
            return list(self.events)


def cookie_of(browser) -> str:
    handler = next(h for h in browser.opener.handlers if hasattr(h, "cookiejar"))
    return "; ".join(f"{c.name}={c.value}" for c in handler.cookiejar)


@pytest.mark.server
@pytest.mark.parametrize("path", ["floor", "checkin"])
def test_a_change_on_one_screen_reaches_another_through_the_stream(live_database, path):
    migrate(live_database)
    event_id, session_id, registration_id = seed_day(live_database)
    settings = {"SURGERY_LIVE_STREAM_SECONDS": "10", "SURGERY_LIVE_CHECK_SECONDS": "0.2"}
    with serve(live_database, workers=2, threads=4, env=settings) as base:
        watching = signed_in(base, "one@example.org")
        acting = signed_in(base, "one@example.org")
        stream = (
            f"/organise/sessions/{session_id}/floor/events"
            if path == "floor"
            else f"/organise/events/{event_id}/checkin/events"
        )
        listener = Listener(base, stream, cookie_of(watching))
        assert listener.response.status == 200
        assert listener.response.getheader("Content-Type").startswith("text/event-stream")
        listener.start()
        try:
            first = listener.wait_for(1)
            assert len(first) == 1  # the counter as the screen connected

            checkin = f"/organise/events/{event_id}/checkin"
            page = acting.request(checkin)
            token = page.body.split('name="csrf_token" value="')[1].split('"')[0]
            arrived = acting.request(f"{checkin}/{registration_id}/arrive", {"csrf_token": token})
            assert arrived.status == 303

            events = listener.wait_for(2)
            assert len(events) == 2, "the change never reached the other screen"
            assert int(events[1]) > int(events[0])
            fragment = watching.request(f"{checkin}/live")
            assert "Here" in fragment.body.split('id="person-')[1]
        finally:
            listener.connection.close()
