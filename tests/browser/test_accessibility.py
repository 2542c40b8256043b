"""axe-core finds no WCAG 2.0, 2.1 or 2.2 A/AA problems on the pages people use."""

import datetime as dt
import re
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from surgery.auth import services as accounts
from surgery.database import utcnow
from surgery.domain.tokens import account_link_token
from surgery.events.models import PUBLISHED, SURGERY, Event, EventSession
from surgery.extensions import db
from surgery.mail.account_notices import RESET_KIND
from surgery.mail.models import OutboxMessage
from tests.browser.conftest import (
    DESKTOP,
    ORGANISER_EMAIL,
    PHONE,
    assert_accessible,
    assert_fits_the_screen,
    screenshot,
    sign_in,
)
from tests.live_server import SECRET

pytestmark = [pytest.mark.browser, pytest.mark.server]


def open_booking_form_with_errors(page, base_url, seed) -> None:
    """The booking form, sent empty so every required field shows its error."""
    page.goto(f"{base_url}/events/{seed.event_id}/book")
    page.get_by_role("button", name="Book my place").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please check these and try again")
    # listed in the order the page asks
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Choose at least one session to book.",
            "Enter your name or a nickname.",
            "Enter your email address, so we can send your booking.",
        ]
    )


def book(page, base_url, seed, name: str) -> None:
    """Book the surgery space and the full workshop through the form."""
    page.goto(f"{base_url}/events/{seed.event_id}/book?session={seed.surgery_id}")
    page.get_by_label("Staying safe online").check()
    page.get_by_label("Your name or a nickname").fill(name)
    page.get_by_label("Your email address").fill(f"{name.lower()}@example.org")
    page.get_by_label("A quiet space").check()
    page.get_by_role("button", name="Book my place").click()
    page.wait_for_url(re.compile(r"/bookings/[\w-]+/confirmed$"))


def test_front_page(page, base_url, seed, axe_script):
    page.goto(base_url + "/")
    expect(page.get_by_role("link", name=seed.event_title)).to_be_visible()
    screenshot(page, "front-desktop")
    assert_accessible(page, axe_script, "the front page")


def test_front_page_with_a_bad_filter(page, base_url, seed, axe_script):
    page.goto(base_url + "/?kind=nonsense&day=not-a-date")
    expect(page.locator(".field-error")).to_have_count(2)
    assert_accessible(page, axe_script, "the front page with filter errors")


def test_event_page(page, base_url, seed, axe_script):
    page.goto(f"{base_url}/events/{seed.event_id}")
    expect(page.get_by_text("Full – join the waiting list")).to_be_visible()
    expect(page.get_by_text("No booking needed")).to_be_visible()
    assert_accessible(page, axe_script, "an event page")


def test_booking_form_with_errors(page, base_url, seed, axe_script):
    open_booking_form_with_errors(page, base_url, seed)
    screenshot(page, "booking-errors-desktop")
    assert_accessible(page, axe_script, "the booking form with errors")


def test_confirmation_and_manage_pages(page, base_url, seed, axe_script):
    book(page, base_url, seed, "Robin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Robin")
    # booked without consent, so the page also says the answers were not kept
    expect(page.locator(".flash")).to_contain_text("so we did not keep")
    screenshot(page, "confirmation-desktop")
    assert_accessible(page, axe_script, "the confirmation page")

    page.get_by_role("link", name="Change or cancel my booking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking")
    assert_accessible(page, axe_script, "the manage page")

    page.get_by_role("button", name="Leave waiting list Staying safe online").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Leave the waiting list for Staying safe online?")
    expect(page.get_by_text("Nobody will be emailed.")).to_be_visible()
    assert_accessible(page, axe_script, "the page asking before cancelling")
    page.set_viewport_size(PHONE)
    assert_fits_the_screen(page)
    screenshot(page, "confirm-cancel-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Yes, leave the waiting list").click()
    expect(page.locator(".flash")).to_have_text("Cancelled: Staying safe online.")
    screenshot(page, "manage-desktop")
    assert_accessible(page, axe_script, "the manage page after cancelling")


