"""Turn an outbox row into the bytes of an email: text, HTML and, for invites, the calendar.

Layout: multipart/mixed holding multipart/alternative (text/plain; text/html, inside
multipart/related with the check-in QR code image when there is one; text/calendar;
method=…) and the same calendar again as an invite.ics attachment.

The calendar is written from the booking or slot as it is now (surgery.mail.current), not
as it was when the message was queued, and the QR code image is made now too. From and the
calendar's ORGANIZER are the site's own address (so the mail passes DMARC); replies go to
the day's organiser.

The MIME is written directly rather than through the email package's generator: the layout
never changes, every part is quoted-printable or base64 (so 7-bit, CRLF line ends, as SMTP
wants), and writing it directly costs a fraction of the time, which is most of the work of
sending a thousand invites. Tests read every message back with the email package.
"""

import base64
import binascii
import datetime as dt
import functools
import secrets
from email.utils import format_datetime, formataddr

import idna
from flask import current_app

from surgery.domain import ical
from surgery.links import account_link_url, written_out
from surgery.mail import rfc2047
from surgery.qr import qr_image
from surgery.text import one_line

CRLF = b"\r\n"


def compose(message_id: int, subject: str, payload: dict, now: dt.datetime, current=None) -> bytes:
    """The whole email for one outbox row; its links are written out now, from the seeds.

    `current` is its booking or slot as it is now (a surgery.mail.current.Now), if it has one.
    """
    payload = written_out(payload)
    if current is not None:  # the session's details as they are now; the words as queued
        payload |= {"session": current.session, "event": current.event}
    payload["intro"] = _intro(payload, current)
    payload["checkin"] = _checkin(payload, current)
    sender = sender_address()
    template = f"email/{payload.get('template', 'notice')}"
    if payload.get("link"):
        link = payload["link"]
        payload = payload | {"action": {"text": link["text"], "url": account_link_url(link)}}
    inline, attachments = _invite_parts(payload, current, now)
    alternatives = [
        _part("text/plain; charset=utf-8", _qp(_render(f"{template}.txt", payload))),
        _html(payload, template),
        *inline,
    ]
    inner, outer = _boundary(), _boundary()
    alternative = _header(f'Content-Type: multipart/alternative; boundary="{inner}"')
    alternative += CRLF + _multipart(inner, alternatives)
    headers = [
        _header_text("Subject", subject),
        "From: " + _mailbox("From", {"email": sender, "name": _site_name(payload)}),
        "To: " + _mailbox("To", payload["recipient"]),
        *_reply_to(payload, sender),
        *_list_unsubscribe(payload),
        f"Date: {format_datetime(now)}",
        f"Message-ID: {message_id_for(message_id, now, sender)}",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{outer}"',
    ]
    head = b"".join(_header(h) for h in headers)
    return head + CRLF + _multipart(outer, [alternative, *attachments])


def _invite_parts(payload: dict, current, now: dt.datetime) -> tuple[list, list]:
    """The calendar as an alternative of the body and as an invite.ics attachment, or
    neither when the message carries no invite now."""
    invite = calendar_bytes(payload, current, now)
    if invite is None:
        return [], []
    method, calendar = invite
    content_type = f"text/calendar; charset=utf-8; method={method}"
    encoded = _base64(calendar)
    attachment = _part(
        f'{content_type}; name="invite.ics"',
        encoded,
        "base64",
        'Content-Disposition: attachment; filename="invite.ics"',
    )
    return [_part(content_type, encoded, "base64")], [attachment]


def _intro(payload: dict, current) -> list[str]:
    """The email's opening lines, true of things as they are now.

    If the invite now says something other than what the message was written for (the day
    was cancelled, or published again, before a resend or a late retry), its first line is
    the wording of what the invite says now. The subject was written when it was queued and
    stays on the row (the outbox lists it, and it names the message being sent again); the
    body and the invite are what the person acts on, so they are what must be true. Whom a
    surgeon will help, or an attendee will meet, is read now, as they may be told now.
    """
    intro = list(payload.get("intro") or [])
    if current is None:
        return intro
    wrote_for, otherwise = payload.get("written_for"), payload.get("otherwise") or {}
    if intro and payload.get("invite") and current.method != wrote_for:
        key = "day_cancelled" if current.method == ical.CANCEL and current.day_cancelled else None
        words = otherwise.get(key) or otherwise.get(current.method or "")
        if words:
            intro[0] = words
    if payload.get("lines"):
        none_yet = [payload["no_lines"]] if payload.get("no_lines") else []
        intro += current.lines or none_yet
    return intro


