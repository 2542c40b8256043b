"""How quickly a change made on one organiser's screen reaches another's, over a real server.

One listener holds the floor's event stream (server-sent events); another process marks
someone arrived, as the check-in page would; we time until the stream says so, then until
the floor's changing part has been fetched again. Used by bench/day.py.
"""

import http.client
import statistics
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa
from web import in_process

from surgery.bookings.models import Registration
from surgery.database import utcnow
from surgery.extensions import db


class Stream(threading.Thread):
    """Reads an event stream; wakes whoever waits for the next event."""

    def __init__(self, base: str, path: str, cookie: str):
        super().__init__(daemon=True)
        parts = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.path, self.cookie = path, cookie
        self.events: list[tuple[float, str]] = []
        self.arrived = threading.Condition()

    def run(self):
        """Listen, connecting again when the server ends the stream (as a browser does)."""
        while True:
            try:
                self.connection.request("GET", self.path, headers={"Cookie": self.cookie})
                for line in self.connection.getresponse():
                    if line.startswith(b"data: "):
                        with self.arrived:
                            self.events.append((time.perf_counter(), line[6:].decode().strip()))
                            self.arrived.notify_all()
            except (OSError, AttributeError, ValueError, http.client.HTTPException):
                return

    def next_after(self, count: int, seconds: float = 30) -> tuple[float, str] | None:
        """The first event after the first `count` ones, waiting for it."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.events) > count, timeout=seconds)
            return self.events[count] if len(self.events) > count else None


def rounds(
    base: str, cookie: str, url: str, tmp: Path, session_id: int, event_id: int, n: int = 20
):
    """n changes, each timed to the stream's event and to the fragment fetched after it;
    (median ms to the event, median ms to the new fragment, events missed)."""
    stream = Stream(base, f"/organise/sessions/{session_id}/floor/events", cookie)
    stream.start()
    first = stream.next_after(0)
    if first is None:
        raise RuntimeError("the event stream sent nothing")
    to_event, to_fragment, missed = [], [], 0
    fragment = f"{base}/organise/sessions/{session_id}/floor/live"
    with in_process(url, tmp):
        people = list(
            db.session.scalars(
                sa.select(Registration)
                .where(Registration.event_id == event_id, Registration.checked_in_at.is_(None))
                .limit(n)
            )
        )
        for registration in people:
            seen = len(stream.events)
            started = time.perf_counter()
            registration.checked_in_at = utcnow()
            db.session.commit()  # moves the day's counter, as the check-in page does
            event = stream.next_after(seen)
            if event is None:
                missed += 1
                continue
            to_event.append((event[0] - started) * 1000)
            request = urllib.request.Request(fragment, headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=30) as page:
                page.read()
            to_fragment.append((time.perf_counter() - started) * 1000)
            time.sleep(0.05)
    stream.connection.close()
    median = statistics.median
    return (median(to_event) if to_event else 0, median(to_fragment) if to_fragment else 0, missed)


def not_modified_etag(base: str, cookie: str, session_id: int) -> str:
    """The ETag of the floor's changing part as it is now."""
    request = urllib.request.Request(
        f"{base}/organise/sessions/{session_id}/floor/live", headers={"Cookie": cookie}
    )
    with urllib.request.urlopen(request, timeout=30) as page:
        return page.headers["ETag"]
