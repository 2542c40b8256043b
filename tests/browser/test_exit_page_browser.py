"""'Exit this page' in a real browser: by keyboard, by Shift three times, without JavaScript.

The neutral site is answered by a Playwright route, so nothing leaves the machine.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, LOCALE, assert_accessible, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.server]

NEUTRAL = "https://www.bbc.co.uk/weather"


def answer_neutral_site(page) -> None:
    """Answer the neutral site here instead of going out to it."""
    page.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(body="neutral", content_type="text/plain"),
    )


def test_exit_is_reached_early_with_tab_and_leaves_with_enter(page, base_url, seed):
    answer_neutral_site(page)
    page.goto(f"{base_url}/events/{seed.event_id}/book")
    stops = []

    def is_exit(focus: dict) -> bool:
        stops.append(focus)
        return focus["id"] == "exit-this-page"

    focus = tab_to(page, is_exit, limit=3)
    assert focus["text"] == "Exit this page"
    assert len(stops) <= 2  # straight after "Skip to main content"
    page.keyboard.press("Enter")
    page.wait_for_url(NEUTRAL)
    assert page.locator("body").inner_text() == "neutral"


def test_exit_leaves_no_way_back_to_the_page(page, base_url, seed):
    answer_neutral_site(page)
    page.goto(f"{base_url}/")
    page.goto(f"{base_url}/events/{seed.event_id}")
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(NEUTRAL)
    page.go_back()
    page.wait_for_url(f"{base_url}/")  # the event page was replaced, not kept


def test_pressing_shift_three_times_leaves(page, base_url, seed):
    answer_neutral_site(page)
    page.goto(f"{base_url}/events/{seed.event_id}")
    expect(page.get_by_text("Or press Shift three times.")).to_be_visible()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(NEUTRAL)
    assert page.locator("body").inner_text() == "neutral"


def test_shift_twice_or_with_other_keys_stays(page, base_url, seed):
    page.goto(f"{base_url}/events/{seed.event_id}")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.type("a")
    page.keyboard.press("Shift")
    for _ in range(4):  # moving back through the page is not asking to leave
        page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("heading", level=1)).to_have_text(seed.event_title)
    assert page.url == f"{base_url}/events/{seed.event_id}"


def test_exit_works_without_javascript(browser, base_url, seed):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False, **LOCALE)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        answer_neutral_site(page)
        page.goto(f"{base_url}/events/{seed.event_id}")
        expect(page.get_by_text("Or press Shift three times.")).to_be_hidden()
        page.get_by_role("link", name="Exit this page").click()
        page.wait_for_url(NEUTRAL)
    finally:
        context.close()


def test_a_page_with_the_exit_link_is_accessible(page, base_url, seed, axe_script):
    page.goto(f"{base_url}/events/{seed.event_id}")
    expect(page.get_by_role("link", name="Exit this page")).to_be_visible()
    assert_accessible(page, axe_script, "the event page with its exit link")


def test_organiser_pages_have_no_exit_link(page, base_url, seed):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Exit this page")).to_have_count(0)
