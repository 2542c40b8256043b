"""The day itself in the real browser: a walk-in registers on the kiosk with the keyboard in
one submit and appears on the floor's waiting list; axe-core finds no WCAG 2.0, 2.1 or 2.2
A/AA problems on the check-in, kiosk, floor and numbers pages; the kiosk and check-in fit a
phone; and the check-in list narrows as a name is typed.

The module seeds its own day, running now: a surgery session with people booked (most of
them here), surgeons present (one free with a suggestion, one busy, one with a finished
pairing behind them), one surgeon not here yet, and someone expected who has not come; and a
one-place workshop, started half an hour ago, whose place-holder has not come while someone on
its waiting list has.
"""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from surgery.auth.models import Organiser
from surgery.bookings import services as bookings
from surgery.bookings.models import Booking, Registration
from surgery.bookings.services import AboutYou, BookingRequest
from surgery.database import utcnow
from surgery.day import floor
from surgery.day import services as day
from surgery.day.models import HelpRecord
from surgery.domain.capacity import CONFIRMED
from surgery.domain.tokens import manage_token, new_form_key
from surgery.events.models import PUBLISHED, SURGERY, WORKSHOP, Event, EventSession
from surgery.extensions import db
from surgery.surgeons import services as surgeons
from surgery.surgeons.models import Surgeon
from surgery.surgeons.services import SurgeonDetails
from surgery.vocabulary.models import RoleTag, Topic
from tests.browser.conftest import (
    DESKTOP,
    LOCALE,
    PHONE,
    assert_accessible,
    assert_fits_the_screen,
    describe_focus,
    screenshot,
    sign_in,
    tab_to,
)
from tests.conftest import ORGANISER_PASSWORD
from tests.live_server import SECRET

pytestmark = [pytest.mark.browser, pytest.mark.server]

SAFETY = "Online safety and privacy"
WALK_IN = "Wanda Walker"


@dataclass(frozen=True)
class DaySeed:
    """The ids of what this module's database was seeded with."""

    event_id: int
    event_title: str
    surgery_id: int


@pytest.fixture(scope="module")
def seed(live_app) -> DaySeed:
    """A day running now, part way through its surgery, replacing the booking pages' seed."""
    with live_app.app_context():
        organiser = Organiser(email="organiser@example.org", name="Olu Organiser")
        organiser.set_password(ORGANISER_PASSWORD)
        topic = {t.name: t.id for t in db.session.scalars(sa.select(Topic))}
        tags = list(db.session.scalars(sa.select(RoleTag.id).order_by(RoleTag.position)))
        now = utcnow().replace(second=0, microsecond=0)
        event = Event(
            title="Leeds Social Media Surgery",
            description="Bring your laptop or phone, and your questions.",
            venue_name="Central Library",
            venue_address="Calverley Street, Leeds",
            city="Leeds",
            access_info="Step-free entrance. Hearing loop in the main room.",
            status=PUBLISHED,
        )
        for kind, title, start, capacity in [
            (SURGERY, "Surgery space", 1, 6),
            (WORKSHOP, "Blogging for beginners", 4, 12),
            (WORKSHOP, "Video basics", 1.5, 1),
        ]:
            starts = now + dt.timedelta(hours=start)
            event.sessions.append(
                EventSession(
                    kind=kind,
                    title=title,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=3),
                    capacity=capacity,
                )
            )
        db.session.add_all([organiser, event])
        db.session.commit()
        surgery = event.sessions[0]

        helpers = {}
        for name, topics in [
            ("Ade Adeyemi", ["Facebook", SAFETY]),
            ("Bea Brown", ["Blogging", "Websites"]),
            ("Cal Chen", ["Instagram", "Video"]),
            ("Dee Dixon", ["X/Twitter"]),
        ]:
            details = SurgeonDetails(
                name=name,
                email=f"{name.split()[0].lower()}@example.org",
                topic_ids=[topic[t] for t in topics],
                session_ids=[surgery.id],
                capacity=2,
            )
            outcome = surgeons.volunteer(
                event.id, details, new_form_key(), SECRET, by_organiser=True
            )
            db.session.commit()
            helpers[name.split()[0]] = outcome.surgeon.id

        people, arrivals = {}, []
        for position, (name, topics, minutes_ago) in enumerate(
            [
                ("Priya Patel", ["Facebook"], 50),
                ("Jo Jones", ["Blogging"], 40),
                ("Kim Kaur", ["Instagram"], 30),
                ("Lee Lewis", [SAFETY], 20),
                ("Max Miller", ["Video"], 10),
                ("Noor Nasser", ["Websites"], None),
            ]
        ):
            about = AboutYou(
                role_tag_ids=tags[position % 3 : position % 3 + 1],
                topic_ids=[topic[t] for t in topics],
                consent=True,
            )
            wish = BookingRequest(
                name, f"{name.split()[0].lower()}@example.org", [surgery.id], about, new_form_key()
            )
            booking = bookings.book(event.id, wish, SECRET).added[0]
            db.session.commit()
            people[name.split()[0]] = booking.id
            if minutes_ago is not None:
                arrivals.append((booking.registration, minutes_ago))
        video = next(s.id for s in event.sessions if s.title == "Video basics")
        for name, minutes_ago in [("Rae Reed", None), ("Sol Stone", 5)]:  # Sol waits, is here
            wish = BookingRequest(name, f"{name[:3].lower()}@example.org", [video], AboutYou(),
                                  new_form_key())  # fmt: skip
            booking = bookings.book(event.id, wish, SECRET).added[0]
            db.session.commit()
            if minutes_ago is not None:
                arrivals.append((booking.registration, minutes_ago))
        # booked ahead; the day has since begun and the surgery started an hour ago
        for session in event.sessions:
            session.starts_at -= dt.timedelta(hours=2)
            session.ends_at -= dt.timedelta(hours=2)
        for registration, minutes_ago in arrivals:
            day.check_in(registration)
            registration.checked_in_at = now - dt.timedelta(minutes=minutes_ago)
        db.session.commit()

        for key in ["Ade", "Bea", "Cal"]:  # Dee has not come yet
            surgeon = db.session.get(Surgeon, helpers[key])
            floor.surgeon_arrived(surgeon)
            surgeon.arrived_at = now - dt.timedelta(minutes=55)
        db.session.commit()
        # Ade has helped Priya already; Bea is with Jo; Cal is free, Kim waits for him
        record = floor.start(surgery, people["Priya"], helpers["Ade"])
        record.started_at = now - dt.timedelta(minutes=45)
        db.session.commit()
        floor.end(surgery, record.id)
        db.session.commit()
        record = floor.start(surgery, people["Jo"], helpers["Bea"])
        record.started_at = now - dt.timedelta(minutes=15)
        db.session.commit()
        helped_on_an_earlier_day("Noor", "Dee", now - dt.timedelta(days=28))
        return DaySeed(event.id, event.title, surgery.id)


