"""What a change will do, said before it is done: who is told, and how many are emailed.

Buttons that cancel something or email many people ask once, in these words. The people
come from each area's previews, which follow the same rules as the change itself; here
they are only counted and put into plain sentences.
"""

from collections.abc import Sequence
from dataclasses import dataclass

NAMES_SHOWN = 5  # more than this and the rest are counted, not named


@dataclass(frozen=True)
class Person:
    """Someone a change touches; email is None when they gave none and cannot be told."""

    name: str
    email: str | None = None


@dataclass(frozen=True)
class WhatHappens:
    """A change described before it is done. `yes` labels the button that does it; None
    when nothing would change, so there is nothing to ask."""

    question: str
    happens: tuple[str, ...]
    emailed: frozenset[str]
    yes: str | None
    undoes: bool = True  # takes something away (a red button); False: only tells people

    @property
    def emailed_count(self) -> int:
        """How many people (different addresses) will be emailed."""
        return len(self.emailed)

    @property
    def emailed_line(self) -> str:
        """The count, in a sentence."""
        if not self.emailed:
            return "Nobody will be emailed."
        return f"In all, {people(len(self.emailed))} will be emailed."


def people(n: int) -> str:
    """'1 person', '3 people'."""
    return f"{n} {'person' if n == 1 else 'people'}"


def names(who: Sequence[str]) -> str:
    """'Ann', 'Ann and Bo', 'Ann, Bo and Cy'; past NAMES_SHOWN, the rest are counted."""
    shown = list(who[:NAMES_SHOWN])
    if len(who) > NAMES_SHOWN:
        rest = len(who) - NAMES_SHOWN
        shown.append(f"{rest} other{'s' if rest > 1 else ''}")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def addresses(who: Sequence[Person]) -> frozenset[str]:
    """The addresses of those who can be emailed."""
    return frozenset(p.email for p in who if p.email)


def nothing_to_do(question: str, why: str) -> WhatHappens:
    """A change that would do nothing, and why."""
    return WhatHappens(question, (f"Nothing will change: {why}",), frozenset(), None)


def possessive(name: str) -> str:
    """'Sam Patel’s', 'Jess’s' (plain English style: always ’s)."""
    return f"{name}’s"


@dataclass(frozen=True)
class LostPlace:
    """A booking about to be cancelled, and whom that touches."""

    session: str
    holder: Person
    confirmed: bool  # held a place; False: was on the waiting list
    promoted: tuple[Person, ...] = ()  # first in line, who would get the place
    surgeon: Person | None = None  # was told they would help the holder
    day_cancelled: bool = False  # nobody moves up on a cancelled day

    @property
    def told(self) -> list[Person]:
        """Everyone emailed about it: the holder of a place, the promoted, the surgeon."""
        told = [self.holder] if self.confirmed else []
        told += self.promoted
        return told + ([self.surgeon] if self.surgeon else [])


def cancelling_booking(place: LostPlace) -> WhatHappens:
    """An organiser cancels someone's booking."""
    who, session = place.holder.name, place.session
    if not place.confirmed:
        lines = [f"{who} will be taken off the waiting list for {session}. They are not emailed."]
    elif place.holder.email:
        lines = [f"{who} will lose their place in {session} and be emailed that it is cancelled."]
    else:
        lines = [f"{who} will lose their place in {session}. They gave no email address."]
    lines += _promoted(place, named=True)
    if place.surgeon:
        lines.append(
            f"{place.surgeon.name}, who was going to help {who}, will be emailed that "
            f"{who} is not coming."
        )
    question = f"Cancel {possessive(who)} booking for {session}?"
    return WhatHappens(question, tuple(lines), addresses(place.told), "Yes, cancel the booking")


def cancelling_own(places: Sequence[LostPlace]) -> WhatHappens:
    """An attendee cancels one or all of their sessions; others are counted, never named."""
    lines = []
    for place in places:
        if not place.confirmed:
            lines.append(f"You will leave the waiting list for {place.session}.")
        else:
            told = ", and we will email you to say so" if place.holder.email else ""
            lines.append(f"Your place in {place.session} will be cancelled{told}.")
        lines += _promoted(place, named=False)
        if place.surgeon:
            lines.append(
                f"The surgeon who was going to help you in {place.session} will be emailed "
                "that you are not coming."
            )
    told = addresses([p for place in places for p in place.told])
    if len(places) > 1:
        return WhatHappens("Cancel all your sessions?", tuple(lines), told, "Yes, cancel them all")
    place = places[0]
    if place.confirmed:
        question, yes = f"Cancel your place in {place.session}?", "Yes, cancel my place"
    else:
        question = f"Leave the waiting list for {place.session}?"
        yes = "Yes, leave the waiting list"
    return WhatHappens(question, tuple(lines), told, yes)


def _promoted(place: LostPlace, named: bool) -> list[str]:
    """Who moves up from the waiting list into the place, and whether they are told."""
    if not place.promoted:
        if not place.confirmed:
            return []
        if place.day_cancelled:
            return ["This day is cancelled, so nobody moves up; the waiting list is kept."]
        return ["Nobody is waiting for the place, so it will be free for someone to book."]
    n = len(place.promoted)
    who = f" ({names([p.name for p in place.promoted])})" if named else ""
    gets = "the places" if n > 1 else ("the place" if named else "your place")
    silent = [p.name for p in place.promoted if not p.email]
    if not silent:
        return [f"{people(n)} on the waiting list{who} will get {gets} and be emailed."]
    line = f"{people(n)} on the waiting list{who} will get {gets}."
    if named:
        return [line, f"{names(silent)} gave no email address, so cannot be told."]
    return [line, f"{people(len(silent))} of them gave no email address, so cannot be told."]


