"""The Content-Security-Policy holds in the real browser: no violation on the booking,
manage, check-in, kiosk, floor, matching and numbers pages, scripts still working; and a
paused form (429) is plain and accessible.

This module's server trusts one proxy, so each browser context can come from an address of
its own (X-Forwarded-For), and has small limits so a pause is quick to reach.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, LOCALE, ORGANISER_EMAIL, assert_accessible, sign_in
from tests.conftest import ORGANISER_PASSWORD
from tests.live_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.server]

SERVER_SETTINGS = {
    "SURGERY_PROXY_FIX": "1",
    "SURGERY_RATELIMIT_PUBLIC_FORM": "3 per 10 minutes",
    "SURGERY_RATELIMIT_SIGN_IN_ACCOUNT": "3 per 15 minutes",
}
# run in every page before its own scripts; the policy cannot stop it
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def base_url(module_database, seed) -> str:
    """This module's server, with small limits and one trusted proxy."""
    with serve(module_database, workers=1, threads=8, env=SERVER_SETTINGS) as base:
        yield base


@pytest.fixture
def device(browser):
    """Factory: a page in a context of its own, coming from the given address, whose
    policy violations and console messages are kept in page.seen."""
    contexts = []

    def open_page(address: str):
        context = browser.new_context(
            viewport=DESKTOP, extra_http_headers={"X-Forwarded-For": address}, **LOCALE
        )
        context.set_default_timeout(10_000)
        context.add_init_script(WATCH_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        page.seen = []
        page.on("console", lambda message: page.seen.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: page.seen.append(f"script error: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()


def assert_policy_held(page, where: str) -> None:
    """No securitypolicyviolation event, policy message or script error so far (a missing
    favicon is no concern here)."""
    violations = page.evaluate("window.__violations")
    problems = [m for m in page.seen if "Content Security" in m or m.startswith("script error")]
    assert not violations and not problems, f"{where}: {violations} {problems}"


def test_no_policy_violation_where_people_book(device, base_url, seed):
    page = device("10.1.0.1")
    page.goto(f"{base_url}/events/{seed.event_id}/book?session={seed.surgery_id}")
    assert_policy_held(page, "the booking form")
    page.get_by_label("Your name or a nickname").fill("Pat")
    page.get_by_label("Your email address").fill("pat@example.org")
    page.get_by_role("button", name="Book my place").click()
    page.wait_for_url(re.compile(r"/bookings/[\w-]+/confirmed$"))
    assert_policy_held(page, "the confirmation page")
    page.get_by_role("link", name=re.compile("manage|change", re.I)).first.click()
    page.wait_for_url(re.compile(r"/bookings/[\w-]+$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator('img[src$="checkin-qr.svg"]')).to_be_visible()
    assert_policy_held(page, "the manage page")


def test_no_policy_violation_on_the_day(device, base_url, seed):
    page = device("10.1.0.2")
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}/checkin")
    page.get_by_label(re.compile("name", re.I)).first.fill("Pri")  # the list narrows (JS)
    priya = page.locator("li[data-name=priya]")
    priya.get_by_role("button", name="Arrived").click()  # numbers draw bars
    expect(page.locator("li[data-name=priya]")).to_contain_text("Here")
    assert_policy_held(page, "the check-in page")

    # the screen listens for changes (its event stream), or polls for its live part; listen
    # before the page loads, or a stream opened during the load is missed
    with page.expect_response(re.compile(r"/floor/(events|live)$")):
        page.goto(f"{base_url}/organise/sessions/{seed.surgery_id}/floor")
    assert_policy_held(page, "the floor")

    page.goto(f"{base_url}/organise/sessions/{seed.surgery_id}/matching")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_policy_held(page, "the matching page")

    page.goto(f"{base_url}/organise/events/{seed.event_id}/numbers")
    expect(page.locator("#mix .bar")).to_have_count(1)
    assert page.locator("#mix .bar").evaluate("bar => bar.getBoundingClientRect().width") > 50
    assert_policy_held(page, "the numbers page")

    page.goto(f"{base_url}/organise/events/{seed.event_id}")
    page.get_by_role("button", name="Turn this device into the walk-in kiosk").click()
    page.wait_for_url(f"{base_url}/kiosk")
    page.get_by_label("Your name or a nickname").fill("Wren")
    page.get_by_label(re.compile("Tell us more")).fill("My phone")
    page.get_by_role("button", name="I'm here").click()
    expect(page.get_by_text("Welcome, Wren")).to_be_visible()
    assert_policy_held(page, "the kiosk")


def test_a_paused_booking_is_plain_and_accessible(device, base_url, seed, axe_script):
    page = device("10.1.0.3")
    for n in range(4):
        page.goto(f"{base_url}/events/{seed.event_id}/book?session={seed.surgery_id}")
        page.get_by_label("Your name or a nickname").fill(f"Robin {n}")
        page.get_by_label("Your email address").fill(f"robin{n}@example.org")
        with page.expect_response(re.compile(r"/book(\?|$)")) as answer:
            page.get_by_role("button", name="Book my place").click()
    assert answer.value.status == 429
    expect(page.locator(".flash")).to_contain_text("Nothing was saved. Try again after")
    expect(page.get_by_label("Your name or a nickname")).to_have_value("Robin 3")
    expect(page.get_by_label("Your email address")).to_have_value("robin3@example.org")
    assert_accessible(page, axe_script, "a paused booking form")
    assert_policy_held(page, "a paused booking form")


def test_a_locked_sign_in_says_when_to_try_again(device, base_url, seed, axe_script):
    page = device("10.1.0.4")
    for password in ["wrong one", "wrong two", "wrong three", ORGANISER_PASSWORD]:
        page.goto(f"{base_url}/login")
        page.get_by_label("Email").fill(ORGANISER_EMAIL)
        page.get_by_label("Password").fill(password)
        with page.expect_response(re.compile(r"/login$")) as answer:
            page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 429
    expect(page.locator(".flash")).to_contain_text(
        re.compile(r"too many tries to sign in with this email address.*Try again after \d")
    )
    expect(page.get_by_label("Email")).to_have_value(ORGANISER_EMAIL)
    expect(page.get_by_label("Password")).to_have_value("")
    assert_accessible(page, axe_script, "a paused sign-in")
