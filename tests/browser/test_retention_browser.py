"""Retention pages in the real browser: axe-core finds no WCAG 2.0, 2.1 or 2.2 A/AA problems
on the privacy page, the list of what is due for removal, the settings form (with and
without errors) and the confirmation before removing a day's data now, which works with
the keyboard-free path of two button presses and no JavaScript needed."""

import datetime as dt

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from surgery.bookings import services as bookings
from surgery.bookings.models import Registration
from surgery.bookings.services import AboutYou, BookingRequest
from surgery.database import utcnow
from surgery.domain.tokens import new_form_key
from surgery.events.models import PUBLISHED, SURGERY, Event, EventSession
from surgery.extensions import db
from tests.browser.conftest import assert_accessible, assert_fits_the_screen, sign_in
from tests.live_server import SECRET

pytestmark = [pytest.mark.browser, pytest.mark.server]

PAST_TITLE = "Hull surgery"


@pytest.fixture(scope="module")
def past_day(live_app, seed) -> int:
    """A day that ended a week ago, with Ravi booked and his answers kept."""
    with live_app.app_context():
        start = utcnow().replace(microsecond=0) - dt.timedelta(days=7)
        event = Event(title=PAST_TITLE, venue_name="Guildhall", city="Hull", status=PUBLISHED)
        event.sessions.append(
            EventSession(
                kind=SURGERY,
                title="Surgery space",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                capacity=5,
            )
        )
        db.session.add(event)
        db.session.commit()
        # booked while the day was still to come: the booking rules refuse past sessions
        session = event.sessions[0]
        session.starts_at += dt.timedelta(days=14)
        session.ends_at += dt.timedelta(days=14)
        db.session.commit()
        about = AboutYou(help_text="Facebook page", access_needs=["step_free"], consent=True)
        wish = BookingRequest("Ravi", "ravi@example.org", [session.id], about, new_form_key())
        bookings.book(event.id, wish, SECRET)
        session.starts_at -= dt.timedelta(days=14)
        session.ends_at -= dt.timedelta(days=14)
        db.session.commit()
        return event.id


def test_privacy_page(page, phone_page, base_url, axe_script):
    page.goto(f"{base_url}/privacy")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Privacy: what we keep and for how long"
    )
    expect(page.get_by_text("Removed 30 days after the day").first).to_be_visible()
    assert_accessible(page, axe_script, "the privacy page")
    phone_page.goto(f"{base_url}/privacy")
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page, axe_script, "the privacy page on a phone")


def test_the_booking_form_links_to_the_privacy_page(page, base_url, seed):
    page.goto(f"{base_url}/events/{seed.event_id}/book")
    page.get_by_role("link", name="how we look after your data").click()
    expect(page).to_have_url(f"{base_url}/privacy")


def test_due_page_and_settings(page, base_url, seed, past_day, axe_script):
    sign_in(page, base_url)
    page.get_by_role("link", name="Data removal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personal data due for removal")
    expect(page.get_by_role("row", name=PAST_TITLE)).to_contain_text("1 attendee, 0 surgeons")
    assert_accessible(page, axe_script, "the list of data due for removal")

    page.get_by_role("link", name="Shorten how long data is kept").click()
    assert_accessible(page, axe_script, "the retention settings")
    page.get_by_label("Sensitive answers are removed").fill("45")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("at most 30 days")
    assert_accessible(page, axe_script, "the retention settings with an error")


def test_removing_a_past_day_now(page, live_app, base_url, past_day, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/retention")
    row = page.get_by_role("row", name=PAST_TITLE)
    row.get_by_role("button", name="Remove personal data now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Remove the personal data of {PAST_TITLE} now?"
    )
    expect(page.get_by_text("Nobody will be emailed.")).to_be_visible()
    assert_accessible(page, axe_script, "the confirmation before removing data now")

    page.get_by_role("button", name="Yes, remove it now").click()

    expect(page.get_by_role("status")).to_contain_text(f"Removed from {PAST_TITLE}")
    expect(page.get_by_role("row", name=PAST_TITLE)).to_have_count(0)
    assert_accessible(page, axe_script, "the list after removing a day's data")
    with live_app.app_context():
        names = db.session.scalars(
            sa.select(Registration.name).where(Registration.event_id == past_day)
        ).all()
        assert names == ["removed"]
