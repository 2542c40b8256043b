"""The life of an Event, a Booking and a Pair: which changes are allowed, and who is told.

Each change is asked for by name from the state a row is in now (read under its lock). A
refused change raises DomainError in words fit to show a person; an allowed one returns the
new state and the notice each audience gets (None: nobody in it is told). The notice kinds
are the names surgery.mail.notices writes them under.
"""

from dataclasses import dataclass

from surgery.domain.errors import DomainError


class AlreadyDone(DomainError):
    """The change was already made (a double press, or two people at once): nothing to do."""


# the life of an Event
DRAFT, PUBLISHED, CANCELLED = "draft", "published", "cancelled"
PUBLISH, UNPUBLISH, CANCEL = "publish", "unpublish", "cancel"
EVENT_ACTIONS = (PUBLISH, UNPUBLISH, CANCEL)

# what people are told (the kinds of surgery.mail.notices)
EVENT_CANCELLED, EVENT_RESTORED = "event_cancelled", "event_restored"
WAITING_DAY_CANCELLED, WAITING_DAY_RESTORED = "waiting_day_cancelled", "waiting_day_restored"
SURGEON_DAY_CANCELLED, SURGEON_DAY_RESTORED = "surgeon_day_cancelled", "surgeon_day_restored"
BOOKED, WAITING, PROMOTED = "booking_confirmed", "booking_waitlisted", "booking_promoted"
BOOKING_CANCELLED = "booking_cancelled"
BOOKING_MATCHED, SURGEON_MATCHED = "booking_matched", "surgeon_matched"
BOOKING_UNMATCHED, SURGEON_UNMATCHED = "booking_unmatched", "surgeon_unmatched"
NOTICES = frozenset(
    (EVENT_CANCELLED, EVENT_RESTORED, WAITING_DAY_CANCELLED, WAITING_DAY_RESTORED)
    + (SURGEON_DAY_CANCELLED, SURGEON_DAY_RESTORED, BOOKED, WAITING, PROMOTED)
    + (BOOKING_CANCELLED, BOOKING_MATCHED, SURGEON_MATCHED, BOOKING_UNMATCHED, SURGEON_UNMATCHED)
)

PEOPLE_BOOKED = "People have booked this day. Cancel it instead, so they are told."
PEOPLE_TOLD = (
    "People have booked this day and were told it is cancelled. It stays cancelled, so "
    "their calendars stay right; publish it again if it goes ahead."
)


@dataclass(frozen=True)
class Audiences:
    """One value per audience of a day: people booked, people waiting, approved surgeons."""

    confirmed: object = None
    waiting: object = None
    surgeons: object = None


@dataclass(frozen=True)
class People:
    """How many people a day has in each audience."""

    confirmed: int = 0
    waiting: int = 0
    surgeons: int = 0

    @property
    def anyone(self) -> bool:
        """True if anyone is booked, waiting or down as a surgeon."""
        return bool(self.confirmed or self.waiting or self.surgeons)


@dataclass(frozen=True)
class EventChange:
    """A day's new status and the notice kind each audience gets."""

    status: str
    tell: Audiences = Audiences()

    def emailed(self, people: People) -> People:
        """How many people of each audience this change emails."""
        return People(
            confirmed=people.confirmed if self.tell.confirmed else 0,
            waiting=people.waiting if self.tell.waiting else 0,
            surgeons=people.surgeons if self.tell.surgeons else 0,
        )


CANCEL_TELLS = Audiences(EVENT_CANCELLED, WAITING_DAY_CANCELLED, SURGEON_DAY_CANCELLED)
RESTORE_TELLS = Audiences(EVENT_RESTORED, WAITING_DAY_RESTORED, SURGEON_DAY_RESTORED)


def change_event(status: str, action: str, has_sessions: bool, people: People) -> EventChange:
    """Publish, unpublish or cancel a day in this status, or say why not.

    Cancelling keeps everyone's place (the waiting list set aside in its order), so that
    publishing again puts them all back. A day people were told about is never quietly
    taken off the list: they would not be told, and their calendars would be wrong.
    """
    if action == PUBLISH:
        return _publish(status, has_sessions)
    if action == UNPUBLISH:
        return _unpublish(status, people)
    if action == CANCEL:
        if status == CANCELLED:
            raise AlreadyDone("This day is already cancelled.")
        return EventChange(CANCELLED, CANCEL_TELLS)
    raise DomainError("Unknown change.")


def _publish(status: str, has_sessions: bool) -> EventChange:
    """Open a draft for booking, or put a cancelled day back on, telling its people."""
    if status == PUBLISHED:
        raise AlreadyDone("This day is already published.")
    if not has_sessions:
        raise DomainError("Add at least one session before publishing.")
    return EventChange(PUBLISHED, RESTORE_TELLS if status == CANCELLED else Audiences())


def _unpublish(status: str, people: People) -> EventChange:
    """Take a day off the list, only while nobody has been told about it."""
    if status == DRAFT:
        raise AlreadyDone("This day is already a draft.")
    if people.anyone:
        raise DomainError(PEOPLE_BOOKED if status == PUBLISHED else PEOPLE_TOLD)
    return EventChange(DRAFT)


# the life of a Booking (None: the person has no booking for the session yet)
BOOK, PROMOTE, CANCEL_BOOKING, MOVE_UP = "book", "promote", "cancel", "move_up"
B_CONFIRMED, B_WAITLISTED, B_CANCELLED = "confirmed", "waitlisted", "cancelled"


@dataclass(frozen=True)
class BookingChange:
    """A booking's new status and what its person is told (None: nothing)."""

    status: str
    tell: str | None = None
    frees_place: bool = False


