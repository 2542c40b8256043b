"""What people need on arrival, and giving places of people not here to people waiting here."""

import datetime as dt

from surgery.domain import arrival, no_shows
from surgery.domain.asking import Person

START = dt.datetime(2027, 3, 6, 10, 0, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=2)


def test_what_was_said_is_kept_and_nonsense_is_not_a_need():
    assert arrival.parse("desk") == arrival.DESK
    assert arrival.parse("surgeon") == arrival.SURGEON
    assert arrival.parse("space") == arrival.SPACE
    for said in (None, "", "DESK", "anything", "<script>"):
        assert arrival.parse(said) is None


def test_people_booked_on_a_surgery_session_need_a_surgeon_unless_they_say_otherwise():
    assert arrival.need_of(None, has_surgery_place=True) == arrival.SURGEON
    assert arrival.need_of(None, has_surgery_place=False) == arrival.SPACE
    assert arrival.need_of(arrival.DESK, has_surgery_place=True) == arrival.DESK
    assert arrival.need_of(arrival.SURGEON, has_surgery_place=False) == arrival.SURGEON


def test_only_those_who_need_a_surgeon_join_the_queue():
    assert arrival.joins_surgeon_queue(None)
    assert arrival.joins_surgeon_queue(arrival.SURGEON)
    assert not arrival.joins_surgeon_queue(arrival.DESK)
    assert not arrival.joins_surgeon_queue(arrival.SPACE)


def test_needs_are_counted_each_one_present():
    assert arrival.counted([arrival.DESK, arrival.DESK, arrival.SPACE]) == {
        arrival.DESK: 2,
        arrival.SURGEON: 0,
        arrival.SPACE: 1,
    }


def test_places_cannot_be_given_away_before_the_grace_period_ends():
    just_before = START + dt.timedelta(minutes=14, seconds=59)
    refused = no_shows.refusal(START, END, 15, just_before, "published")
    assert refused and "15 minutes after the start" in refused
    assert no_shows.refusal(START, END, 15, START + dt.timedelta(minutes=15), "published") is None
    assert no_shows.refusal(START, END, 0, START, "published") is None


def test_places_cannot_be_given_away_after_the_session_or_on_a_day_not_running():
    assert "over" in no_shows.refusal(START, END, 15, END, "published")
    assert "not running" in no_shows.refusal(
        START, END, 15, START + dt.timedelta(hours=1), "cancelled"
    )


def test_as_many_places_move_as_people_wait_here_and_the_last_to_book_lose_first():
    assert no_shows.plan([1, 2, 3, 4], [10, 11]) == [(4, 10), (3, 11)]
    assert no_shows.plan([1], [10, 11, 12]) == [(1, 10)]
    assert no_shows.plan([], [10]) == []
    assert no_shows.plan([1, 2], []) == []


def test_the_question_names_who_gets_places_and_who_loses_them():
    getting = [Person("Sam", "sam@example.org"), Person("Ali", "ali@example.org"), Person("Jo")]
    losing = [Person("Kim", "kim@example.org"), Person("Lee"), Person("Max", "max@example.org")]
    what = no_shows.releasing("Surgery", losing, getting)
    said = " ".join(what.happens)
    assert "3 places: Sam, Ali and Jo get them, and will be emailed." in said
    assert "3 people who have not arrived (Kim, Lee and Max) lose their places" in said
    assert "Jo and Lee gave no email address" in said
    assert what.emailed_count == 4
    assert what.yes == "Yes, give 3 places away"


def test_one_place_reads_in_the_singular():
    what = no_shows.releasing(
        "Surgery", [Person("Kim", "k@example.org")], [Person("Sam", "s@example.org")]
    )
    said = " ".join(what.happens)
    assert "1 place: Sam gets it" in said
    assert "1 person who has not arrived (Kim) loses their place" in said


def test_nothing_to_ask_when_nobody_waits_here_or_everyone_came():
    assert no_shows.releasing("Surgery", [Person("Kim")], []).yes is None
    assert no_shows.releasing("Surgery", [], [Person("Sam")]).yes is None
