"""Surgeons and matching in the real browser: axe-core finds no WCAG 2.0, 2.1 or 2.2 A/AA
problems on the volunteer form, a surgeon's manage page, the organiser's surgeons page and
the matching page, the public pages fit a phone, and a pair can be accepted by keyboard.

The module seeds its own day: two surgery sessions with approved, pending and declined
surgeons, people who booked, and on the morning session one accepted pair, one locked pair,
suggestions and people left unpaired. An earlier day gives two surgeons a history.
"""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from surgery.auth.models import Organiser
from surgery.bookings import services as bookings
from surgery.bookings.services import AboutYou, BookingRequest
from surgery.database import utcnow
from surgery.domain.tokens import manage_token, new_form_key
from surgery.events.models import PUBLISHED, SURGERY, WORKSHOP, Event, EventSession
from surgery.extensions import db
from surgery.matching import services as matching
from surgery.matching.models import ACCEPTED, Match
from surgery.surgeons import services as surgeons
from surgery.surgeons.models import Surgeon
from surgery.surgeons.services import SurgeonDetails
from surgery.vocabulary.models import RoleTag, Topic
from tests.browser.conftest import (
    ORGANISER_EMAIL,
    PHONE,
    assert_accessible,
    assert_fits_the_screen,
    screenshot,
    sign_in,
    tab_to,
)
from tests.conftest import ORGANISER_PASSWORD
from tests.live_server import SECRET

pytestmark = [pytest.mark.browser, pytest.mark.server]

LIVED_EXPERIENCE = "Lived experience of mental health difficulties"
SAFETY = "Online safety and privacy"


@dataclass(frozen=True)
class SurgerySeed:
    """The ids, names and links of what this module's database was seeded with."""

    event_id: int
    event_title: str
    morning_id: int
    afternoon_id: int
    pending_token: str
    bookings: dict[str, int]
    surgeons: dict[str, int]


def _day(title: str, city: str, day: dt.datetime, specs) -> Event:
    """A published day with sessions given as (kind, title, hour offset, capacity)."""
    event = Event(
        title=title,
        description="Bring your laptop or phone, and your questions.",
        venue_name="Central Library",
        venue_address=f"High Street, {city}",
        city=city,
        access_info="Step-free entrance. Hearing loop in the main room.",
        status=PUBLISHED,
    )
    for kind, name, hours, capacity in specs:
        starts = day + dt.timedelta(hours=hours)
        event.sessions.append(
            EventSession(
                kind=kind,
                title=name,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=2),
                capacity=capacity,
            )
        )
    db.session.add(event)
    db.session.commit()
    return event


def _book(event: Event, session: EventSession, name: str, about: AboutYou) -> int:
    """Book one session for one person; return the booking's id."""
    wish = BookingRequest(name, f"{name.lower()}@example.org", [session.id], about, new_form_key())
    outcome = bookings.book(event.id, wish, SECRET)
    db.session.commit()
    return outcome.added[0].id


def _volunteer(event: Event, details: SurgeonDetails, by_organiser: bool = True):
    """Sign a surgeon up (an organiser's addition is approved at once)."""
    outcome = surgeons.volunteer(
        event.id, details, new_form_key(), SECRET, by_organiser=by_organiser
    )
    db.session.commit()
    return outcome