def change_booking(
    status: str | None, action: str, day: str, full: bool = False, over: bool = False
):
    """Book, promote, cancel or move up a booking in this status on a day in this status;
    over: the booking's session has ended."""
    if action == BOOK:
        return _book(status, day, full)
    if action == PROMOTE:
        if status != B_WAITLISTED:
            raise DomainError("Only someone on the waiting list can be given a place.")
        if day == CANCELLED:  # they would be invited to a day that is not happening
            raise DomainError("Nobody is given a place on a cancelled day.")
        if over:  # "a place came up" for something that has ended
            raise DomainError("Nobody is given a place in a session that is over.")
        return BookingChange(B_CONFIRMED, PROMOTED)
    if action == CANCEL_BOOKING:
        if status == B_CANCELLED:
            raise AlreadyDone("This booking is already cancelled.")
        if over:  # the record of who was booked stays as it was on the day
            raise DomainError("This session is over, so it can no longer be cancelled.")
        if status == B_CONFIRMED:
            return BookingChange(B_CANCELLED, BOOKING_CANCELLED, frees_place=True)
        if status == B_WAITLISTED:
            return BookingChange(B_CANCELLED)
        raise DomainError("There is no booking to cancel.")
    if action == MOVE_UP:
        if status != B_WAITLISTED:
            raise DomainError("Only someone on the waiting list can be moved up.")
        return BookingChange(B_WAITLISTED)
    raise DomainError("Unknown change.")


def open_for_booking(day: str) -> None:
    """Refuse unless a day in this status takes bookings (only a published one does)."""
    if day == CANCELLED:
        raise DomainError("This surgery day is cancelled, so it cannot be booked.")
    if day != PUBLISHED:
        raise DomainError("This surgery day is not open for booking.")


def _book(status: str | None, day: str, full: bool) -> BookingChange:
    """A place (or a place in the queue) for someone not booked on the session."""
    if status in (B_CONFIRMED, B_WAITLISTED):
        raise AlreadyDone("You are already booked on this session.")
    open_for_booking(day)
    return BookingChange(B_WAITLISTED, WAITING) if full else BookingChange(B_CONFIRMED, BOOKED)


# the life of a Pair: suggested (a pair fixed on the matching page), accepted (both told),
# started and finished (on the floor), fallen through (one of them is not coming after all)
SUGGESTED, ACCEPTED, STARTED, FINISHED, FALLEN_THROUGH = (
    "locked",
    "accepted",
    "started",
    "finished",
    "fallen_through",
)
SUGGEST, UNSUGGEST, ACCEPT, START, FINISH, FALL_THROUGH = (
    "suggest",
    "unsuggest",
    "accept",
    "start",
    "finish",
    "fall_through",
)
SURGEON_LEFT, ATTENDEE_LEFT = "surgeon", "attendee"
STAYS = "This pair was accepted and both people were told; it stays."


@dataclass(frozen=True)
class PairChange:
    """A pair's new state and what each of its two people is told (None: nothing)."""

    status: str | None
    attendee: str | None = None
    surgeon: str | None = None


def change_pair(status: str | None, action: str, day: str, leaving: str | None = None):
    """Suggest, accept, start, finish or drop a pair in this state (None: no pair yet)."""
    if action in (SUGGEST, UNSUGGEST):
        return _suggest(status, action)
    if action == ACCEPT:
        return _accept(status, day)
    if action == START:
        if status in (STARTED, FINISHED):
            raise DomainError("That person is not waiting any more.")
        return PairChange(STARTED)
    if action == FINISH:
        if status == FINISHED:
            raise AlreadyDone("That pairing has already ended.")
        if status != STARTED:
            raise DomainError("That pairing has not started.")
        return PairChange(FINISHED)
    if action == FALL_THROUGH:
        return _fall_through(status, day, leaving)
    raise DomainError("Unknown change.")


def _suggest(status: str | None, action: str) -> PairChange:
    """Fix a pair so matching again keeps it, or let matching decide it again."""
    if status == ACCEPTED:
        raise DomainError(STAYS)
    if status in (STARTED, FINISHED):
        raise DomainError("This pair has met on the day; it stays.")
    if action == SUGGEST:
        return PairChange(SUGGESTED)
    if status is None:
        raise DomainError("That pair no longer exists.")
    return PairChange(None)


def _accept(status: str | None, day: str) -> PairChange:
    """Accept a pair: both people hear who they will meet, with updated invites."""
    if status == ACCEPTED:
        raise AlreadyDone("This pair was already accepted.")
    if status in (STARTED, FINISHED):
        raise DomainError("This pair has met on the day; it stays.")
    if day == CANCELLED:
        raise DomainError("This surgery day is cancelled, so nobody can be told about pairs.")
    return PairChange(ACCEPTED, BOOKING_MATCHED, SURGEON_MATCHED)


def _fall_through(status: str | None, day: str, leaving: str | None) -> PairChange:
    """One of the pair is not coming: an accepted pair's other person is told (not on a
    cancelled day, whose invites are already cancelled)."""
    if status not in (SUGGESTED, ACCEPTED):
        raise DomainError("Only a suggested or accepted pair can fall through.")
    if leaving not in (SURGEON_LEFT, ATTENDEE_LEFT):
        raise DomainError("Say who is no longer coming.")
    if status == SUGGESTED or day == CANCELLED:
        return PairChange(FALLEN_THROUGH)
    if leaving == SURGEON_LEFT:
        return PairChange(FALLEN_THROUGH, attendee=BOOKING_UNMATCHED)
    return PairChange(FALLEN_THROUGH, surgeon=SURGEON_UNMATCHED)
