"""People's own data in the real browser: axe-core finds no WCAG 2.0, 2.1 or 2.2 A/AA
problems on the page of what we hold, the pages asking before consent is withdrawn or
everything is deleted (from the manage link and by an organiser), and the page after."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from surgery.bookings.models import Registration
from surgery.domain.tokens import manage_token, new_form_key
from surgery.extensions import db
from surgery.surgeons import services as surgeons
from surgery.surgeons.services import SurgeonDetails
from surgery.vocabulary.models import Topic
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits_the_screen,
    screenshot,
    sign_in,
)
from tests.live_server import SECRET

pytestmark = [pytest.mark.browser, pytest.mark.server]


def link_of(live_app, name: str) -> str:
    """The manage path of someone the module's day was seeded with."""
    with live_app.app_context():
        query = sa.select(Registration.token_seed).where(Registration.name == name)
        return f"/bookings/{manage_token(SECRET, db.session.scalars(query).one())}"


def test_what_we_hold_and_withdrawing_consent(page, base_url, seed, live_app, axe_script):
    manage = base_url + link_of(live_app, "Jo")
    page.goto(manage)
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    assert_accessible(page, axe_script, "the manage page with its data section")

    page.get_by_role("link", name="See what we hold about you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What we hold about you")
    expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()
    screenshot(page, "your-data-desktop")
    assert_accessible(page, axe_script, "the page of what we hold")
    page.set_viewport_size(PHONE)
    assert_fits_the_screen(page)
    page.set_viewport_size(DESKTOP)

    page.goto(manage)
    page.get_by_role("button", name="Stop keeping my answers").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Stop keeping what you told us about yourself?")
    assert_accessible(page, axe_script, "the page asking before consent is withdrawn")
    page.get_by_role("button", name="Yes, delete my answers").click()
    expect(page.locator(".flash")).to_contain_text("We have deleted your answers")
    assert_accessible(page, axe_script, "the manage page after consent is withdrawn")


def test_deleting_everything_from_the_manage_link(page, base_url, seed, live_app, axe_script):
    page.goto(base_url + link_of(live_app, "Kim"))
    page.get_by_role("button", name="Delete everything about me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Delete everything we hold about you?"
    )
    expect(page.get_by_text("Your private link will stop working.")).to_be_visible()
    screenshot(page, "erase-own-desktop")
    assert_accessible(page, axe_script, "the page asking before deleting everything")
    page.set_viewport_size(PHONE)
    assert_fits_the_screen(page)
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Yes, delete everything").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data is deleted")
    assert_accessible(page, axe_script, "the page after deleting everything")


def test_an_organiser_is_asked_before_erasing_one_person(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}")
    booked = page.get_by_role("table", name="Booked: Staying safe online")
    booked.get_by_role("button", name=re.compile("^Erase Priya")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase Priya?")
    assert_accessible(page, axe_script, "the page asking before erasing one person")


def test_a_surgeons_data_and_deleting_it(page, base_url, seed, live_app, axe_script):
    with live_app.app_context():
        topic = db.session.scalars(sa.select(Topic.id)).first()
        details = SurgeonDetails("Sam Surgeon", "sam@example.org", [topic], [seed.surgery_id], 2)
        outcome = surgeons.volunteer(
            seed.event_id, details, new_form_key(), SECRET, by_organiser=True
        )
        db.session.commit()
        manage = f"{base_url}/volunteer/{outcome.token}"
    page.goto(manage)
    page.get_by_role("link", name="See what we hold about you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What we hold about you")
    assert_accessible(page, axe_script, "a surgeon's page of what we hold")
    page.goto(manage)
    page.get_by_role("button", name="Delete everything about me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Delete everything we hold about you?"
    )
    assert_accessible(page, axe_script, "the page asking a surgeon before deleting everything")
