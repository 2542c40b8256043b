"""How long data is kept: the defaults, shortening only, and what falls due when."""

import datetime as dt

import pytest

from surgery.domain import retention
from surgery.domain.errors import DomainError
from surgery.domain.retention import IDENTITY, SENSITIVE, Done, Periods

ENDS = dt.datetime(2027, 3, 6, 13, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


def test_the_defaults_are_thirty_days_for_answers_and_a_year_for_names():
    defaults = retention.DEFAULTS
    assert (defaults.sensitive_days, defaults.identity_days) == (30, 365)


def test_each_stage_falls_due_its_period_after_the_day_ends():
    due = retention.due(ENDS, retention.DEFAULTS)

    assert due.sensitive_at == dt.datetime(2027, 4, 5, 13, 0, tzinfo=dt.UTC)
    assert due.identity_at == dt.datetime(2028, 3, 5, 13, 0, tzinfo=dt.UTC)


def test_nothing_is_due_a_second_before_and_each_stage_is_due_on_the_moment():
    due = retention.due(ENDS, retention.DEFAULTS)
    periods = retention.DEFAULTS

    assert retention.stages_due(ENDS, periods, due.sensitive_at - SECOND, Done()) == ()
    assert retention.stages_due(ENDS, periods, due.sensitive_at, Done()) == (SENSITIVE,)
    assert retention.stages_due(ENDS, periods, due.identity_at - SECOND, Done(True)) == ()
    assert retention.stages_due(ENDS, periods, due.identity_at, Done(True)) == (IDENTITY,)


def test_a_stage_removed_already_is_not_due_again():
    later = ENDS + dt.timedelta(days=400)

    assert retention.stages_due(ENDS, retention.DEFAULTS, later, Done(True, True)) == ()
    both = retention.stages_due(ENDS, retention.DEFAULTS, later, Done())
    assert both == (SENSITIVE, IDENTITY)  # answers always go first


@pytest.mark.parametrize(
    "periods",
    [Periods(30, 365), Periods(1, 1), Periods(7, 90), Periods(30, 30)],
)
def test_an_organiser_may_shorten_the_periods(periods):
    assert retention.problems(periods) == {}
    assert retention.checked(periods) == periods


@pytest.mark.parametrize(
    ("periods", "field", "says"),
    [
        (Periods(31, 365), "sensitive_days", "at most 30 days"),
        (Periods(30, 366), "identity_days", "at most 365 days"),
        (Periods(0, 365), "sensitive_days", "at least 1 day"),
        (Periods(30, -5), "identity_days", "at least 1 day"),
        (Periods(20, 10), "identity_days", "at least 20 days"),
    ],
)
def test_longer_than_the_defaults_or_shorter_than_a_day_is_refused(periods, field, says):
    assert says in retention.problems(periods)[field]
    with pytest.raises(retention.TooLong):
        retention.checked(periods)


def test_removing_now_is_refused_before_the_day_is_over_and_takes_what_is_left_after():
    with pytest.raises(DomainError, match="not over yet"):
        retention.stages_now(ENDS, ENDS - SECOND, Done())

    assert retention.stages_now(ENDS, ENDS, Done()) == (SENSITIVE, IDENTITY)
    assert retention.stages_now(ENDS, ENDS, Done(True)) == (IDENTITY,)
    assert retention.stages_now(ENDS, ENDS, Done(True, True)) == ()


def test_asking_before_removing_now_says_what_goes_and_that_nobody_is_emailed():
    what = retention.removing_now("Leeds surgery", True, Done(), 3, 1, 5)

    assert what.question == "Remove the personal data of Leeds surgery now?"
    text = " ".join(what.happens)
    assert "sensitive answers of 3 people who booked or walked in and 1 surgeon" in text
    assert "lived experience" in text
    assert "names, email addresses and check-in codes" in text
    assert "5 emails in the outbox will be deleted" in text
    assert "numbers are kept" in text
    assert what.emailed_line == "Nobody will be emailed."
    assert what.yes == "Yes, remove it now"


def test_asking_before_removing_now_offers_no_button_when_there_is_nothing_to_do():
    assert retention.removing_now("Leeds", False, Done(), 3, 1, 0).yes is None
    assert retention.removing_now("Leeds", True, Done(True, True), 3, 1, 0).yes is None
    answers_gone = retention.removing_now("Leeds", True, Done(True), 3, 1, 0)
    assert "sensitive answers" not in " ".join(answers_gone.happens)


def test_periods_in_words():
    assert retention.period_words(365) == "12 months"
    assert retention.period_words(30) == "30 days"
    assert retention.period_words(1) == "1 day"
