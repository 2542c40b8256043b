"""axe-core and a phone's width on the pages of "Tell me about future surgery days"."""

import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from surgery.domain.tokens import purpose_token
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.subscriptions.services import CONFIRM, CONFIRM_KIND, UNSUBSCRIBE
from tests.browser.conftest import assert_accessible, assert_fits_the_screen
from tests.live_server import SECRET

pytestmark = [pytest.mark.browser, pytest.mark.server]


def queued_link(live_app, purpose: str, page: str, seconds: float = 10) -> str:
    """The path of the newest subscriber's link, rebuilt from its queued seed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with live_app.app_context():
            query = sa.select(OutboxMessage.payload).where(OutboxMessage.kind == CONFIRM_KIND)
            payload = db.session.scalars(query.order_by(OutboxMessage.id.desc())).first()
        if payload:
            held = payload["subscription"]
            return f"/subscribe/{held['id']}/{page}/{purpose_token(SECRET, purpose, held['seed'])}"
        time.sleep(0.1)
    raise AssertionError("no confirmation was queued")


def test_subscribe_confirm_and_unsubscribe_pages(page, base_url, seed, live_app, axe_script):
    page.goto(base_url + "/")
    page.get_by_role("link", name="Tell me about future surgery days by email").click()
    page.get_by_role("button", name="Tell me about new days").click()
    expect(page.locator(".field-error")).to_contain_text("Enter your email address.")
    assert_accessible(page, axe_script, "the subscribe form with an error")
    page.get_by_label("Your email address").fill("axe@example.org")
    page.get_by_role("button", name="Tell me about new days").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page, axe_script, "the page after subscribing")

    page.goto(base_url + queued_link(live_app, CONFIRM, "confirm"))
    assert_accessible(page, axe_script, "the confirm page")
    page.get_by_role("button", name="Yes, tell me about new days").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")
    assert_accessible(page, axe_script, "the page after confirming")

    page.goto(base_url + queued_link(live_app, UNSUBSCRIBE, "stop"))
    assert_accessible(page, axe_script, "the unsubscribe page")
    page.get_by_role("button", name="Yes, stop these emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You will get no more of these emails"
    )
    assert_accessible(page, axe_script, "the page after unsubscribing")


def test_subscribe_form_on_a_phone(phone_page, base_url, seed, axe_script):
    phone_page.goto(base_url + "/subscribe")
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page, axe_script, "the subscribe form on a phone")