@dataclass(frozen=True)
class StandingDown:
    """A surgeon about to leave a day: declined by an organiser, or withdrawing."""

    surgeon: Person
    status: str  # pending, approved, declined or withdrawn
    sessions: tuple[str, ...]
    attendees: tuple[Person, ...] = ()  # told who they would meet: told they cannot come


def declining_surgeon(leaving: StandingDown) -> WhatHappens:
    """An organiser declines a volunteer, or removes an approved surgeon."""
    who = leaving.surgeon.name
    if leaving.status in ("declined", "withdrawn"):
        return nothing_to_do(f"Decline {who}?", f"{who} has already {leaving.status}.")
    if leaving.status == "approved":
        question, yes = f"Remove {who} from this day?", f"Yes, remove {who}"
        lines = [
            f"{who} will be emailed that they are no longer needed, and their invites for "
            f"{names(leaving.sessions)} will be taken out of their calendar."
        ]
    else:
        question, yes = f"Decline {who}?", f"Yes, decline {who}"
        lines = [f"{who} will be emailed a thank-you saying they are not needed this time."]
    if leaving.attendees:
        helped = names([p.name for p in leaving.attendees])
        lines.append(f"{who} was going to help {people(len(leaving.attendees))} ({helped}). ")
        lines[-1] += _keep_places(len(leaving.attendees))
    told = addresses([leaving.surgeon, *leaving.attendees])
    return WhatHappens(question, tuple(lines), told, yes)


def withdrawing(leaving: StandingDown) -> WhatHappens:
    """A surgeon withdraws from the day, from their own link."""
    question = "Withdraw from this day?"
    if leaving.status in ("declined", "withdrawn"):
        return nothing_to_do(question, "you are no longer down as a surgeon for this day.")
    if leaving.status == "approved":
        lines = [
            f"You will be taken off {names(leaving.sessions)}, and we will email you to take "
            "them out of your calendar."
        ]
        told = [leaving.surgeon, *leaving.attendees]
    else:
        lines = ["Your offer to help will be withdrawn. The organisers will see this."]
        told = list(leaving.attendees)
    if leaving.attendees:
        lines.append(f"You were going to help {people(len(leaving.attendees))}. ")
        lines[-1] += _keep_places(len(leaving.attendees))
    return WhatHappens(question, tuple(lines), addresses(told), "Yes, withdraw")


def _keep_places(n: int) -> str:
    """What attendees whose surgeon leaves are told."""
    if n == 1:
        return "They keep their place, and will be emailed that their surgeon cannot come."
    return "They keep their places, and will each be emailed that their surgeon cannot come."


def leaving_the_floor(surgeon: str, helping: Sequence[str]) -> WhatHappens:
    """An organiser marks a surgeon as gone from the surgery floor."""
    if helping:
        lines = [
            f"{surgeon} is helping {names(helping)} now. {names(helping)} will wait again, "
            "and the time they waited before still counts."
        ]
    else:
        lines = [f"{surgeon} is not helping anyone right now."]
    lines.append(f"{surgeon} will not be offered anyone else unless marked as arrived again.")
    return WhatHappens(
        f"Mark {surgeon} as gone?", tuple(lines), frozenset(), f"Yes, {surgeon} has gone"
    )


def asking_for_feedback(asked: Sequence[Person]) -> WhatHappens:
    """An organiser emails everyone who came a link to say what they learned."""
    question = "Email everyone who came?"
    if not asked:
        return nothing_to_do(
            question, "everyone who came and gave an email address has been asked already."
        )
    lines = (
        f"{people(len(asked))} who came and gave an email address will be emailed a link to "
        "tell us what they learned.",
        "Nobody who was asked before, or has answered, is asked again.",
    )
    return WhatHappens(question, lines, addresses(asked), "Yes, email them")


def accepting_pairs(pairs: Sequence[tuple[Person, Person]]) -> WhatHappens:
    """An organiser accepts many suggested pairs at once: both people in each are told."""
    if not pairs:
        why = "these pairs are already accepted, or no longer there."
        return nothing_to_do("Accept these pairs?", why)
    question = f"Accept {len(pairs)} pair{'s' if len(pairs) != 1 else ''} and tell everyone?"
    attendees = list(dict.fromkeys(a for a, _ in pairs))
    surgeons = list(dict.fromkeys(s for _, s in pairs))
    lines = [
        f"{_will_each(attendees)} be emailed who they will meet, with an updated invite.",
        f"{_will_each(surgeons)} be emailed whom they will help, with an updated invite.",
    ]
    silent = [a.name for a in attendees if not a.email]
    if silent:
        lines.append(f"{names(silent)} gave no email address, so cannot be told.")
    told = addresses([*attendees, *surgeons])
    return WhatHappens(question, tuple(lines), told, "Yes, accept and tell them", undoes=False)


def _will_each(who: Sequence[Person]) -> str:
    """'Ann will', 'Ann and Bo will each'."""
    return f"{names([p.name for p in who])} will{' each' if len(who) > 1 else ''}"


def publishing(day: str, subscribers: Sequence[str]) -> WhatHappens:
    """An organiser publishes a day for the first time: everyone who asked to hear about
    new days is emailed about it, once."""
    n = len(subscribers)
    lines = (
        f"{day} will be open for booking on the public pages.",
        f"{people(n)} who asked to hear about new surgery days will be emailed about it. "
        "Each is told about this day once, even if it is published again.",
    )
    question, yes = "Publish this day and tell its subscribers?", "Yes, publish and email them"
    return WhatHappens(question, lines, frozenset(subscribers), yes, undoes=False)
