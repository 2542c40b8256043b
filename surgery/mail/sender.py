"""The web process's own sender: one thread that sends what requests queued, after they end.

A request that queued mail wakes it once its response has gone; the thread sends with its
own app context and database session, so a slow or hung mail server holds up this thread
only, never a request. The thread starts on the first wake-up in each process, so gunicorn
workers forked from one master each start their own.
"""

import logging
import os
import threading
import weakref

from flask import Flask, g

from surgery.mail.outbox import send_due

log = logging.getLogger(__name__)


class BackgroundSender:
    """One daemon thread per process, woken by requests that queued mail."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._reset()
        _senders.add(self)

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
            self._wake.clear()
            self._send()

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

    @app.after_request
    def wake_sender(response):
        if g.get("outbox_added") and app.config["MAIL_SEND_AFTER_REQUEST"]:
            response.call_on_close(sender.wake)
        return response
