"""Turn an outbox row into the bytes of an email: text, HTML and, for invites, the calendar.

Layout: multipart/mixed holding multipart/alternative (text/plain, text/html,
text/calendar; method=…) and the same calendar again as an invite.ics attachment.

The MIME is written directly rather than through the email package's generator: the layout
never changes, every part is quoted-printable or base64 (so 7-bit, CRLF line ends, as SMTP
wants), and writing it directly costs a fraction of the time, which is most of the work of
sending a thousand invites. Tests read every message back with the email package.
"""

import base64
import binascii
import datetime as dt
import secrets
from email.header import Header
from email.utils import format_datetime, formataddr

import idna
from flask import current_app

from surgery.domain import ical
from surgery.links import account_link_url, written_out
from surgery.text import one_line

CRLF = b"\r\n"


def compose(message_id: int, subject: str, payload: dict, now: dt.datetime) -> bytes:
    """The whole email for one outbox row; its links are written out now, from the seeds."""
    payload = written_out(payload)
    sender, recipient = payload["sender"], payload["recipient"]
    template = f"email/{payload.get('template', 'notice')}"
    if payload.get("link"):
        link = payload["link"]
        payload = payload | {"action": {"text": link["text"], "url": account_link_url(link)}}
    alternatives = [
        _part("text/plain; charset=utf-8", _qp(_render(f"{template}.txt", payload))),
        _part("text/html; charset=utf-8", _qp(_render(f"{template}.html", payload))),
    ]
    attachments = []
    if payload.get("calendar"):
        method, calendar = calendar_bytes(payload, now)
        content_type = f"text/calendar; charset=utf-8; method={method}"
        encoded = _base64(calendar)
        alternatives.append(_part(content_type, encoded, "base64"))
        attachments.append(
            _part(
                f'{content_type}; name="invite.ics"',
                encoded,
                "base64",
                'Content-Disposition: attachment; filename="invite.ics"',
            )
        )
    if (payload.get("checkin") or {}).get("png"):
        attachments.append(_qr_code(base64.b64decode(payload["checkin"]["png"])))
    inner, outer = _boundary(), _boundary()
    alternative = _header(f'Content-Type: multipart/alternative; boundary="{inner}"')
    alternative += CRLF + _multipart(inner, alternatives)
    headers = [
        f"Subject: {_header_text(subject)}",
        f"From: {_mailbox(sender)}",
        f"To: {_mailbox(recipient)}",
        f"Date: {format_datetime(now)}",
        f"Message-ID: <outbox-{message_id}.{payload['stamp']}@{_domain(sender['email'])}>",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{outer}"',
    ]
    head = b"".join(_header(h) for h in headers)
    return head + CRLF + _multipart(outer, [alternative, *attachments])


def _render(name: str, payload: dict) -> str:
    """A mail template, rendered from the payload alone (no request, user or flashes)."""
    return current_app.jinja_env.get_template(name).render(payload)


def calendar_bytes(payload: dict, now: dt.datetime) -> tuple[str, bytes]:
    """The invite's METHOD and the calendar file for it."""
    data = payload["calendar"]
    entry = ical.Entry(
        uid=data["uid"],
        sequence=data["sequence"],
        summary=data["summary"],
        starts_at=dt.datetime.fromisoformat(data["starts_at"]),
        ends_at=dt.datetime.fromisoformat(data["ends_at"]),
        location=data["location"],
        description=data["description"],
        url=payload.get("event_url", ""),  # public: calendars are shared and synced
    )
    sender, recipient = payload["sender"], payload["recipient"]
    organiser = ical.Person(wire_address(sender["email"]), sender["name"])
    attendee = ical.Person(wire_address(recipient["email"]), recipient["name"])
    return data["method"], ical.invite(entry, data["method"], organiser, attendee, now)


def _qr_code(png: bytes) -> bytes:
    """The check-in QR code as an inline PNG after the invite (the HTML shows cid:checkin-qr)."""
    return _part(
        'image/png; name="checkin.png"',
        _base64(png),
        "base64",
        "Content-ID: <checkin-qr>",
        'Content-Disposition: inline; filename="checkin.png"',
    )


def _part(content_type: str, body: bytes, encoding="quoted-printable", *extra: str) -> bytes:
    """One leaf part: its headers, a blank line, its encoded body."""
    headers = [f"Content-Type: {content_type}", f"Content-Transfer-Encoding: {encoding}", *extra]
    return b"".join(_header(h) for h in headers) + CRLF + body


def _multipart(boundary: str, parts: list[bytes]) -> bytes:
    """Parts between boundary lines, closed by the final boundary."""
    marker = b"--" + boundary.encode("ascii")
    body = b"".join(marker + CRLF + part + CRLF for part in parts)
    return body + marker + b"--" + CRLF


def _header(line: str) -> bytes:
    """A header line (already 7-bit: names and subjects are RFC 2047 encoded) with CRLF."""
    return line.replace("\n", "\r\n").encode("ascii") + CRLF


def _mailbox(person: dict) -> str:
    """'Name <address>' for a From or To header, the name on one line."""
    return formataddr((one_line(person["name"]), wire_address(person["email"])))


def _header_text(value: str) -> str:
    """Plain ASCII as it is; anything else as an encoded word. Always one line: a line
    break in a name or title must never start a header or the body of its own."""
    value = one_line(value)
    if value.isascii():
        return value
    return Header(value, "utf-8").encode().replace("\r\n", "\n")


def _qp(text: str) -> bytes:
    """Quoted-printable UTF-8 with CRLF line ends."""
    data = text.replace("\r\n", "\n").encode("utf-8")
    return binascii.b2a_qp(data, istext=True).replace(b"\n", CRLF)


def _base64(data: bytes) -> bytes:
    """Base64 in 76-character lines: it keeps the calendar's CRLF line ends exactly."""
    return base64.encodebytes(data).replace(b"\n", CRLF)


def _boundary() -> str:
    """A random MIME boundary; "=_" never occurs in quoted-printable or base64 text."""
    return f"=_{secrets.token_hex(16)}"


def _domain(address: str) -> str:
    """The part after @, for Message-IDs."""
    return wire_address(address).rpartition("@")[2] or "localhost"


def wire_address(address: str) -> str:
    """An address as mail servers take it without SMTPUTF8: a non-ASCII domain (bücher.de)
    in its IDNA form (xn--bcher-kva.de). The forms refuse non-ASCII before the @."""
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    try:
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
    except idna.IDNAError:
        return address  # sending fails with the server's own words, kept on the message
