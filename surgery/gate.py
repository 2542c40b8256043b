"""One booking at a time in each web process.

Bookings of one day pass one at a time through the day's lock in the database. In a
threaded worker every thread shares one interpreter lock, so a booking holding the day's
lock had to win the interpreter back, after each of its round trips to the database, from
the other bookings of its process, busy reading their forms and writing their people
meanwhile; and every booking of the day, in every process, waited for it. Letting each
process run one booking at a time keeps the one holding the lock running (bench/burst.py:
300 bookings at once answered in about three quarters of the time on PostgreSQL; two at a
time per process was slower than one).

The other threads of the process still serve every other page. A booking that has waited
`BOOKING_GATE_WAIT_SECONDS` for its turn goes ahead anyway: the database's locks, not this
gate, keep places right, so the gate can make a booking wait but never lose it.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app

KEY = "surgery.booking_gate"


class Gate:
    """Lets one caller through at a time; a caller that has waited `wait_seconds` goes
    through anyway."""

    def __init__(self, wait_seconds: float) -> None:
        self.wait_seconds = wait_seconds
        self._turn = threading.Lock()

    @contextmanager
    def turn(self) -> Iterator[bool]:
        """Wait for this caller's turn; yields whether it got one (False: it waited too long
        and goes through beside another)."""
        got = self._turn.acquire(timeout=self.wait_seconds)
        try:
            yield got
        finally:
            if got:
                self._turn.release()


def register(app: Flask) -> None:
    """Give the app (each worker process's copy of it) its gate."""
    app.extensions[KEY] = Gate(app.config["BOOKING_GATE_WAIT_SECONDS"])


def booking_turn():
    """Wait for this process's turn to book (see the module's notes)."""
    return current_app.extensions[KEY].turn()
