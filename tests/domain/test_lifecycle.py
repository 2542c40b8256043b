"""The life of an Event, a Booking and a Pair: every allowed change, every refused one."""

import ast
from pathlib import Path

import pytest

from surgery.domain import lifecycle as life
from surgery.domain.errors import DomainError
from surgery.domain.lifecycle import (
    ACCEPTED,
    CANCELLED,
    DRAFT,
    FALLEN_THROUGH,
    FINISHED,
    PUBLISHED,
    STARTED,
    SUGGESTED,
    AlreadyDone,
    Audiences,
    People,
)

NOBODY = People()
BOOKED = People(confirmed=3, waiting=2, surgeons=1)
CANCEL_TELLS = Audiences("event_cancelled", "waiting_day_cancelled", "surgeon_day_cancelled")
RESTORE_TELLS = Audiences("event_restored", "waiting_day_restored", "surgeon_day_restored")

# the life of an Event


@pytest.mark.parametrize(
    ("status", "action", "people", "new", "tell"),
    [
        (DRAFT, "publish", NOBODY, PUBLISHED, Audiences()),
        (DRAFT, "publish", BOOKED, PUBLISHED, Audiences()),  # surgeons added to a draft
        (CANCELLED, "publish", BOOKED, PUBLISHED, RESTORE_TELLS),
        (CANCELLED, "publish", NOBODY, PUBLISHED, RESTORE_TELLS),
        (PUBLISHED, "unpublish", NOBODY, DRAFT, Audiences()),
        (CANCELLED, "unpublish", NOBODY, DRAFT, Audiences()),
        (DRAFT, "cancel", NOBODY, CANCELLED, CANCEL_TELLS),
        (PUBLISHED, "cancel", NOBODY, CANCELLED, CANCEL_TELLS),
        (PUBLISHED, "cancel", BOOKED, CANCELLED, CANCEL_TELLS),
    ],
)
def test_allowed_changes_to_a_day_and_who_is_told(status, action, people, new, tell):
    change = life.change_event(status, action, True, people)
    assert (change.status, change.tell) == (new, tell)


@pytest.mark.parametrize(
    ("status", "action", "has_sessions", "people", "message", "already"),
    [
        (PUBLISHED, "publish", True, NOBODY, "This day is already published.", True),
        (DRAFT, "publish", False, NOBODY, "Add at least one session before publishing.", False),
        (CANCELLED, "publish", False, NOBODY, "Add at least one session", False),
        (DRAFT, "unpublish", True, NOBODY, "This day is already a draft.", True),
        (PUBLISHED, "unpublish", True, People(confirmed=1), life.PEOPLE_BOOKED, False),
        (PUBLISHED, "unpublish", True, People(waiting=1), life.PEOPLE_BOOKED, False),
        (PUBLISHED, "unpublish", True, People(surgeons=1), life.PEOPLE_BOOKED, False),
        (CANCELLED, "unpublish", True, People(waiting=1), life.PEOPLE_TOLD, False),
        (CANCELLED, "cancel", True, BOOKED, "This day is already cancelled.", True),
        (DRAFT, "archive", True, NOBODY, "Unknown change.", False),
    ],
)
def test_refused_changes_to_a_day_say_why(status, action, has_sessions, people, message, already):
    with pytest.raises(DomainError, match=message) as refused:
        life.change_event(status, action, has_sessions, people)
    assert isinstance(refused.value, AlreadyDone) == already


def test_unpublishing_a_booked_day_says_to_cancel_it_instead():
    with pytest.raises(DomainError) as refused:
        life.change_event(PUBLISHED, "unpublish", True, People(confirmed=1))
    assert str(refused.value) == "People have booked this day. Cancel it instead, so they are told."


def test_each_audience_is_counted_only_when_it_is_told():
    people = People(confirmed=4, waiting=2, surgeons=3)
    cancel = life.change_event(PUBLISHED, "cancel", True, people)
    assert cancel.emailed(people) == people
    publish = life.change_event(DRAFT, "publish", True, people)
    assert publish.emailed(people) == NOBODY
    assert not NOBODY.anyone and People(surgeons=1).anyone


# the life of a Booking


