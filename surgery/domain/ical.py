"""Calendar files: invites (REQUEST/CANCEL) for one person and public feeds (PUBLISH).

Times are written in UTC ("...Z"): every calendar reads them right across daylight-saving
changes, unlike generated VTIMEZONE blocks made of RDATE lists.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//Social Media Surgery//Surgery//EN"
REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"


def new_uid() -> str:
    """A UID for a calendar entry, unique everywhere and never reused."""
    return f"{uuid.uuid4()}@social-media-surgery"


@dataclass(frozen=True)
class Person:
    """Someone named in a calendar entry."""

    email: str
    name: str = ""


@dataclass(frozen=True)
class Entry:
    """One calendar entry: a session as one person (or the public) sees it."""

    uid: str
    sequence: int
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    organiser: Person | None = None  # for feeds; an invite names its organiser itself


def invite(entry: Entry, method: str, organiser: Person, attendee: Person, stamp: dt.datetime):
    """An iTIP invite (REQUEST or CANCEL) for one attendee, as bytes with CRLF lines."""
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"an invite is REQUEST or CANCEL, not {method}")
    lines = _calendar(method)
    lines += _event(entry, stamp, cancelled=entry.cancelled or method == CANCEL)
    lines.insert(-1, _address("ORGANIZER", organiser))
    lines.insert(-1, _address("ATTENDEE", attendee, ATTENDEE_PARAMS))
    return _calendar_bytes(lines)


def feed(entries: Iterable[Entry], name: str, stamp: dt.datetime):
    """A published calendar of many entries, each with its organiser and without attendees."""
    lines = _calendar(PUBLISH)
    lines.append(f"X-WR-CALNAME:{_text(name)}")
    for entry in entries:
        event = _event(entry, stamp, cancelled=entry.cancelled)
        if entry.organiser is not None:
            event.insert(-1, _address("ORGANIZER", entry.organiser))
        lines += event
    return _calendar_bytes(lines)


# Written by hand: a fixed handful of properties, so a small writer (RFC 5545 escaping and
# folding) is simpler than a general library and several times faster, which counts when
# the outbox writes a thousand invites in a row. Tests read every file back with vobject.
# RSVP=FALSE: nothing reads replies yet, so no calendar should offer to send one
ATTENDEE_PARAMS = (("ROLE", "REQ-PARTICIPANT"), ("PARTSTAT", "NEEDS-ACTION"), ("RSVP", "FALSE"))
FOLD_AT = 75  # octets per line, CRLF not counted


def _calendar(method: str) -> list[str]:
    """The calendar's opening lines; END:VCALENDAR is added when it is written."""
    return ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
            f"METHOD:{method}"]  # fmt: skip


def _event(entry: Entry, stamp: dt.datetime, cancelled: bool) -> list[str]:
    """A VEVENT with times in UTC, ending with its END line."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_text(entry.uid)}",
        f"SEQUENCE:{int(entry.sequence)}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(entry.starts_at)}",
        f"DTEND:{_utc(entry.ends_at)}",
        f"SUMMARY:{_text(entry.summary)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
    ]
    if entry.location:
        lines.append(f"LOCATION:{_text(entry.location)}")
    if entry.description:
        lines.append(f"DESCRIPTION:{_text(entry.description)}")
    if entry.url:
        lines.append(f"URL:{entry.url}")
    lines.append("END:VEVENT")
    return lines


def _address(name: str, person: Person, params=()) -> str:
    """An ORGANIZER or ATTENDEE line: mailto: address, display name and parameters."""
    cn = f";CN={_param(person.name)}" if person.name else ""
    extra = "".join(f";{key}={value}" for key, value in params)
    return f"{name}{cn}{extra}:mailto:{person.email}"


def _text(value: str) -> str:
    """A TEXT value with backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _param(value: str) -> str:
    """A parameter value (RFC 6868 for ^, " and line breaks), quoted when it must be."""
    value = value.replace("^", "^^").replace('"', "^'").replace("\r\n", "^n").replace("\n", "^n")
    return f'"{value}"' if any(c in value for c in ":;,") else value


def _calendar_bytes(lines: list[str]) -> bytes:
    """Every line folded at 75 octets (never inside a character), joined with CRLF."""
    lines.append("END:VCALENDAR")
    return b"".join(_fold(line.encode("utf-8")) for line in lines)


def _fold(line: bytes) -> bytes:
    """One content line, folded: continuation lines start with a space."""
    if len(line) <= FOLD_AT:
        return line + b"\r\n"
    parts, start, limit = [], 0, FOLD_AT
    while len(line) - start > limit:
        end = start + limit
        while line[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back off to its start
            end -= 1
        parts.append(line[start:end])
        start, limit = end, FOLD_AT - 1  # the leading space counts
    parts.append(line[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def _utc(moment: dt.datetime) -> str:
    """The moment in UTC as 20270328T090000Z, refusing naive times read as floating."""
    if moment.tzinfo is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
