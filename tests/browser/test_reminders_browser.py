"""Reminder answers and the follow-up in the real browser: axe-core finds no WCAG 2.0, 2.1
or 2.2 A/AA problems on the "still coming" and "can't come" confirmation pages, the pages
after pressing, and the follow-up form (with and without errors); every button works
without JavaScript, and opening a link changes nothing until it is pressed."""

import datetime as dt
import secrets

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from surgery.bookings import services as bookings
from surgery.bookings.models import Booking, Registration
from surgery.bookings.services import AboutYou, BookingRequest
from surgery.domain.tokens import new_form_key, purpose_token
from surgery.events.models import Event
from surgery.extensions import db
from surgery.reminders import services
from surgery.reminders.models import FollowUp, Reminder
from surgery.reminders.notices import follow_up_seed, reminder_seed
from tests.browser.conftest import assert_accessible, assert_fits_the_screen, sign_in
from tests.live_server import SECRET

pytestmark = [pytest.mark.browser, pytest.mark.server]


def link(purpose: str, path: str, seed: str, item_id: int) -> str:
    """A link's path, its token made as the email's is."""
    return f"/{path}/{purpose_token(SECRET, purpose, seed)}".replace("{id}", str(item_id))


@pytest.fixture(scope="module")
def reminded(live_app, seed) -> dict[str, str]:
    """Rui and Sol booked the surgery space and were reminded; Rui asked for the follow-up
    (answered here before the day, as the page does not care when)."""
    with live_app.app_context():
        for name in ("Rui", "Sol"):
            wish = BookingRequest(
                name, f"{name.lower()}@example.org", [seed.surgery_id], AboutYou(), new_form_key()
            )
            bookings.book(seed.event_id, wish, SECRET)
            db.session.commit()
        starts = db.session.get(Event, seed.event_id).sessions[0].starts_at
        services.remind_day(seed.event_id, starts - dt.timedelta(days=1))
        db.session.commit()
        found = {}
        query = (
            sa.select(Reminder, Registration)
            .join(Booking, Reminder.booking_id == Booking.id)
            .join(Registration, Booking.registration_id == Registration.id)
        )
        for reminder, person in db.session.execute(query):
            found[person.name] = (reminder.id, reminder_seed(person, reminder))
        rui = db.session.scalars(sa.select(Registration).where(Registration.name == "Rui")).one()
        follow_up = FollowUp(
            event_id=seed.event_id, registration_id=rui.id, seed=secrets.token_hex(16)
        )
        db.session.add(follow_up)
        db.session.commit()
        return {
            "coming": link("coming", "reminders/{id}/still-coming", *reversed(found["Rui"])),
            "release": link("release", "reminders/{id}/cannot-come", *reversed(found["Sol"])),
            "follow_up": link(
                "follow_up", "follow-up/{id}", follow_up_seed(follow_up), follow_up.id
            ),
        }


def status_of(live_app, name: str) -> str:
    with live_app.app_context():
        query = (
            sa.select(Booking.status).join(Booking.registration).where(Registration.name == name)
        )
        return db.session.scalars(query).one()


def test_still_coming(page, phone_page, base_url, reminded, axe_script, live_app):
    page.goto(base_url + reminded["coming"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you still coming?")
    assert_accessible(page, axe_script, "the still-coming page")

    page.get_by_role("button", name="Yes, I'm still coming").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert_accessible(page, axe_script, "the page after saying still coming")
    assert status_of(live_app, "Rui") == "confirmed"
    phone_page.goto(base_url + reminded["coming"])
    assert_fits_the_screen(phone_page)


def test_cannot_come(page, browser, base_url, reminded, axe_script, live_app):
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    try:
        plain.goto(base_url + reminded["release"])
        expect(plain.get_by_role("heading", level=1)).to_have_text("Give up your place?")
        assert status_of(live_app, "Sol") == "confirmed"  # opening the link changed nothing
        plain.get_by_role("button", name="Yes, give up my place").click()
        expect(plain.get_by_role("heading", level=1)).to_have_text("Your place is given up")
    finally:
        context.close()
    assert status_of(live_app, "Sol") == "cancelled"

    page.goto(base_url + reminded["release"])
    assert_accessible(page, axe_script, "the can't-come page")


def test_follow_up_form(page, base_url, reminded, axe_script):
    page.goto(base_url + reminded["follow_up"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Have you used what you learned?")
    assert_accessible(page, axe_script, "the follow-up form")

    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose yes, a little or not yet.")
    assert_accessible(page, axe_script, "the follow-up form with errors")

    page.get_by_label("A little").check()
    page.get_by_label("Anything you would like to tell us (optional)").fill("A newsletter")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert_accessible(page, axe_script, "the page after answering")


def test_organiser_pages_with_reminders(page, base_url, seed, reminded, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}")
    booked = page.get_by_role("table", name="Booked: Surgery space")
    expect(booked.get_by_role("columnheader", name="Reminder")).to_be_visible()
    expect(page.locator("#reminder-answers")).to_contain_text("Reminders go 2 days before")
    assert_accessible(page, axe_script, "the organiser's event page with reminders")

    page.get_by_role("link", name="Edit details").click()
    expect(page.get_by_label("Send reminders this many days before each session")).to_have_value(
        "2"
    )
    assert_accessible(page, axe_script, "the event form")

    page.goto(f"{base_url}/organise/events/{seed.event_id}/numbers")
    expect(
        page.get_by_role("heading", name="Four weeks on: have they used what they learned?")
    ).to_be_visible()
    assert_accessible(page, axe_script, "the numbers page with the follow-up")
