"""The floor's pure rules: who a free surgeon should see next, hours present, chart shares."""

import datetime as dt

from surgery.domain.floor import (
    Waiting,
    hours_present,
    minutes_between,
    next_for,
    shares,
    suggestions,
    waiting_since,
)
from surgery.domain.matching import Attendee, Surgeon

NINE = dt.datetime(2030, 5, 4, 9, 0, tzinfo=dt.UTC)


def waiting(booking_id: int, minutes_after_nine: int, *topics: str, **wants) -> Waiting:
    """Someone checked in at 9:00 plus some minutes, asking for help with topics."""
    since = NINE + dt.timedelta(minutes=minutes_after_nine)
    return Waiting(booking_id, since, Attendee(booking_id, frozenset(topics), **wants))


def surgeon(surgeon_id: int, *topics: str, **more) -> Surgeon:
    return Surgeon(surgeon_id, frozenset(topics), **more)


def test_the_longest_waiting_person_the_surgeon_can_help_is_next():
    queue = [waiting(1, 10, "Facebook"), waiting(2, 0, "Facebook"), waiting(3, 5, "Facebook")]

    assert next_for(surgeon(7, "Facebook"), queue).booking_id == 2


def test_someone_the_surgeon_cannot_help_is_skipped_even_if_waiting_longest():
    queue = [waiting(1, 0, "Tax returns"), waiting(2, 20, "Facebook")]

    assert next_for(surgeon(7, "Facebook"), queue).booking_id == 2
    assert next_for(surgeon(8, "Knitting"), queue) is None


def test_a_better_fit_breaks_a_tie_in_waiting_time():
    queue = [
        waiting(1, 0, "Facebook"),
        waiting(2, 0, "Facebook", wants_lived_experience=True),
    ]
    lived = surgeon(7, "Facebook", lived_experience=True)

    assert next_for(lived, queue).booking_id == 2
    assert next_for(lived, list(reversed(queue))).booking_id == 2


def test_someone_who_named_no_topic_can_be_helped_by_anyone():
    assert next_for(surgeon(7, "Facebook"), [waiting(1, 0)]).booking_id == 1


def test_nobody_is_suggested_to_two_surgeons():
    queue = [waiting(1, 0, "Facebook"), waiting(2, 5, "Facebook"), waiting(3, 9, "Email")]
    free = [surgeon(7, "Facebook"), surgeon(8, "Facebook"), surgeon(9, "Facebook")]

    assert suggestions(free, queue) == {7: 1, 8: 2}


def test_people_already_taken_are_not_suggested():
    queue = [waiting(1, 0, "Facebook"), waiting(2, 5, "Facebook")]

    assert next_for(surgeon(7, "Facebook"), queue, taken={1}).booking_id == 2
    assert next_for(surgeon(7, "Facebook"), queue, taken={1, 2}) is None


def test_minutes_between_are_whole_and_never_negative():
    assert minutes_between(NINE, NINE + dt.timedelta(minutes=4, seconds=59)) == 4
    assert minutes_between(NINE, NINE - dt.timedelta(minutes=3)) == 0


def test_hours_present_count_a_surgeon_still_here_up_to_now():
    now = NINE + dt.timedelta(hours=3)
    spans = [
        (NINE, NINE + dt.timedelta(hours=2)),  # left after two hours
        (NINE + dt.timedelta(hours=2), None),  # still here: one hour so far
        (NINE + dt.timedelta(minutes=30), NINE + dt.timedelta(minutes=60)),  # half an hour
    ]

    assert hours_present(spans, now) == 3.5
    assert hours_present([], now) == 0


def test_shares_are_percentages_of_the_largest_largest_first():
    assert shares([("Carer", 1), ("Journalist", 4), ("Student", 2), ("Artist", 2)]) == [
        ("Journalist", 4, 100),
        ("Artist", 2, 50),
        ("Student", 2, 50),
        ("Carer", 1, 25),
    ]
    assert shares([]) == []
    assert shares([("Nobody", 0)]) == [("Nobody", 0, 0)]


def test_someone_never_paired_has_waited_since_they_checked_in():
    assert waiting_since(NINE, []) == NINE


def test_someone_being_helped_or_helped_is_not_waiting():
    at = NINE + dt.timedelta(minutes=10)
    assert waiting_since(NINE, [(at, None, False)]) is None
    assert waiting_since(NINE, [(at, at + dt.timedelta(minutes=20), False)]) is None


def test_time_with_a_surgeon_does_not_count_as_waiting():
    """In at 9:00, with a surgeon 9:10-9:30 who left, again 9:40-9:45 and back again: their
    wait began, in effect, at 9:25; 20 of their 45 minutes were spent waiting."""
    minute = dt.timedelta(minutes=1)
    pairings = [
        (NINE + 40 * minute, NINE + 45 * minute, True),  # given in any order
        (NINE + 10 * minute, NINE + 30 * minute, True),
    ]
    assert waiting_since(NINE, pairings) == NINE + 25 * minute


def test_a_finished_pairing_after_going_back_ends_the_wait():
    minute = dt.timedelta(minutes=1)
    pairings = [(NINE + 10 * minute, NINE + 30 * minute, True), (NINE + 40 * minute, None, False)]
    assert waiting_since(NINE, pairings) is None
