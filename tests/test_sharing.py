"""Sharing: link cards on public pages, the day's share image, the Atom feed, the sitemap,
robots.txt and the favicon. Every address starts with PUBLIC_BASE_URL, whatever the Host."""

import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest
from PIL import Image

from surgery.events.models import CANCELLED, DRAFT
from surgery.sharing import image
from tests.conftest import book, manage_token

PUBLIC = "https://surgery.example.org"
FORGED = {"Host": "evil.example.com"}


@pytest.fixture(autouse=True)
def public_base(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC)
    image._cache.clear()


class Head(HTMLParser):
    """The page's meta tags and links, as a crawler reads them."""

    def __init__(self):
        super().__init__()
        self.meta, self.links = {}, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        if tag == "link":
            self.links[attrs["rel"]] = attrs["href"]


def head_of(response) -> Head:
    assert response.status_code == 200
    head = Head()
    head.feed(response.text)
    return head


CARD_TAGS = ("description", "og:title", "og:description", "og:url", "og:type", "twitter:card")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/past",
        "/privacy",
        "/subscribe",
        "/events/{id}",
        "/events/{id}/book",
        "/events/{id}/volunteer",
    ],  # fmt: skip
)
def test_every_public_page_has_a_card_at_the_public_address(client, make_event, path):
    event = make_event(title="Leeds surgery")
    path = path.format(id=event.id)
    for headers in ({}, FORGED):
        head = head_of(client.get(path + "?utm=x", headers=headers))
        for tag in CARD_TAGS:
            assert head.meta.get(tag), tag
        assert head.links["canonical"] == PUBLIC + path  # no query string, no forged host
        assert head.meta["og:url"] == PUBLIC + path
        assert "evil.example.com" not in client.get(path, headers=headers).text


def test_a_day_card_names_the_day_its_date_and_place_and_its_image(client, make_event):
    event = make_event(title="Bradford surgery", venue_name="City Library", city="Bradford")
    head = head_of(client.get(f"/events/{event.id}", headers=FORGED))
    assert head.meta["og:title"] == "Bradford surgery"
    assert "City Library, Bradford" in head.meta["og:description"]
    assert head.meta["description"] == head.meta["og:description"]
    assert head.meta["twitter:card"] == "summary_large_image"
    picture = head.meta["og:image"]
    assert picture.startswith(f"{PUBLIC}/events/{event.id}/share.png?v=")
    assert head.meta["twitter:image"] == picture
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")


def test_a_discreet_day_card_shows_the_title_its_public_page_shows(client, make_event):
    event = make_event(title="Staying safe online", discreet=True)
    head = head_of(client.get(f"/events/{event.id}"))
    assert head.meta["og:title"] == "Staying safe online"


def test_private_pages_have_no_card_and_stay_out_of_search(client, make_event):
    event = make_event()
    token = manage_token(book(client, event))
    page = client.get(f"/bookings/{token}")
    assert page.status_code == 200
    head = head_of(page)
    assert "canonical" not in head.links
    assert not any(name.startswith(("og:", "twitter:")) for name in head.meta)
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_organiser_pages_have_no_card(organiser_client):
    head = head_of(organiser_client.get("/organise/"))
    assert "canonical" not in head.links and "og:url" not in head.meta


def test_the_day_page_offers_plain_share_links(client, make_event):
    event = make_event(title="Leeds surgery")
    page = client.get(f"/events/{event.id}", headers=FORGED).text
    for start in (
        "https://www.facebook.com/sharer/sharer.php?u=",
        "https://wa.me/?text=",
        "https://www.linkedin.com/sharing/share-offsite/?url=",
        "https://x.com/intent/post?",
        "https://bsky.app/intent/compose?text=",
    ):
        assert start in page
    assert f"https%3A%2F%2Fsurgery.example.org%2Fevents%2F{event.id}" in page
    assert "evil.example.com" not in page
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert all(src.startswith("/static/") for src in scripts)


