"""`flask demo`, as `make run` loads it: what a newcomer sees of the days it makes."""

import re

import pytest
import sqlalchemy as sa

from surgery import demo
from surgery.audit.models import AuditEntry
from surgery.bookings.models import Booking, Registration
from surgery.day.models import Feedback, HelpRecord
from surgery.demo import days
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.online import HYBRID
from surgery.domain.tokens import manage_token
from surgery.events.models import DRAFT, PUBLISHED, SURGERY, WORKSHOP, Event, EventSession
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.surgeons.models import APPROVED, PENDING, Surgeon
from surgery.templating import format_day
from tests.conftest import count, post_form

MODELS = (Event, EventSession, Registration, Booking, Surgeon, HelpRecord, Feedback)


@pytest.fixture
def output(app, db_session) -> str:
    """What `flask demo` printed on an empty database."""
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return result.output


def demo_days() -> list[Event]:
    """The past day, then the series in date order."""
    return list(db.session.scalars(sa.select(Event).order_by(Event.id)))


def day_of(event: Event) -> str:
    """'Saturday 6 March 2027', as pages show it."""
    return format_day(event.local(event.starts_at))


def sign_in_as_demo_organiser(client) -> None:
    """Sign in with the login the command printed."""
    data = {"email": demo.ORGANISER_EMAIL, "password": demo.ORGANISER_PASSWORD}
    assert post_form(client, "/login", data=data).status_code == 303


def figure(page: str, label: str) -> int:
    """The number the numbers page shows after a label."""
    found = re.search(rf"<dt>{label}</dt><dd>(\d+)</dd>", page)
    assert found, label
    return int(found.group(1))


def test_it_says_what_it_made_and_how_to_sign_in(output, client):
    assert "Added 5 surgery days:" in output
    assert f"Demo organiser: {demo.ORGANISER_EMAIL} / password {demo.ORGANISER_PASSWORD}" in output
    past = demo_days()[0]
    assert f"/organise/events/{past.id}/numbers" in output
    sign_in_as_demo_organiser(client)


def test_the_front_page_lists_the_series_days_to_come_and_not_the_draft(output, client):
    past, *series = demo_days()
    assert [e.status for e in series] == [PUBLISHED] * 3 + [DRAFT]
    assert all(e.title == "Leeds Social Media Surgery" for e in series)
    assert [e.local(e.starts_at).weekday() for e in series] == [days.SATURDAY] * 4
    assert [e.local(e.starts_at).day <= 7 for e in series] == [True] * 4  # the first Saturday
    front = client.get("/").text
    for event in series[:3]:
        assert day_of(event) in front
        assert f'href="/events/{event.id}"' in front
    assert day_of(series[3]) not in front
    assert day_of(past) not in front
    assert day_of(past) in client.get("/past").text


def test_one_day_has_a_hybrid_session_whose_link_only_people_booked_see(output, app, client):
    [online] = db.session.scalars(sa.select(EventSession).where(EventSession.mode == HYBRID))
    page = client.get(f"/events/{online.event_id}").text
    assert "In person and online" in page
    assert "meet.example.org" not in page
    booked = db.session.scalars(
        sa.select(Registration).join(Booking).where(Booking.session_id == online.id)
    ).first()
    token = manage_token(app.secret_key, booked.token_seed)
    assert demo.days.VIDEO_LINK in client.get(f"/bookings/{token}").text


def test_the_first_day_has_a_full_workshop_with_a_waiting_list_and_a_volunteer_to_approve(
    output, client
):
    first = demo_days()[1]
    workshop = days.session_of(first, WORKSHOP)
    statuses = list(
        db.session.scalars(sa.select(Booking.status).where(Booking.session == workshop))
    )
    assert statuses.count(CONFIRMED) == workshop.capacity
    assert statuses.count(WAITLISTED) == 2
    surgeons = db.session.scalars(sa.select(Surgeon.status).where(Surgeon.event_id == first.id))
    assert sorted(surgeons) == [APPROVED, APPROVED, PENDING]
    sign_in_as_demo_organiser(client)
    page = client.get(f"/organise/events/{first.id}").text
    assert "Waiting list" in page and "Uma Sample" in page


