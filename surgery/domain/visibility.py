"""What a surgeon may see of an attendee, in their email, their invite and on the floor.

The attendee's consent to share decides. Without it a surgeon sees a first name (or the
nickname given) and the topics chosen, nothing more: what someone wrote in their own words,
who they are (role tags, which may be health data) and what they need to take part go to
their surgeon only when they agreed to store those answers and to share them.
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Attendee:
    """Everything we hold about an attendee that a surgeon might be shown."""

    name: str
    topics: tuple[str, ...] = ()
    help_text: str = ""
    role_tags: tuple[str, ...] = ()
    access_needs: tuple[str, ...] = ()  # as words people read, "other" needs included
    consent_sensitive: bool = False  # agreed we may store answers about them
    share_with_surgeon: bool = False  # agreed their surgeon may see them too


@dataclass(frozen=True)
class SurgeonView:
    """What a surgeon may see of one attendee."""

    name: str
    topics: tuple[str, ...]
    help_text: str = ""
    role_tags: tuple[str, ...] = ()
    access_needs: tuple[str, ...] = ()


def may_share(attendee: Attendee) -> bool:
    """True if the attendee agreed to store their answers and to show them to their surgeon."""
    return attendee.consent_sensitive and attendee.share_with_surgeon


def for_surgeon(attendee: Attendee) -> SurgeonView:
    """The attendee as their surgeon may see them."""
    if not may_share(attendee):
        return SurgeonView(first_name(attendee.name), tuple(attendee.topics))
    return SurgeonView(
        name=attendee.name.strip(),
        topics=tuple(attendee.topics),
        help_text=attendee.help_text.strip(),
        role_tags=tuple(attendee.role_tags),
        access_needs=tuple(_present(attendee.access_needs)),
    )


def first_name(name: str) -> str:
    """The first word of a name: a first name, or the nickname someone gave."""
    words = name.split()
    return words[0] if words else ""


def sentence(view: SurgeonView) -> str:
    """One attendee for their surgeon, in a few plain sentences."""
    wants = ", ".join(view.topics) or "anything"
    parts = [f"{view.name} would like help with {wants}."]
    if view.help_text:
        parts.append(f"In their words: {view.help_text}")
    if view.role_tags:
        parts.append("About them: " + ", ".join(view.role_tags) + ".")
    if view.access_needs:
        parts.append("To take part they need: " + ", ".join(view.access_needs) + ".")
    return " ".join(parts)


def _present(values: Iterable[str]) -> list[str]:
    """The values that say something."""
    return [v.strip() for v in values if v and v.strip()]


def not_coming(view: SurgeonView) -> str:
    """A surgeon told that someone they were to help is not coming: the name they may see,
    nothing else (what the person wanted help with is no longer theirs to know)."""
    return f"{view.name} can no longer come, so you will not be helping them."