def test_the_share_image_is_a_1200_by_630_png(client, make_event):
    event = make_event(title="Leeds Social Media Surgery at the Central Library, with a long name")
    response = client.get(f"/events/{event.id}/share.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    picture = Image.open(io.BytesIO(response.data))
    assert picture.format == "PNG"
    assert picture.size == (1200, 630)
    picture.load()  # decodes every pixel
    assert len(picture.getcolors(maxcolors=100_000)) > 2  # text was drawn on the background
    margin = picture.crop((1150, 100, 1200, 600)).convert("RGB")
    assert margin.getcolors() == [(50 * 500, (0x1D, 0x4F, 0x91))]  # the long title kept inside


def test_the_share_image_is_drawn_once_and_revalidates(client, make_event, monkeypatch):
    event = make_event()
    first = client.get(f"/events/{event.id}/share.png")
    drawn = []
    monkeypatch.setattr(image, "draw_png", lambda *a: drawn.append(a) or b"")
    again = client.get(f"/events/{event.id}/share.png")
    assert again.data == first.data and drawn == []  # served from the cache
    etag = first.headers["ETag"]
    assert (
        client.get(f"/events/{event.id}/share.png", headers={"If-None-Match": etag}).status_code
        == 304
    )


def test_an_edited_day_gets_a_new_image(client, make_event, db_session):
    event = make_event(title="Before")
    before = client.get(f"/events/{event.id}/share.png")
    event.title = "After"
    db_session.commit()
    after = client.get(f"/events/{event.id}/share.png")
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.data != before.data


def test_drafts_have_no_share_image(client, make_event):
    event = make_event(status=DRAFT)
    assert client.get(f"/events/{event.id}/share.png").status_code == 404


def test_the_atom_feed_lists_upcoming_days_then_what_was_learned_at_past_ones(client, make_event):
    coming = make_event(title="Coming soon")
    later = make_event(title="Later on", days_ahead=40)
    make_event(title="Not ready", status=DRAFT)
    make_event(title="Called off", status=CANCELLED)
    make_event(title="Called off long ago", status=CANCELLED, days_ahead=-5)
    past = make_event(title="Long ago", days_ahead=-10)
    response = client.get("/feed.atom", headers=FORGED)
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries] == [
        "Coming soon",
        "Later on",
        "What we learned at Long ago",
    ]
    assert [e.link for e in feed.entries] == [
        f"{PUBLIC}/events/{coming.id}",
        f"{PUBLIC}/events/{later.id}",
        f"{PUBLIC}/events/{past.id}/learned",
    ]
    assert all(e.id and e.updated and e.summary for e in feed.entries)
    assert "evil.example.com" not in response.text


def test_the_sitemap_lists_public_pages_only(client, make_event):
    coming = make_event(title="Coming soon")
    past = make_event(title="Long ago", days_ahead=-10)
    draft = make_event(title="Not ready", status=DRAFT)
    response = client.get("/sitemap.xml", headers=FORGED)
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert set(urls) == {
        f"{PUBLIC}/",
        f"{PUBLIC}/past",
        f"{PUBLIC}/privacy",
        f"{PUBLIC}/subscribe",
        f"{PUBLIC}/events/{coming.id}",
        f"{PUBLIC}/events/{past.id}",
        f"{PUBLIC}/events/{past.id}/learned",
    }
    assert f"{PUBLIC}/events/{draft.id}" not in urls


def test_robots_keeps_crawlers_out_of_private_pages(client):
    response = client.get("/robots.txt", headers=FORGED)
    assert response.mimetype == "text/plain"
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    private = ("/organise", "/bookings/", "/volunteer/", "/kiosk", "/feedback/", "/account")
    for path in (*private, "/subscribe/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in lines


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert ET.fromstring(response.data).tag == "{http://www.w3.org/2000/svg}svg"
    page = client.get("/").text
    assert 'rel="icon"' in page


def test_the_share_image_is_drawn_without_system_fonts(monkeypatch, tmp_path):
    monkeypatch.setattr(image, "FONT_DIR", tmp_path)  # no DejaVu: Pillow's own font
    picture = Image.open(io.BytesIO(image.draw_png("Leeds surgery", "Saturday", "Library", "Site")))
    assert picture.size == (1200, 630)
    picture.load()
