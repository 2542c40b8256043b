"""axe-core and a phone's width on the pages that email a day's people: the form, its
errors, the preview, and the day's page after sending."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_fits_the_screen, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.server]

LONG_LINK = "https://example.org/" + "a-very-long-address-without-spaces-" * 6


def write(page, base_url, seed, body="Please come to room 2.\n\nThank you.") -> None:
    """Open the form from the day's page, fill it in and press Preview."""
    page.goto(f"{base_url}/organise/events/{seed.event_id}")
    page.get_by_role("link", name="Email people coming to this day").click()
    page.get_by_label("People booked (confirmed places)").check()
    page.get_by_label("People on a waiting list").check()
    page.get_by_label("Subject").fill("Room change")
    page.get_by_label("Message").fill(body)
    page.get_by_role("button", name="Preview").click()


def test_the_form_the_preview_and_sending(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}/message")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".error-summary")).to_contain_text("Choose who should get it.")
    assert_accessible(page, axe_script, "the message form with errors")

    write(page, base_url, seed)
    expect(page.locator("#count")).to_have_text("3 people will get it.")
    expect(page.locator("#preview-body")).to_contain_text("Please come to room 2.")
    assert_accessible(page, axe_script, "the message preview")

    page.get_by_role("button", name="Send to 3 people").click()
    expect(page.get_by_text("Your message is on its way to 3 people.")).to_be_visible()
    expect(page.locator("#day-messages")).to_contain_text("Room change")
    assert_accessible(page, axe_script, "the day's page listing the message")


def test_the_form_and_the_preview_on_a_phone(phone_page, base_url, seed, axe_script):
    sign_in(phone_page, base_url)
    phone_page.goto(f"{base_url}/organise/events/{seed.event_id}/message")
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page, axe_script, "the message form on a phone")

    write(phone_page, base_url, seed, body=f"Details: {LONG_LINK}")
    expect(phone_page.locator("#preview-body")).to_contain_text("Details:")
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page, axe_script, "the message preview on a phone")
