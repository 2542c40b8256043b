"""'Exit this page' on every public page, and never on organisers' pages."""

import re

import pytest

from surgery.bookings.models import Registration
from surgery.database import utcnow
from surgery.domain.tokens import manage_token as token_for
from surgery.extensions import db
from tests.conftest import book, manage_token, post_form
from tests.test_surgeons import volunteer

EXIT = re.compile(
    r'<a id="exit-this-page" class="exit-page" href="https://www\.bbc\.co\.uk/weather" '
    r'rel="nofollow noreferrer">Exit this page</a>'
)


def exits(page: str) -> bool:
    """True if the page offers the plain 'Exit this page' link, before its main content."""
    found = EXIT.search(page)
    return found is not None and found.start() < page.index('<main id="main"')


def assert_exits(client, url: str) -> None:
    """The page opens and offers the exit link near its top."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert exits(response.text), url


def test_every_public_page_offers_a_way_out(app, client, make_event):
    event = make_event()
    booked = book(client, event, name="Sam")
    token = manage_token(booked)
    surgeon_page = volunteer(client, event, name="Sue").headers["Location"]
    registration = db.session.query(Registration).one()
    registration.checked_in_at = utcnow()  # only people who came are asked for feedback
    db.session.commit()
    seed = registration.token_seed
    pages = [
        "/",
        "/past",
        f"/events/{event.id}",
        f"/events/{event.id}/book",
        f"/bookings/{token}/confirmed",
        f"/bookings/{token}",
        "/lost-link",
        f"/events/{event.id}/volunteer",
        "/volunteer/lost-link",
        surgeon_page,
        f"/feedback/{token_for(app.secret_key, seed)}",
        f"/bookings/{token}/your-data",
        f"{surgeon_page}/your-data",
        "/privacy",
        "/your-data-deleted",
    ]
    for url in pages:
        assert_exits(client, url)
    sent = post_form(client, "/lost-link", data={"email": "sam@example.org"}, follow_redirects=True)
    assert exits(sent.text)


@pytest.mark.parametrize("path", ["/organise/", "/organise/events/new"])
def test_organiser_pages_have_no_exit_link(organiser_client, path):
    page = organiser_client.get(path)
    assert page.status_code == 200
    assert "Exit this page" not in page.text


def test_organisers_event_page_has_no_exit_link(organiser_client, make_event):
    event = make_event()
    page = organiser_client.get(f"/organise/events/{event.id}")
    assert page.status_code == 200
    assert "Exit this page" not in page.text
