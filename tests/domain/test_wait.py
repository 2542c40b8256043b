"""The estimated wait for a surgeon: honest arithmetic, rounded up, in words."""

from surgery.domain.wait import (
    DEFAULT_PAIRING_MINUTES,
    NO_SURGEONS,
    SurgeonHere,
    average_minutes,
    average_of,
    estimate,
    in_words,
    minutes_to_wait,
    rounded,
)

FREE = SurgeonHere()


def busy(*ran):
    return SurgeonHere(running=tuple(ran))


def test_no_surgeons_means_we_cannot_say():
    assert estimate(0, [], []) == NO_SURGEONS
    assert estimate(5, [], [30]) == "we can't say yet — no surgeons have arrived"


def test_a_free_surgeon_and_nobody_ahead_is_no_wait():
    assert estimate(0, [FREE], []) == "no wait"
    assert estimate(1, [FREE, FREE], []) == "no wait"


def test_the_default_average_is_used_until_a_pairing_has_finished():
    assert average_minutes([]) == DEFAULT_PAIRING_MINUTES == 20
    assert estimate(1, [FREE], []) == "about 20 minutes"


def test_the_days_average_so_far_is_used_once_pairings_have_finished():
    assert average_minutes([10, 20, 30]) == 20
    assert average_of(60, 3) == 20  # from a total the database summed
    assert average_of(0, 0) == DEFAULT_PAIRING_MINUTES
    assert estimate(1, [FREE], [12, 14]) == "about 15 minutes"  # 13 rounded up


def test_a_busy_surgeon_is_free_when_their_pairing_has_run_its_average():
    # 20-minute pairings, 8 minutes in: free in 12, shown as 15 (never less)
    assert minutes_to_wait(0, [busy(8)], 20) == 12
    assert estimate(0, [busy(8)], []) == "about 15 minutes"


def test_a_pairing_that_overran_is_not_counted_as_ending_now():
    assert minutes_to_wait(0, [busy(45)], 20) == 5
    assert estimate(0, [busy(45)], []) == "about 5 minutes"


def test_people_ahead_are_shared_between_surgeons():
    # two free surgeons, four ahead, 20 minutes each: the fifth starts after 40 minutes
    assert minutes_to_wait(4, [FREE, FREE], 20) == 40
    assert estimate(4, [FREE, FREE], []) == "about 40 minutes"
    # one busy for 10 more minutes and one free: ahead 1 takes the free one
    assert minutes_to_wait(1, [busy(10), FREE], 20) == 10


def test_a_surgeon_who_helps_two_at_once_has_two_places():
    assert minutes_to_wait(1, [SurgeonHere(at_once=2)], 20) == 0
    assert minutes_to_wait(1, [SurgeonHere(running=(5,), at_once=2)], 20) == 15
    assert minutes_to_wait(2, [SurgeonHere(running=(5,), at_once=2)], 20) == 20


def test_long_waits_say_more_than_an_hour():
    assert estimate(4, [FREE], []) == "more than an hour"  # 80 minutes
    assert in_words(60) == "about an hour"
    assert in_words(55) == "about an hour"
    assert in_words(61) == "more than an hour"


def test_rounding_is_up_to_5_then_10_minutes_never_down():
    assert [rounded(m) for m in (1, 5, 6, 21, 30, 31, 41, 50)] == [5, 5, 10, 25, 30, 40, 50, 50]
    for minutes in range(1, 61):
        assert rounded(minutes) >= minutes
    assert in_words(0.5) == "about 5 minutes"
    assert in_words(33) == "about 40 minutes"
