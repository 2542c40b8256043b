"""What a person can take away of what we hold about them, and which messages are theirs.

An export holds the person's own answers, consents, places and messages, and nothing of
anyone else: a surgeon's name is their first name, an attendee is shown to their surgeon
as the surgeon may see them (surgery.domain.visibility), and a message is theirs only if
it went to their address and is about the part they play (attendee or surgeon). Links,
their keys and the site's own row numbers are never in it.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from surgery.domain.visibility import SurgeonView, first_name

# the kinds of sensitive answers consent covers, as the pages name them
ATTENDEE_ANSWERS = (
    "who you are (role tags, such as lived experience of mental health difficulties)",
    "your access needs and anything else you told us you need to take part",
    "what you wrote about what you want help with",
    "the languages you would like help in",
    "whether you asked for a surgeon with lived experience",
)
SURGEON_ANSWERS = (
    "who you are (role tags, such as lived experience of mental health difficulties)",
)
SURGEON_KIND_PREFIX = "surgeon_"  # messages to someone as a surgeon (surgery.mail.notices)


@dataclass(frozen=True)
class Message:
    """A message in the outbox, as much of it as an export may show."""

    to: str
    kind: str
    subject: str
    status: str
    at: dt.datetime | None


@dataclass(frozen=True)
class Place:
    """One of an attendee's sessions."""

    session: str
    when: str
    status: str
    waiting_position: int | None = None
    surgeon_name: str | None = None  # the surgeon they were told they will meet


@dataclass(frozen=True)
class Feedback:
    """What they told us they learned."""

    learned: str
    share_publicly: bool
    at: dt.datetime | None


@dataclass(frozen=True)
class AttendeeRecord:
    """Everything held about one attendee for one day."""

    name: str
    email: str | None
    event: str
    day: str
    booked_at: dt.datetime | None
    walk_in: bool
    topics: tuple[str, ...]
    help_text: str
    languages: tuple[str, ...]
    role_tags: tuple[str, ...]
    access_needs: tuple[str, ...]
    access_other: str
    wants_lived_experience: bool
    consent_sensitive: bool
    consent_at: dt.datetime | None
    share_with_surgeon: bool
    places: tuple[Place, ...] = ()
    wants_same_surgeon: bool = False
    checked_in_at: dt.datetime | None = None
    feedback: Feedback | None = None
    messages: tuple[Message, ...] = ()
    follow_up: bool = False  # asked to be emailed one question four weeks after the day


@dataclass(frozen=True)
class SurgeonSessionRecord:
    """A session a surgeon can do, and whom they were told they will help in it."""

    session: str
    when: str
    helping: tuple[SurgeonView, ...] = ()


@dataclass(frozen=True)
class SurgeonRecord:
    """Everything held about one surgeon for one day."""

    name: str
    email: str
    event: str
    day: str
    volunteered_at: dt.datetime | None
    status: str
    bio: str
    topics: tuple[str, ...]
    languages: tuple[str, ...]
    capacity: int
    role_tags: tuple[str, ...]
    consent_sensitive: bool
    arrived_at: dt.datetime | None = None
    left_at: dt.datetime | None = None
    sessions: tuple[SurgeonSessionRecord, ...] = ()
    messages: tuple[Message, ...] = ()


def is_surgeon_kind(kind: str) -> bool:
    """True for a message to someone as a surgeon, rather than as an attendee."""
    return kind.startswith(SURGEON_KIND_PREFIX)


def theirs(messages: Iterable[Message], email: str | None, as_surgeon: bool) -> list[Message]:
    """The messages that went to this address about the part this person plays."""
    if not email:
        return []
    address = email.strip().lower()
    return [
        m
        for m in messages
        if m.to.strip().lower() == address and is_surgeon_kind(m.kind) == as_surgeon
    ]


