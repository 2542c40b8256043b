"""Copying a day, making a series and deleting a draft, in a real browser: axe-core finds
no WCAG A/AA problems, and the forms fit a phone's screen."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_fits_the_screen, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_copy_and_series_forms_with_their_errors(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}")
    page.get_by_role("link", name="Copy to a new date").click()
    page.get_by_role("button", name="Copy the day").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the new date.")
    assert_accessible(page, axe_script, "the copy form with an error")
    page.goto(f"{base_url}/organise/events/{seed.event_id}/series")
    page.get_by_label("First date").fill("2030-05-01")
    page.get_by_label("Last date").fill("2030-04-01")
    page.get_by_role("button", name="Make the draft days").click()
    expect(page.get_by_role("alert")).to_contain_text("The last date is before the first")
    assert_accessible(page, axe_script, "the series form with an error")


def test_a_series_then_deleting_one_of_its_drafts(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}/series")
    page.get_by_label("Repeat").select_option("weekly")
    page.get_by_label("Every how many weeks").fill("2")
    page.get_by_label("First date").fill("2030-05-04")
    page.get_by_label("Last date").fill("2030-05-18")
    page.get_by_role("button", name="Make the draft days").click()
    expect(page.get_by_text("2 draft days made")).to_be_visible()
    drafts = page.get_by_role("table", name="Drafts, not yet published")
    drafts.get_by_role("link", name=seed.event_title).first.click()
    expect(page.get_by_role("button", name="Delete this draft")).to_be_visible()
    assert_accessible(page, axe_script, "a draft day with its delete buttons")
    page.get_by_role("button", name="Delete this draft").click()
    expect(page.get_by_role("heading", name=f"Delete {seed.event_title}?")).to_be_visible()
    assert_accessible(page, axe_script, "the page asking before a day is deleted")
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.get_by_text(f"{seed.event_title} deleted.")).to_be_visible()


def test_the_series_form_fits_a_phone(phone_page, base_url, seed, axe_script):
    sign_in(phone_page, base_url)
    phone_page.goto(f"{base_url}/organise/events/{seed.event_id}/series")
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page, axe_script, "the series form on a phone")
