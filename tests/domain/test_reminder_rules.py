"""When reminders and follow-ups are due, and how answers are told to the organiser."""

import datetime as dt

from surgery.domain import reminders as rules
from surgery.domain.tokens import purpose_token

STARTS = dt.datetime(2027, 3, 6, 10, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


def test_a_reminder_is_due_the_set_number_of_days_before():
    due = rules.reminder_due_at(STARTS, 2)

    assert due == dt.datetime(2027, 3, 4, 10, 0, tzinfo=dt.UTC)
    assert not rules.reminder_is_due(STARTS, 2, due - SECOND)
    assert rules.reminder_is_due(STARTS, 2, due)
    assert rules.reminder_is_due(STARTS, 2, STARTS - SECOND)  # a late round still reminds


def test_no_reminder_once_the_session_has_started():
    assert not rules.reminder_is_due(STARTS, 2, STARTS)
    assert not rules.reminder_is_due(STARTS, 2, STARTS + dt.timedelta(days=1))


def test_a_day_set_to_zero_days_sends_no_reminders():
    assert rules.reminder_due_at(STARTS, 0) is None
    assert not any(
        rules.reminder_is_due(STARTS, 0, STARTS - dt.timedelta(hours=h)) for h in range(0, 400)
    )


def test_the_follow_up_is_due_four_weeks_after_the_day_ends():
    ends = STARTS + dt.timedelta(hours=3)

    assert rules.follow_up_due_at(ends) == ends + dt.timedelta(days=28)
    assert not rules.follow_up_is_due(ends, ends + dt.timedelta(days=28) - SECOND)
    assert rules.follow_up_is_due(ends, ends + dt.timedelta(days=28))
    assert not rules.follow_up_is_due(None, ends + dt.timedelta(days=100))


def test_each_answer_in_words_and_the_days_counts():
    states = [
        rules.reminder_state(False, None),
        rules.reminder_state(True, None),
        rules.reminder_state(True, rules.STILL_COMING),
        rules.reminder_state(True, rules.STILL_COMING),
        rules.reminder_state(True, rules.RELEASED),
    ]

    assert states[:3] == ["not sent", "sent, no answer", "still coming"]
    assert states[4] == "released their place"
    assert rules.answer_counts(states) == "2 still coming, 1 released, 1 not answered"


def test_follow_up_answers_are_counted_in_the_questions_order():
    counts = rules.used_counts(["not_yet", "yes", "yes", "a_little", "yes"])

    assert counts == [("Yes", 3, 100), ("A little", 1, 33), ("Not yet", 1, 33)]
    assert rules.used_counts([]) == []


def test_a_token_made_for_one_purpose_is_not_the_token_of_another():
    coming = purpose_token("secret", rules.COMING, "seed:1")

    assert coming == purpose_token("secret", rules.COMING, "seed:1")
    assert coming != purpose_token("secret", rules.RELEASE, "seed:1")
    assert coming != purpose_token("secret", rules.COMING, "seed:2")
    assert coming != purpose_token("other secret", rules.COMING, "seed:1")


def test_the_days_counts_from_counted_states_read_as_from_a_list():
    counts = {"still coming": 12, "released their place": 2, "sent, no answer": 9}

    assert rules.counted_answers(counts) == "12 still coming, 2 released, 9 not answered"
    unanswered = rules.counted_answers({"sent, no answer": 3})
    assert unanswered == "0 still coming, 0 released, 3 not answered"
