"""SQLite's writers take turns: every write lands, in order, and a turn is always given back.

These run on a SQLite file of their own whatever the test database is: the queue is how
SQLite's writers wait (PostgreSQL locks rows instead). Each writer reads a tally and writes
it back one higher, in one transaction, so a write lost or made out of turn would show as
a tally short of the writes made or a number written twice.
"""

import contextlib
import fcntl
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from surgery.extensions import db
from tests.conftest import make_app

THREADS = 6
ROUNDS = 40

# One worker process: ROUNDS writes, each reading the tally and writing it one higher.
WORKER = """
import os, sys, time
import sqlalchemy as sa
from surgery import create_app
from surgery.extensions import db
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "x",
                  "MAIL_OUTBOX_FOLDER": sys.argv[3]})
with app.app_context():
    open(os.path.join(sys.argv[3], f"ready-{os.getpid()}"), "w").close()
    while not os.path.exists(os.path.join(sys.argv[3], "go")):
        time.sleep(0.01)
    for _ in range(int(sys.argv[2])):
        with db.engine.begin() as connection:
            n = connection.execute(sa.text("SELECT max(n) FROM tally")).scalar() or 0
            connection.execute(sa.text("INSERT INTO tally (n, who) VALUES (:n, 'process')"),
                               {"n": n + 1})
    db.engine.dispose()
"""


@pytest.fixture
def tally(tmp_path: Path):
    """An app on a SQLite file of its own holding an empty tally table; its path."""
    path = tmp_path / "writers.sqlite3"
    app = make_app(f"sqlite:///{path}", SQLITE_BUSY_TIMEOUT_SECONDS=30)
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE tally (n INTEGER UNIQUE, who TEXT)"))
    yield app, path
    with app.app_context():
        db.engine.dispose()


def write_once(app, who: str) -> None:
    """One read-then-write transaction: the tally, one higher."""
    with app.app_context(), db.engine.begin() as connection:
        n = connection.execute(sa.text("SELECT max(n) FROM tally")).scalar() or 0
        connection.execute(
            sa.text("INSERT INTO tally (n, who) VALUES (:n, :who)"), {"n": n + 1, "who": who}
        )


def written(path: Path) -> list[int]:
    """The tally's numbers, in order, read as an outsider would (taking no turn)."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return [n for (n,) in connection.execute("SELECT n FROM tally ORDER BY n")]


def turn_is_free(path: Path) -> bool:
    """True if no writer holds the database's turn (asked as another process would)."""
    other = os.open(f"{path}-writers", os.O_RDWR)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(other, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(other)


def test_threads_writing_at_once_all_land_in_order(tally):
    app, path = tally
    start, failures = threading.Barrier(THREADS), []

    def writer(name: str):
        start.wait()
        try:
            for _ in range(ROUNDS):
                write_once(app, name)
        except Exception as error:  # noqa: BLE001 - any failure is what the test reports
            failures.append(error)

    threads = [threading.Thread(target=writer, args=(f"t{i}",)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    assert written(path) == list(range(1, THREADS * ROUNDS + 1))
    assert turn_is_free(path)


def test_two_processes_and_threads_writing_at_once_all_land(tally, tmp_path):
    app, path = tally
    url = f"sqlite:///{path}"
    command = [sys.executable, "-c", WORKER, url, str(ROUNDS), str(tmp_path)]
    root = Path(__file__).resolve().parent.parent
    processes = [subprocess.Popen(command, cwd=root) for _ in range(2)]
    while len(list(tmp_path.glob("ready-*"))) < 2 and all(p.poll() is None for p in processes):
        time.sleep(0.05)  # both started, so all three write at once
    (tmp_path / "go").touch()
    for _ in range(ROUNDS):  # this process writes meanwhile, as a third
        write_once(app, "test")
    assert [process.wait(120) for process in processes] == [0, 0]
    assert written(path) == list(range(1, 3 * ROUNDS + 1))
    assert turn_is_free(path)


def test_a_write_transaction_holds_the_turn_until_it_ends(tally):
    app, path = tally
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO tally (n, who) VALUES (1, 'kept')"))
            assert not turn_is_free(path)
        assert turn_is_free(path)
        connection = db.engine.connect()
        connection.begin()
        connection.execute(sa.text("INSERT INTO tally (n, who) VALUES (2, 'undone')"))
        assert not turn_is_free(path)
        connection.rollback()
        assert turn_is_free(path)
        connection.close()
    assert written(path) == [1]


def test_a_writer_waits_for_another_processs_turn_then_writes(tally):
    app, path = tally
    other = os.open(f"{path}-writers", os.O_RDWR)
    fcntl.flock(other, fcntl.LOCK_EX)  # as a writer of another process would
    done = threading.Event()
    writer = threading.Thread(target=lambda: (write_once(app, "waited"), done.set()))
    writer.start()
    try:
        assert not done.wait(0.3)
        assert written(path) == []
    finally:
        fcntl.flock(other, fcntl.LOCK_UN)
        os.close(other)
    writer.join(30)
    assert written(path) == [1]


def test_a_turn_never_given_back_delays_a_writer_but_never_stops_it(tmp_path):
    path = tmp_path / "stuck.sqlite3"
    app = make_app(f"sqlite:///{path}", SQLITE_BUSY_TIMEOUT_SECONDS=0.2)
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE tally (n INTEGER UNIQUE, who TEXT)"))
    other = os.open(f"{path}-writers", os.O_RDWR)
    fcntl.flock(other, fcntl.LOCK_EX)  # held for good: SQLite's own lock is free
    try:
        write_once(app, "after the wait")
    finally:
        fcntl.flock(other, fcntl.LOCK_UN)
        os.close(other)
    assert written(path) == [1]
    with app.app_context():
        db.engine.dispose()


def test_reading_takes_no_turn(tmp_path):
    path = tmp_path / "reads.sqlite3"
    reader = make_app(f"sqlite:///{path}")
    with reader.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE tally (n INTEGER UNIQUE, who TEXT)"))
    with reader.test_request_context("/", method="GET"):
        seen = db.session.scalars(sa.text("SELECT count(*) FROM tally")).one()
        free_while_reading = turn_is_free(path)
        db.session.remove()
    assert (seen, free_while_reading) == (0, True)
    with reader.app_context():
        db.engine.dispose()