def test_the_past_day_numbers_page_shows_what_happened(output, client):
    past = demo_days()[0]
    sign_in_as_demo_organiser(client)
    page = client.get(f"/organise/events/{past.id}/numbers").text
    assert figure(page, "People helped") == 5
    assert figure(page, "Came") == 7
    assert figure(page, "Walk-ins") == 2
    assert figure(page, "Booked but did not come") == 1
    assert figure(page, "Came for a quick question at the help desk") == 1
    assert "6 people have been sent the link" in page
    # shared without a name; the answer not agreed to be shared stays off the page
    assert "How to schedule our Facebook posts" in page
    assert "rather not be quoted" not in page
    shared = sa.select(sa.func.count()).where(Feedback.share_publicly.is_(True))
    assert db.session.scalar(shared) == 4


def test_the_past_day_shares_what_was_learned_and_its_resources_publicly(output, client):
    past = demo_days()[0]
    day_page = client.get(f"/events/{past.id}").text
    assert f"/events/{past.id}/learned" in day_page
    page = client.get(f"/events/{past.id}/learned").text
    assert "How to schedule our Facebook posts" in page
    assert "rather not be quoted" not in page
    assert "Checking your privacy settings on Facebook" in page
    assert "Writing your first blog post" in page
    for visit in demo.past_day.BOOKED:
        assert visit.name not in page


def test_the_past_day_happened_in_its_own_time(output):
    past = demo_days()[0]
    ago = (days.today() - past.local(past.starts_at).date()).days
    assert 7 <= ago <= 13  # over, and before its answers are removed after 30 days
    opens = min(s.starts_at for s in past.sessions)
    closes = max(s.ends_at for s in past.sessions)
    people = db.session.scalars(sa.select(Registration).where(Registration.event_id == past.id))
    for person in people:
        assert person.created_at <= opens or person.is_walk_in
        if person.checked_in_at is not None:
            assert opens <= person.checked_in_at <= closes
    surgery = days.session_of(past, SURGERY)
    for record in db.session.scalars(sa.select(HelpRecord)):
        assert record.session_id == surgery.id
        assert surgery.starts_at <= record.started_at < record.ended_at <= surgery.ends_at
    for surgeon in db.session.scalars(sa.select(Surgeon).where(Surgeon.event_id == past.id)):
        assert surgeon.arrived_at < surgery.starts_at and surgeon.left_at == surgery.ends_at
    made = db.session.scalars(sa.select(AuditEntry.at).where(AuditEntry.event_id == past.id))
    assert all(at < opens for at in made)


def test_mail_goes_only_to_example_addresses_and_nothing_about_the_past_day(output):
    past = demo_days()[0]
    addresses = list(db.session.scalars(sa.select(OutboxMessage.to_address)))
    assert addresses
    assert all(a.endswith("@example.org") for a in addresses)
    past_bookings = sa.select(Booking.id).join(Booking.registration)
    past_bookings = past_bookings.where(Registration.event_id == past.id)
    about_past = sa.select(sa.func.count()).where(OutboxMessage.booking_id.in_(past_bookings))
    assert db.session.scalar(about_past) == 0
    payloads = db.session.scalars(sa.select(OutboxMessage.payload))
    assert past.id not in {payload["event"]["id"] for payload in payloads}


def test_running_it_again_adds_nothing(output, app):
    before = {model: count(model) for model in (*MODELS, OutboxMessage, AuditEntry)}
    again = app.test_cli_runner().invoke(args=["demo"])
    assert "already has events; demo data not added" in again.output
    assert f"Demo organiser: {demo.ORGANISER_EMAIL}" in again.output
    assert {model: count(model) for model in before} == before


def test_demo_makes_many_events_for_benchmarks(app, client):
    result = app.test_cli_runner().invoke(args=["demo", "--events", "5"])
    assert "Added 5 events." in result.output
    assert count(Event) == 5
    assert "5 surgery days" in client.get("/").text
