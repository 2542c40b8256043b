"""What erasing a person, or withdrawing their consent, will do: said before it is done.

The places a person loses, and who is told, are worded by surgery.domain.asking exactly as
when they cancel; here that is joined to what is deleted, and what is kept (only the
audit log's note that someone was erased, without their name).
"""

from collections.abc import Sequence

from surgery.domain import asking
from surgery.domain.asking import LostPlace, StandingDown, WhatHappens
from surgery.domain.personal_data import ATTENDEE_ANSWERS, SURGEON_ANSWERS

GONE_FOR_GOOD = "This cannot be undone."


def erasing_own(event: str, places: Sequence[LostPlace]) -> WhatHappens:
    """An attendee deletes everything we hold about them, from their private link."""
    lines, emailed = _places(places, own=True)
    lines += [
        f"Your name, email address, answers, bookings, check-in and feedback for {event} "
        "will be deleted, and so will the messages we sent you, once the last ones have gone.",
        f"Your private link will stop working. {GONE_FOR_GOOD}",
    ]
    question = "Delete everything we hold about you?"
    return WhatHappens(question, tuple(lines), emailed, "Yes, delete everything")


def erasing_attendee(name: str, places: Sequence[LostPlace]) -> WhatHappens:
    """An organiser erases one attendee."""
    lines, emailed = _places(places, own=False)
    lines += [
        f"Everything held about {name} for this day will be deleted: their name, email "
        "address, answers, bookings, check-in, feedback and the messages sent to them.",
        f"Only a note that someone was erased, without their name, stays in the audit log. "
        f"{GONE_FOR_GOOD}",
    ]
    return WhatHappens(f"Erase {name}?", tuple(lines), emailed, f"Yes, erase {name}")


def erasing_own_volunteering(event: str, leaving: StandingDown | None) -> WhatHappens:
    """A surgeon deletes everything we hold about them, from their private link."""
    lines: list[str] = []
    emailed: frozenset[str] = frozenset()
    if leaving is not None:
        told = asking.withdrawing(leaving)
        if told.yes:
            lines, emailed = list(told.happens), told.emailed
    lines += [
        f"Your name, email address, what you offered and the messages we sent you for {event} "
        "will be deleted, once the last messages have gone.",
        f"Your private link will stop working. {GONE_FOR_GOOD}",
    ]
    question = "Delete everything we hold about you?"
    return WhatHappens(question, tuple(lines), emailed, "Yes, delete everything")


def erasing_surgeon(leaving: StandingDown | None, name: str) -> WhatHappens:
    """An organiser erases one surgeon."""
    lines: list[str] = []
    emailed: frozenset[str] = frozenset()
    if leaving is not None:
        told = asking.withdrawing(leaving)
        if told.yes:
            emailed = told.emailed
            lines.append(f"{name} will be taken off {asking.names(leaving.sessions)}.")
            if leaving.status == "approved":
                lines[-1] += " They are emailed, to take the sessions out of their calendar."
            if leaving.attendees:
                helped = asking.names([p.name for p in leaving.attendees])
                lines.append(f"{helped} will be emailed that their surgeon cannot come.")
    lines += [
        f"Everything held about {name} for this day will be deleted, with the messages sent "
        "to them.",
        f"Only a note that someone was erased, without their name, stays in the audit log. "
        f"{GONE_FOR_GOOD}",
    ]
    return WhatHappens(f"Erase {name}?", tuple(lines), emailed, f"Yes, erase {name}")


def withdrawing_consent(surgeon: bool = False) -> WhatHappens:
    """Someone stops us keeping the sensitive answers they gave."""
    kinds = SURGEON_ANSWERS if surgeon else ATTENDEE_ANSWERS
    lines = [f"We will delete at once: {'; '.join(kinds)}."]
    if surgeon:
        lines.append("You stay down as a surgeon, and nobody is emailed.")
    else:
        lines += [
            "Your places stay booked, and nobody is emailed.",
            "A surgeon helping you will see only your first name and the topics you chose.",
        ]
    lines.append(
        "You can give answers again later from this page, if you agree to us keeping them."
    )
    question = "Stop keeping what you told us about yourself?"
    return WhatHappens(question, tuple(lines), frozenset(), "Yes, delete my answers")


def _places(places: Sequence[LostPlace], own: bool) -> tuple[list[str], frozenset[str]]:
    """What losing these places does, in the words used when cancelling."""
    if not places:
        return [], frozenset()
    if own:
        told = asking.cancelling_own(places)
        return list(told.happens), told.emailed
    lines: list[str] = []
    emailed: set[str] = set()
    for place in places:
        told = asking.cancelling_booking(place)
        lines += told.happens
        emailed |= told.emailed
    return lines, frozenset(emailed)


def row_subject(kind: str, row_id: int) -> str:
    """The audit log's subject for a person's row: its kind and number, never a name."""
    return f"{kind} {row_id}"
