"""A real SMTP server (aiosmtpd) on localhost that keeps what it receives."""

import asyncio
import email
import socket
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


class HeldInbox(Inbox):
    """Takes `allow` messages, then keeps each next one (it counts as received: its data
    arrived) without ever answering, until the gate opens: a server that stopped mid-reply."""

    def __init__(self, allow: int) -> None:
        super().__init__()
        self.allow = allow
        self.holding = threading.Event()  # a message arrived and is waiting for its answer
        self.gate = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        reply = await super().handle_DATA(server, session, envelope)
        with self.lock:
            held = len(self.received) > self.allow
        if held:
            self.holding.set()
            while not self.gate.is_set():
                await asyncio.sleep(0.02)
        return reply


class HungServer:
    """A mail server that accepts connections and never says a word until released."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        # a real server may take the port over once this one is released
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.connected = threading.Event()  # a sender connected and is waiting for a greeting
        self.released = False
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        self.listener.settimeout(0.05)  # to notice the release
        while not self.released:
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.connections.append(connection)
            self.connected.set()

    def all_held(self) -> bool:
        """True while every sender that connected is still waiting on its connection."""
        for connection in list(self.connections):
            connection.setblocking(False)
            try:
                if connection.recv(1) == b"":
                    return False  # the sender gave up and hung up
            except BlockingIOError:
                continue  # open, and the sender has nothing to say before the greeting
        return bool(self.connections)

    def release(self) -> None:
        """Hang up on every sender and stop listening: the port is free for a real server."""
        self.released = True
        self._accepting.join(timeout=10)
        self.listener.close()
        for connection in self.connections:
            connection.close()
