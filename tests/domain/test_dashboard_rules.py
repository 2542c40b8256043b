"""The dashboard's rules: surgeons wanted, the figures in words, attention, the order."""

import datetime as dt

import pytest

from surgery.domain import dashboard as d

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def at(days: float) -> dt.datetime:
    """A moment some days from NOW."""
    return NOW + dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("people", "helped", "each", "wanted"),
    [
        (0, 0, 2, 0),  # nobody booked: nobody wanted
        (4, 4, 2, 0),  # covered exactly
        (3, 6, 2, 0),  # more help than people
        (5, 4, 2, 1),  # one short: one more surgeon
        (5, 0, 2, 3),  # five people, none covered: three surgeons of two
        (5, 0, 1, 5),
        (7, 2, 3, 2),
    ],
)
def test_surgeons_wanted_cover_everyone_booked_and_waiting(people, helped, each, wanted):
    assert d.surgeons_wanted(people, helped, each) == wanted


def test_a_new_surgeon_is_taken_to_help_as_many_as_the_volunteer_form_suggests():
    assert d.surgeons_wanted(5, 1) == 2


def surgery(booked=0, waiting=0, helped=0, capacity=10, pairs=0) -> d.SessionFigures:
    """A surgery session's figures."""
    return d.SessionFigures(True, capacity, booked, waiting, helped, pairs)


def workshop(booked=0, waiting=0, capacity=20) -> d.SessionFigures:
    """A workshop's figures: no surgeons needed."""
    return d.SessionFigures(False, capacity, booked, waiting)


def day(*sessions, status="published", starts=5, **more) -> d.DayFigures:
    """A day's figures, its sessions from `starts` days after NOW."""
    begins = None if starts is None else at(starts)
    ends = None if starts is None else at(starts) + dt.timedelta(hours=6)
    return d.DayFigures(status, begins, ends, tuple(sessions), **more)


def test_surgeons_are_wanted_per_surgery_session_not_for_workshops():
    # the first session is covered; the second has 3 people and help for 1
    figures = day(surgery(4, helped=4), surgery(2, 1, helped=1), workshop(20, 5), approved=3)
    assert figures.wanted == 1
    assert figures.surgeons == "3 surgeons approved, 1 more wanted"


def test_figures_in_plain_english():
    figures = day(surgery(4, 0, helped=4), workshop(8, 3, capacity=10), approved=2)
    assert figures.places == "12 of 20 places booked · 3 waiting"
    assert figures.surgeons == "2 surgeons approved, enough for everyone booked"
    assert day(surgery(0), approved=1).surgeons == "1 surgeon approved, enough for everyone booked"
    assert day(surgery(0)).surgeons == "0 surgeons approved"
    assert day(surgery(1)).surgeons == "0 surgeons approved, 1 more wanted"
    assert day(workshop(1)).surgeons == ""  # no surgery space: nobody to want
    assert day().places == "0 booked where places are not limited"


def test_attention_says_how_many_of_each():
    figures = day(surgery(3, pairs=2), surgery(1, pairs=1), pending=1, failed_mail=4)
    assert [words for _, _, words in figures.attention(NOW)] == [
        "1 volunteer to approve",
        "3 pairs to accept",
        "4 emails not sent (failed)",
    ]
    assert day(surgery(3)).attention(NOW) == ()


def test_a_day_over_or_cancelled_needs_only_its_failed_mail_seen():
    for over in (day(surgery(pairs=1), starts=-3, pending=2, failed_mail=1),
                 day(surgery(pairs=1), status="cancelled", pending=2, failed_mail=1)):  # fmt: skip
        assert [what for what, _, _ in over.attention(NOW)] == [d.FAILED_MAIL]
    draft = day(surgery(pairs=1), status="draft", pending=2)
    assert [what for what, _, _ in draft.attention(NOW)] == [d.VOLUNTEERS, d.PAIRS]


def test_days_come_soonest_first_then_drafts_then_past_and_cancelled():
    """An organiser first wants the days they are running next, then the ones they are
    still preparing, then the record of what happened (most recent first)."""
    days = {
        "next month": day(starts=30),
        "tomorrow": day(starts=1),
        "today, under way": day(starts=-0.1),
        "draft next week": day(status="draft", starts=7),
        "draft with no date": day(status="draft", starts=None),
        "draft in two days": day(status="draft", starts=2),
        "last week": day(starts=-7),
        "cancelled, was to be next week": day(status="cancelled", starts=7),
        "last year": day(starts=-365),
    }
    sections = d.in_order(days.items(), NOW)
    assert {name: [title for title, _ in found] for name, found in sections.items()} == {
        d.COMING_UP: ["today, under way", "tomorrow", "next month"],
        d.DRAFTS: ["draft in two days", "draft next week", "draft with no date"],
        d.PAST: ["cancelled, was to be next week", "last week", "last year"],
    }
