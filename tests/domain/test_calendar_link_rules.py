"""Add-to-calendar and map links, built without Flask."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from surgery.domain.calendar_links import (
    CalendarEvent,
    google_link,
    map_link,
    outlook_link,
    webcal_link,
)

DAY = CalendarEvent(
    title="Leeds surgery & more",
    starts_at=dt.datetime(2026, 3, 28, 10, 0, tzinfo=dt.UTC),
    ends_at=dt.datetime(2026, 3, 28, 13, 30, tzinfo=dt.UTC),
    location="Library, 1 Main St, Leeds",
    details="https://surgery.example/events/3",
)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_google_gets_the_title_times_in_utc_and_the_place():
    url = google_link(DAY)
    assert url.startswith("https://calendar.google.com/calendar/render?")
    assert query(url) == {
        "action": ["TEMPLATE"],
        "text": ["Leeds surgery & more"],
        "dates": ["20260328T100000Z/20260328T133000Z"],
        "details": ["https://surgery.example/events/3"],
        "location": ["Library, 1 Main St, Leeds"],
    }


def test_times_in_another_zone_are_given_in_utc():
    bst = dt.timezone(dt.timedelta(hours=1))
    summer = CalendarEvent(
        title="Day",
        starts_at=dt.datetime(2026, 6, 6, 10, 0, tzinfo=bst),
        ends_at=dt.datetime(2026, 6, 6, 13, 0, tzinfo=bst),
    )
    assert query(google_link(summer))["dates"] == ["20260606T090000Z/20260606T120000Z"]
    assert query(outlook_link(summer))["startdt"] == ["2026-06-06T09:00:00Z"]
    assert "location" not in query(google_link(summer))


def test_outlook_gets_the_title_times_and_the_place():
    url = outlook_link(DAY)
    assert url.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    q = query(url)
    assert q["subject"] == ["Leeds surgery & more"]
    assert q["startdt"] == ["2026-03-28T10:00:00Z"]
    assert q["enddt"] == ["2026-03-28T13:30:00Z"]
    assert q["location"] == ["Library, 1 Main St, Leeds"]


def test_webcal_is_the_feed_address_with_another_scheme():
    assert (
        webcal_link("https://surgery.example/events/3/calendar.ics?x=1")
        == "webcal://surgery.example/events/3/calendar.ics?x=1"
    )
    assert (
        webcal_link("http://localhost:5000/calendar.ics") == "webcal://localhost:5000/calendar.ics"
    )


def test_map_link_searches_openstreetmap_for_the_address():
    url = map_link("1 Main St,\n  Leeds LS1 & 2")
    assert url.startswith("https://www.openstreetmap.org/search?")
    assert query(url) == {"query": ["1 Main St, Leeds LS1 & 2"]}
    assert map_link("  \n ") is None