def _html(payload: dict, template: str) -> bytes:
    """The HTML body; with the QR code image it shows, both inside multipart/related."""
    html = _part("text/html; charset=utf-8", _qp(_render(f"{template}.html", payload)))
    png = (payload["checkin"] or {}).get("png")
    if not png:
        return html
    boundary = _boundary()
    related = _header(f'Content-Type: multipart/related; boundary="{boundary}"')
    return related + CRLF + _multipart(boundary, [html, _qr_code(png)])


def sender_address() -> str:
    """The site's own address: what the mail is from, whoever organises the day."""
    return current_app.config["MAIL_DEFAULT_SENDER"]


def _site_name(payload: dict) -> str:
    """The name shown with the site's address."""
    return (payload.get("sender") or {}).get("name") or current_app.config["SITE_NAME"]


def _reply_to(payload: dict, sender: str) -> list[str]:
    """A Reply-To header naming the day's organiser, when there is one other than the site.

    Messages queued before kept the organiser as their sender; they are sent the same way.
    """
    address = payload.get("reply_to")
    if address is None:
        address = (payload.get("sender") or {}).get("email") or ""
    if not address or address.lower() == sender.lower():
        return []
    return ["Reply-To: " + _mailbox("Reply-To", {"email": address, "name": ""})]


def _list_unsubscribe(payload: dict) -> list[str]:
    """One-click unsubscribe headers (RFC 2369, RFC 8058) on mail to subscribers."""
    url = payload.get("unsubscribe_url")
    if not url:
        return []
    return [f"List-Unsubscribe: <{url}>", "List-Unsubscribe-Post: List-Unsubscribe=One-Click"]


def message_id_for(message_id: int, now: dt.datetime, sender: str) -> str:
    """A Message-ID of its own for each sending, a resend included."""
    stamp = int(now.timestamp() * 1000)
    return f"<outbox-{message_id}.{stamp}.{secrets.token_hex(6)}@{_domain(sender)}>"


def _checkin(payload: dict, current) -> dict | None:
    """The check-in code to show, with its QR code image made now; none once the place is
    no longer confirmed (a cancelled booking's code lets nobody in)."""
    checkin = payload.get("checkin")
    if not checkin or (current is not None and not current.confirmed):
        return None
    if checkin.get("png"):  # queued before images were made at sending
        return checkin | {"png": base64.b64decode(checkin["png"])}
    return checkin | {"png": _qr_png(checkin["url"]) if checkin.get("qr") else None}


@functools.lru_cache(maxsize=256)
def _qr_png(url: str) -> bytes:
    """The QR code image of a check-in address (kept a while: one person's messages, a
    resend, or a sender's retry ask for the same one again)."""
    return qr_image(url)


def _render(name: str, payload: dict) -> str:
    """A mail template, rendered from the payload alone (no request, user or flashes)."""
    return current_app.jinja_env.get_template(name).render(payload)


def calendar_bytes(payload: dict, current, now: dt.datetime) -> tuple[str, bytes] | None:
    """The invite's METHOD and calendar file, as things are now; None for no invite.

    A message about a booking or slot gets its calendar from that row now. Without one
    (queued before messages named their rows, or a cancellation whose row is gone) it gets
    the entry it was queued with.
    """
    if not payload.get("invite", payload.get("calendar") is not None):
        return None
    if current is not None:
        method, entry = current.method, current.entry
    elif payload.get("calendar"):
        method, entry = _queued_entry(payload)
    else:
        return None
    if method is None:
        return None
    sender = sender_address()
    organiser = ical.Person(wire_address(sender), _site_name(payload))
    recipient = payload["recipient"]
    attendee = ical.Person(wire_address(recipient["email"]), recipient["name"])
    return method, ical.invite(entry, method, organiser, attendee, now)


def _queued_entry(payload: dict) -> tuple[str, ical.Entry]:
    """The METHOD and entry a message was queued with."""
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
    return data["method"], entry


def _qr_code(png: bytes) -> bytes:
    """The check-in QR code as an inline PNG beside the HTML that shows it (cid:checkin-qr)."""
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


def _mailbox(header: str, person: dict) -> str:
    """'Name <address>' for a From, To or Reply-To header, the name on one line; a
    non-ASCII name in encoded words of at most 75 characters, folded across lines."""
    name, address = one_line(person["name"]), wire_address(person["email"])
    if name.isascii():
        return formataddr((name, address))
    return f"{rfc2047.encode(header, name, phrase=True)} <{address}>"


def _header_text(header: str, value: str) -> str:
    """A whole header line: plain ASCII as it is; anything else as encoded words. The
    value is one line: a line break in a name or title must never start a header or the
    body of its own."""
    value = one_line(value)
    return f"{header}: {value if value.isascii() else rfc2047.encode(header, value)}"


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
