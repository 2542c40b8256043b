"""The short-lived copy of public pages served to visitors without a cookie."""

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from surgery.database import utcnow
from surgery.events.models import Event, EventSession
from surgery.extensions import db
from tests.conftest import make_app


@pytest.fixture
def cached_app(tmp_path):
    """An app with the page cache on, over a database of its own with one event."""
    app = make_app(f"sqlite:///{tmp_path / 'cache.sqlite3'}", PAGE_CACHE_SECONDS=60)
    with app.app_context():
        upgrade()
        from surgery import demo

        demo.make_showcase()
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def first_upcoming(app) -> int:
    """The id of the first day the front page lists (the demo's first is over)."""
    with app.app_context():
        query = sa.select(EventSession.event_id).where(EventSession.starts_at > utcnow())
        return db.session.scalar(query.order_by(EventSession.starts_at).limit(1))


def rename_first_event(app, title: str) -> None:
    """Change the data behind the app's back, as another worker process would."""
    upcoming = first_upcoming(app)
    with app.app_context():
        db.session.execute(sa.update(Event).where(Event.id == upcoming).values(title=title))
        db.session.commit()


def test_anonymous_visitors_get_the_recent_copy(cached_app):
    client = cached_app.test_client(use_cookies=False)
    first = client.get("/").get_data(as_text=True)
    rename_first_event(cached_app, "Renamed day")
    assert client.get("/").get_data(as_text=True) == first
    assert "Renamed day" not in first


def test_a_visitor_with_a_cookie_always_sees_fresh_pages(cached_app):
    client = cached_app.test_client(use_cookies=False)
    page = f"/events/{first_upcoming(cached_app)}"
    client.get(page)
    rename_first_event(cached_app, "Renamed day")
    fresh = client.get(page, headers={"Cookie": "session=abc"})
    assert "Renamed day" in fresh.get_data(as_text=True)


def test_a_write_through_this_process_clears_the_copies(cached_app):
    client = cached_app.test_client(use_cookies=False)
    client.get("/")
    rename_first_event(cached_app, "Renamed day")
    client.post("/login", data={})  # any write, even a refused one
    assert "Renamed day" in client.get("/").get_data(as_text=True)


def test_only_successful_pages_are_kept(cached_app):
    client = cached_app.test_client(use_cookies=False)
    assert client.get("/events/2").status_code == 200
    with cached_app.app_context():
        hidden = db.session.get(Event, 3)
        hidden.status = "draft"
        db.session.commit()
    assert client.get("/events/3").status_code == 404
    with cached_app.app_context():
        db.session.get(Event, 3).status = "published"
        db.session.commit()
    assert client.get("/events/3").status_code == 200
