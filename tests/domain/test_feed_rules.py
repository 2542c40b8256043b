"""How a person's booking shows in their own calendar feed, and a feed's version."""

import datetime as dt

import pytest

from surgery.domain.feeds import Shown, booked_entry, version
from surgery.domain.ical import Entry


@pytest.mark.parametrize(
    ("status", "listed", "day_cancelled", "shown"),
    [
        ("confirmed", True, False, Shown(False, 4)),
        ("confirmed", False, True, Shown(True, 4)),  # the cancellation went out as 4
        ("confirmed", False, False, Shown(True, 5)),  # back to draft: told nobody, so one on
        ("cancelled", True, False, Shown(True, 4)),
        ("cancelled", False, False, Shown(True, 4)),
        ("waitlisted", True, False, None),  # never in their calendar
        ("waitlisted", False, True, None),
    ],
)
def test_a_booking_in_its_persons_feed(status, listed, day_cancelled, shown):
    assert booked_entry(status, 4, day_listed=listed, day_cancelled=day_cancelled) == shown


def entry(**changes) -> Entry:
    start = dt.datetime(2027, 3, 28, 9, tzinfo=dt.UTC)
    fields = {"uid": "u@x", "sequence": 0, "summary": "Surgery", "starts_at": start,
              "ends_at": start + dt.timedelta(hours=2)} | changes  # fmt: skip
    return Entry(**fields)


def test_a_feed_version_changes_with_what_it_shows_and_only_then():
    same = version("Leeds", [entry()])

    assert same == version("Leeds", [entry()])
    assert same.startswith('W/"')
    assert version("Leeds", [entry(sequence=1)]) != same
    assert version("Leeds", [entry(cancelled=True)]) != same
    assert version("Bradford", [entry()]) != same
    assert version("Leeds", []) != same
