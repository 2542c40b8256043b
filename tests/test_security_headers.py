"""Security headers on a sample of every area's pages, public, private-link and organiser."""

import re

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Registration
from surgery.database import utcnow
from surgery.extensions import db
from surgery.headers import CONTENT_SECURITY_POLICY
from surgery.vocabulary.models import Topic
from tests.conftest import DeviceClient, book, make_app, manage_token, post_form
from tests.test_matching_page import add_surgeon, ids, volunteer

PUBLIC, TOKEN, ORGANISER = "public", "token", "organiser"


@pytest.fixture
def pages(organiser_client, make_event):
    """(kind, url) for pages of every blueprint, signed in as an organiser."""
    event = make_event()
    session = event.sessions[0]
    token = manage_token(book(organiser_client, event, "Sam", topics=ids(Topic, "Facebook")))
    sam = db.session.scalars(sa.select(Registration)).one()
    sam.checked_in_at = utcnow()  # so the numbers page draws its bar charts
    db.session.commit()
    code = sam.checkin_code
    surgeon_link = volunteer(organiser_client, event, "Vic")
    add_surgeon(organiser_client, event, "Ola")
    return [
        (PUBLIC, "/"),
        (PUBLIC, f"/events/{event.id}"),
        (PUBLIC, f"/events/{event.id}/book"),
        (PUBLIC, f"/events/{event.id}/volunteer"),
        (PUBLIC, "/calendar.ics"),
        (PUBLIC, f"/events/{event.id}/calendar.ics"),
        (PUBLIC, "/static/css/site.css"),
        (PUBLIC, "/no-such-page"),
        (PUBLIC, "/lost-link"),
        (PUBLIC, "/volunteer/lost-link"),
        (PUBLIC, "/login/forgot"),
        (TOKEN, f"/bookings/{token}"),
        (TOKEN, f"/bookings/{token}/confirmed"),
        (TOKEN, f"/bookings/{token}/calendar.ics"),
        (TOKEN, f"/bookings/{token}/checkin-qr.svg"),
        (TOKEN, "/bookings/not-a-real-token"),
        (TOKEN, f"/feedback/{token}"),
        (TOKEN, surgeon_link),
        (TOKEN, f"/organise/checkin/{code}"),
        (ORGANISER, "/organise/"),
        (ORGANISER, f"/organise/events/{event.id}"),
        (ORGANISER, f"/organise/events/{event.id}/bookings.csv"),
        (ORGANISER, f"/organise/events/{event.id}/numbers"),
        (ORGANISER, f"/organise/events/{event.id}/surgeons"),
        (ORGANISER, f"/organise/events/{event.id}/checkin"),
        (ORGANISER, f"/organise/sessions/{session.id}/floor"),
        (ORGANISER, f"/organise/sessions/{session.id}/floor/live"),
        (ORGANISER, f"/organise/sessions/{session.id}/matching"),
        (ORGANISER, "/organise/vocabulary/"),
        (ORGANISER, "/organise/outbox/"),
        (ORGANISER, "/organise/door-logins"),
        (ORGANISER, "/organise/organisers"),
        (ORGANISER, "/account/password"),
        (ORGANISER, "/organise/events/99999"),
    ]


def test_every_area_sends_the_security_headers(organiser_client, pages):
    for kind, url in pages:
        with organiser_client.get(url) as response:
            headers = response.headers
            assert response.status_code == (
                404 if "99999" in url or "not-a" in url or "no-such" in url else 200
            ), url
            assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
            assert headers["X-Content-Type-Options"] == "nosniff", url
            referrer = "no-referrer" if kind == TOKEN else "same-origin"
            assert headers["Referrer-Policy"] == referrer, url
            private = kind in (TOKEN, ORGANISER)
            assert (headers.get("Cache-Control") == "no-store") is private, url
            assert ("noindex" in headers.get("X-Robots-Tag", "")) is private, url
            assert "Strict-Transport-Security" not in headers, url


def test_the_policy_allows_no_inline_script_or_style():
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY and policy["default-src"] == "'self'"


def test_no_page_has_inline_scripts_styles_or_handlers(organiser_client, pages):
    for _, url in pages:
        if url.endswith((".ics", ".csv", ".svg", ".css")):
            continue
        page = organiser_client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert "<style" not in page and not re.search(r"\sstyle=", page), url
        assert not re.search(r"\son[a-z]+=", page), url


def test_the_kiosk_is_private_to_its_device(organiser_client, make_event):
    event = make_event()
    post_form(
        organiser_client, f"/organise/events/{event.id}", f"/organise/events/{event.id}/kiosk"
    )
    with organiser_client.get("/kiosk") as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("base, secure", [("https://surgery.example.org", True), (None, False)])
def test_hsts_and_secure_cookies_only_over_https(database_url, db_session, organiser, base, secure):
    app = make_app(database_url, **({"PUBLIC_BASE_URL": base} if base else {}))
    app.test_client_class = DeviceClient
    client = app.test_client()
    page = client.get("/login")
    assert ("Strict-Transport-Security" in page.headers) is secure
    if secure:
        assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    signed_in = post_form(
        client, "/login", data={"email": organiser.email, "password": "correct horse battery"}
    )
    assert signed_in.status_code == 303
    cookie = signed_in.headers["Set-Cookie"]
    assert ("; Secure" in cookie) is secure, cookie
