"""Where a session takes place: in person, online or both, and the video link's rules.

The link is for the people booked on the session only; what the public sees says "Online"
and nothing more.
"""

from urllib.parse import urlsplit

IN_PERSON, ONLINE, HYBRID = "in_person", "online", "hybrid"
MODES = {
    IN_PERSON: "In person",
    ONLINE: "Online",
    HYBRID: "In person and online",
}
MAX_URL = 500


def url_problem(url: str, mode: str) -> str | None:
    """Why this video link cannot be kept, or None when it can."""
    url = url.strip()
    if mode == IN_PERSON:
        return "Leave the video link empty for a session in person only." if url else None
    if not url:
        return "Enter the video link people join by, starting https://."
    if len(url) > MAX_URL:
        return f"The video link must be at most {MAX_URL} characters."
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    bad = any(ch.isspace() or ord(ch) < 32 or ch in "<>\"'\\" for ch in url)
    if parts is None or bad or parts.scheme != "https" or not parts.hostname:
        return "Enter a full https:// address, like https://meet.example.org/room."
    return None


def is_online(mode: str) -> bool:
    """True when people can join from elsewhere."""
    return mode in (ONLINE, HYBRID)


def public_place(mode: str, venue: str) -> str:
    """Where, as the public sees it: the venue, "Online", or both; never the link."""
    if mode == ONLINE:
        return "Online"
    if mode == HYBRID:
        return f"{venue}, and online" if venue else "Online"
    return venue