def helped_on_an_earlier_day(person: str, surgeon: str, when: dt.datetime) -> None:
    """An earlier surgery where this person (by their email) was helped by this surgeon."""
    old = Event(
        title="Leeds surgery, last month", venue_name="Library", city="Leeds", status=PUBLISHED
    )
    old.sessions.append(
        EventSession(kind=SURGERY, title="Surgery space", starts_at=when, ends_at=when, capacity=6)
    )
    them = Registration(event=old, name=person, email=f"{person.lower()}@example.org")
    them.token_seed, them.token_hash = new_form_key(), new_form_key()
    them.bookings.append(Booking(session=old.sessions[0], status=CONFIRMED))
    helper = Surgeon(event=old, name=surgeon, email=f"{surgeon.lower()}@example.org")
    helper.token_seed, helper.token_hash = new_form_key(), new_form_key()
    db.session.add_all([them, helper])
    db.session.flush()
    db.session.add(
        HelpRecord(
            session_id=old.sessions[0].id,
            booking_id=them.bookings[0].id,
            surgeon_id=helper.id,
            started_at=when,
            ended_at=when + dt.timedelta(minutes=20),
        )
    )
    db.session.commit()


def turn_into_kiosk(page, base_url, seed) -> None:
    """An organiser signs in and turns this device into the event's walk-in kiosk."""
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}")
    page.get_by_role("button", name="Turn this device into the walk-in kiosk").click()
    page.wait_for_url(f"{base_url}/kiosk")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome to {seed.event_title}")


def open_floor(page, base_url, seed) -> None:
    """The surgery floor, as an organiser sees it."""
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/sessions/{seed.surgery_id}/floor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Surgery floor")


