"""The day page's directions and calendar choices, and the manage page's own, pass axe-core
and fit a phone's screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_fits_the_screen
from tests.browser.test_accessibility import book

pytestmark = [pytest.mark.browser, pytest.mark.server]


def check_day_page(page, base_url, seed, axe_script, where: str) -> None:
    page.goto(f"{base_url}/events/{seed.event_id}")
    expect(page.get_by_role("heading", name="Directions")).to_be_visible()
    expect(page.get_by_role("link", name="See Central Library on OpenStreetMap")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Add to Google Calendar"))).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("Subscribe in your calendar app"))
    ).to_be_visible()
    assert_accessible(page, axe_script, where)


def test_day_page(page, base_url, seed, axe_script):
    check_day_page(page, base_url, seed, axe_script, "the day page with directions")


def test_day_page_on_a_phone(phone_page, base_url, seed, axe_script):
    check_day_page(phone_page, base_url, seed, axe_script, "the day page on a phone")
    assert_fits_the_screen(phone_page)


def check_manage_page(page, base_url, seed, axe_script, name: str, where: str) -> None:
    book(page, base_url, seed, name)
    page.get_by_role("link", name="Change or cancel my booking").click()
    expect(page.get_by_role("heading", name="Add my sessions to my calendar")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Add to Outlook.com"))).to_be_visible()
    assert_accessible(page, axe_script, where)


def test_manage_page(page, base_url, seed, axe_script):
    check_manage_page(page, base_url, seed, axe_script, "Ravi", "the manage page")


def test_manage_page_on_a_phone(phone_page, base_url, seed, axe_script):
    check_manage_page(phone_page, base_url, seed, axe_script, "Tess", "the manage page on a phone")
    assert_fits_the_screen(phone_page)