@pytest.mark.parametrize(
    ("status", "action", "day", "full", "new", "tell", "frees"),
    [
        (None, "book", PUBLISHED, False, "confirmed", "booking_confirmed", False),
        (None, "book", PUBLISHED, True, "waitlisted", "booking_waitlisted", False),
        ("cancelled", "book", PUBLISHED, False, "confirmed", "booking_confirmed", False),
        ("cancelled", "book", PUBLISHED, True, "waitlisted", "booking_waitlisted", False),
        ("waitlisted", "promote", PUBLISHED, False, "confirmed", "booking_promoted", False),
        ("waitlisted", "promote", DRAFT, False, "confirmed", "booking_promoted", False),
        ("confirmed", "cancel", PUBLISHED, False, "cancelled", "booking_cancelled", True),
        ("confirmed", "cancel", CANCELLED, False, "cancelled", "booking_cancelled", True),
        ("waitlisted", "cancel", PUBLISHED, False, "cancelled", None, False),
        ("waitlisted", "cancel", CANCELLED, False, "cancelled", None, False),
        ("waitlisted", "move_up", PUBLISHED, False, "waitlisted", None, False),
        ("waitlisted", "move_up", CANCELLED, False, "waitlisted", None, False),
    ],
)
def test_allowed_changes_to_a_booking_and_what_its_person_is_told(
    status, action, day, full, new, tell, frees
):
    change = life.change_booking(status, action, day, full)
    assert (change.status, change.tell, change.frees_place) == (new, tell, frees)


@pytest.mark.parametrize(
    ("status", "action", "day", "message", "already"),
    [
        ("confirmed", "book", PUBLISHED, "You are already booked on this session.", True),
        ("waitlisted", "book", PUBLISHED, "You are already booked on this session.", True),
        (None, "book", CANCELLED, "This surgery day is cancelled, so it cannot be booked.", False),
        (None, "book", DRAFT, "This surgery day is not open for booking.", False),
        ("waitlisted", "promote", CANCELLED, "Nobody is given a place on a cancelled day.", False),
        ("confirmed", "promote", PUBLISHED, "Only someone on the waiting list", False),
        ("cancelled", "promote", PUBLISHED, "Only someone on the waiting list", False),
        (None, "promote", PUBLISHED, "Only someone on the waiting list", False),
        ("cancelled", "cancel", PUBLISHED, "This booking is already cancelled.", True),
        (None, "cancel", PUBLISHED, "There is no booking to cancel.", False),
        ("confirmed", "move_up", PUBLISHED, "Only someone on the waiting list can be moved", False),
        ("cancelled", "move_up", PUBLISHED, "Only someone on the waiting list can be moved", False),
        ("confirmed", "waitlist", PUBLISHED, "Unknown change.", False),
    ],
)
def test_refused_changes_to_a_booking_say_why(status, action, day, message, already):
    with pytest.raises(DomainError, match=message) as refused:
        life.change_booking(status, action, day)
    assert isinstance(refused.value, AlreadyDone) == already


# the life of a Pair


@pytest.mark.parametrize(
    ("status", "action", "day", "leaving", "new", "attendee", "surgeon"),
    [
        (None, "suggest", PUBLISHED, None, SUGGESTED, None, None),
        (SUGGESTED, "suggest", PUBLISHED, None, SUGGESTED, None, None),
        (SUGGESTED, "unsuggest", PUBLISHED, None, None, None, None),
        (None, "accept", PUBLISHED, None, ACCEPTED, "booking_matched", "surgeon_matched"),
        (SUGGESTED, "accept", PUBLISHED, None, ACCEPTED, "booking_matched", "surgeon_matched"),
        (None, "start", PUBLISHED, None, STARTED, None, None),
        (SUGGESTED, "start", PUBLISHED, None, STARTED, None, None),
        (ACCEPTED, "start", PUBLISHED, None, STARTED, None, None),
        (STARTED, "finish", PUBLISHED, None, FINISHED, None, None),
        (SUGGESTED, "fall_through", PUBLISHED, "surgeon", FALLEN_THROUGH, None, None),
        (SUGGESTED, "fall_through", PUBLISHED, "attendee", FALLEN_THROUGH, None, None),
        (ACCEPTED, "fall_through", PUBLISHED, "surgeon", FALLEN_THROUGH, "booking_unmatched", None),
        (
            ACCEPTED,
            "fall_through",
            PUBLISHED,
            "attendee",
            FALLEN_THROUGH,
            None,
            "surgeon_unmatched",
        ),
        (ACCEPTED, "fall_through", CANCELLED, "surgeon", FALLEN_THROUGH, None, None),
        (ACCEPTED, "fall_through", CANCELLED, "attendee", FALLEN_THROUGH, None, None),
    ],
)
def test_allowed_changes_to_a_pair_and_who_is_told(
    status, action, day, leaving, new, attendee, surgeon
):
    change = life.change_pair(status, action, day, leaving)
    assert (change.status, change.attendee, change.surgeon) == (new, attendee, surgeon)


