"""axe-core and a phone's width on the 'what we learned' page, the form resources are
shared with, and the organisers' check of them."""

import datetime as dt
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from surgery.bookings.models import Registration
from surgery.database import utcnow
from surgery.day.models import Feedback
from surgery.domain.resources import APPROVED, PENDING
from surgery.domain.tokens import hash_token, manage_token, new_form_key
from surgery.events.models import PUBLISHED, SURGERY, WORKSHOP, Event, EventSession
from surgery.extensions import db
from surgery.learned.models import Resource
from surgery.surgeons.models import APPROVED as CONFIRMED
from surgery.surgeons.models import Surgeon
from tests.browser.conftest import assert_accessible, assert_fits_the_screen, sign_in
from tests.live_server import SECRET

pytestmark = [pytest.mark.browser, pytest.mark.server]
LONG_LINK = "https://example.org/guides/" + "a-very-long-part-of-an-address-" * 6


@dataclass(frozen=True)
class PastDay:
    event_id: int
    surgeon_path: str


@pytest.fixture(scope="module")
def past_day(live_app, seed) -> PastDay:
    """A day that is over, with a confirmed surgeon, a shared answer and two resources."""
    with live_app.app_context():
        start = utcnow().replace(hour=10, minute=0, second=0, microsecond=0)
        start -= dt.timedelta(days=5)
        event = Event(title="Bradford Social Media Surgery", venue_name="City Library",
                      city="Bradford", status=PUBLISHED)  # fmt: skip
        for hours, (kind, title) in enumerate([(SURGERY, "Surgery space"), (WORKSHOP, "Blogging")]):
            starts = start + dt.timedelta(hours=hours)
            event.sessions.append(EventSession(kind=kind, title=title, starts_at=starts,
                                               ends_at=starts + dt.timedelta(hours=1)))  # fmt: skip
        db.session.add(event)
        db.session.flush()
        seed_value = new_form_key()
        token = manage_token(SECRET, seed_value)
        surgeon = Surgeon(event_id=event.id, name="Sue", email="sue@example.org",
                          status=CONFIRMED, token_seed=seed_value, token_hash=hash_token(token))  # fmt: skip
        person = Registration(event_id=event.id, name="Ana", email="ana@example.org",
                              token_seed=new_form_key(), token_hash=hash_token(new_form_key()))  # fmt: skip
        db.session.add_all([surgeon, person])
        db.session.flush()
        db.session.add(Feedback(registration_id=person.id, share_publicly=True,
                                learned="How to make my Facebook page private"))  # fmt: skip
        for title, status in (("A guide to blogging", APPROVED), ("Slides to check", PENDING)):
            db.session.add(Resource(event_id=event.id, title=title, url=LONG_LINK, status=status,
                                    note="Read this after the workshop.", surgeon_id=surgeon.id))  # fmt: skip
        db.session.commit()
        return PastDay(event.id, f"/volunteer/{token}")


def test_the_learned_page(page, phone_page, base_url, past_day, axe_script):
    page.goto(f"{base_url}/events/{past_day.event_id}")
    page.get_by_role("link", name="What we learned at this day").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What we learned at Bradford Social Media Surgery"
    )
    expect(page.get_by_role("link", name="A guide to blogging")).to_be_visible()
    assert_accessible(page, axe_script, "the learned page")

    phone_page.goto(f"{base_url}/events/{past_day.event_id}/learned")
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page, axe_script, "the learned page on a phone")


def test_a_surgeon_shares_a_resource(page, phone_page, base_url, past_day, axe_script):
    page.goto(base_url + past_day.surgeon_path)
    page.get_by_role("link", name="Share a resource from the day").click()
    page.get_by_label("Web address (link)").fill("javascript:alert(1)")
    page.get_by_role("button", name="Share this resource").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter what the resource is called.")
    expect(page.locator(".error-summary")).to_contain_text("starts with https:// or http://")
    assert_accessible(page, axe_script, "the share form with errors")
    page.get_by_label("What is it called?").fill("Privacy checklist")
    page.get_by_label("Web address (link)").fill("example.org/checklist")
    page.get_by_label("Which part of the day is it from? (optional)").select_option(
        label="Blogging"
    )
    page.get_by_role("button", name="Share this resource").click()
    expect(page.get_by_role("status")).to_have_text(
        "Thank you — an organiser will check it before it appears."
    )
    assert_accessible(page, axe_script, "the page after sharing")

    phone_page.goto(base_url + past_day.surgeon_path + "/share")
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page, axe_script, "the share form on a phone")


def test_organisers_check_resources_and_make_the_facilitators_link(
    page, phone_page, base_url, past_day, axe_script
):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{past_day.event_id}")
    page.get_by_role("button", name="Make a link for facilitators to add resources").click()
    link = page.locator(".private-link").inner_text().strip()
    assert "/share-resource/" in link
    assert_accessible(page, axe_script, "the organisers' day page with the facilitators' link")
    page.get_by_role("link", name="waiting to be checked").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Resources from Bradford Social Media Surgery"
    )
    assert_accessible(page, axe_script, "the resources to check")
    page.get_by_role("button", name="Approve").first.click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "Approved"
    )
    assert_accessible(page, axe_script, "the resources after approving one")

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Share a resource from the day")
    assert_accessible(page, axe_script, "the facilitators' share form")

    sign_in(phone_page, base_url)
    phone_page.goto(f"{base_url}/organise/events/{past_day.event_id}/resources")
    assert_fits_the_screen(phone_page)
    phone_page.goto(link)
    assert_fits_the_screen(phone_page)
