"""Rate limits on sign-in and the public forms, in memory and in Redis.

Each test builds an app with limits on (the shared test app has them off) on the test
database, in the test's transaction; Redis keys carry a prefix of their own and are
deleted afterwards.
"""

import html
import re
import uuid

import pytest
import redis
import sqlalchemy as sa

from surgery.auth.models import Organiser
from surgery.bookings.models import Registration
from surgery.surgeons.models import Surgeon
from surgery.vocabulary.models import Topic
from tests.conftest import ORGANISER_PASSWORD, DeviceClient, count, csrf_from, make_app
from tests.test_kiosk import start_kiosk
from tests.test_matching_page import ids

REDIS_URL = "redis://127.0.0.1:6379"
SMALL_LIMITS = {
    "RATELIMIT_SIGN_IN_ACCOUNT": "3 per 15 minutes",
    "RATELIMIT_SIGN_IN_ADDRESS": "5 per 15 minutes",
    "RATELIMIT_PUBLIC_FORM": "3 per 10 minutes",
    "RATELIMIT_KIOSK": "3 per 10 minutes",
}


def limited_app(database_url, storage: str, **settings):
    """An app with rate limits on, its counters in memory, in Redis under a new prefix, or
    at the storage address given."""
    prefix = f"surgery-test-{uuid.uuid4().hex[:12]}"
    app = make_app(
        database_url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI={"redis": REDIS_URL, "memory": "memory://"}.get(storage, storage),
        RATELIMIT_KEY_PREFIX=prefix,
        **settings,
    )
    app.test_client_class = DeviceClient
    return app, prefix


def forget_counters(prefix: str) -> None:
    """Delete this app's counters from Redis."""
    server = redis.Redis.from_url(REDIS_URL)
    keys = list(server.scan_iter(f"*LIMITER/{prefix}/*"))
    if keys:
        server.delete(*keys)
    server.close()


@pytest.fixture(params=["memory", "redis"])
def limited(request, database_url, db_session):
    """A client of an app with small limits, counting in memory or in Redis."""
    if request.param == "redis":
        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.ConnectionError:
            pytest.fail(f"Redis is not answering at {REDIS_URL}: start it to run these tests.")
    app, prefix = limited_app(database_url, request.param, **SMALL_LIMITS)
    try:
        yield app.test_client()
    finally:
        forget_counters(prefix)


@pytest.fixture
def usual(database_url, db_session):
    """A client of an app with the limits as configured by default."""
    app, prefix = limited_app(database_url, "redis")
    try:
        yield app.test_client()
    finally:
        forget_counters(prefix)


def sign_in(client, email: str, password: str = "wrong password", address="10.0.0.1"):
    page = client.get("/login", environ_base={"REMOTE_ADDR": address})
    fields = {"csrf_token": csrf_from(page.text), "email": email, "password": password}
    return client.post("/login", data=fields, environ_base={"REMOTE_ADDR": address})


def book(client, event, name: str, address="10.0.0.1", **extra):
    url = f"/events/{event.id}/book"
    page = client.get(url, environ_base={"REMOTE_ADDR": address})
    assert page.status_code == 200
    fields = {
        "csrf_token": csrf_from(page.text),
        "name": name,
        "email": f"{name.lower()}@example.org",
        "sessions": [event.sessions[0].id],
        **extra,
    }
    return client.post(url, data=fields, environ_base={"REMOTE_ADDR": address})


def value_of(page: str, name: str) -> str | None:
    """The value an input is drawn with, if any."""
    for tag in re.findall(r"<input [^>]*>", page):
        if f'name="{name}"' in tag:
            found = re.search(r'value="([^"]*)"', tag)
            return html.unescape(found.group(1)) if found else None
    return None


def test_sign_in_is_paused_per_account_with_when_to_try_again(limited, organiser):
    for _ in range(3):
        assert sign_in(limited, organiser.email).status_code == 400
    locked = sign_in(limited, organiser.email, ORGANISER_PASSWORD)

    assert locked.status_code == 429
    text = html.unescape(locked.text)
    assert "too many tries to sign in with this email address" in text
    assert re.search(r"Try again after \d{1,2}(:\d\d)?[ap]m \(in about 1[45] minutes\)", text)
    assert 800 <= int(locked.headers["Retry-After"]) <= 900
    assert value_of(locked.text, "email") == organiser.email
    assert ORGANISER_PASSWORD not in locked.text
    assert not value_of(locked.text, "password")
    assert limited.get("/organise/").status_code == 302  # not signed in
    # someone else's account from the same connection is not locked
    assert sign_in(limited, "other@example.org").status_code == 400


def test_sign_in_is_paused_per_address(limited, organiser):
    for n in range(5):
        assert sign_in(limited, f"guess{n}@example.org").status_code == 400
    locked = sign_in(limited, organiser.email, ORGANISER_PASSWORD)
    assert locked.status_code == 429
    assert "too many tries to sign in from this connection" in html.unescape(locked.text)
    assert sign_in(limited, organiser.email, ORGANISER_PASSWORD, "10.0.0.2").status_code == 303