def test_a_walk_in_registers_by_keyboard_and_reaches_the_floor(
    browser, page, base_url, seed, live_app
):
    turn_into_kiosk(page, base_url, seed)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    name = tab_to(page, lambda f: f["name"] == "name")
    assert name["tag"] == "input"
    page.keyboard.type(WALK_IN)
    tab_to(page, lambda f: f["type"] == "checkbox" and f["label"] == "Blogging")
    page.keyboard.press("Space")
    assert describe_focus(page)["checked"]
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "I'm here")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text(f"Welcome, {WALK_IN}.")
    assert len(posts) == 1, posts
    # still the kiosk, ready for the next person
    expect(page).to_have_url(f"{base_url}/kiosk")
    expect(page.get_by_label("Your name or a nickname")).to_have_value("")

    with live_app.app_context():
        walk_in = db.session.scalars(
            sa.select(Registration).where(Registration.name == WALK_IN)
        ).one()
        assert walk_in.is_walk_in and walk_in.checked_in_at is not None
        assert [t.name for t in walk_in.topics] == ["Blogging"]
        booked = db.session.scalars(
            sa.select(Booking).where(Booking.registration_id == walk_in.id)
        ).all()
        assert [(b.session_id, b.status) for b in booked] == [(seed.surgery_id, CONFIRMED)]

    context = browser.new_context(viewport=DESKTOP, **LOCALE)
    context.set_default_timeout(10_000)
    try:
        organiser = context.new_page()
        open_floor(organiser, base_url, seed)
        waiting = organiser.get_by_role("region", name=re.compile("^Waiting"))
        row = waiting.get_by_role("row", name=re.compile(WALK_IN))
        expect(row).to_contain_text("Walk-in")
        expect(row).to_contain_text("Blogging")
    finally:
        context.close()


def test_kiosk_page(phone_page, base_url, seed, axe_script):
    turn_into_kiosk(phone_page, base_url, seed)
    screenshot(phone_page, "kiosk-phone")
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page, axe_script, "the kiosk")
    phone_page.get_by_text("More about you (optional)").click()
    expect(
        phone_page.get_by_label("Email address (optional, for your notes and invites)")
    ).to_be_visible()
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page, axe_script, "the kiosk with more about you open")


def test_kiosk_page_with_errors(page, base_url, seed, axe_script):
    turn_into_kiosk(page, base_url, seed)
    page.get_by_role("button", name="I'm here").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Tell us your name or a nickname.")
    expect(summary).to_contain_text("Choose what you would like help with.")
    screenshot(page, "kiosk-errors-desktop")
    assert_accessible(page, axe_script, "the kiosk with errors")
    page.set_viewport_size(PHONE)
    screenshot(page, "kiosk-errors-phone")
    assert_fits_the_screen(page)


def test_checkin_page(phone_page, base_url, seed, axe_script):
    sign_in(phone_page, base_url)
    phone_page.goto(f"{base_url}/organise/events/{seed.event_id}/checkin")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Check-in")
    expect(phone_page.locator("#people > li").first).to_be_visible()
    # Noor was helped on an earlier day: the door can ask for the same surgeon for her
    expect(
        phone_page.get_by_role("button", name=re.compile("^Same surgeon as last time.*Noor"))
    ).to_be_visible()
    screenshot(phone_page, "checkin-phone")
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page, axe_script, "the check-in page")
    phone_page.set_viewport_size(DESKTOP)
    screenshot(phone_page, "checkin-desktop")
    assert_accessible(phone_page, axe_script, "the check-in page on a wide screen")


def test_giving_places_of_people_not_here_asks_first(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}/checkin")
    section = page.get_by_role("region", name="Places for people waiting here")
    expect(section).to_contain_text("Video basics: 1 on the waiting list is here")
    section.get_by_role("button", name="Give their places to people waiting here").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Give places in Video basics to people waiting here?"
    )
    expect(page.get_by_text("1 place: Sol Stone gets it, and will be emailed.")).to_be_visible()
    screenshot(page, "give-places-desktop")
    assert_accessible(page, axe_script, "the page asking before places are given away")
    page.set_viewport_size(PHONE)
    assert_fits_the_screen(page)
    assert_accessible(page, axe_script, "the page asking before places are given away, phone")


def test_checkin_list_narrows_as_a_name_is_typed(page, base_url, seed):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}/checkin")
    people = page.locator("#people > li")
    expect(people.filter(has_text="Noor Nasser")).to_be_visible()
    expect(people.filter(has_text="Priya Patel")).to_be_visible()
    page.get_by_label("Find by name").press_sequentially("pri")
    expect(people.filter(has_text="Priya Patel")).to_be_visible()
    for other in ["Noor Nasser", "Jo Jones", "Kim Kaur", "Max Miller"]:
        expect(people.filter(has_text=other)).to_be_hidden()
    expect(people.filter(visible=True)).to_have_count(1)
    # the list narrowed in the page: nothing was sent
    expect(page).to_have_url(f"{base_url}/organise/events/{seed.event_id}/checkin")

    page.get_by_label("Find by name").fill("zzz")
    expect(people.filter(visible=True)).to_have_count(0)
    expect(page.get_by_text("Nobody with that name.")).to_be_visible()
    page.get_by_label("Find by name").fill("")
    expect(people.filter(has_text="Noor Nasser")).to_be_visible()
    expect(page.get_by_text("Nobody with that name.")).to_be_hidden()