@pytest.fixture(scope="module")
def seed(live_app) -> SurgerySeed:
    """This module's own day, replacing the booking pages' seed."""
    with live_app.app_context():
        organiser = Organiser(email=ORGANISER_EMAIL, name="Olu Organiser")
        organiser.set_password(ORGANISER_PASSWORD)
        db.session.add(organiser)
        db.session.commit()
        topic = {t.name: t.id for t in db.session.scalars(sa.select(Topic))}
        tag = {t.name: t.id for t in db.session.scalars(sa.select(RoleTag))}
        soon = utcnow().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=14)

        # an earlier day: Sam came to learn, Ade helped
        earlier = _day(
            "Bradford Social Media Surgery", "Bradford", soon, [(SURGERY, "Surgery", 1, 20)]
        )
        _book(earlier, earlier.sessions[0], "Sam", AboutYou(topic_ids=[topic["Blogging"]]))
        ade = SurgeonDetails(
            name="Ade Adeyemi",
            email="ade@example.org",
            topic_ids=[topic["Facebook"], topic[SAFETY]],
            session_ids=[earlier.sessions[0].id],
            capacity=2,
            bio="Runs the digital inclusion project at the library.",
            languages=["BSL"],
            role_tag_ids=[tag[LIVED_EXPERIENCE]],
            consent=True,
        )
        _volunteer(earlier, ade)
        for session in earlier.sessions:  # it has happened since
            session.starts_at -= dt.timedelta(days=60)
            session.ends_at -= dt.timedelta(days=60)
        db.session.commit()

        event = _day(
            "Leeds Social Media Surgery",
            "Leeds",
            soon + dt.timedelta(days=7),
            [
                (SURGERY, "Morning surgery", 0, 20),
                (WORKSHOP, "Blogging for beginners", 2, 12),
                (SURGERY, "Afternoon surgery", 4, 20),
            ],
        )
        morning, _, afternoon = event.sessions
        both = [morning.id, afternoon.id]
        ade.session_ids = [morning.id]
        found = {"Ade": _volunteer(event, ade).surgeon.id}
        for name, topics, sessions, capacity in [
            ("Bea Brown", ["Blogging", "Websites"], both, 1),
            ("Cal Chen", ["Instagram", "Video"], both, 1),
        ]:
            details = SurgeonDetails(
                name=name,
                email=f"{name.split()[0].lower()}@example.org",
                topic_ids=[topic[t] for t in topics],
                session_ids=sessions,
                capacity=capacity,
            )
            found[name.split()[0]] = _volunteer(event, details).surgeon.id
        # Sam, who came to learn last time, offers to help this time and waits for approval
        sam = SurgeonDetails(
            name="Sam Smith",
            email="sam@example.org",
            topic_ids=[topic["Blogging"]],
            session_ids=both,
            capacity=3,
            bio="I started a blog after the last surgery and would like to pass it on.",
            languages=["Urdu"],
        )
        pending = _volunteer(event, sam, by_organiser=False)
        found["Sam"] = pending.surgeon.id
        dee = SurgeonDetails(
            name="Dee Dixon",
            email="dee@example.org",
            topic_ids=[topic["X/Twitter"]],
            session_ids=[afternoon.id],
            capacity=1,
        )
        declined = _volunteer(event, dee, by_organiser=False).surgeon
        surgeons.decline(declined)
        db.session.commit()
        found["Dee"] = declined.id

        people = {}
        for session, name, topics, extra in [
            (morning, "Priya", ["Facebook"], {"wants_lived_experience": True}),
            (morning, "Jo", ["Blogging"], {}),
            (morning, "Kim", ["Instagram"], {}),
            (morning, "Lee", [SAFETY], {"languages": ["BSL"]}),
            (morning, "Max", ["X/Twitter"], {}),
            (morning, "Noor", ["Websites"], {}),
            (afternoon, "Rae", ["Video"], {}),
            (afternoon, "Tom", ["Blogging"], {}),
        ]:
            about = AboutYou(topic_ids=[topic[t] for t in topics], **extra)
            people[name] = _book(event, session, name, about)
        # morning: Priya is paired with Ade and both were told, Jo is locked with Bea (so
        # Noor finds Bea full), Kim and Lee get suggestions and nobody helps Max with X
        matching.accept(morning, [(people["Priya"], found["Ade"])])
        matching.lock(morning, people["Jo"], found["Bea"])
        db.session.commit()
        return SurgerySeed(
            event.id, event.title, morning.id, afternoon.id, pending.token, people, found
        )


