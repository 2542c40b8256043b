"""The whole day in the real browser, as the people in it see it.

A surgery session with one place: Gareth has it and is paired with Victor; Amina is on the
waiting list. The reminder round runs two days before (on a controlled clock). Gareth opens
"I can't come any more" from his reminder email and confirms without JavaScript; Amina gets
the place and is emailed. The organiser pairs Amina with Victor on the matching page. On the
day Amina's QR code is scanned at the door, Victor checks in with his code, the floor offers
Amina to Victor first, the organiser starts and then finishes them, and the numbers page
counts one person helped. axe-core checks the floor at the end.

Emails are read as they are sent: each outbox row is composed into the real message and its
links followed.
"""

import datetime as dt
import email
import email.policy
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
from surgery.day.models import HelpRecord
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.tokens import new_form_key
from surgery.events.models import PUBLISHED, SURGERY, Event, EventSession
from surgery.extensions import db
from surgery.mail.compose import compose
from surgery.mail.models import OutboxMessage
from surgery.matching import services as matching
from surgery.matching.models import ACCEPTED, Match
from surgery.reminders import services as reminders
from surgery.surgeons import services as surgeons
from surgery.surgeons.models import Surgeon
from surgery.surgeons.services import SurgeonDetails
from surgery.vocabulary.models import Topic
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import ORGANISER_PASSWORD
from tests.live_server import SECRET

pytestmark = [pytest.mark.browser, pytest.mark.server]

WAIT = 20_000  # generous: the server is shared with other work on a small machine
CANNOT_COME = re.compile(
    r"I can't come any more:\s*https?://[^/\s]+(/reminders/\d+/cannot-come/[\w-]+)"
)
MANAGE = re.compile(r"https?://[^/\s]+(/bookings/[\w-]+)(?=[\s>)\]]|$)", re.M)


@dataclass(frozen=True)
class WholeDay:
    event_id: int
    surgery_id: int


@pytest.fixture(scope="module")
def seed(live_app) -> WholeDay:
    """Today's day, its surgery session (one place) starting within the hour; Victor
    confirmed as its surgeon; Gareth booked and accepted with Victor; Amina waiting."""
    live_app.config["SECRET_KEY"] = SECRET  # emails written here hold the server's links
    with live_app.app_context():
        organiser = Organiser(email="organiser@example.org", name="Olu Organiser")
        organiser.set_password(ORGANISER_PASSWORD)
        facebook = db.session.scalars(sa.select(Topic.id).where(Topic.name == "Facebook")).one()
        starts = utcnow().replace(second=0, microsecond=0) + dt.timedelta(hours=1)
        event = Event(
            title="Leeds Social Media Surgery",
            description="Bring your laptop or phone, and your questions.",
            venue_name="Central Library",
            venue_address="Calverley Street, Leeds",
            city="Leeds",
            access_info="Step-free entrance. Hearing loop in the main room.",
            status=PUBLISHED,
        )
        event.sessions.append(
            EventSession(
                kind=SURGERY,
                title="Surgery space",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3),
                capacity=1,
            )
        )
        db.session.add_all([organiser, event])
        db.session.commit()
        surgery = event.sessions[0]
        details = SurgeonDetails(
            name="Victor",
            email="victor@example.org",
            topic_ids=[facebook],
            session_ids=[surgery.id],
            capacity=1,
        )
        surgeons.volunteer(event.id, details, new_form_key(), SECRET, by_organiser=True)
        db.session.commit()
        for name in ("Gareth", "Amina"):
            about = AboutYou(topic_ids=[facebook], consent=True)
            wish = BookingRequest(
                name, f"{name.lower()}@example.org", [surgery.id], about, new_form_key()
            )
            bookings.book(event.id, wish, SECRET)
            db.session.commit()
        gareth, victor = booking_of("Gareth"), surgeon_of("Victor")
        matching.accept(surgery, [(gareth.id, victor.id)])
        db.session.commit()
        assert booking_of("Amina").status == WAITLISTED
        return WholeDay(event.id, surgery.id)


def booking_of(name: str) -> Booking:
    db.session.expire_all()
    query = sa.select(Booking).join(Booking.registration).where(Registration.name == name)
    return db.session.scalars(query).one()


def surgeon_of(name: str) -> Surgeon:
    db.session.expire_all()
    return db.session.scalars(sa.select(Surgeon).where(Surgeon.name == name)).one()


def emails_to(address: str, subject_starts: str) -> list[str]:
    """The text of every email queued to an address whose subject starts so, composed as
    the mail worker composes it."""
    rows = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.to_address == address)
        .order_by(OutboxMessage.id)
    ).all()
    texts = []
    for row in rows:
        if not row.subject.startswith(subject_starts):
            continue
        data = compose(row.id, row.subject, row.payload, utcnow())
        message = email.message_from_bytes(data, policy=email.policy.default)
        texts.append(message.get_body(preferencelist=("plain",)).get_content())
    return texts


def flashes(page):
    return page.locator(".flashes")


