"""Fixtures: one app per test run, each test inside a transaction that is rolled back.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set.
Tests that start a real server get a database of their own (see live_database).
"""

import contextlib
import datetime as dt
import html
import os
import re
import tempfile
import uuid
from html import unescape
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import scoped_session, sessionmaker

from surgery import create_app
from surgery.auth.models import Organiser
from surgery.config import normalise_database_url
from surgery.database import utcnow
from surgery.day import live
from surgery.events.models import PUBLISHED, SURGERY, Event, EventSession
from surgery.extensions import db

# fixtures for tests that read the mail a real SMTP server receives
pytest_plugins = ["tests.mail_fixtures"]

ORGANISER_PASSWORD = "correct horse battery"
MAIL_FOLDER = Path(tempfile.gettempdir()) / f"surgery-test-mail-{os.getpid()}"
CSRF_PATTERN = re.compile(
    r'name="(?:[\w-]+-)?csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def postgres_url() -> str | None:
    """The PostgreSQL database to test against, if any."""
    url = os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


@contextlib.contextmanager
def fresh_database(prefix: str, folder: Path):
    """A new empty database: a SQLite file, or a PostgreSQL database made for it and dropped.

    Each run and each live server gets its own, so runs side by side never meet.
    """
    base = postgres_url()
    if base is None:
        yield f"sqlite:///{folder / (prefix + '.sqlite3')}"
        return
    name = f"surgery_{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """The shared test database, empty (migrated by the app fixture)."""
    with fresh_database("test", tmp_path_factory.mktemp("db")) as url:
        yield url


MADE_APPS: list = []  # apps made by make_app, whose connections are closed after each test


def make_app(url: str, **extra):
    """An app for tests on the given database (its connections are closed after the test)."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "test-secret",
            "PAGE_CACHE_SECONDS": 0,
            "MAIL_OUTBOX_FOLDER": str(MAIL_FOLDER),
            # the background sender has a database session of its own, which cannot see a
            # test's rolled-back transaction: tests send with send_due, or turn it on
            "MAIL_SEND_AFTER_REQUEST": False,
            "RATELIMIT_ENABLED": False,  # on only in the tests of the limits themselves
            **extra,
        }
    )
    MADE_APPS.append(app)
    return app


@pytest.fixture(autouse=True)
def close_connections_of_apps_made_in_the_test():
    """Close the pooled connections of every app a test made, when the test ends.

    An app a test drops would otherwise keep its connections until the garbage collector
    found it, and a connection closed by the collector is a ResourceWarning.
    """
    before = len(MADE_APPS)
    yield
    while len(MADE_APPS) > before:
        made = MADE_APPS.pop()
        with made.app_context():
            db.engine.dispose()


@pytest.fixture(autouse=True)
def no_screen_copies_from_another_test():
    """The floor and check-in copies kept for screens are keyed by ids and the day's counter,
    which come round again once a test's transaction is rolled back: start with none."""
    live.fragments.copies.clear()
    live.states.copies.clear()


class DeviceClient(FlaskClient):
    """A test client that behaves like its own device.

    Requests made inside a test share the test's app context, and with it Flask's `g`, where
    Flask-Login keeps who is signed in and Flask-WTF the CSRF token. Each request starts with
    a clean `g`, as it would in a real server, so only this client's cookie decides who it is.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            for name in list(g):
                g.pop(name)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url):
    """One app for the whole run, its database migrated once."""
    app = make_app(database_url)
    app.test_client_class = DeviceClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def db_session(app):
    """Run the test inside one outer transaction that is rolled back at the end."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        original, db.session = db.session, scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app, db_session):
    """A test client whose requests share the test's transaction."""
    return app.test_client()


def csrf_from(html: str) -> str:
    """The CSRF token in a page."""
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


# hidden fields a browser sends back as the page gave them: an edit form's version and what
# it showed, a create form's one-time key, the attendance sheet's boxes as they were shown
GUARD_FIELDS = ("edit_version", "seen", "create_key", "was_here")
HIDDEN_PATTERN = re.compile(r'<input [^>]*type="hidden"[^>]*>')