def attendee_export(record: AttendeeRecord) -> dict:
    """An attendee's data as plain values, ready for a page or a JSON file."""
    kept = record.consent_sensitive  # without consent no sensitive answer is kept, or shown
    return {
        "about": f"What we hold about you for {record.event} on {record.day}",
        "you": {
            "name": record.name,
            "email": record.email or "",
            "booked_at": _when(record.booked_at),
            "registered_at_the_door": record.walk_in,
        },
        "your_answers": {
            "topics": list(record.topics),
            "help_text": record.help_text,
            "languages": list(record.languages),
            "role_tags": list(record.role_tags) if kept else [],
            "access_needs": list(record.access_needs) if kept else [],
            "access_other": record.access_other if kept else "",
            "wants_lived_experience": record.wants_lived_experience and kept,
            "same_surgeon_as_last_time": record.wants_same_surgeon,
        },
        "consents": {
            "keep_answers_about_you": record.consent_sensitive,
            "given_at": _when(record.consent_at) if kept else None,
            "share_with_your_surgeon": record.share_with_surgeon and kept,
            "ask_four_weeks_after": record.follow_up,
        },
        "sessions": [_place(p) for p in record.places],
        "check_in": {"checked_in_at": _when(record.checked_in_at)},
        "feedback": _feedback(record.feedback),
        "messages": _messages(theirs(record.messages, record.email, as_surgeon=False)),
    }


def surgeon_export(record: SurgeonRecord) -> dict:
    """A surgeon's data as plain values, ready for a page or a JSON file."""
    kept = record.consent_sensitive
    return {
        "about": f"What we hold about you for {record.event} on {record.day}",
        "you": {
            "name": record.name,
            "email": record.email,
            "volunteered_at": _when(record.volunteered_at),
            "status": record.status,
            "about_you": record.bio,
            "can_help_with": list(record.topics),
            "languages": list(record.languages),
            "people_per_session": record.capacity,
        },
        "your_answers": {"role_tags": list(record.role_tags) if kept else []},
        "consents": {"keep_answers_about_you": record.consent_sensitive},
        "on_the_day": {"arrived_at": _when(record.arrived_at), "left_at": _when(record.left_at)},
        "sessions": [
            {
                "session": s.session,
                "when": s.when,
                "helping": [_as_seen(view) for view in s.helping],
            }
            for s in record.sessions
        ],
        "messages": _messages(theirs(record.messages, record.email, as_surgeon=True)),
    }


def _place(place: Place) -> dict:
    """One session of an attendee; their surgeon by first name only."""
    return {
        "session": place.session,
        "when": place.when,
        "status": place.status,
        "waiting_list_number": place.waiting_position,
        "your_surgeon": first_name(place.surgeon_name) if place.surgeon_name else None,
    }


def _as_seen(view: SurgeonView) -> dict:
    """Someone a surgeon will help, only as the surgeon may see them."""
    seen = {"name": view.name, "topics": list(view.topics)}
    extra = {
        "help_text": view.help_text,
        "role_tags": list(view.role_tags),
        "access_needs": list(view.access_needs),
    }
    return seen | {key: value for key, value in extra.items() if value}


def _feedback(feedback: Feedback | None) -> dict | None:
    """What they learned, if they told us."""
    if feedback is None:
        return None
    return {
        "learned": feedback.learned,
        "may_share_without_your_name": feedback.share_publicly,
        "given_at": _when(feedback.at),
    }


def _messages(messages: list[Message]) -> list[dict]:
    """The messages we sent them, oldest first: what kind, the subject and when."""
    ordered = sorted(messages, key=lambda m: m.at or dt.datetime.min.replace(tzinfo=dt.UTC))
    return [
        {"kind": m.kind, "subject": m.subject, "status": m.status, "date": _when(m.at)}
        for m in ordered
    ]


def _when(at: dt.datetime | None) -> str | None:
    """A moment as ISO 8601 in UTC, or None."""
    return at.astimezone(dt.UTC).isoformat(timespec="seconds") if at else None