def test_login_page(page, base_url, seed, axe_script):
    page.goto(f"{base_url}/login")
    assert_accessible(page, axe_script, "the sign-in page")
    page.get_by_label("Email").fill(ORGANISER_EMAIL)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".field-error")).to_contain_text("do not match")
    assert_accessible(page, axe_script, "the sign-in page with an error")


def test_organiser_pages(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    assert_accessible(page, axe_script, "the organiser's dashboard")
    page.get_by_role("link", name=seed.event_title).click()
    page.wait_for_url(f"{base_url}/organise/events/{seed.event_id}")
    waiting = page.get_by_role("table", name="Waiting list: Staying safe online")
    expect(waiting.get_by_role("button", name="Move up")).to_be_visible()
    screenshot(page, "organiser-event-desktop")
    assert_accessible(page, axe_script, "the organiser's event page")

    page.get_by_role("link", name="Access needs for the venue").click()
    sheet = page.get_by_role("table", name="People needing each kind of access, by session")
    full = sheet.get_by_role("row", name=re.compile("Staying safe online"))
    expect(full.get_by_role("cell")).to_have_text(["1", "0", "0", "0", "0"])
    expect(page.get_by_text("Priya")).to_have_count(0)
    assert_accessible(page, axe_script, "the venue's needs sheet")
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name=re.compile("^Back to"))).to_be_hidden()


def test_front_page_on_a_phone(phone_page, base_url, seed, axe_script):
    page = phone_page
    page.goto(base_url + "/")
    assert page.viewport_size == PHONE
    screenshot(page, "front-phone")
    assert_fits_the_screen(page)
    assert_accessible(page, axe_script, "the front page on a phone")


def test_second_page_of_days_on_a_phone(phone_page, base_url, seed, live_app, axe_script):
    with live_app.app_context():
        start = utcnow().replace(hour=10, minute=0, second=0, microsecond=0)
        for n in range(1, 15):
            day = Event(title=f"Leeds day {n}", venue_name="Library", city="Leeds")
            day.status = PUBLISHED
            starts = start + dt.timedelta(days=20 + n)
            day.sessions.append(
                EventSession(
                    kind=SURGERY,
                    title="Surgery space",
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2),
                    capacity=10,
                )
            )
            db.session.add(day)
        db.session.commit()
    page = phone_page
    page.goto(base_url + "/?city=Leeds")
    page.get_by_role("link", name="More surgery days").click()
    expect(page.get_by_role("status")).to_have_text("Showing 13–15 of 15 surgery days")
    assert "city=Leeds" in page.url
    expect(page.get_by_role("link", name="Earlier surgery days")).to_be_visible()
    assert_fits_the_screen(page)
    assert_accessible(page, axe_script, "the second page of days on a phone")


def test_booking_form_with_errors_on_a_phone(phone_page, base_url, seed, axe_script):
    page = phone_page
    open_booking_form_with_errors(page, base_url, seed)
    screenshot(page, "booking-errors-phone")
    assert_fits_the_screen(page)
    assert_accessible(page, axe_script, "the booking form with errors on a phone")


