"""When a message that did not go is tried again, and when we stop trying."""

import datetime as dt

import pytest

from surgery.domain.retry import FIRST_WAIT, LONGEST_WAIT, gives_up, next_attempt

NOW = dt.datetime(2027, 3, 28, 0, 59, 30, tzinfo=dt.UTC)


def wait_after(attempts: int) -> dt.timedelta:
    return next_attempt(attempts, NOW) - NOW


def test_the_first_retry_is_thirty_seconds_later():
    assert wait_after(1) == dt.timedelta(seconds=30)


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [(1, 30), (2, 60), (3, 120), (4, 240), (5, 480), (6, 960), (7, 1920), (8, 3840)],
)
def test_each_failure_doubles_the_wait(attempts, seconds):
    assert wait_after(attempts) == dt.timedelta(seconds=seconds)


def test_the_wait_grows_and_never_passes_two_hours():
    waits = [wait_after(n) for n in range(1, 60)]
    assert waits == sorted(waits)
    assert max(waits) == dt.timedelta(hours=2)
    assert waits[-1] == LONGEST_WAIT
    assert wait_after(10_000) == LONGEST_WAIT  # no overflow after a very long outage


def test_no_attempt_yet_waits_like_the_first():
    assert wait_after(0) == FIRST_WAIT


def test_the_next_attempt_keeps_the_timezone_and_is_in_the_future():
    moment = next_attempt(3, NOW)
    assert moment.tzinfo is dt.UTC
    assert moment > NOW


@pytest.mark.parametrize(
    ("attempts", "limit", "expected"),
    [(0, 8, False), (1, 8, False), (7, 8, False), (8, 8, True), (9, 8, True), (1, 1, True)],
)
def test_we_give_up_once_the_limit_of_attempts_is_reached(attempts, limit, expected):
    assert gives_up(attempts, limit) is expected
