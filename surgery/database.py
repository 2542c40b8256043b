"""Database behaviour shared by every model: UTC times, SQLite's locking, durability."""

import contextlib
import contextvars
import datetime as dt
import sqlite3

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy.types import TypeDecorator

from surgery import sqlite_writers
from surgery.domain.tokens import hash_token
from surgery.extensions import db

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}
_relaxed = contextvars.ContextVar("relaxed_durability", default=False)
_writing = contextvars.ContextVar("writing_while_reading", default=False)
_reading_first = contextvars.ContextVar("reading_before_the_change", default=False)


def utcnow() -> dt.datetime:
    """Now, timezone-aware in UTC; a callable for column defaults."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite stores it naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Store UTC; refuse naive values, which would be ambiguous."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is stored")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        """Give back an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


@contextlib.contextmanager
def relaxed_durability():
    """Transactions begun inside may be lost if the machine crashes, never if the process dies.

    For writes that cost little to lose, many times a second: the mail sender records each
    message as sent the moment the server took it, and a record lost with the machine means
    one message sent again. Waiting for the disk at each of those commits would cost more
    than the sending. SQLite: synchronous=NORMAL on its write-ahead log; PostgreSQL:
    synchronous_commit off, for this transaction only.
    """
    token = _relaxed.set(True)
    try:
        yield
    finally:
        _relaxed.reset(token)


@contextlib.contextmanager
def writing():
    """Transactions begun inside write, even in a request that only reads (a GET).

    On SQLite a GET's transaction begins without the write lock; one that then writes must
    upgrade its lock, and under load that fails at once instead of waiting its turn.
    """
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


@contextlib.contextmanager
def reading_first():
    """A POST whose reads (the page's rows, the form) come before its change and need no lock.

    On SQLite any other transaction of a POST begins with the write lock (BEGIN IMMEDIATE),
    so a booking held every other booking up while it read the day, the vocabularies and its
    form. Inside, transactions begin without it, and `web.run` ends the reading one before the
    change begins its own, with the lock, which it then holds only for the change itself.
    """
    token = _reading_first.set(True)
    try:
        yield
    finally:
        _reading_first.reset(token)


def end_reading() -> None:
    """Inside reading_first: what comes next writes.

    On SQLite the transaction that only read is ended, so the next begins with the write
    lock. PostgreSQL locks rows, not the database, and each statement sees what is committed
    when it starts: the change goes on in the same transaction, with what was read still
    loaded, and saves the round trips of ending one transaction and beginning another.
    """
    if _reading_first.get():
        _reading_first.set(False)
        if db.session.get_bind().dialect.name == "sqlite":
            db.session.rollback()


def init_engine(app) -> None:
    """Set up SQLite so writers queue instead of failing with 'database is locked'."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "postgresql":

        @sa.event.listens_for(engine, "begin")
        def relax_if_asked(connection):
            if _relaxed.get():
                connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")

    if engine.dialect.name != "sqlite":
        return
    timeout = app.config["SQLITE_BUSY_TIMEOUT_SECONDS"]
    queued = sqlite_writers.queues(engine.url.database or "")
    if queued:

        @sa.event.listens_for(engine, "do_connect")
        def queue_its_writers(_dialect, _record, _args, params):
            params["factory"] = sqlite_writers.QueuedConnection

    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record):
        # SQLAlchemy emits BEGIN itself (below) instead of pysqlite's implicit one
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(connection):
        synchronous = "NORMAL" if _relaxed.get() else "FULL"
        if connection.info.get("synchronous") != synchronous:  # set outside a transaction
            connection.exec_driver_sql(f"PRAGMA synchronous = {synchronous}")
            connection.info["synchronous"] = synchronous
        if reads_only() and not _writing.get():
            connection.exec_driver_sql("BEGIN")
            return
        dbapi_connection = connection.connection.dbapi_connection
        if queued:  # the next writer in line, so it starts the moment the last one ends
            dbapi_connection.take_turn(timeout)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if queued:
                dbapi_connection.give_turn_back()
            raise


def reads_only() -> bool:
    """True inside a GET-like request: its transaction need not take the write lock.

    Any other transaction starts with BEGIN IMMEDIATE, so a read-then-write on SQLite
    waits its turn up front instead of failing to upgrade its lock later.
    """
    if not has_request_context():
        return False
    return request.method in READ_ONLY_METHODS or _reading_first.get()


def by_token(model, token: str):
    """The row (a registration or a surgeon) a private manage token belongs to, if any."""
    query = sa.select(model).where(model.token_hash == hash_token(token))
    return db.session.scalars(query).one_or_none()


def lock_row(model, row_id: int):
    """Load one row with a row lock (PostgreSQL; SQLite's transaction is already locked).

    Its values are read again under the lock, so a decision (and the version an UPDATE
    checks) never rests on what was read before another transaction committed. The lock is
    FOR NO KEY UPDATE: it waits for every other lock of the row, but not for transactions
    that only wrote rows referring to it (a new registration holds its day's row FOR KEY
    SHARE until it commits). FOR UPDATE would wait for those too, and two bookings that
    each wrote their registration and then asked for the day's lock would wait for each
    other for good. Deleting the row still waits for them.
    """
    query = sa.select(model).where(model.id == row_id).with_for_update(key_share=True)
    return db.session.scalars(query.execution_options(populate_existing=True)).one_or_none()


def fresh(row):
    """The same row, its values read again from the database (after taking a lock)."""
    query = sa.select(type(row)).where(type(row).id == row.id)
    return db.session.scalars(query.execution_options(populate_existing=True)).one()
