"""Changes to a day or a session that would hurt people, and what people are told."""

import datetime as dt

import pytest

from surgery.domain.session_changes import (
    Booked,
    StaleForm,
    capacity_refusal,
    check_version,
    date_refusal,
    differences,
    keep_wall_clock,
    kind_refusal,
    timezone_refusal,
    timing_refusal,
)

LONDON, NEW_YORK = "Europe/London", "America/New_York"


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_capacity_cannot_go_below_the_people_booked():
    assert capacity_refusal(5, Booked(confirmed=6)) == (
        "6 people are booked; capacity cannot go below 6."
    )
    assert capacity_refusal(0, Booked(confirmed=1)) == (
        "1 person is booked; capacity cannot go below 1."
    )


@pytest.mark.parametrize("capacity", [6, 8, None])
def test_capacity_at_or_above_the_people_booked_is_allowed(capacity):
    assert capacity_refusal(capacity, Booked(confirmed=6, waiting=3)) is None


def test_a_session_with_people_booked_or_waiting_cannot_become_open_space():
    for booked in (Booked(confirmed=1), Booked(waiting=1)):
        refusal = kind_refusal("workshop", "open_space", booked)
        assert refusal.startswith("1 person is booked or waiting in this session")
    assert kind_refusal("surgery", "open_space", Booked(2, 1)).startswith("3 people are")


@pytest.mark.parametrize(
    ("old", "new", "booked"),
    [
        ("workshop", "open_space", Booked()),  # nobody booked
        ("open_space", "open_space", Booked()),
        ("workshop", "surgery", Booked(confirmed=4)),  # still bookable
        (None, "open_space", Booked()),  # a new session
    ],
)
def test_other_kind_changes_are_allowed(old, new, booked):
    assert kind_refusal(old, new, booked) is None


def test_a_session_ends_after_it_starts_on_the_same_local_day():
    start = utc(2027, 3, 6, 10)
    assert timing_refusal(start, start, LONDON) == "The end time must be after the start time."
    assert timing_refusal(start, start - dt.timedelta(hours=1), LONDON) is not None
    assert timing_refusal(start, start + dt.timedelta(hours=2), LONDON) is None
    late = utc(2027, 3, 6, 23)
    assert timing_refusal(late, late + dt.timedelta(hours=2), LONDON) == (
        "A session must start and end on the same day."
    )
    # 23:00 to 01:00 UTC is 6pm to 8pm in New York: one local day
    assert timing_refusal(late, late + dt.timedelta(hours=2), NEW_YORK) is None


def test_a_session_stays_on_the_date_of_its_day():
    day = dt.date(2027, 3, 6)
    assert date_refusal(utc(2027, 3, 6, 14), {day}, LONDON) is None
    assert date_refusal(utc(2027, 3, 7, 10), {day}, LONDON) == (
        "The other sessions of this day are on 6 March 2027; put this one on that date too."
    )
    assert date_refusal(utc(2027, 3, 7, 2), {day}, NEW_YORK) is None  # 9pm on the 6th there
    assert date_refusal(utc(2027, 3, 9, 10), set(), LONDON) is None  # the first session
    # a day made before the rule, already on two dates: only the session's own times count
    assert date_refusal(utc(2027, 3, 9, 10), {day, dt.date(2027, 3, 7)}, LONDON) is None


def test_timezone_changes_only_before_anyone_books():
    assert timezone_refusal(LONDON, NEW_YORK, 0) is None
    assert timezone_refusal(LONDON, LONDON, 9) is None
    assert timezone_refusal(LONDON, NEW_YORK, 2) == (
        "2 people are booked on this day, so its timezone cannot change: their invites give "
        "the times in Europe/London."
    )


def test_a_new_timezone_keeps_the_wall_clock_time():
    ten_in_london = utc(2027, 3, 6, 10)  # GMT in March
    moved = keep_wall_clock(ten_in_london, LONDON, NEW_YORK)
    assert moved == utc(2027, 3, 6, 15)  # 10:00 in New York (EST)
    assert keep_wall_clock(moved, NEW_YORK, LONDON) == ten_in_london


def test_differences_name_each_changed_value_before_and_after():
    before = {"Capacity": "5", "Title": "Blogging", "Venue": ""}
    after = {"Capacity": "8", "Title": "Blogging", "Venue": "Library"}
    assert differences(before, after) == ["Capacity: 5 → 8", "Venue: (none) → Library"]
    assert differences(after, after) == []


def test_a_form_from_an_older_version_is_stale():
    check_version(3, 3)
    for given in (2, 4, None):
        with pytest.raises(StaleForm):
            check_version(3, given)
