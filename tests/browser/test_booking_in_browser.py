"""A person books and then cancels in a real browser, using only the keyboard."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from surgery.bookings.models import Registration
from surgery.domain.capacity import CANCELLED, CONFIRMED
from surgery.extensions import db
from tests.browser.conftest import describe_focus, screenshot, tab_to
from tests.qr_reader import read_qr

pytestmark = [pytest.mark.browser, pytest.mark.server]

NAME = "Sam Keys"
EMAIL = "sam.keys@example.org"


def press_space_on_checkbox(page, label: str) -> None:
    """Tick the focused checkbox with Space and check that it is ticked."""
    assert describe_focus(page)["label"].startswith(label)
    page.keyboard.press("Space")
    assert describe_focus(page)["checked"], f"Space did not tick {label!r}"


def test_book_then_cancel_with_the_keyboard(page, base_url, seed, live_app):
    # the front page: Tab to the surgery day and follow its link
    page.goto(base_url + "/")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == seed.event_title)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/events/{seed.event_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(seed.event_title)

    # the event page: book several sessions at once
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Book several sessions at once")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/events/{seed.event_id}/book")

    # the form: tick two sessions with Space, type name and email, say what is needed
    tab_to(page, lambda f: f["type"] == "checkbox" and f["label"].startswith("Surgery space"))
    press_space_on_checkbox(page, "Surgery space")
    tab_to(page, lambda f: f["type"] == "checkbox" and f["label"].startswith("Blogging"))
    press_space_on_checkbox(page, "Blogging for beginners")
    tab_to(page, lambda f: f["id"] == "name")
    page.keyboard.type(NAME)
    tab_to(page, lambda f: f["id"] == "email")
    page.keyboard.type(EMAIL)
    tab_to(page, lambda f: f["type"] == "checkbox" and f["label"] == "Step-free access")
    press_space_on_checkbox(page, "Step-free access")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Book my place")
    # back up to agree to the answers being kept, then on to the button again
    tab_to(page, lambda f: f["id"] == "consent", backwards=True)
    press_space_on_checkbox(page, "I agree")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Book my place")
    page.keyboard.press("Enter")

    # the confirmation page
    page.wait_for_url(re.compile(r"/bookings/[\w-]+/confirmed$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Thank you, {NAME}")
    table = page.get_by_role("table", name="What you booked")
    expect(table.get_by_role("row", name=re.compile("Surgery space"))).to_contain_text("Booked")
    expect(table.get_by_role("row", name=re.compile("Blogging"))).to_contain_text("Booked")
    screenshot(page, "confirmation-desktop")

    # follow the private link shown on the page
    link = tab_to(page, lambda f: f["tag"] == "a" and f["text"].startswith("http"))
    assert re.search(r"/bookings/[\w-]+$", link["href"]), link
    page.keyboard.press("Enter")
    page.wait_for_url(link["href"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking")

    # the check-in QR code, as the browser draws it at its size on the page, reads back as
    # the address of this person's code
    qr = page.get_by_role("img", name=re.compile("^QR code for your check-in code"))
    with live_app.app_context():
        code = db.session.scalars(
            sa.select(Registration.checkin_code).where(Registration.email == EMAIL)
        ).one()
    address = f"{base_url}/organise/checkin/{code}"  # the server's PUBLIC_BASE_URL
    assert read_qr(qr.screenshot(), ".png") == [address]

    # cancel the surgery space only
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Cancel Surgery space")
    page.keyboard.press("Enter")
    # asked once, saying what will happen; the answer is a button the keyboard reaches
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your place in Surgery space?")
    expect(page.get_by_text("In all, 1 person will be emailed.")).to_be_visible()
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Yes, cancel my place")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_have_text("Cancelled: Surgery space.")
    assert page.url == link["href"]
    table = page.get_by_role("table", name="Your sessions")
    expect(table.get_by_role("row", name=re.compile("Surgery space"))).to_contain_text("Cancelled")
    expect(table.get_by_role("row", name=re.compile("Blogging"))).to_contain_text("Booked")
    expect(page.get_by_role("button", name="Cancel Surgery space")).to_have_count(0)

    # and the database agrees
    with live_app.app_context():
        registration = db.session.scalars(
            sa.select(Registration).where(Registration.email == EMAIL)
        ).one()
        statuses = {b.session_id: b.status for b in registration.bookings}
        assert statuses == {seed.surgery_id: CANCELLED, seed.workshop_id: CONFIRMED}
        assert registration.name == NAME
        assert registration.consent_sensitive
        assert registration.access_needs == ["step_free"]
