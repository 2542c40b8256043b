"""The content lines of a calendar, read structurally.

Checks such as "no TZID anywhere" must look at property names and parameters, not at the raw
bytes: a random manage link in a DESCRIPTION or URL may spell "TZID" by chance.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentLine:
    name: str
    params: frozenset[str]
    value: str


def unfold(raw: bytes) -> list[str]:
    """The logical lines of a calendar: CRLF followed by a space or tab continues a line."""
    text = raw.decode("utf-8")
    for fold in ("\r\n ", "\r\n\t"):
        text = text.replace(fold, "")
    return [line for line in text.split("\r\n") if line]


def split(line: str) -> ContentLine:
    """One line as name, parameter names and value; a quoted parameter may hold ':' or ';'."""
    quoted = False
    parts, start = [], 0
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in ";:":
            parts.append(line[start:index])
            start = index + 1
            if char == ":":
                break
    name, *params = parts
    return ContentLine(
        name=name.upper(),
        params=frozenset(param.split("=", 1)[0].upper() for param in params),
        value=line[start:],
    )


def content_lines(raw: bytes) -> list[ContentLine]:
    return [split(line) for line in unfold(raw)]


def uses_timezones(raw: bytes) -> bool:
    """True when the calendar has a VTIMEZONE block or any property with a TZID parameter."""
    return any(
        (line.name == "BEGIN" and line.value.upper() == "VTIMEZONE")
        or line.name == "TZID"
        or "TZID" in line.params
        for line in content_lines(raw)
    )


def property_names(raw: bytes) -> set[str]:
    return {line.name for line in content_lines(raw)}