def test_leaving_the_kiosk_is_a_sign_in_and_is_paused_too(
    limited, organiser, db_session, make_event
):
    event = make_event()
    boss = Organiser(email="boss@example.org", name="Boss")
    boss.set_password(ORGANISER_PASSWORD)
    db_session.add(boss)
    db_session.commit()
    assert sign_in(limited, boss.email, ORGANISER_PASSWORD).status_code == 303
    start_kiosk(limited, event)
    for _ in range(3):
        assert sign_in_to_leave(limited, organiser.email).status_code == 400
    locked = sign_in_to_leave(limited, organiser.email, ORGANISER_PASSWORD)
    assert locked.status_code == 429
    assert limited.get("/").headers["Location"] == "/kiosk"  # still a kiosk


def sign_in_to_leave(client, email, password="wrong password"):
    page = client.get("/kiosk/exit", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    fields = {"csrf_token": csrf_from(page.text), "email": email, "password": password}
    return client.post("/kiosk/exit", data=fields, environ_base={"REMOTE_ADDR": "10.0.0.1"})


def test_booking_is_paused_keeping_what_was_typed_and_saving_nothing(limited, make_event):
    event = make_event()
    for name in ("Ann", "Ben", "Cat"):
        assert book(limited, event, name).status_code == 303
    paused = book(limited, event, "Dev", help_text="Instagram & my café", consent="y")

    assert paused.status_code == 429
    assert 1 <= int(paused.headers["Retry-After"]) <= 600
    text = html.unescape(paused.text)
    assert "paused it to keep the site safe for everyone. Nothing was saved" in text
    assert "What you typed is still here" in text
    assert value_of(paused.text, "name") == "Dev"
    assert value_of(paused.text, "email") == "dev@example.org"
    assert "Instagram &amp; my café</textarea>" in paused.text
    assert 'role="status"' in paused.text
    assert count(Registration) == 3
    # pages are never limited, and another connection books as usual
    for _ in range(5):
        assert limited.get(f"/events/{event.id}/book").status_code == 200
    assert book(limited, event, "Eve", address="10.0.0.2").status_code == 303


def test_volunteering_and_booking_share_one_limit(limited, make_event):
    event = make_event()
    for name in ("Ann", "Ben", "Cat"):
        assert book(limited, event, name).status_code == 303
    url = f"/events/{event.id}/volunteer"
    page = limited.get(url, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    fields = {
        "csrf_token": csrf_from(page.text),
        "name": "Sol",
        "email": "sol@example.org",
        "sessions": [event.sessions[0].id],
        "topics": ids_of_topics(),
        "capacity": "2",
    }
    paused = limited.post(url, data=fields, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert paused.status_code == 429
    assert value_of(paused.text, "name") == "Sol"
    assert count(Surgeon) == 0


def ids_of_topics():
    """The id of one topic to ask for help with."""
    return ids(Topic, "Facebook")


def test_limits_can_be_turned_off(client, organiser, make_event):
    """The shared test app runs with RATELIMIT_ENABLED off: nothing is ever paused."""
    for _ in range(12):
        assert sign_in(client, organiser.email).status_code == 400
    event = make_event(sessions=[{"kind": "surgery", "title": "Surgery", "capacity": 100}])
    for n in range(35):
        assert book(client, event, f"Person{n}").status_code == 303


def test_a_family_and_a_busy_kiosk_are_never_paused(usual, organiser, make_event):
    """The default limits: six people of one home book (each with a slip first), and a
    kiosk registers forty walk-ins, all from one connection."""
    event = make_event(sessions=[{"kind": "surgery", "title": "Surgery", "capacity": 100}])
    for name in ("Mum", "Dad", "Gran", "Ali", "Bea", "Cy"):
        assert book(usual, event, name, email="not an address").status_code == 400
        assert book(usual, event, name).status_code == 303
    assert sign_in(usual, organiser.email, ORGANISER_PASSWORD).status_code == 303
    start_kiosk(usual, event)
    facebook = ids_of_topics()
    for n in range(40):
        page = usual.get("/kiosk", environ_base={"REMOTE_ADDR": "10.0.0.1"})
        fields = {"csrf_token": csrf_from(page.text), "name": f"Walk{n}", "topics": facebook}
        sent = usual.post("/kiosk", data=fields, environ_base={"REMOTE_ADDR": "10.0.0.1"})
        assert sent.status_code == 303, n


def test_a_lost_counter_store_lets_people_through(database_url, db_session, make_event):
    """Redis down: limits are not counted in it, and nobody sees an error page."""
    app, _ = limited_app(database_url, "redis://127.0.0.1:1", **SMALL_LIMITS)  # nobody there
    client = app.test_client()
    event = make_event()
    assert book(client, event, "Ann").status_code == 303
    assert db_session.scalars(sa.select(Registration.name)).all() == ["Ann"]
