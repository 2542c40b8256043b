"""When reminders and the four-week follow-up are due, and what an answer says.

Pure rules: plain times in, plain answers out (UTC throughout).
"""

import datetime as dt
from collections import Counter
from collections.abc import Mapping

DEFAULT_DAYS_BEFORE = 2
LONGEST_DAYS_BEFORE = 14  # the round looks this far ahead, and the form allows no more
FOLLOW_UP_AFTER = dt.timedelta(days=28)

# what a reminder's links do: "coming" only records an answer, "release" frees the place
COMING, RELEASE = "coming", "release"
PURPOSES = (COMING, RELEASE)
# a reminder's answer as stored
STILL_COMING, RELEASED = "coming", "released"

# "Have you used what you learned?"
USED_CHOICES = (("yes", "Yes"), ("a_little", "A little"), ("not_yet", "Not yet"))


def reminder_due_at(starts_at: dt.datetime, days_before: int) -> dt.datetime | None:
    """When a session's reminder is due: days_before whole days before it starts; None
    when the day sends no reminders (0 days)."""
    if days_before <= 0:
        return None
    return starts_at - dt.timedelta(days=days_before)


def reminder_is_due(starts_at: dt.datetime, days_before: int, now: dt.datetime) -> bool:
    """True from the due time until the session starts: a late round (the worker was
    stopped) still reminds, but never once the session has begun."""
    due = reminder_due_at(starts_at, days_before)
    return due is not None and due <= now < starts_at


def follow_up_due_at(day_ends_at: dt.datetime) -> dt.datetime:
    """The follow-up goes four weeks after the day's last session ends."""
    return day_ends_at + FOLLOW_UP_AFTER


def follow_up_is_due(day_ends_at: dt.datetime | None, now: dt.datetime) -> bool:
    """True once four weeks have passed since the day ended."""
    return day_ends_at is not None and follow_up_due_at(day_ends_at) <= now


def reminder_state(sent: bool, answer: str | None) -> str:
    """One person's reminder in a few words, for the organiser."""
    if answer == RELEASED:
        return "released their place"
    if answer == STILL_COMING:
        return "still coming"
    return "sent, no answer" if sent else "not sent"


def answer_counts(states: list[str]) -> str:
    """'12 still coming, 2 released, 9 not answered' for a day's reminders that went."""
    return counted_answers(Counter(states))


def counted_answers(counts: Mapping[str, int]) -> str:
    """The same line from how many reminders are in each state (as reminder_state says it)."""
    counts = Counter(counts)
    not_answered = counts["sent, no answer"]
    return (
        f"{counts['still coming']} still coming, {counts['released their place']} released, "
        f"{not_answered} not answered"
    )


def used_counts(answers: list[str]) -> list[tuple[str, int, int]]:
    """(label, how many, percent of the largest) for each choice of the follow-up, in the
    question's order; nothing when nobody answered."""
    counts = Counter(answers)
    largest = max(counts.values(), default=0)
    if not largest:
        return []
    return [
        (label, counts[value], round(100 * counts[value] / largest))
        for value, label in USED_CHOICES
    ]
