"""Reading the mail people receive: a real SMTP server, and invites parsed from its bytes.

Every calendar is read twice: as the raw bytes that arrived, and with vobject, a parser
that shares no code with the writer in surgery/domain/ical.py.

Loaded for every test by tests/conftest.py (pytest_plugins).
"""

import datetime as dt
import email
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

import pytest
import vobject

from surgery.mail.outbox import send_due
from tests.smtp import SmtpServer

MANAGE_LINK = re.compile(r"https?://[^/\s]+(/bookings/[\w-]+)")


@dataclass
class Received:
    """One message as the SMTP server got it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage

    @property
    def to(self) -> str:
        """The one recipient's address."""
        return self.message["To"].addresses[0].addr_spec


class Mailbox:
    """What a real SMTP server received, read a batch at a time."""

    def __init__(self, app, server: SmtpServer) -> None:
        self.app = app
        self.server = server
        self.seen = 0

    def deliver(self) -> list[Received]:
        """Send what is due, as the worker does, and return what arrived since last time."""
        with self.app.app_context():
            send_due()
        return self.collect()

    def collect(self) -> list[Received]:
        """What arrived since last time, however it was sent."""
        with self.server.inbox.lock:
            received = list(self.server.inbox.received[self.seen :])
        self.seen += len(received)
        return [
            Received(sender, rcpts, raw, email.message_from_bytes(raw, policy=policy.default))
            for sender, rcpts, raw in received
        ]

    def deliver_to(self) -> dict[str, Received]:
        """Send what is due and return the new messages by recipient, one each."""
        received = self.deliver()
        by_address = {r.to: r for r in received}
        assert len(by_address) == len(received), "someone got two messages"
        return by_address


@pytest.fixture
def smtp(app):
    """A real SMTP server on localhost, with the app sending to it for this test."""
    server = SmtpServer()
    server.start()
    saved = {name: app.config[name] for name in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    try:
        yield server
    finally:
        app.config.update(saved)
        server.stop()


@pytest.fixture
def mailbox(app, db_session, smtp) -> Mailbox:
    """The messages the SMTP server receives during this test."""
    return Mailbox(app, smtp)


@dataclass
class Invite:
    """A calendar invite found in an email, read from the bytes that arrived."""

    method: str  # the MIME part's method= parameter
    raw: bytes  # the calendar file exactly as received
    calendar: vobject.base.Component  # parsed by vobject

    @property
    def event(self):
        """The one VEVENT."""
        return self.calendar.vevent

    @property
    def uid(self) -> str:
        return self.event.uid.value

    @property
    def sequence(self) -> int:
        return int(self.event.sequence.value)

    @property
    def starts(self) -> dt.datetime:
        return self.event.dtstart.value.astimezone(dt.UTC)

    @property
    def status(self) -> str:
        return self.event.status.value

    @property
    def url(self) -> str:
        """The entry's URL: the public page of its day."""
        return self.event.url.value


def invite_in(received: Received) -> Invite:
    """The invite of an email, checking its MIME layout and that both parsers agree.

    multipart/mixed > [multipart/alternative > [text/plain, HTML, text/calendar], invite.ics
    attachment], where HTML is text/html or, for those who can check in, multipart/related >
    [text/html, their QR code as image/png]; with the MIME method= equal to the calendar's
    METHOD.
    """
    message = received.message
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    parts = alternative.get_payload()
    assert [p.get_content_type() for p in parts[::2]] == ["text/plain", "text/calendar"]
    assert html_of(received) is not None
    inline = parts[2]
    assert inline.get_param("charset") == "utf-8"
    assert inline.get_content_disposition() is None
    method = inline.get_param("method")
    assert method in ("REQUEST", "CANCEL")
    raw = inline.get_payload(decode=True)

    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_param("method") == method
    assert attachment.get_payload(decode=True) == raw

    calendar = parse_calendar(raw)
    assert calendar.method.value == method
    assert len(calendar.vevent_list) == 1
    event = calendar.vevent
    for name in ("uid", "dtstamp", "dtstart", "dtend", "organizer", "attendee", "sequence"):
        assert name in event.contents, f"no {name.upper()} in the invite"
    assert len(event.attendee_list) == 1
    assert is_utc(event.dtstamp.value)
    assert re.search(rb"\r\nDTSTAMP:\d{8}T\d{6}Z\r\n", raw)
    return Invite(method, raw, calendar)


def html_of(received: Received):
    """The HTML part, checking where it sits: second of the alternatives, alone or inside
    multipart/related with exactly the QR code image it shows."""
    alternative = next(
        p for p in received.message.walk() if p.get_content_type() == "multipart/alternative"
    )
    html = alternative.get_payload()[1]
    if html.get_content_type() == "text/html":
        assert "cid:" not in html.get_content()
        return html
    assert html.get_content_type() == "multipart/related"
    page, image = html.get_payload()
    assert (page.get_content_type(), image.get_content_type()) == ("text/html", "image/png")
    assert image["Content-ID"] == "<checkin-qr>"
    assert 'src="cid:checkin-qr"' in page.get_content()
    assert image.get_payload(decode=True).startswith(b"\x89PNG\r\n\x1a\n")
    return page


def qr_images(received: Received) -> list:
    """Every image in the email (the check-in QR code, if any)."""
    return [p for p in received.message.walk() if p.get_content_type() == "image/png"]


def parse_calendar(raw: bytes):
    """A calendar file read by vobject, after checking its lines are CRLF and folded."""
    assert_crlf_and_folded(raw)
    calendar = vobject.readOne(raw.decode("utf-8"))
    assert calendar.name == "VCALENDAR"
    assert calendar.version.value == "2.0"
    return calendar


def assert_crlf_and_folded(raw: bytes) -> None:
    """Every line ends in CRLF and is at most 75 octets, never split inside a character."""
    assert raw.endswith(b"\r\n")
    lines = raw[:-2].split(b"\r\n")
    for line in lines:
        assert b"\n" not in line and b"\r" not in line, line
        assert len(line) <= 75, (len(line), line)
        line.decode("utf-8")  # a fold inside a multi-byte character breaks this


def is_utc(moment: dt.datetime) -> bool:
    """True for an aware datetime at UTC."""
    return moment.tzinfo is not None and moment.utcoffset() == dt.timedelta(0)


def has_calendar(received: Received) -> bool:
    """True if any part of the email is a calendar."""
    return any(part.get_content_type() == "text/calendar" for part in received.message.walk())


def manage_path_in(received: Received) -> str:
    """The path of the private manage link in an email's text (calendars never carry it)."""
    match = MANAGE_LINK.search(text_of(received))
    assert match, text_of(received)
    return match.group(1)


def text_of(received: Received, subtype: str = "plain") -> str:
    """The decoded text/plain (or text/html) body."""
    part = received.message.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    return part.get_content()


def words_of(received: Received) -> str:
    """The text/plain body without its links, whose random tokens may spell any short name."""
    return re.sub(r"https?://\S+", "", text_of(received))
