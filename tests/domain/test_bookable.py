"""When a session can be booked or volunteered for, and what its places say."""

import datetime as dt

import pytest

from surgery.domain import bookable
from surgery.domain.bookable import OPEN, OVER, STARTED, Offer

TEN = dt.datetime(2027, 3, 6, 10, 0, tzinfo=dt.UTC)
NOON = TEN + dt.timedelta(hours=2)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (TEN - dt.timedelta(seconds=1), OPEN),
        (TEN, STARTED),
        (NOON - dt.timedelta(seconds=1), STARTED),
        (NOON, OVER),
        (NOON + dt.timedelta(days=30), OVER),
    ],
)
def test_a_session_is_open_until_it_starts_and_over_when_it_ends(now, expected):
    assert bookable.phase(TEN, NOON, now) == expected


def test_only_a_session_still_to_come_that_needs_booking_can_be_booked():
    assert bookable.refusal("Blogging", True, OPEN) is None
    assert bookable.refusal("Blogging", True, STARTED) == (
        "Blogging has already started, so it can no longer be booked."
    )
    assert bookable.refusal("Blogging", True, OVER) == (
        "Blogging is over, so it can no longer be booked."
    )
    assert bookable.refusal("Open space", False, OPEN) == (
        "Open space needs no booking: just come along."
    )


def test_only_a_surgery_still_to_come_takes_volunteers():
    assert bookable.volunteer_refusal("Surgery", OPEN) is None
    assert "has already started" in bookable.volunteer_refusal("Surgery", STARTED)
    assert "is over" in bookable.volunteer_refusal("Surgery", OVER)


def test_a_day_is_over_when_its_last_session_has_ended():
    ends = [TEN, NOON]
    assert not bookable.day_is_over(ends, TEN)
    assert bookable.day_is_over(ends, NOON)
    assert not bookable.day_is_over([], NOON)


def test_a_form_is_closed_on_a_past_day_or_when_nothing_is_left_to_book():
    assert bookable.closed_reason(day_over=False, any_open=True) is None
    assert "is over" in bookable.closed_reason(day_over=True, any_open=True)
    assert "has started" in bookable.closed_reason(day_over=False, any_open=False)
    volunteers = bookable.closed_reason(False, False, volunteering=True)
    assert "not taking volunteers" in volunteers


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((10, 3, 0, OPEN), Offer(True, False, "7 places left")),
        ((10, 9, 0, OPEN), Offer(True, False, "1 place left")),
        ((10, 10, 0, OPEN), Offer(True, True, "Full – join the waiting list")),
        ((10, 4, 1, OPEN), Offer(True, True, "Full – join the waiting list")),  # no queue jumping
        ((5, 8, 0, OPEN), Offer(True, True, "Full – join the waiting list")),
        ((None, 0, 0, OPEN), Offer(False, False, "No booking needed")),
        ((10, 3, 0, STARTED), Offer(False, False, "Started – no more bookings")),
        ((None, 0, 0, STARTED), Offer(False, False, "No booking needed")),
        ((10, 3, 0, OVER), Offer(False, False, "Finished")),
        ((None, 0, 0, OVER), Offer(False, False, "Finished")),
        (
            (10, 10, 2, bookable.DAY_CANCELLED),
            Offer(False, False, "Cancelled: no places are offered"),
        ),
    ],
)
def test_places_say_what_can_be_done_now(args, expected):
    assert bookable.offer(*args) == expected


def test_a_full_session_is_joined_not_booked():
    assert bookable.offer(10, 10, 0).action == "Join the waiting list"
    assert bookable.offer(10, 3, 0).action == "Book"
