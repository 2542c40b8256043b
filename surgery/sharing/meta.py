"""What a public page says about itself when a link to it is posted: description, canonical
address and the Open Graph / Twitter card tags.

Addresses come from PUBLIC_BASE_URL (surgery/links.py), never the request's Host. Only the
public pages listed here get them: a private page (a manage link, an organiser's page) has
none, so no card or canonical link ever repeats its token.

A discreet day's card says what its public page says (its title): discretion keeps the day
out of lock screens and shared calendars, while a link to the public page is posted by choice.
"""

import hashlib

from flask import current_app, request

from surgery.events.models import Event
from surgery.links import public_url
from surgery.templating import format_day

# the public pages, and what each says when shared
DESCRIPTIONS = {
    "events.upcoming": "Free one-to-one help with social media: upcoming surgery days to book or volunteer at.",
    "events.past": "Surgery days that have happened: free one-to-one help with social media.",
    "bookings.book": "Book a free one-to-one session of help with social media.",
    "surgeons.volunteer": "Volunteer as a surgeon: help people one to one with social media.",
    "retention.privacy": "What a surgery day keeps about the people who come, and for how long.",
    "subscriptions.subscribe": "Get an email when a new surgery day is published.",
    "learned.page": "What people learned at a surgery day, in their own words, and resources shared from the day.",
}


def page_card() -> dict | None:
    """The card of a listed public page (query strings dropped), or None."""
    endpoint = request.endpoint or ""
    if endpoint not in DESCRIPTIONS:
        return None
    return {
        "description": DESCRIPTIONS[endpoint],
        "url": public_url(endpoint, **(request.view_args or {})),
        "image": None,
        "type": "website",
    }


def event_card(event: Event) -> dict:
    """A day's card: its title, date and place, and its share image."""
    lines = picture_lines(event)  # the first session's date, worked out once for the card
    _title, when, place = lines
    summary = " · ".join(p for p in (when, place) if p)
    description = f"{summary}. {event.description}".strip() if event.description else summary
    return {
        "title": event.title,
        "description": _shorten(description or current_app.config["SITE_NAME"]),
        "url": public_url("events.detail", event_id=event.id),
        "image": public_url("sharing.image", event_id=event.id, v=image_version(event, lines)),
        "when": when,
        "image_alt": f"{event.title}: {summary}",
        "type": "article",
    }


def learned_summary(event: Event) -> str:
    """What a day's 'what we learned' page is, in one line for the feed."""
    _title, when, place = picture_lines(event)
    summary = " · ".join(p for p in (when, place) if p)
    return f"What people learned at {event.title} ({summary}), and resources shared from the day."


def picture_lines(event: Event) -> tuple[str, str, str]:
    """What the share image shows: the title, the date and the place."""
    starts = event.starts_at
    when = format_day(event.local(starts)) if starts else ""
    place = ", ".join(p for p in (event.venue_name, event.city) if p)
    return event.title, when, place


def image_version(event: Event, lines: tuple[str, str, str] | None = None) -> str:
    """A short fingerprint of what the picture shows (its lines, when worked out already): it
    changes when the day's title, date or place does, so an edit gives a new picture at a new
    address."""
    drawn = "|".join((*(lines or picture_lines(event)), current_app.config["SITE_NAME"]))
    return hashlib.sha256(drawn.encode()).hexdigest()[:12]


def share_links(card: dict) -> list[tuple[str, str]]:
    """Plain links to post a day on each service (no scripts of theirs on our page)."""
    from urllib.parse import quote

    url, text = quote(card["url"], safe=""), quote(card["title"], safe="")
    both = quote(f"{card['title']} {card['url']}", safe="")
    return [
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={url}"),
        ("WhatsApp", f"https://wa.me/?text={both}"),
        ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={url}"),
        ("X", f"https://x.com/intent/post?text={text}&url={url}"),
        ("Bluesky", f"https://bsky.app/intent/compose?text={both}"),
    ]


def _shorten(text: str, limit: int = 200) -> str:
    """Cards show about two lines: cut at a word, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
