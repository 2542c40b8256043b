"""Resources shared from a day (a link and a short note): which links are accepted, how
they are stored, and how an organiser's check moves them on.

Only http and https links are kept: a `javascript:` or `data:` link on a public page would
run or show whatever its author wanted under our name.
"""

from urllib.parse import quote, urlsplit, urlunsplit

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
STATUSES = (PENDING, APPROVED, REJECTED)
APPROVE, REJECT = "approve", "reject"
# what each decision does, and from which states it may be taken
DECISIONS = {APPROVE: (APPROVED, (PENDING, REJECTED)), REJECT: (REJECTED, (PENDING, APPROVED))}

URL_LIMIT, TITLE_LIMIT, NOTE_LIMIT = 2000, 200, 1000
SCHEMES = ("http", "https")
# characters kept as they are in a path, query or fragment; anything else is %-encoded
SAFE = "/:@!$&'()*+,;=-._~%?"

BAD_LINK = (
    "Enter a web address that starts with https:// or http://, like https://example.org/guide."
)
LONG_LINK = f"That web address is too long: it may have at most {URL_LIMIT} characters."


class LinkRefused(ValueError):
    """A link we do not keep; its message says why in plain words."""


def normalised_link(typed: str) -> str:
    """The link as stored: scheme and host in lower case, unsafe characters %-encoded.

    A link typed without a scheme (`example.org/guide`) is taken as https.
    """
    text = (typed or "").strip()
    if len(text) > URL_LIMIT:
        raise LinkRefused(LONG_LINK)
    if not text or any(ord(c) < 33 or ord(c) == 127 for c in text):
        raise LinkRefused(BAD_LINK)
    if "://" not in text and ":" in text.split("/", 1)[0].split(".", 1)[0]:
        raise LinkRefused(BAD_LINK)  # a scheme of another kind: javascript:, data:, mailto:
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii").lower()
    except (ValueError, UnicodeError) as error:
        raise LinkRefused(BAD_LINK) from error
    if parts.scheme.lower() not in SCHEMES or not _good_host(host) or parts.username:
        raise LinkRefused(BAD_LINK)
    netloc = host if port is None else f"{host}:{port}"
    stored = urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(parts.path, safe=SAFE) or "/",
            quote(parts.query, safe=SAFE),
            quote(parts.fragment, safe=SAFE),
        )
    )
    if len(stored) > URL_LIMIT:
        raise LinkRefused(LONG_LINK)
    return stored


def _good_host(host: str) -> bool:
    """A name with a dot in it (example.org) or an address; never empty."""
    return "." in host.strip(".") and all(label for label in host.rstrip(".").split("."))


def decided(status: str, decision: str) -> str | None:
    """The status a decision gives a resource in this status, or None if it does not apply."""
    if decision not in DECISIONS:
        return None
    becomes, allowed_from = DECISIONS[decision]
    return becomes if status in allowed_from else None
