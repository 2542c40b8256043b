"""The day page's share links in a real browser: accessible, and on a phone they fit."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.server]
SERVICES = ["Facebook", "WhatsApp", "LinkedIn", "X", "Bluesky"]


def share_links(page):
    return page.get_by_role("navigation", name="Share this day").get_by_role("link")


def test_day_page_with_share_links(page, base_url, seed, axe_script):
    page.goto(f"{base_url}/events/{seed.event_id}")
    links = share_links(page)
    expect(links).to_have_count(len(SERVICES))
    for service in SERVICES:
        expect(links.filter(has_text=service)).to_have_count(1)
    assert_accessible(page, axe_script, "a day page with its share links")


def test_day_page_share_links_on_a_phone(phone_page, base_url, seed, axe_script):
    phone_page.goto(f"{base_url}/events/{seed.event_id}")
    expect(share_links(phone_page).first).to_be_visible()
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page, axe_script, "a day page with its share links on a phone")


def test_the_card_image_loads_in_a_browser(page, base_url, seed):
    page.goto(f"{base_url}/events/{seed.event_id}")
    address = page.locator('meta[property="og:image"]').get_attribute("content")
    assert address.startswith(base_url)
    response = page.request.get(address)
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
