"""When the web process's mail sender may start: after requests pause, or at its limit."""

from pytest import approx

from surgery.domain.quiet import seconds_to_wait

PAUSE, LONGEST = 0.25, 10.0


def test_it_sends_at_once_when_no_request_has_begun_for_the_pause():
    assert seconds_to_wait(100.0, 100.0, 99.0, PAUSE, LONGEST) == 0


def test_it_waits_out_the_rest_of_the_pause_after_the_latest_request():
    assert seconds_to_wait(100.0, 100.0, 99.9, PAUSE, LONGEST) == approx(0.15)


def test_requests_that_keep_coming_hold_it_only_until_its_limit():
    woken = 100.0
    assert seconds_to_wait(109.0, woken, 109.0, PAUSE, LONGEST) == PAUSE
    assert seconds_to_wait(109.9, woken, 109.9, PAUSE, LONGEST) == approx(0.1)
    assert seconds_to_wait(110.0, woken, 110.0, PAUSE, LONGEST) == 0
    assert seconds_to_wait(150.0, woken, 150.0, PAUSE, LONGEST) == 0


def test_no_pause_asked_means_no_wait():
    assert seconds_to_wait(100.0, 100.0, 100.0, 0, LONGEST) == 0
