"""Which invite a message carries when it is sent: from the state then, whatever the notice."""

import datetime as dt
from dataclasses import replace

import pytest

from surgery.domain import invites
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED
from surgery.domain.ical import CANCEL, REQUEST

STARTS = dt.datetime(2027, 3, 6, 10, tzinfo=dt.UTC)
SESSION = invites.Session(
    title="Surgery space",
    kind_label="Surgery (one-to-one help)",
    starts_at=STARTS,
    ends_at=STARTS + dt.timedelta(hours=3),
    event_title="Leeds surgery",
    venue="Leeds Central Library",
    address="Calverley Street",
    access_info="Step-free entrance",
)


@pytest.mark.parametrize(
    ("status", "day_cancelled", "method"),
    [
        (CONFIRMED, False, REQUEST),
        (CONFIRMED, True, CANCEL),  # the day is off: out of the calendar
        (CANCELLED, False, CANCEL),
        (CANCELLED, True, CANCEL),
        (WAITLISTED, False, None),  # never put in the calendar
        (WAITLISTED, True, None),
    ],
)
def test_a_bookings_invite_follows_its_state_and_its_days(status, day_cancelled, method):
    assert invites.booking_method(status, day_cancelled) == method


@pytest.mark.parametrize(
    ("approved", "stood_down", "day_cancelled", "method"),
    [
        (True, False, False, REQUEST),
        (True, False, True, CANCEL),
        (False, True, False, CANCEL),  # declined or withdrew after being approved
        (False, True, True, CANCEL),
        (False, False, False, None),  # not approved yet: no invite was ever sent
        (False, False, True, None),
    ],
)
def test_a_surgeons_invite_follows_their_state_and_the_days(
    approved, stood_down, day_cancelled, method
):
    assert invites.surgeon_method(approved, stood_down, day_cancelled) == method


def test_an_entry_says_what_where_who_and_access_and_links_only_the_public_page():
    lines = invites.meeting_lines("Sue", ["Facebook", "Blogging"], "Runs a choir's page.")
    entry = invites.entry(SESSION, "u-1", 4, lines, "https://surgery.example.org/events/3")

    assert (entry.uid, entry.sequence) == ("u-1", 4)
    assert entry.summary == "Surgery space – Leeds surgery"
    assert (entry.starts_at, entry.ends_at) == (SESSION.starts_at, SESSION.ends_at)
    assert entry.location == "Leeds Central Library, Calverley Street"
    assert entry.description.split("\n\n") == [
        "Surgery (one-to-one help): Surgery space",
        "Leeds surgery",
        "You will meet Sue, who can help with Facebook, Blogging.",
        "About Sue: Runs a choir's page.",
        "Access: Step-free entrance",
    ]
    assert entry.url == "https://surgery.example.org/events/3"


def test_a_discreet_days_entry_names_neither_the_session_nor_the_day():
    discreet = replace(
        SESSION, title="Anxiety and your phone", event_title="Mental health day", discreet=True
    )
    lines = invites.meeting_lines("Sue", ["Facebook"])
    entry = invites.entry(discreet, "u-1", 4, lines, "https://surgery.example.org/events/3")

    assert entry.summary == "Drop-in session, Saturday 10am"
    assert entry.description.split("\n\n") == [
        "Drop-in session",
        "You will meet Sue, who can help with Facebook.",
        "Access: Step-free entrance",
    ]
    assert entry.location == "Leeds Central Library, Calverley Street"  # to get there


def test_a_surgeon_without_a_bio_is_named_with_what_they_help_with():
    assert invites.meeting_lines("Sue", ["Facebook"]) == [
        "You will meet Sue, who can help with Facebook."
    ]
