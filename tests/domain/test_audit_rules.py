"""What the audit log keeps: field names not values, and one entry per look at a page."""

import datetime as dt

import pytest

from surgery.domain import audit

NOW = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)


def test_a_page_opened_again_within_the_window_is_the_same_look():
    moments_ago = NOW - dt.timedelta(minutes=audit.LOOK_AGAIN_MINUTES - 1)
    assert not audit.worth_recording(audit.VIEWED_FLOOR, moments_ago, NOW)


def test_a_page_opened_again_after_the_window_is_a_new_look():
    long_ago = NOW - dt.timedelta(minutes=audit.LOOK_AGAIN_MINUTES)
    assert audit.worth_recording(audit.VIEWED_FLOOR, long_ago, NOW)
    assert audit.worth_recording(audit.VIEWED_FLOOR, None, NOW)


@pytest.mark.parametrize("action", [audit.DOWNLOADED_BOOKINGS, audit.DOWNLOADED_SENSITIVE])
def test_every_download_is_recorded(action):
    assert audit.worth_recording(action, NOW, NOW)


def test_an_entry_names_fields_never_values():
    line = audit.entry(
        audit.CHANGED_SESSION, "Org", 3, "session 7", ["title", "capacity"], "edited"
    )
    assert line.detail == "edited; fields: capacity, title"


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError):
        audit.entry("peeked", "Org")