def guards_from(html: str) -> dict:
    """The guard fields of a page, as its form would send them (repeated names as lists)."""
    found: dict = {}
    for tag in HIDDEN_PATTERN.findall(html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and name.group(1) in GUARD_FIELDS:
            text = unescape(value.group(1)) if value else ""
            found.setdefault(name.group(1), []).append(text)
    return {name: values[0] if len(values) == 1 else values for name, values in found.items()}


def post_form(client, page_url: str, action: str | None = None, data=None, **kw):
    """Open a page like a person, then send its form with the page's CSRF token (and, as a
    browser would, its guard fields)."""
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    fields = {**guards_from(html), **dict(data or {})}
    fields.setdefault("csrf_token", csrf_from(html))
    return client.post(action or page_url, data=fields, **kw)


CONFIRM_FORM = re.compile(
    r'<form method="post" action="([^"]*)"((?:(?!</form>).)*name="confirmed".*?)</form>', re.S
)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def confirm_form(client, page_url: str, action: str | None = None, data=None, **kw):
    """Press a button that asks first, like a person: open the page, press it, then press
    "Yes" on the page asking."""
    return say_yes(client, post_form(client, page_url, action, data), **kw)


def say_yes(client, asked, **kw):
    """Press "Yes" on a page that asks before a change, sending its form as a browser would."""
    assert asked.status_code == 200, asked.status_code
    yes = CONFIRM_FORM.search(asked.get_data(as_text=True))
    assert yes, "the button did not ask first"
    fields: dict[str, list[str]] = {}
    for name, value in HIDDEN.findall(yes.group(2)):
        fields.setdefault(name, []).append(html.unescape(value))
    return client.post(html.unescape(yes.group(1)), data=fields, **kw)


@pytest.fixture
def make_event(db_session):
    """Factory: a published event with sessions (surgery of 10 places by default)."""

    def make(sessions=None, status=PUBLISHED, days_ahead=10, **fields):
        start = utcnow().replace(hour=10, minute=0, second=0, microsecond=0)
        start += dt.timedelta(days=days_ahead)
        values = {"title": "Leeds surgery", "venue_name": "Library", "city": "Leeds"}
        event = Event(status=status, **{**values, **fields})
        for spec in sessions or [{"kind": SURGERY, "title": "Surgery space", "capacity": 10}]:
            spec = dict(spec)
            offset = dt.timedelta(hours=spec.pop("hour_offset", 0))
            event.sessions.append(
                EventSession(
                    starts_at=start + offset, ends_at=start + offset + dt.timedelta(hours=2), **spec
                )
            )
        db_session.add(event)
        db_session.commit()
        return event

    return make


@pytest.fixture
def organiser(db_session):
    """An organiser account."""
    person = Organiser(email="org@example.org", name="Org")
    person.set_password(ORGANISER_PASSWORD)
    db_session.add(person)
    db_session.commit()
    return person


@pytest.fixture
def organiser_client(client, organiser):
    """A client signed in as an organiser."""
    response = post_form(
        client, "/login", data={"email": organiser.email, "password": ORGANISER_PASSWORD}
    )
    assert response.status_code == 303
    return client


@pytest.fixture
def live_database(tmp_path):
    """A database of its own for a test that starts a real server, dropped afterwards."""
    with fresh_database("live", tmp_path) as url:
        yield url


def count(model) -> int:
    """How many rows a table holds, as the test's transaction sees it."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def book(client, event, name="Sam", sessions=None, **fields):
    """Book sessions of an event through the public form (the first session by default)."""
    data = {
        "name": name,
        "email": f"{name.lower()}@example.org",
        "sessions": [event.sessions[0].id] if sessions is None else sessions,
        **fields,
    }
    return post_form(client, f"/events/{event.id}/book", data=data)


# the answers that let an attendee's surgeon see what they wrote, who they are, what they need
SHARED = {"consent": "y", "share_with_surgeon": "y"}


def book_more(client, token: str, sessions: list[int]):
    """Book more sessions of the same day from the private link, as its owner would."""
    manage = f"/bookings/{token}"
    return post_form(client, manage, f"{manage}/add", data={"sessions": sessions})


def manage_token(booked) -> str:
    """The private manage token a successful booking redirected to."""
    assert booked.status_code == 303, booked.status_code
    return booked.headers["Location"].split("/")[2]


def is_ticked(page: str, name: str, value) -> bool:
    """True if the page's checkbox with this name and value is ticked."""
    inputs = re.findall(r"<input [^>]*>", page)
    wanted = (f'name="{name}"', f'value="{value}"', " checked")
    return any(all(part in tag for part in wanted) for tag in inputs)
