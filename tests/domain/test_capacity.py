"""Capacity and waiting-list rules, without Flask or a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surgery.domain import capacity
from surgery.domain.capacity import CONFIRMED, WAITLISTED, Placement


def test_confirms_while_places_are_free():
    assert capacity.place_new_booking(capacity=2, confirmed=1, waiting=0) == Placement(CONFIRMED)


def test_full_session_puts_people_in_line_with_their_position():
    assert capacity.place_new_booking(2, 2, 0) == Placement(WAITLISTED, 1)
    assert capacity.place_new_booking(2, 2, 3) == Placement(WAITLISTED, 4)


def test_nobody_jumps_the_queue_even_if_a_place_is_free():
    assert capacity.place_new_booking(3, 2, 1) == Placement(WAITLISTED, 2)


def test_lowered_capacity_never_shows_negative_places():
    assert capacity.places_left(5, 8) == 0


@pytest.mark.parametrize(
    ("cap", "confirmed", "queue", "expected"),
    [(10, 10, [7, 8], []), (10, 9, [7, 8], [7]), (10, 7, [7, 8], [7, 8]), (0, 0, [1], [])],
)
def test_promotion_takes_the_first_in_line_into_free_places(cap, confirmed, queue, expected):
    assert capacity.to_promote(cap, confirmed, queue) == expected


def test_positions_count_from_one_in_queue_order():
    assert capacity.positions([42, 7, 19]) == {42: 1, 7: 2, 19: 3}


def test_swap_up_moves_one_place_and_keeps_the_front_in_place():
    assert capacity.swap_up([1, 2, 3], 3) == [1, 3, 2]
    assert capacity.swap_up([1, 2, 3], 1) == [1, 2, 3]


@given(cap=st.integers(1, 30), arrivals=st.integers(0, 80), cancels=st.integers(0, 80))
def test_a_day_of_bookings_and_cancellations_never_overbooks(cap, arrivals, cancels):
    confirmed, queue = [], []
    for person in range(arrivals):
        placement = capacity.place_new_booking(cap, len(confirmed), len(queue))
        (confirmed if placement.status == CONFIRMED else queue).append(person)
    for _ in range(min(cancels, len(confirmed))):
        confirmed.pop(0)
        promoted = capacity.to_promote(cap, len(confirmed), queue)
        confirmed += promoted
        queue = queue[len(promoted) :]
    assert len(confirmed) <= cap
    assert not queue or len(confirmed) == cap
