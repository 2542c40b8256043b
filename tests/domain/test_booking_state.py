"""Each booking's state in words, and what a person's pages may promise them."""

import pytest

from surgery.domain.bookable import OPEN, OVER, STARTED
from surgery.domain.booking_state import (
    BOOKED,
    CANCELLED_STATE,
    DAY_CANCELLED,
    SESSION_OVER,
    WAITING,
    BookingState,
    booking_state,
    page_truth,
)
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED


@pytest.mark.parametrize(
    ("status", "position", "day_cancelled", "phase", "code", "words"),
    [
        (CONFIRMED, None, False, OPEN, BOOKED, "Booked"),
        (CONFIRMED, None, False, STARTED, BOOKED, "Booked (started)"),
        (WAITLISTED, 3, False, OPEN, WAITING, "On the waiting list, number 3"),
        (CANCELLED, None, False, OPEN, CANCELLED_STATE, "Cancelled"),
        (CONFIRMED, None, True, OPEN, DAY_CANCELLED, "Cancelled: the surgery day is cancelled"),
        (WAITLISTED, 1, True, OPEN, DAY_CANCELLED, "Cancelled: the surgery day is cancelled"),
        (CONFIRMED, None, False, OVER, SESSION_OVER, "This session is over"),
        (WAITLISTED, 2, False, OVER, SESSION_OVER, "This session is over"),
        (CANCELLED, None, False, OVER, CANCELLED_STATE, "Cancelled"),
    ],
)
def test_each_booking_says_where_it_stands(status, position, day_cancelled, phase, code, words):
    state = booking_state(status, position, day_cancelled, phase)
    assert state == BookingState(code, words)
    assert state.holds_place == (code == BOOKED)


def states(*codes: str) -> list[BookingState]:
    """Booking states with these codes."""
    return [BookingState(code, "") for code in codes]


def test_a_booked_person_is_told_their_place_is_saved_and_was_invited():
    truth = page_truth(states(BOOKED, CANCELLED_STATE), True, False, False)
    assert truth.booked and truth.invited and not truth.waiting
    assert truth.headline == "Your place is saved."


def test_a_waiting_list_place_is_never_shown_as_booked():
    truth = page_truth(states(WAITING), True, False, False)
    assert not truth.booked and not truth.invited and truth.waiting
    assert truth.headline == (
        "You are on the waiting list, not booked yet: we will email you if a place comes up."
    )


def test_without_an_email_address_nothing_is_said_to_be_emailed():
    truth = page_truth(states(BOOKED, WAITING), False, False, False)
    assert truth.booked and not truth.emailed and not truth.invited
    assert "email" not in truth.headline
    assert "this page will show it" in truth.headline


def test_a_cancelled_day_and_a_day_that_is_over_hold_no_place():
    cancelled = page_truth(states(DAY_CANCELLED), True, True, False)
    assert not cancelled.booked and "cancelled" in cancelled.headline
    over = page_truth(states(SESSION_OVER), True, False, True)
    assert not over.booked and over.headline == "This surgery day is over."


def test_only_someone_who_came_is_thanked_for_coming():
    came = page_truth(states(SESSION_OVER), True, False, True, came=True)
    assert came.headline == "This surgery day is over. Thank you for coming."
    stayed_away = page_truth(states(CANCELLED_STATE), True, False, True, came=False)
    assert "Thank you for coming" not in stayed_away.headline


def test_someone_with_every_session_cancelled_has_nothing_booked():
    truth = page_truth(states(CANCELLED_STATE), True, False, False)
    assert not truth.booked and truth.headline == "You have no sessions booked."
