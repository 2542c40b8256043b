"""The day page gives directions and add-to-calendar choices; the manage page gives the
person's own, and never hands their private feed's address to Google or Outlook."""

import html
import re
from urllib.parse import parse_qs, urlsplit

from tests.conftest import book, manage_token

ADDRESS = "1 Main Street, Leeds LS1 1AA"


def links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)]


def starting(page: str, prefix: str) -> list[str]:
    return [h for h in links(page) if h.startswith(prefix)]


def test_day_page_has_directions_with_a_map_link_and_access(client, make_event):
    event = make_event(venue_address=ADDRESS, access_info="Step-free entrance on Park Row")
    page = client.get(f"/events/{event.id}").text
    assert "Directions" in page
    (osm,) = starting(page, "https://www.openstreetmap.org/search?")
    assert parse_qs(urlsplit(osm).query) == {"query": [ADDRESS]}
    assert "Step-free entrance on Park Row" in page
    assert "<script" not in page.split('<h2 id="directions">')[1].split("</h2>", 2)[1]


def test_day_page_without_an_address_has_no_map_link(client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.id}").text
    assert not starting(page, "https://www.openstreetmap.org")


def test_day_page_offers_download_subscribe_google_and_outlook(client, make_event):
    event = make_event(venue_address=ADDRESS)
    page = client.get(f"/events/{event.id}").text
    assert f"/events/{event.id}/calendar.ics" in links(page)
    (webcal,) = starting(page, "webcal://")
    assert webcal.endswith(f"/events/{event.id}/calendar.ics")
    assert client.get(f"/events/{event.id}/calendar.ics").status_code == 200
    (google,) = starting(page, "https://calendar.google.com/calendar/render?")
    q = parse_qs(urlsplit(google).query)
    session = event.sessions[0]
    assert q["text"] == ["Leeds surgery"]
    assert q["dates"] == [f"{session.starts_at:%Y%m%dT%H%M%SZ}/{session.ends_at:%Y%m%dT%H%M%SZ}"]
    assert q["location"] == [f"Library, {ADDRESS}"]
    (outlook,) = starting(page, "https://outlook.live.com/calendar/0/deeplink/compose?")
    assert parse_qs(urlsplit(outlook).query)["subject"] == ["Leeds surgery"]


def test_a_discreet_day_tells_google_only_when(client, make_event):
    event = make_event(title="Debt advice surgery", discreet=True)
    page = client.get(f"/events/{event.id}").text
    (google,) = starting(page, "https://calendar.google.com/")
    (outlook,) = starting(page, "https://outlook.live.com/")
    assert "Debt" not in parse_qs(urlsplit(google).query)["text"][0]
    assert "Debt" not in parse_qs(urlsplit(outlook).query)["subject"][0]


def test_manage_page_subscribes_to_the_private_feed_but_keeps_it_from_third_parties(
    client, make_event
):
    event = make_event(venue_address=ADDRESS)
    token = manage_token(book(client, event, "Ann"))
    page = client.get(f"/bookings/{token}").text
    (webcal,) = starting(page, "webcal://")
    assert webcal.endswith(f"/bookings/{token}/calendar.ics")
    assert f"/bookings/{token}/calendar.ics" in links(page)
    google = starting(page, "https://calendar.google.com/")
    outlook = starting(page, "https://outlook.live.com/")
    assert len(google) == len(outlook) == 1
    for third_party in google + outlook:
        assert token not in third_party
        assert "/bookings/" not in third_party
    assert parse_qs(urlsplit(google[0]).query)["location"] == [f"Library, {ADDRESS}"]


def test_waiting_list_only_has_no_calendar_links(client, make_event):
    event = make_event(sessions=[{"kind": "workshop", "title": "Workshop", "capacity": 1}])
    book(client, event, "Ann")
    token = manage_token(book(client, event, "Bea"))
    page = client.get(f"/bookings/{token}").text
    assert not starting(page, "webcal://")
    assert not starting(page, "https://calendar.google.com/")
