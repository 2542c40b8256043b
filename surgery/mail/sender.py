"""The web process's own sender: one thread that sends what requests queued, after they end.

A request that queued mail wakes it once its response has gone; the thread sends with its
own app context and database session, so a slow or hung mail server holds up this thread
only, never a request. The thread starts on the first wake-up in each process, so gunicorn
workers forked from one master each start their own.

It gives way to people: woken, it waits until no request has begun in this process for
MAIL_AFTER_REQUEST_PAUSE_SECONDS, or for MAIL_AFTER_REQUEST_WAIT_SECONDS at most
(surgery.domain.quiet). In a burst of bookings the answers come first and their emails
follow a moment later, instead of every answer waiting behind the emails of those before.
"""

import logging
import os
import threading
import time
import weakref

from flask import Flask, g, request_started

from surgery.domain.quiet import seconds_to_wait
from surgery.mail.outbox import send_due

log = logging.getLogger(__name__)


class BackgroundSender:
    """One daemon thread per process, woken by requests that queued mail."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.last_request_at = time.monotonic()
        self._reset()
        _senders.add(self)

    def request_began(self) -> None:
        """A request has begun in this process: sending waits for the pause after it."""
        self.last_request_at = time.monotonic()

    def _reset(self) -> None:
        """Forget any thread: after a fork, the child has none of its parent's threads."""
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        """Ask the thread to send what is due, starting it first if need be."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        """Wait to be woken, send, and wait again; a wake-up while sending means send again."""
        while True:
            self._wake.wait()
            self._wait_for_a_pause()
            self._wake.clear()
            self._send()

    def _wait_for_a_pause(self) -> None:
        """Wait until requests pause, or for the longest wait allowed."""
        pause = self.app.config["MAIL_AFTER_REQUEST_PAUSE_SECONDS"]
        longest = self.app.config["MAIL_AFTER_REQUEST_WAIT_SECONDS"]
        woken_at = time.monotonic()
        while wait := seconds_to_wait(
            time.monotonic(), woken_at, self.last_request_at, pause, longest
        ):
            time.sleep(wait)

    def _send(self) -> None:
        """Send up to the limit; whatever fails stays queued for the next round or the worker."""
        with self.app.app_context():
            try:
                send_due(limit=self.app.config["MAIL_AFTER_REQUEST_LIMIT"])
            except Exception:  # the thread lives on; the messages stay in the outbox
                log.exception("sending after a request failed; messages stay queued")


_senders: weakref.WeakSet[BackgroundSender] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for sender in list(_senders):
        sender._reset()


os.register_at_fork(after_in_child=_after_fork_in_child)


def register(app: Flask) -> None:
    """After a request that queued mail has committed and answered, wake the sender."""
    sender = BackgroundSender(app)
    app.extensions["mail_sender"] = sender

    def began(_app, **_extra):
        sender.request_began()

    request_started.connect(began, app, weak=False)

    @app.after_request
    def wake_sender(response):
        if g.get("outbox_added") and app.config["MAIL_SEND_AFTER_REQUEST"]:
            response.call_on_close(sender.wake)
        return response
