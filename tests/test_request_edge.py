"""The request edge: a change is committed once, and a refused change leaves nothing behind.

Routes of its own are added to a fresh app, each writing a row and then being refused in
a different way, so the test sees what reached the database and what the person was told.
"""

import pytest
import sqlalchemy as sa
from flask import get_flashed_messages, redirect
from flask_migrate import upgrade

from surgery import web
from surgery.database import reading_first
from surgery.domain.errors import DomainError, NotFound
from surgery.extensions import db
from surgery.vocabulary.models import Topic
from tests.conftest import make_app


def add_topic(name: str) -> Topic:
    """A service's write: a row added and flushed, as services do."""
    topic = Topic(name=name, position=1)
    db.session.add(topic)
    db.session.flush()
    return topic


def refuse(name: str, error: DomainError):
    """A service that writes, then finds a rule says no."""
    add_topic(name)
    raise error


@pytest.fixture
def edge(live_database):
    """An app with routes that change things through the edge, on a committed database."""
    app = make_app(live_database, WTF_CSRF_ENABLED=False)

    @app.post("/t/kept")
    def kept():
        topic = web.run(lambda: add_topic("Edge kept"))
        return f"kept {topic.name}"

    @app.post("/t/refused")
    def refused():
        errors: list[str] = []
        answer = web.run(lambda: refuse("Edge refused", DomainError("Not now.")), errors)
        web.run(lambda: add_topic("Edge after"))  # a later change commits only itself
        return f"refused={web.refused(answer)} errors={errors}"

    @app.post("/t/press")
    def pressed():
        web.press(lambda: refuse("Edge pressed", DomainError("That day is over.")), "Done.")
        return redirect("/t/said", code=303)

    @app.get("/t/said")
    def said():
        return " | ".join(get_flashed_messages())

    @app.post("/t/escaped")
    def escaped():
        add_topic("Edge escaped")
        raise DomainError("This day is cancelled, so it cannot be booked.")

    @app.post("/t/missing")
    def missing():
        web.run(lambda: refuse("Edge missing", NotFound("No such booking.")))
        return "not reached"

    @app.post("/t/read-first")
    def read_first():
        with reading_first():  # as the booking form: read the page's rows, then change
            seen = len(db.session.scalars(sa.select(Topic)).all())
            topic = web.run(lambda: add_topic("Edge read first"))
        return f"read {seen}, kept {topic.name}"

    with app.app_context():
        upgrade()
    yield app


def topics(app) -> list[str]:
    """Every topic name in the database, as another connection sees it."""
    with app.app_context():
        db.session.remove()
        return list(db.session.scalars(sa.select(Topic.name).order_by(Topic.name)))


def test_a_change_that_goes_through_is_committed(edge):
    assert edge.test_client().post("/t/kept").text == "kept Edge kept"
    assert "Edge kept" in topics(edge)


def test_a_refused_change_is_rolled_back_and_said_on_the_form(edge):
    answer = edge.test_client().post("/t/refused").text
    assert answer == "refused=True errors=['Not now.']"
    assert "Edge refused" not in topics(edge)
    assert "Edge after" in topics(edge)


def test_a_refused_button_says_why_on_the_next_page(edge):
    client = edge.test_client()
    shown = client.post("/t/press", follow_redirects=True).text
    assert shown == "That day is over."
    assert "Edge pressed" not in topics(edge)


def test_a_refusal_that_escapes_a_view_is_a_plain_409_and_nothing_is_kept(edge):
    answer = edge.test_client().post("/t/escaped")
    assert answer.status_code == 409
    assert "This day is cancelled, so it cannot be booked." in answer.text
    assert "Edge escaped" not in topics(edge)


def test_something_not_found_is_the_404_page_and_nothing_is_kept(edge):
    answer = edge.test_client().post("/t/missing")
    assert answer.status_code == 404
    assert "Page not found" in answer.text
    assert "Edge missing" not in topics(edge)


def test_a_post_that_reads_first_takes_the_write_lock_only_for_its_change(edge):
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0] + (" IMMEDIATE" * ("IMMEDIATE" in statement)))

    ends: list[str] = []
    with edge.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    sa.event.listen(engine, "rollback", lambda _conn: ends.append("rollback"))
    sa.event.listen(engine, "commit", lambda _conn: ends.append("commit"))
    try:
        answer = edge.test_client().post("/t/read-first").text
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert answer.startswith("read ") and answer.endswith("kept Edge read first")
    assert "Edge read first" in topics(edge)
    if engine.dialect.name == "sqlite":  # PostgreSQL begins its transactions unseen
        assert statements[:2] == ["BEGIN", "SELECT"]  # the reads hold no write lock
        assert statements[2:4] == ["BEGIN IMMEDIATE", "INSERT"]  # the change takes it
        assert ends[:2] == ["rollback", "commit"]  # the reading ends before the change
    else:  # rows are locked one by one: the reads and the change share a transaction
        assert ends[:1] == ["commit"]
