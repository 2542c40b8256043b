"""A real SMTP server (aiosmtpd) on localhost that keeps what it receives."""

import email
import threading
from email import policy

from aiosmtpd.controller import Controller

from tests.live_server import free_port


class Inbox:
    """aiosmtpd handler: every message received, as bytes with its envelope."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def messages(self):
        """Parsed messages, in the order received."""
        with self.lock:
            raw = [content for _, _, content in self.received]
        return [email.message_from_bytes(content, policy=policy.default) for content in raw]


class SmtpServer:
    """Start, stop and restart a local SMTP server on one fixed port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        """Listen on the port."""
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """Stop listening: connections are refused, as with a dead server."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