def test_the_whole_day(page, browser, base_url, seed, live_app, axe_script):
    # two days before: the reminder round runs and Gareth is reminded
    with live_app.app_context():
        starts = db.session.get(EventSession, seed.surgery_id).starts_at
        reminders.remind_day(seed.event_id, starts - dt.timedelta(days=2))
        db.session.commit()
        (reminder,) = emails_to("gareth@example.org", "Reminder: Surgery space")
        assert "I'm still coming:" in reminder
        cannot_come = CANNOT_COME.search(reminder).group(1)

    # Gareth opens "I can't come any more" and confirms, in a browser without JavaScript
    plain = browser.new_context(java_script_enabled=False)
    try:
        gareths = plain.new_page()
        gareths.set_default_timeout(WAIT)
        gareths.goto(base_url + cannot_come)
        expect(gareths.get_by_role("heading", level=1)).to_have_text("Give up your place?")
        with live_app.app_context():
            assert booking_of("Gareth").status == CONFIRMED  # opening the link changed nothing
        gareths.get_by_role("button", name="Yes, give up my place").click()
        expect(gareths.get_by_role("heading", level=1)).to_have_text("Your place is given up")
        expect(gareths.locator("main")).to_contain_text("has gone to the next person waiting")
    finally:
        plain.close()

    # Amina has the place and is told; Gareth's pair with Victor is gone
    with live_app.app_context():
        assert booking_of("Gareth").status != CONFIRMED
        assert booking_of("Amina").status == CONFIRMED
        assert db.session.scalars(sa.select(Match)).all() == []
        (told,) = emails_to("amina@example.org", "A place came up: Surgery space")
        assert "a place has come up and it is yours" in told
        amina_manage = min(MANAGE.findall(told), key=len)

    # the organiser pairs Amina with Victor on the matching page, accepting the suggestion
    page.set_default_timeout(WAIT)
    sign_in(page, base_url)
    page.goto(f"{base_url}/organise/sessions/{seed.surgery_id}/matching")
    suggested = page.get_by_role("table", name=re.compile("^Suggested by matching"))
    expect(suggested.get_by_role("row", name=re.compile("Amina"))).to_contain_text("Victor")
    suggested.get_by_role("button", name=re.compile(r"^Accept.*Amina")).click()
    expect(flashes(page)).to_contain_text("1 pair accepted.")
    fixed = page.get_by_role("table", name=re.compile("^Locked pairs"))
    expect(fixed.get_by_role("row", name=re.compile("Amina"))).to_contain_text(
        "Accepted, both told"
    )
    with live_app.app_context():
        (pair,) = db.session.scalars(sa.select(Match)).all()
        assert (pair.booking.registration.name, pair.surgeon.name, pair.status) == (
            "Amina",
            "Victor",
            ACCEPTED,
        )

    # on the day: Amina shows the QR code from her page; the door's phone opens it
    own = browser.new_context()
    try:
        aminas = own.new_page()
        aminas.set_default_timeout(WAIT)
        aminas.goto(base_url + amina_manage)
        code = aminas.locator(".checkin-code").inner_text().strip()
        expect(
            aminas.get_by_role("img", name=f"QR code for your check-in code {code}")
        ).to_be_visible()
    finally:
        own.close()
    page.goto(f"{base_url}/organise/checkin/{code}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Amina")
    page.get_by_role("button", name=re.compile("^Arrived")).click()
    expect(flashes(page)).to_contain_text("Amina is here.")

    # Victor checks in with his own code, typed at the door
    with live_app.app_context():
        victors_code = surgeon_of("Victor").checkin_code
    page.goto(f"{base_url}/organise/events/{seed.event_id}/checkin")
    page.get_by_label("Check-in code or QR code").fill(victors_code.lower())
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(flashes(page)).to_contain_text("Victor (surgeon) is here.")

    # the floor offers Amina to Victor first, as his accepted pair
    floor = f"{base_url}/organise/sessions/{seed.surgery_id}/floor"
    page.goto(floor)
    waiting = page.get_by_role("region", name=re.compile("^Waiting"))
    expect(waiting.get_by_role("row", name=re.compile("Amina"))).to_contain_text(
        "Paired with Victor"
    )
    card = page.locator(".surgeon-card", has=page.get_by_role("heading", name="Victor"))
    expect(card).to_contain_text("Next: Amina")
    card.get_by_role("button", name=re.compile("^Start with Amina")).click()
    card = page.locator(".surgeon-card", has=page.get_by_role("heading", name="Victor"))
    expect(card).to_contain_text("With Amina")
    with live_app.app_context():
        (record,) = db.session.scalars(sa.select(HelpRecord)).all()
        assert not record.by_hand

    # they finish
    card.get_by_role("button", name=re.compile("^Finished")).click()
    helped = page.get_by_role("region", name=re.compile("^Helped so far"))
    expect(helped.get_by_role("row", name=re.compile("Amina"))).to_contain_text("Victor")
    expect(page.get_by_role("region", name=re.compile("^Waiting"))).to_contain_text(
        "Nobody is waiting."
    )
    with live_app.app_context():
        (record,) = db.session.scalars(sa.select(HelpRecord)).all()
        assert record.ended_at is not None
    assert_accessible(page, axe_script, "the floor after the day's pairing")

    # the numbers page counts one person helped
    page.goto(f"{base_url}/organise/events/{seed.event_id}/numbers")
    numbers = page.locator("dl div", has=page.locator("dt", has_text="People helped"))
    expect(numbers.locator("dd")).to_have_text("1")
