"""The organiser's dashboard and the page asking before a day is first published, in a
real browser: axe-core finds no WCAG A/AA problems, and both fit a phone's screen."""

import datetime as dt
import secrets

import pytest
from playwright.sync_api import expect

from surgery.database import utcnow
from surgery.events.models import SURGERY, Event, EventSession
from surgery.extensions import db
from surgery.mail.models import FAILED, new_message
from surgery.mail.outbox import add
from surgery.subscriptions.models import Subscriber
from tests.browser.conftest import assert_accessible, assert_fits_the_screen, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def drafts(live_app, seed) -> list[int]:
    """Two draft days, a confirmed subscriber to tell of them, and a failed email about the
    seeded day, so the dashboard has something that needs attention."""
    with live_app.app_context():
        starts = utcnow().replace(microsecond=0) + dt.timedelta(days=30)
        days = []
        for title in ("Bradford surgery", "Hull surgery"):
            event = Event(title=title, venue_name="Library", city="Bradford")
            event.sessions.append(
                EventSession(
                    kind=SURGERY,
                    title="Surgery space",
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2),
                    capacity=8,
                )
            )
            days.append(event)
        seen = Subscriber(email="sub@example.org", seed=secrets.token_urlsafe(16))
        seen.confirmed_at = utcnow()
        db.session.add_all([*days, seen])
        payload = {"event": {"id": seed.event_id}}
        add(
            [new_message("booking_confirmed", "x@example.org", "Booked", payload, utcnow(), FAILED)]
        )
        db.session.commit()
        return [event.id for event in days]


def test_the_dashboard(page, base_url, seed, drafts, axe_script):
    sign_in(page, base_url)
    expect(page.get_by_role("heading", name="Coming up, soonest first")).to_be_visible()
    expect(page.get_by_role("link", name="1 email not sent (failed)")).to_be_visible()
    expect(page.get_by_text("1 of 23 places booked · 2 waiting")).to_be_visible()
    assert_accessible(page, axe_script, "the dashboard")


def test_the_dashboard_fits_a_phone(phone_page, base_url, seed, drafts, axe_script):
    sign_in(phone_page, base_url)
    expect(phone_page.get_by_role("heading", name="Drafts, not yet published")).to_be_visible()
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page, axe_script, "the dashboard on a phone")


def test_publishing_asks_first_then_publishes(page, base_url, seed, drafts, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{drafts[0]}")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Publish this day and tell its subscribers?"
    )
    expect(page.get_by_text("In all, 1 person will be emailed.")).to_be_visible()
    assert_accessible(page, axe_script, "the page asking before a day is first published")
    page.get_by_role("button", name="Yes, publish and email them").click()
    expect(page.get_by_text("The event is now published.")).to_be_visible()


def test_the_page_asking_before_publishing_fits_a_phone(
    phone_page, base_url, seed, drafts, axe_script
):
    sign_in(phone_page, base_url)
    phone_page.goto(f"{base_url}/organise/events/{drafts[1]}")
    phone_page.get_by_role("button", name="Publish").click()
    expect(phone_page.get_by_role("button", name="Yes, publish and email them")).to_be_visible()
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page, axe_script, "the page asking before publishing, on a phone")