def open_volunteer_form_with_errors(page, base_url, seed) -> None:
    """The volunteer form, sent empty so every required field shows its error."""
    page.goto(f"{base_url}/events/{seed.event_id}/volunteer")
    page.get_by_label("How many people can you help in one session?").fill("")
    page.get_by_role("button", name="Volunteer").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please check these and try again")
    # listed in the order the page asks
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Enter your name.",
            "Enter your email address, so we can send your invites.",
            "Choose at least one surgery session you can do.",
            "Choose at least one thing you can help with.",
            "Enter how many people you can help, from 1 to 10.",
        ]
    )


def open_matching_page(page, base_url, seed) -> None:
    """The morning's matching page, with every kind of row showing."""
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/sessions/{seed.morning_id}/matching")
    expect(page.get_by_role("heading", level=1)).to_have_text("Matching")
    suggested = page.get_by_role("table", name=re.compile("^Suggested by matching"))
    expect(suggested.locator("tbody tr")).to_have_count(2)
    expect(suggested).to_contain_text("both: Online safety and privacy; speaks BSL, as asked")
    fixed = page.get_by_role("table", name=re.compile("^Locked pairs stay"))
    expect(fixed.get_by_text("Accepted, both told")).to_have_count(1)
    expect(fixed.get_by_text("Locked", exact=True)).to_have_count(1)
    unpaired = page.get_by_role("table", name="People matching could not pair, and why")
    expect(unpaired).to_contain_text("No surgeon available for this session can help with X")
    expect(unpaired).to_contain_text("Every surgeon who can help is already helping")


def test_volunteer_form(page, base_url, seed, axe_script):
    page.goto(f"{base_url}/events/{seed.event_id}")
    page.get_by_role("link", name="Volunteer as a surgeon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Volunteer as a surgeon")
    expect(page.get_by_role("group", name="Which surgery sessions can you do?")).to_be_visible()
    screenshot(page, "volunteer-desktop")
    assert_accessible(page, axe_script, "the volunteer form")


def test_volunteer_form_with_errors(page, base_url, seed, axe_script):
    open_volunteer_form_with_errors(page, base_url, seed)
    screenshot(page, "volunteer-errors-desktop")
    assert_accessible(page, axe_script, "the volunteer form with errors")


