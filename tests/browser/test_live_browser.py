"""Organisers' screens in step, in the real browser: someone marked arrived at check-in
appears on another organiser's floor without a reload; a screen whose focus is on a button
in the changing part keeps it there through the update; the check-in list narrows as
"garcia" is typed, finding García; axe-core finds no problems on the updated pages.
"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from surgery.auth.models import Organiser
from surgery.bookings import services as bookings
from surgery.bookings.services import AboutYou, BookingRequest
from surgery.database import utcnow
from surgery.day import floor
from surgery.day import services as day
from surgery.domain.tokens import new_form_key
from surgery.events.models import PUBLISHED, SURGERY, Event, EventSession
from surgery.extensions import db
from surgery.surgeons import services as surgeons
from surgery.surgeons.models import Surgeon
from surgery.surgeons.services import SurgeonDetails
from tests.browser.conftest import DESKTOP, LOCALE, assert_accessible, sign_in
from tests.conftest import ORGANISER_PASSWORD
from tests.live_server import SECRET, serve

pytestmark = [pytest.mark.browser, pytest.mark.server]

WAIT = 15_000  # milliseconds: generous, the screens should agree within about two


@pytest.fixture(scope="module")
def seed(live_app) -> tuple[int, int]:
    """A day running now: Kim here, José García and Amina Patel expected; surgeon Ade here
    and free, Bea not here yet. (event id, surgery session id)."""
    with live_app.app_context():
        organiser = Organiser(email="organiser@example.org", name="Olu Organiser")
        organiser.set_password(ORGANISER_PASSWORD)
        now = utcnow().replace(second=0, microsecond=0)
        event = Event(title="Live surgery", venue_name="Library", city="Leeds", status=PUBLISHED)
        event.sessions.append(
            EventSession(kind=SURGERY, title="Surgery space", starts_at=now + dt.timedelta(hours=1),
                         ends_at=now + dt.timedelta(hours=4), capacity=10)
        )  # fmt: skip
        db.session.add_all([organiser, event])
        db.session.commit()
        surgery = event.sessions[0]
        for name in ("Ade Adeyemi", "Bea Brown"):
            details = SurgeonDetails(name=name, email=f"{name[:3].lower()}@example.org",
                                     topic_ids=[], session_ids=[surgery.id], capacity=2)  # fmt: skip
            surgeons.volunteer(event.id, details, new_form_key(), SECRET, by_organiser=True)
            db.session.commit()
        people = {}
        for number, name in enumerate(("Kim Kaur", "José García", "Amina Patel")):
            wish = BookingRequest(name, f"person{number}@example.org", [surgery.id],
                                  AboutYou(), new_form_key())  # fmt: skip
            people[name] = bookings.book(event.id, wish, SECRET).added[0].registration
            db.session.commit()
        surgery.starts_at -= dt.timedelta(hours=2)  # under way now
        day.check_in(people["Kim Kaur"])
        ade = db.session.scalars(sa.select(Surgeon).where(Surgeon.name == "Ade Adeyemi")).one()
        floor.surgeon_arrived(ade)
        db.session.commit()
        return event.id, surgery.id


@pytest.fixture(scope="module")
def base_url(module_database, seed) -> str:
    """The module's server; streams end every few seconds so it stops promptly."""
    settings = {"SURGERY_LIVE_STREAM_SECONDS": "5"}
    with serve(module_database, workers=1, threads=12, env=settings) as base:
        yield base


@pytest.fixture
def other_page(browser):
    """A second organiser's screen, with cookies of its own."""
    context = browser.new_context(viewport=DESKTOP, **LOCALE)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def waiting_list(page):
    return page.locator("section[aria-labelledby='waiting-title']")


def test_an_arrival_at_check_in_reaches_the_floor_keeping_its_focus(
    page, other_page, base_url, seed, axe_script
):
    event_id, session_id = seed
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/sessions/{session_id}/floor")
    expect(waiting_list(page)).to_contain_text("Kim Kaur")
    expect(waiting_list(page)).not_to_contain_text("José García")
    gone = page.get_by_role("button", name=re.compile(r"^Gone\W*Ade Adeyemi"))
    gone.focus()

    sign_in(other_page, base_url)
    other_page.goto(f"{base_url}/organise/events/{event_id}/checkin")
    other_page.get_by_role("button", name=re.compile(r"^Arrived\W*José García")).click()
    expect(other_page.locator(".notice, [role=status]").first).to_be_visible()

    expect(waiting_list(page)).to_contain_text("José García", timeout=WAIT)
    expect(page.locator("#live-status")).to_contain_text("Updated at")
    focused = page.evaluate(
        "() => [document.activeElement.tagName, document.activeElement.textContent.trim()]"
    )
    assert focused[0] == "BUTTON" and focused[1].startswith("Gone"), focused
    assert "Ade Adeyemi" in focused[1]
    assert_accessible(page, axe_script, "the floor after an update")


def test_check_in_keeps_up_and_narrows_as_a_name_is_typed_without_accents(
    page, other_page, base_url, seed, axe_script
):
    event_id, session_id = seed
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{event_id}/checkin")
    search = page.get_by_label("Find by name")
    search.press_sequentially("garcia")
    people = page.locator("#people > li")
    expect(people.filter(has_text="José García")).to_be_visible()
    expect(people.filter(has_text="Kim Kaur")).to_be_hidden()
    expect(people.filter(has_text="Amina Patel")).to_be_hidden()

    search.fill("")
    search.press_sequentially("patel amina")
    expect(people.filter(has_text="Amina Patel")).to_be_visible()
    expect(people.filter(has_text="José García")).to_be_hidden()

    sign_in(other_page, base_url)
    other_page.goto(f"{base_url}/organise/events/{event_id}/checkin")
    other_page.get_by_role("button", name=re.compile(r"^Arrived\W*Amina Patel")).click()
    amina = people.filter(has_text="Amina Patel")
    expect(amina).to_contain_text("Here", timeout=WAIT)
    expect(people.filter(has_text="Kim Kaur")).to_be_hidden()  # still narrowed
    assert page.evaluate("() => document.activeElement.id") == "q"  # typing goes on
    assert search.input_value() == "patel amina"
    assert_accessible(page, axe_script, "check-in after an update")