def test_vocabulary_page(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/vocabulary/")
    role_tags = page.get_by_role("table", name="Role tags")
    carer = role_tags.get_by_role("row", name=re.compile("Carer or family member"))
    carer.get_by_role("button", name="Counts as lived experience Carer or family member").click()
    expect(page.locator(".flash")).to_contain_text("now count as bringing lived experience")
    assert_accessible(page, axe_script, "the role tags and topics page")
    page.set_viewport_size(PHONE)
    assert_fits_the_screen(page)
    assert_accessible(page, axe_script, "the role tags and topics page on a phone")


def reset_link_path(live_app, seconds: float = 10) -> str:
    """The path of the newest reset link, rebuilt like the sender does from the queued seed
    (the server makes it just after answering, so wait for it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with live_app.app_context():
            query = sa.select(OutboxMessage.payload).where(OutboxMessage.kind == RESET_KIND)
            payload = db.session.scalars(query.order_by(OutboxMessage.id.desc())).first()
        if payload:
            link = payload["link"]
            return f"/login/reset/{account_link_token(SECRET, link['purpose'], link['seed'])}"
        time.sleep(0.1)
    raise AssertionError("no reset link was queued")


def test_password_pages(page, base_url, seed, live_app, axe_script):
    with live_app.app_context():
        accounts.create("rosa@example.org", "Rosa Reset", "rosa's first password")
        db.session.commit()
    page.goto(f"{base_url}/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_role("button", name="Email me a link").click()
    expect(page.locator(".field-error")).to_contain_text("Enter your email address.")
    assert_accessible(page, axe_script, "the forgotten-password page with an error")
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page, axe_script, "the page after asking for a link")

    page.goto(base_url + reset_link_path(live_app))
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Type the new password again").fill("short")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.locator(".field-error")).to_contain_text("at least 10 characters")
    assert_accessible(page, axe_script, "the choose-a-password page with an error")
    page.get_by_label("New password", exact=True).fill("rosa's second password")
    page.get_by_label("Type the new password again").fill("rosa's second password")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.locator(".flash")).to_have_text("Your password is saved and you are signed in.")

    page.get_by_role("link", name="Your password").click()
    page.get_by_role("button", name="Change my password").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your current password.")
    assert_accessible(page, axe_script, "the change-password page with errors")
    page.set_viewport_size(PHONE)
    assert_fits_the_screen(page)


def test_organisers_page(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    page.get_by_role("link", name="Organisers").click()
    page.get_by_label("Their name").fill("Ola Organiser")
    page.get_by_label("Their email address").fill("ola@example.org")
    page.get_by_role("button", name="Send invite").click()
    expect(page.locator(".flash")).to_contain_text("We have emailed Ola Organiser an invite")
    invited = page.get_by_role("table", name="Organisers").get_by_role(
        "row", name=re.compile("Ola")
    )
    expect(invited).to_contain_text("Invited, has not chosen a password yet")
    assert_accessible(page, axe_script, "the organisers page")
    page.set_viewport_size(PHONE)
    assert_fits_the_screen(page)


def test_audit_log_page(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}")  # looking at bookings is logged
    page.get_by_role("link", name="Audit log").first.click()
    log = page.get_by_role("table", name=re.compile("Audit log, newest first"))
    expect(log.get_by_role("row", name=re.compile("Viewed bookings")).first).to_be_visible()
    assert_accessible(page, axe_script, "the audit log")
    page.get_by_label("From").fill("2026-12-31")
    page.get_by_label("To").fill("2026-01-01")
    page.get_by_role("button", name="Show entries").click()
    expect(page.locator(".field-error")).to_contain_text("The end date is before the start date.")
    assert_accessible(page, axe_script, "the audit log with a filter error")
    page.set_viewport_size(PHONE)
    assert_fits_the_screen(page)
    assert_accessible(page, axe_script, "the audit log on a phone")


def test_lost_link_pages(page, base_url, seed, axe_script):
    page.goto(f"{base_url}/events/{seed.event_id}")
    page.get_by_role("link", name="Email me my booking link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lost your link?")
    page.get_by_role("button", name="Email me my link").click()
    expect(page.locator(".field-error")).to_contain_text("Enter the email address you booked with")
    assert_accessible(page, axe_script, "the lost-link form with an error")
    page.get_by_label("Your email address").fill("someone@example.org")
    page.get_by_role("button", name="Email me my link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page, axe_script, "the lost-link answer")


def test_event_form_with_its_grace_period(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}/edit")
    expect(page.get_by_label("Grace period on the day, in minutes")).to_have_value("15")
    assert_accessible(page, axe_script, "the event form")
