"""The dates of a series, the local times kept on each, and when a day may be deleted."""

import datetime as dt

import pytest

from surgery.domain import series
from surgery.domain.series import SeriesRefused

SATURDAY = 5
LONDON = "Europe/London"


def test_first_saturday_of_each_month_until_a_date():
    dates = series.monthly(dt.date(2026, 1, 1), dt.date(2026, 6, 6), SATURDAY, 1)
    assert dates == [
        dt.date(2026, 1, 3),
        dt.date(2026, 2, 7),
        dt.date(2026, 3, 7),
        dt.date(2026, 4, 4),
        dt.date(2026, 5, 2),
        dt.date(2026, 6, 6),
    ]


def test_a_date_before_the_start_is_left_out():
    dates = series.monthly(dt.date(2026, 1, 10), dt.date(2026, 3, 1), SATURDAY, 1)
    assert dates == [dt.date(2026, 2, 7)]


def test_months_without_a_fifth_saturday_are_skipped():
    dates = series.monthly(dt.date(2026, 1, 1), dt.date(2026, 12, 31), SATURDAY, 5)
    assert dates == [dt.date(2026, 1, 31), dt.date(2026, 5, 30), dt.date(2026, 8, 29),
                     dt.date(2026, 10, 31)]  # fmt: skip


def test_leap_day_is_a_date_like_any_other():
    assert series.monthly(dt.date(2028, 2, 1), dt.date(2028, 2, 29), 1, 5) == [dt.date(2028, 2, 29)]
    assert series.every_weeks(dt.date(2028, 2, 15), dt.date(2028, 3, 14), 2) == [
        dt.date(2028, 2, 15),
        dt.date(2028, 2, 29),
        dt.date(2028, 3, 14),
    ]


def test_every_two_weeks():
    dates = series.every_weeks(dt.date(2026, 3, 7), dt.date(2026, 4, 18), 2)
    assert dates == [dt.date(2026, 3, 7), dt.date(2026, 3, 21), dt.date(2026, 4, 4),
                     dt.date(2026, 4, 18)]  # fmt: skip


def test_one_series_makes_at_most_24_days():
    weekly = series.every_weeks(dt.date(2026, 1, 1), dt.date(2028, 12, 31), 1)
    assert len(weekly) == series.MOST_DAYS == 24
    assert len(series.monthly(dt.date(2026, 1, 1), dt.date(2028, 12, 31), SATURDAY, 1)) == 24


@pytest.mark.parametrize(
    "start, until",
    [
        (dt.date(2026, 5, 1), dt.date(2026, 4, 1)),  # until before start
        (dt.date(2026, 1, 1), dt.date(9999, 12, 31)),  # far off
        (dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    ],
)
def test_hostile_ranges_are_refused_in_words(start, until):
    with pytest.raises(SeriesRefused) as refused:
        series.monthly(start, until, SATURDAY, 1)
    assert "date" in str(refused.value)
    with pytest.raises(SeriesRefused):
        series.every_weeks(start, until, 1)


def test_the_very_last_dates_do_not_overflow():
    assert series.monthly(dt.date(9999, 12, 1), dt.date(9999, 12, 31), SATURDAY, 1) == [
        dt.date(9999, 12, 4)
    ]
    assert series.every_weeks(dt.date(9999, 12, 25), dt.date(9999, 12, 31), 2) == [
        dt.date(9999, 12, 25)
    ]


@pytest.mark.parametrize("weekday, nth, weeks", [(7, 1, 0), (-1, 0, 53), (5, 6, 99)])
def test_nonsense_choices_are_refused(weekday, nth, weeks):
    with pytest.raises(SeriesRefused):
        series.monthly(dt.date(2026, 1, 1), dt.date(2026, 6, 1), weekday, nth)
    with pytest.raises(SeriesRefused):
        series.every_weeks(dt.date(2026, 1, 1), dt.date(2026, 6, 1), weeks)


def test_ten_am_in_march_stays_ten_am_in_april_across_the_clock_change():
    # 7 March 2026 is GMT (10:00 UTC); 4 April is BST, so 10am there is 09:00 UTC
    starts = dt.datetime(2026, 3, 7, 10, tzinfo=dt.UTC)
    ends = dt.datetime(2026, 3, 7, 13, tzinfo=dt.UTC)
    slot = series.slot_of(starts, ends, dt.date(2026, 3, 7), LONDON)
    assert (slot.starts, slot.ends) == (dt.time(10), dt.time(13))
    april = series.on_date(slot, dt.date(2026, 4, 4), LONDON)
    assert april == (dt.datetime(2026, 4, 4, 9, tzinfo=dt.UTC),
                     dt.datetime(2026, 4, 4, 12, tzinfo=dt.UTC))  # fmt: skip
    back = series.on_date(series.slot_of(*april, dt.date(2026, 4, 4), LONDON),
                          dt.date(2026, 11, 7), LONDON)  # fmt: skip
    assert back[0] == dt.datetime(2026, 11, 7, 10, tzinfo=dt.UTC)


def test_a_day_may_be_deleted_only_as_an_empty_draft():
    assert series.why_not_delete_day("draft", 0, 0) is None
    assert "cancelled" in series.why_not_delete_day("draft", 1, 0)
    assert "cancelled" in series.why_not_delete_day("published", 0, 0)
    assert series.why_not_delete_day("draft", 0, 2)
    assert series.why_not_delete_session(0, 0) is None
    assert "booked" in series.why_not_delete_session(3, 0)
    assert series.why_not_delete_session(0, 1)
