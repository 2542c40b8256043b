"""A message from the organisers to a day's people: who is in each audience, each person
once, and what the pages say about it before and after it goes.

People are reached by email address: one person booked in two sessions, waiting for a
third and helping as a surgeon is one address, so one email. People without an address
(a walk-in who gave none) cannot be emailed; they are counted, so the organiser knows.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from surgery.domain.errors import DomainError

BOOKED, WAITING, SURGEONS, OFFERED = "booked", "waiting", "surgeons", "offered"
# in the order the form shows them; volunteers not yet approved are a choice of their own:
# nobody has told them they are needed, so a message meant for the day's surgeons
# ("see you at 9:30") would mislead them unless the organiser means to reach them too
AUDIENCES = {
    BOOKED: "People booked (confirmed places)",
    WAITING: "People on a waiting list",
    SURGEONS: "Surgeons (approved)",
    OFFERED: "Volunteers not yet approved",
}
SHORT = {BOOKED: "booked", WAITING: "waiting", SURGEONS: "surgeons", OFFERED: "volunteers"}
MAX_SUBJECT, MAX_BODY = 150, 5000
LINE_BREAKS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"
# who holds a private link: a booking (the registration) or a surgeon
BOOKING, SURGEON = "booking", "surgeon"


def booking_audience(status: str) -> str | None:
    """The audience a booking in this status is in; a cancelled one is in none."""
    return {"confirmed": BOOKED, "waitlisted": WAITING}.get(status)


def surgeon_audience(status: str) -> str | None:
    """The audience a surgeon in this status is in; declined or withdrawn, none."""
    return {"approved": SURGEONS, "pending": OFFERED}.get(status)


@dataclass(frozen=True)
class Draft:
    """What the organiser wrote and to whom."""

    audiences: tuple[str, ...]
    subject: str
    body: str


@dataclass(frozen=True)
class Place:
    """One way someone is at the day: a booking's person, or a surgeon."""

    audience: str
    holder: str  # BOOKING or SURGEON
    row_id: int  # the registration's or the surgeon's id
    name: str
    email: str | None
    seed: str  # what their private link is rebuilt from


@dataclass(frozen=True)
class Recipient:
    """One address to email, with the private links of whoever it is at the day."""

    email: str
    name: str
    booking_seed: str | None = None
    surgeon_seed: str | None = None


@dataclass(frozen=True)
class Recipients:
    """Everyone the message goes to, once each, and how many cannot be emailed."""

    people: tuple[Recipient, ...]
    without_email: int

    @property
    def count(self) -> int:
        """How many emails go."""
        return len(self.people)


def recipients(places: Iterable[Place], chosen: Iterable[str]) -> Recipients:
    """The people in the chosen audiences, one per lower-cased address, in the order met;
    a person's name and private link as a booking where they have one."""
    chosen = set(chosen)
    found: dict[str, Recipient] = {}
    no_address: set[tuple[str, int]] = set()
    for place in places:
        if place.audience not in chosen:
            continue
        address = (place.email or "").strip().lower()
        if "@" not in address:  # none given, or removed with the day's personal data
            no_address.add((place.holder, place.row_id))
            continue
        found[address] = _joined(found.get(address), place, address)
    return Recipients(tuple(found.values()), len(no_address))


def _joined(known: Recipient | None, place: Place, address: str) -> Recipient:
    """A recipient with this place's link added."""
    booking = place.seed if place.holder == BOOKING else None
    surgeon = place.seed if place.holder == SURGEON else None
    if known is None:
        return Recipient(address, place.name, booking, surgeon)
    name = place.name if booking and not known.booking_seed else known.name
    return Recipient(address, name, known.booking_seed or booking, known.surgeon_seed or surgeon)


def people(n: int) -> str:
    """'1 person', '3 people'."""
    return f"{n} {'person' if n == 1 else 'people'}"


def count_sentence(found: Recipients) -> str:
    """What the preview says of how many will get it, and how many cannot."""
    said = "Nobody will get it." if not found.count else f"{people(found.count)} will get it."
    if found.without_email:
        has = "has" if found.without_email == 1 else "have"
        said += f" {people(found.without_email)} {has} no email address and will not get it."
    return said


def audience_words(audiences: Iterable[str]) -> str:
    """'booked, waiting and surgeons': to whom a message went, for the day's page."""
    named = [SHORT[a] for a in AUDIENCES if a in set(audiences)]
    if len(named) < 2:
        return "".join(named)
    return f"{', '.join(named[:-1])} and {named[-1]}"


class NumbersChanged(DomainError):
    """Someone booked, cancelled or was approved between the preview and Send."""

    def __init__(self, shown: int, now: int) -> None:
        super().__init__(
            f"Since you looked at the preview, the number of people changed from {shown} to "
            f"{now}. Nothing was sent. Check the preview below, then send it."
        )
        self.now = now


class NobodyToEmail(DomainError):
    """The chosen audiences hold nobody with an address."""

    def __init__(self) -> None:
        super().__init__("Nobody in the people you chose has an email address. Nothing was sent.")


def subject_problem(raw: str, day_title: str, discreet: bool) -> str | None:
    """Why a subject as typed cannot go, or None: it must be one line, and on a discreet
    day must not name the day (a subject shows on lock screens)."""
    if any(char in LINE_BREAKS for char in raw):
        return "The subject must be one line: take out the line break."
    if discreet and day_title.strip() and day_title.strip().lower() in raw.lower():
        return (
            "This day is discreet, so the subject must not name it: subjects show on lock "
            "screens. Say what the message is about instead."
        )
    return None