def test_manage_page(page, base_url, seed, axe_script):
    page.goto(f"{base_url}/volunteer/{seed.pending_token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your volunteering")
    expect(page.get_by_text("Waiting for an organiser to confirm.")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Sam Smith")
    screenshot(page, "surgeon-manage-desktop")
    assert_accessible(page, axe_script, "a surgeon's manage page")


def test_organiser_surgeons_page(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}/surgeons")
    table = page.get_by_role("table", name="Everyone who volunteered, newest first")
    expect(table.get_by_role("button", name="Approve Sam Smith")).to_be_visible()
    expect(table.get_by_role("button", name="Approve Dee Dixon")).to_be_visible()
    expect(table.get_by_role("button", name="Remove Ade Adeyemi")).to_be_visible()
    sam = table.get_by_role("row").filter(has_text="Sam Smith")
    expect(sam).to_contain_text("Came as an attendee: Bradford Social Media Surgery")
    ade = table.get_by_role("row").filter(has_text="Ade Adeyemi")
    expect(ade).to_contain_text("Volunteered: Bradford Social Media Surgery")
    screenshot(page, "organiser-surgeons-desktop")
    assert_accessible(page, axe_script, "the organiser's surgeons page")

    # removing a surgeon asks first, saying who will be emailed; going back changes nothing
    table.get_by_role("button", name="Remove Ade Adeyemi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove Ade Adeyemi from this day?")
    expect(page.get_by_text("was going to help 1 person (Priya)")).to_be_visible()
    expect(page.get_by_text("In all, 2 people will be emailed.")).to_be_visible()
    expect(page.get_by_role("button", name="Yes, remove Ade Adeyemi")).to_be_visible()
    screenshot(page, "organiser-confirm-desktop")
    assert_accessible(page, axe_script, "the page asking before removing a surgeon")
    page.get_by_role("link", name="No, go back").click()
    page.wait_for_url(f"{base_url}/organise/events/{seed.event_id}/surgeons")
    expect(table.get_by_role("button", name="Remove Ade Adeyemi")).to_be_visible()


def test_matching_page(page, base_url, seed, axe_script):
    open_matching_page(page, base_url, seed)
    screenshot(page, "matching-desktop")
    assert_accessible(page, axe_script, "the matching page")


def test_volunteer_form_on_a_phone(phone_page, base_url, seed, axe_script):
    page = phone_page
    page.goto(f"{base_url}/events/{seed.event_id}/volunteer")
    assert page.viewport_size == PHONE
    screenshot(page, "volunteer-phone")
    assert_fits_the_screen(page)
    assert_accessible(page, axe_script, "the volunteer form on a phone")
    open_volunteer_form_with_errors(page, base_url, seed)
    screenshot(page, "volunteer-errors-phone")
    assert_fits_the_screen(page)
    assert_accessible(page, axe_script, "the volunteer form with errors on a phone")


def test_matching_page_on_a_phone(phone_page, base_url, seed, axe_script):
    page = phone_page
    open_matching_page(page, base_url, seed)
    screenshot(page, "matching-phone")
    assert_fits_the_screen(page)
    assert_accessible(page, axe_script, "the matching page on a phone")


def test_accepting_a_pair_by_keyboard(page, base_url, seed, live_app):
    """Sign in, find the afternoon's matching page and accept Rae with Cal, keys only."""
    page.goto(f"{base_url}/login")
    tab_to(page, lambda f: f["id"] == "email")
    page.keyboard.type(ORGANISER_EMAIL)
    tab_to(page, lambda f: f["id"] == "password")
    page.keyboard.type(ORGANISER_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/organise/")

    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == seed.event_title)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/organise/events/{seed.event_id}")
    tab_to(page, lambda f: f["text"] == "Match surgeons for Afternoon surgery")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/organise/sessions/{seed.afternoon_id}/matching")

    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Accept Rae with Cal Chen")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_have_text("1 pair accepted.")
    fixed = page.get_by_role("table", name=re.compile("^Locked pairs stay"))
    row = fixed.get_by_role("row").filter(has_text="Rae")
    expect(row).to_contain_text("Cal Chen")
    expect(row).to_contain_text("Accepted, both told")
    # Tom's suggestion is still there to decide on
    suggested = page.get_by_role("table", name=re.compile("^Suggested by matching"))
    expect(suggested.get_by_role("row").filter(has_text="Tom")).to_contain_text("Bea Brown")

    with live_app.app_context():
        match = db.session.scalars(
            sa.select(Match).where(Match.booking_id == seed.bookings["Rae"])
        ).one()
        assert (match.surgeon_id, match.status) == (seed.surgeons["Cal"], ACCEPTED)
        assert match.session_id == seed.afternoon_id
        assert match.accepted_at is not None


def test_a_confirmed_surgeons_page_shows_their_check_in_code(
    page, base_url, seed, live_app, axe_script
):
    with live_app.app_context():
        surgeon = db.session.get(Surgeon, next(iter(seed.surgeons.values())))
        token, code = manage_token(SECRET, surgeon.token_seed), surgeon.checkin_code
    page.goto(f"{base_url}/volunteer/{token}")
    expect(page.get_by_text(f"say your check-in code: {code}")).to_be_visible()
    qr = page.get_by_role("img", name=f"QR code for your check-in code {code}")
    expect(qr).to_be_visible()
    assert page.evaluate("document.querySelector('img[alt^=\"QR code\"]').naturalWidth") > 0
    assert_accessible(page, axe_script, "a confirmed surgeon's manage page")