@pytest.mark.parametrize(
    ("status", "action", "day", "leaving", "message", "already"),
    [
        (ACCEPTED, "suggest", PUBLISHED, None, life.STAYS, False),
        (ACCEPTED, "unsuggest", PUBLISHED, None, life.STAYS, False),
        (STARTED, "suggest", PUBLISHED, None, "has met on the day", False),
        (FINISHED, "unsuggest", PUBLISHED, None, "has met on the day", False),
        (None, "unsuggest", PUBLISHED, None, "That pair no longer exists.", False),
        (ACCEPTED, "accept", PUBLISHED, None, "This pair was already accepted.", True),
        (STARTED, "accept", PUBLISHED, None, "has met on the day", False),
        (FINISHED, "accept", PUBLISHED, None, "has met on the day", False),
        (SUGGESTED, "accept", CANCELLED, None, "nobody can be told about pairs", False),
        (None, "accept", CANCELLED, None, "nobody can be told about pairs", False),
        (STARTED, "start", PUBLISHED, None, "That person is not waiting any more.", False),
        (FINISHED, "start", PUBLISHED, None, "That person is not waiting any more.", False),
        (FINISHED, "finish", PUBLISHED, None, "That pairing has already ended.", True),
        (None, "finish", PUBLISHED, None, "That pairing has not started.", False),
        (SUGGESTED, "finish", PUBLISHED, None, "That pairing has not started.", False),
        (ACCEPTED, "finish", PUBLISHED, None, "That pairing has not started.", False),
        (None, "fall_through", PUBLISHED, "surgeon", "Only a suggested or accepted pair", False),
        (STARTED, "fall_through", PUBLISHED, "surgeon", "Only a suggested or accepted pair", False),
        (FINISHED, "fall_through", PUBLISHED, "attendee", "Only a suggested or accepted", False),
        (ACCEPTED, "fall_through", PUBLISHED, None, "Say who is no longer coming.", False),
        (SUGGESTED, "marry", PUBLISHED, None, "Unknown change.", False),
    ],
)
def test_refused_changes_to_a_pair_say_why(status, action, day, leaving, message, already):
    with pytest.raises(DomainError, match=message) as refused:
        life.change_pair(status, action, day, leaving)
    assert isinstance(refused.value, AlreadyDone) == already


def test_the_rules_import_no_flask_or_database():
    tree = ast.parse(Path(life.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported <= {"dataclasses", "surgery.domain.errors"}, imported


def test_a_booking_in_a_session_that_is_over_is_neither_cancelled_nor_given_a_place():
    with pytest.raises(DomainError, match="^This session is over, so it can no longer be "):
        life.change_booking(life.B_CONFIRMED, life.CANCEL_BOOKING, PUBLISHED, over=True)
    with pytest.raises(DomainError, match="^This session is over, so it can no longer be "):
        life.change_booking(life.B_WAITLISTED, life.CANCEL_BOOKING, PUBLISHED, over=True)
    with pytest.raises(DomainError, match="^Nobody is given a place in a session that is over"):
        life.change_booking(life.B_WAITLISTED, life.PROMOTE, PUBLISHED, over=True)
    with pytest.raises(AlreadyDone):  # a double press still does nothing quietly
        life.change_booking(life.B_CANCELLED, life.CANCEL_BOOKING, PUBLISHED, over=True)
    # a session still running may take someone on the day
    promoted = life.change_booking(life.B_WAITLISTED, life.PROMOTE, PUBLISHED, over=False)
    assert promoted.status == life.B_CONFIRMED