def test_floor_page(page, base_url, seed, axe_script):
    open_floor(page, base_url, seed)
    waiting = page.get_by_role("region", name=re.compile("^Waiting"))
    expect(waiting).to_contain_text("Kim Kaur")
    expect(waiting).to_contain_text("Max Miller")
    surgeons_here = page.get_by_role("region", name=re.compile("^Surgeons here"))
    # a surgeon's card names people as their surgeon may see them: none agreed to share more
    # than a first name and their topics
    expect(surgeons_here).to_contain_text("With Jo for")
    expect(page.get_by_role("button", name="Start with Kim and Cal Chen")).to_be_visible()
    expect(page.get_by_role("button", name="Start with Lee and Ade Adeyemi")).to_be_visible()
    expect(surgeons_here).to_contain_text("Dee Dixon")
    helped = page.get_by_role("region", name=re.compile("^Helped so far"))
    expect(helped).to_contain_text("Priya Patel")
    by_hand = page.get_by_role("region", name="Pair by hand")
    expect(by_hand.get_by_label("Person waiting")).to_contain_text("Max Miller")
    expect(by_hand.get_by_label("Free surgeon")).to_contain_text("Cal Chen")
    expect(by_hand.get_by_role("button", name="Start this pair")).to_be_visible()
    screenshot(page, "floor-desktop")
    assert_accessible(page, axe_script, "the surgery floor")
    page.set_viewport_size(PHONE)
    screenshot(page, "floor-phone")
    assert_fits_the_screen(page)
    assert_accessible(page, axe_script, "the surgery floor on a phone")


def test_numbers_page(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/events/{seed.event_id}")
    page.get_by_role("link", name="The day in numbers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The day in numbers")
    topics = page.get_by_role("table", name="What people who came asked for help with")
    expect(topics.get_by_role("row", name=re.compile("^Facebook"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("^Who came"))).to_be_visible()
    expect(page.locator(".bar").first).to_be_visible()
    screenshot(page, "numbers-desktop")
    assert_accessible(page, axe_script, "the day in numbers")
    page.set_viewport_size(PHONE)
    screenshot(page, "numbers-phone")
    assert_fits_the_screen(page)


def test_door_logins_page(page, base_url, seed, axe_script):
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/door-logins")
    page.get_by_label("Name").fill("Dora Door")
    page.get_by_label("Email").fill("dora.door@example.org")
    page.get_by_label("Password").fill("a long door password")
    page.get_by_role("button", name="Add door login").click()
    logins = page.get_by_role("table", name="Door logins that can sign in now")
    expect(logins.get_by_role("row", name=re.compile("Dora Door"))).to_be_visible()
    assert_accessible(page, axe_script, "the door logins page")
    page.set_viewport_size(PHONE)
    assert_fits_the_screen(page)

    page.get_by_role("button", name="Remove Dora Door’s door login").click()
    expect(page.locator(".flash")).to_have_text(
        "Dora Door’s door login is removed. It no longer signs in."
    )
    expect(page.get_by_role("table", name="Door logins that can sign in now")).to_have_count(0)
    assert_accessible(page, axe_script, "the door logins page after removing one")


def test_a_surgeons_code_opens_their_check_in(page, base_url, seed, live_app, axe_script):
    with live_app.app_context():
        dee = db.session.scalars(sa.select(Surgeon).where(Surgeon.name == "Dee Dixon")).one()
        code = dee.checkin_code
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/checkin/{code}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dee Dixon")
    expect(
        page.get_by_role("button", name=re.compile("^Arrived.*Dee Dixon, surgeon"))
    ).to_be_visible()
    assert_accessible(page, axe_script, "a surgeon's check-in page")


def test_someone_helped_before_can_ask_for_the_same_surgeon(
    page, base_url, seed, live_app, axe_script
):
    with live_app.app_context():
        query = sa.select(Registration).where(
            Registration.event_id == seed.event_id, Registration.name == "Noor Nasser"
        )
        token = manage_token(SECRET, db.session.scalars(query).one().token_seed)
    page.goto(f"{base_url}/bookings/{token}")
    asking = page.get_by_label("I'd like the same surgeon as last time")
    expect(asking).not_to_be_checked()
    asking.focus()
    page.keyboard.press("Space")
    expect(asking).to_be_checked()
    assert_accessible(page, axe_script, "a manage page offering the same surgeon again")
