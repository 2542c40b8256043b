"""SQLite's writers wait their turn in a queue instead of sleeping while the lock is taken.

SQLite lets one transaction write at a time. One that finds the write lock taken sleeps in
SQLite's busy handler, in growing steps (1, 2, 5 … 100 ms), and tries again: in a burst the
lock sits idle while the writer that could have it sleeps. Here a transaction that will
write first waits for its turn, held by at most one of a database's connections at a time:
within a process on a thread lock, across processes on an OS lock of a file beside the
database (`<database>-writers`). It then begins with `BEGIN IMMEDIATE`, finds SQLite's lock
free, and gives its turn back the moment its transaction ends (commit, rollback or close),
so the next writer starts at once.

Every wait is bounded: after the busy timeout a writer goes ahead without its turn and
SQLite's busy handler decides, as before, so the queue can delay a writer but never block
one for good. Transactions that only read never take a turn; the writer holding one waits
only for SQLite's lock, which nothing waiting for a turn holds (WAL readers never block a
writer). A process that dies gives its file lock back with it.
"""

import fcntl
import os
import sqlite3
import threading
import time

POLL_SECONDS = 0.0005  # how often a process asks again for the lock another process holds


class _Turns:
    """The turns of one database file in this process: a thread lock, then the file lock."""

    def __init__(self, database: str):
        self.thread_lock = threading.Lock()
        self.file = os.open(f"{database}-writers", os.O_RDWR | os.O_CREAT, 0o600)

    def take(self, timeout: float) -> bool:
        """Wait for the turn, at most `timeout` seconds; True if taken."""
        deadline = time.monotonic() + timeout
        if not self.thread_lock.acquire(timeout=timeout):
            return False
        while True:
            try:
                fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self.thread_lock.release()
                    return False
                time.sleep(POLL_SECONDS)

    def give_back(self) -> None:
        """End the turn: the next writer, in this process or another, may start."""
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.thread_lock.release()


_turns: dict[tuple[int, str], _Turns] = {}
_making = threading.Lock()


def _turns_of(database: str) -> _Turns:
    """This process's turns of a database file (a forked child makes its own)."""
    key = (os.getpid(), os.path.abspath(database))
    turns = _turns.get(key)
    if turns is None:
        with _making:
            turns = _turns.setdefault(key, _Turns(key[1]))
    return turns


class QueuedConnection(sqlite3.Connection):
    """A SQLite connection that gives its writer's turn back when its transaction ends."""

    def __init__(self, database, *args, **kwargs):
        super().__init__(database, *args, **kwargs)
        self.database = database
        self.turn: _Turns | None = None

    def take_turn(self, timeout: float) -> None:
        """Wait for this database's writers' turn before beginning a write transaction."""
        if self.turn is None:
            turns = _turns_of(self.database)
            self.turn = turns if turns.take(timeout) else None

    def give_turn_back(self) -> None:
        """Let the next writer start (nothing if this connection has no turn)."""
        turn, self.turn = self.turn, None
        if turn is not None:
            turn.give_back()

    def commit(self):
        try:
            super().commit()
        finally:
            self.give_turn_back()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self.give_turn_back()

    def close(self):
        try:
            super().close()
        finally:
            self.give_turn_back()


def queues(database: str) -> bool:
    """True for a database kept in a file, whose writers can queue; not for one in memory."""
    return bool(database) and database != ":memory:" and not database.startswith("file:")
