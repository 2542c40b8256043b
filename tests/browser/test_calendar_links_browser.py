"""The day page's directions and calendar choices, and the manage page's own, pass axe-core
and fit a phone's screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, assert_accessible, assert_fits_the_screen, sign_in
from tests.browser.test_accessibility import book

pytestmark = [pytest.mark.browser, pytest.mark.server]
LINK = "https://meet.example.org/clinic"


def seed_day(page, base_url, seed) -> str:
    """The seeded day's date as the session form shows it."""
    page.goto(f"{base_url}/organise/events/{seed.event_id}/sessions/{seed.surgery_id}/edit")
    day = page.locator("#day").input_value()
    page.goto(f"{base_url}/organise/events/{seed.event_id}/sessions/new")
    return day


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


def test_an_online_session_from_the_form_to_the_booked_person(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    day = seed_day(page, base_url, seed)
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_label("Title").fill("Online clinic")
    page.locator("#day").fill(day)
    page.get_by_label("Starts").fill("18:00")
    page.get_by_label("Ends").fill("19:00")
    page.get_by_label("Places (not needed for open space)").fill("5")
    page.get_by_label("Where it takes place").select_option("online")
    page.get_by_label("Video link").fill("http://meet.example.org/clinic")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator(".field-error")).to_contain_text("Enter a full https://")
    assert_accessible(page, axe_script, "the session form with a bad video link")
    page.get_by_label("Video link").fill(LINK)
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url(re.compile(r"/organise/events/\d+$"))

    page.goto(f"{base_url}/events/{seed.event_id}")
    expect(page.get_by_role("heading", name="Online clinic")).to_be_visible()
    assert LINK not in page.content()
    page.get_by_role("link", name=re.compile(r"Book.*Online clinic")).click()
    page.get_by_label("Your name or a nickname").fill("Uma")
    page.get_by_label("Your email address").fill("uma@example.org")
    page.get_by_role("button", name="Book my place").click()
    page.wait_for_url(re.compile(r"/bookings/[\w-]+/confirmed$"))
    page.get_by_role("link", name="Change or cancel my booking").click()
    expect(page.get_by_role("link", name=re.compile("Join online"))).to_have_attribute("href", LINK)
    assert_accessible(page, axe_script, "the manage page with an online session")
    page.set_viewport_size(PHONE)
    assert_fits_the_screen(page)
    assert_accessible(page, axe_script, "the manage page with an online session on a phone")
