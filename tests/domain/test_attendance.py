"""The day's rules: each person's state at the door, who may be checked in, who is expected,
who did not come and who was helped."""

import pytest

from surgery.domain import attendance
from surgery.domain.attendance import (
    BOOKED,
    CANCELLED,
    WAITING,
    WALK_IN,
    OneToOne,
    Place,
    check_in_refusal,
    door_state,
    is_expected,
    is_no_show,
    people_helped,
)

CONFIRMED, WAITLISTED, GONE = "confirmed", "waitlisted", "cancelled"


@pytest.mark.parametrize(
    ("statuses", "walk_in", "kind"),
    [
        ([CONFIRMED], False, BOOKED),
        ([CONFIRMED, WAITLISTED], False, BOOKED),  # a place somewhere is a place
        ([GONE, CONFIRMED], False, BOOKED),
        ([WAITLISTED], False, WAITING),
        ([GONE, WAITLISTED], False, WAITING),
        ([GONE], False, CANCELLED),
        ([GONE, GONE], False, CANCELLED),
        ([], False, CANCELLED),  # nothing booked: nothing to check in for
        ([CONFIRMED], True, WALK_IN),
        ([], True, WALK_IN),  # a day without a surgery session gives walk-ins no place
        ([GONE], True, WALK_IN),  # they came without a place, whatever was booked
    ],
)
def test_a_persons_state_comes_from_their_bookings(statuses, walk_in, kind):
    assert door_state([Place(s) for s in statuses], walk_in).kind == kind


def test_labels_say_the_state_and_the_waiting_position():
    one = door_state([Place(WAITLISTED, "Workshop", 2)], False)
    two = door_state([Place(WAITLISTED, "Morning", 3), Place(WAITLISTED, "Afternoon", 1)], False)

    assert one.label == "Waiting list (position 2)"
    assert two.label == "Waiting list (Morning: position 3; Afternoon: position 1)"
    assert door_state([Place(CONFIRMED)], False).label == "Booked"
    assert door_state([Place(CONFIRMED)], True).label == "Walk-in"
    assert door_state([Place(GONE)], False).label == "Cancelled"


def test_only_people_with_a_confirmed_place_they_booked_are_expected():
    expected = {
        kind: is_expected(door_state([Place(s)], walk_in))
        for kind, s, walk_in in [
            (BOOKED, CONFIRMED, False),
            (WAITING, WAITLISTED, False),
            (CANCELLED, GONE, False),
            (WALK_IN, CONFIRMED, True),
        ]
    }
    assert expected == {BOOKED: True, WAITING: False, CANCELLED: False, WALK_IN: False}


@pytest.mark.parametrize(
    ("statuses", "day_cancelled", "already_here", "refusal"),
    [
        ([CONFIRMED], False, False, None),
        ([WAITLISTED], False, False, None),  # they may still get a place on the day
        ([GONE], False, False, attendance.BOOKING_CANCELLED),
        ([GONE, GONE], False, False, attendance.BOOKING_CANCELLED),
        ([CONFIRMED], True, False, attendance.DAY_CANCELLED),
        ([GONE], True, False, attendance.DAY_CANCELLED),
        ([GONE], False, True, None),  # marking again changes nothing
        ([CONFIRMED], True, True, None),
    ],
)
def test_who_may_be_checked_in(statuses, day_cancelled, already_here, refusal):
    state = door_state([Place(s) for s in statuses], False)

    assert check_in_refusal(state, day_cancelled, already_here) == refusal


def test_the_refusal_of_a_cancelled_booking_is_plain():
    assert attendance.BOOKING_CANCELLED == (
        "This booking was cancelled, so this code cannot be used to check in. "
        "Please see an organiser at the desk."
    )


@pytest.mark.parametrize(
    ("statuses", "walk_in", "came", "no_show"),
    [
        ([CONFIRMED], False, False, True),
        ([CONFIRMED], False, True, False),
        ([WAITLISTED], False, False, False),  # no place to miss
        ([GONE], False, False, False),
        ([CONFIRMED], True, True, False),
        ([GONE, CONFIRMED], False, False, True),
    ],
)
def test_no_shows_are_confirmed_people_who_did_not_come(statuses, walk_in, came, no_show):
    assert is_no_show(door_state([Place(s) for s in statuses], walk_in), came) is no_show


def test_people_helped_are_those_whose_one_to_one_finished():
    pairings = [
        OneToOne(1, ended=True),  # finished
        OneToOne(1, ended=True),  # and again later: still one person
        OneToOne(2, ended=False),  # started, still going
        OneToOne(3, ended=True, back_in_queue=True),  # cut short: waiting again
        OneToOne(4, ended=True, back_in_queue=True),  # cut short, then finished
        OneToOne(4, ended=True),
    ]

    assert people_helped(pairings) == 2
    assert people_helped([]) == 0
