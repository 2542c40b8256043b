"""The people on an organiser's day page, a page at a time, in the real browser: paging,
the search, a row's button from a later page, and axe-core and a phone's screen on each."""

import pytest
from playwright.sync_api import expect

from surgery.events.models import WORKSHOP, Event, EventSession
from surgery.extensions import db
from tests.booked_crowd import add_people, name_of
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits_the_screen,
    screenshot,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def crowded(live_app, seed) -> int:
    """A workshop on the seeded day with 90 people booked and 30 waiting; its id."""
    with live_app.app_context():
        event = db.session.get(Event, seed.event_id)
        first = event.sessions[0]
        workshop = EventSession(
            kind=WORKSHOP,
            title="Crowded workshop",
            starts_at=first.starts_at,
            ends_at=first.ends_at,
            capacity=90,
        )
        event.sessions.append(workshop)
        db.session.flush()
        add_people(workshop, 120, places=90)
        db.session.commit()
        return workshop.id


def test_paging_through_the_people_and_finding_one(page, base_url, seed, crowded, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}")
    people = page.get_by_role("region", name="People booked and waiting")
    expect(people.get_by_text("page 1 of 3.")).to_be_visible()
    assert_accessible(page, axe_script, "the organiser's day page, first page of people")
    page.get_by_role("link", name="Next page").click()
    expect(people.get_by_text("page 2 of 3.")).to_be_visible()
    expect(page.get_by_role("row", name=name_of(60))).to_be_visible()
    page.get_by_role("link", name="Previous page").click()
    expect(people.get_by_text("page 1 of 3.")).to_be_visible()

    page.get_by_label("Name or email").fill(name_of(100).upper())
    page.get_by_label("Session").select_option(label="Crowded workshop")
    page.get_by_role("button", name="Find").click()
    waiting = page.get_by_role("table", name="Waiting list: Crowded workshop")
    expect(waiting.get_by_role("row")).to_have_count(2)  # the headings and the one found
    expect(waiting.get_by_role("cell").first).to_have_text("11")
    assert_accessible(page, axe_script, "the organiser's day page, a search")
    page.set_viewport_size(PHONE)
    assert_fits_the_screen(page)
    screenshot(page, "organiser-people-search-phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("link", name="Show everyone").click()
    page.get_by_role("link", name="Next page").click()
    page.get_by_role("link", name="Next page").click()
    expect(people.get_by_text("page 3 of 3.")).to_be_visible()
    row = page.get_by_role("row", name=name_of(110))
    row.get_by_role("button", name="Move up").click()
    expect(page.get_by_text(f"{name_of(110)} moved up the waiting list.")).to_be_visible()
    expect(people.get_by_text("page 3 of 3.")).to_be_visible()
    moved = page.get_by_role("row", name=name_of(110))
    expect(moved.get_by_role("cell").first).to_have_text("20")


def test_the_people_fit_a_phone(phone_page, base_url, seed, crowded, axe_script):
    page = phone_page
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}?page=2")
    expect(page.get_by_role("table", name="Waiting list: Crowded workshop")).to_be_visible()
    assert_fits_the_screen(page)
    assert_accessible(page, axe_script, "the organiser's day page on a phone, second page")
