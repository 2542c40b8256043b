"""Places, surgeons and attendance are decided on what the database holds under the day's
lock, never on what a page read before it; a session that is over keeps its bookings."""

import datetime as dt

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from surgery.bookings import services as bookings
from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.day import services as day
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.errors import DomainError
from surgery.domain.tokens import new_form_key
from surgery.events.models import SURGERY, WORKSHOP, Event, EventSession
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.organise import services as organise
from surgery.surgeons import services as surgeons
from surgery.surgeons.models import APPROVED, WITHDRAWN, Surgeon, SurgeonSession
from surgery.vocabulary.models import Topic
from tests.conftest import book, confirm_form, manage_token, post_form, postgres_url
from tests.test_asking_first import asked, says
from tests.test_matching_page import booking_of
from tests.test_outbox import app_on, seed_bookings
from tests.test_surgeons import field_error, ids, manage_path, surgeon_of, volunteer

ONE_PLACE = [{"kind": WORKSHOP, "title": "Blogging", "capacity": 1}]
TWO_SURGERIES = [
    {"kind": SURGERY, "title": "Morning surgery", "capacity": 10},
    {"kind": SURGERY, "title": "Afternoon surgery", "capacity": 10, "hour_offset": 4},
]
NEEDS_POSTGRES = pytest.mark.skipif(
    postgres_url() is None,
    reason="SQLite lets one writer in at a time from BEGIN, so no other transaction can "
    "commit between a page's reads and the lock: set TEST_DATABASE_URL to a PostgreSQL server",
)


def kinds_queued() -> list[str]:
    """The kinds of every message in the outbox, oldest first."""
    return list(db.session.scalars(sa.select(OutboxMessage.kind).order_by(OutboxMessage.id)))


def move(session: EventSession, starts_in: dt.timedelta, hours: int = 2) -> None:
    """Move a session in time, relative to now (negative: into the past)."""
    session.starts_at = utcnow() + starts_in
    session.ends_at = session.starts_at + dt.timedelta(hours=hours)
    db.session.commit()


def request(name: str, session_id: int) -> bookings.BookingRequest:
    """A booking form for one session, as the public page sends it."""
    email = f"{name.lower()}@example.org"
    return bookings.BookingRequest(name, email, [session_id], bookings.AboutYou(), new_form_key())


@NEEDS_POSTGRES
def test_places_are_decided_on_the_capacity_read_under_the_lock(live_database):
    with app_on(live_database, MAIL_SEND_AFTER_REQUEST=False) as app:
        upgrade()
        event_id, session_id = seed_bookings(3, capacity=5)
        # as a page does: a booking and its session are read, and held, before the lock
        sam = db.session.scalars(
            sa.select(Booking).where(Booking.session_id == session_id).order_by(Booking.id)
        ).first()
        session = sam.session
        assert session.capacity == 5
        with db.engine.begin() as other:  # an organiser lowers the places meanwhile
            other.execute(
                sa.update(EventSession).where(EventSession.id == session_id).values(capacity=3)
            )

        bookings.lock_event_of(sam.registration)
        assert session.capacity == 3  # what refill and booking decide on
        outcome = bookings.book(event_id, request("Ann", session_id), app.secret_key)
        db.session.commit()

        assert [b.status for b in outcome.added] == [WAITLISTED]
        db.session.expire_all()
        statuses = db.session.scalars(
            sa.select(Booking.status).where(Booking.session_id == session_id)
        ).all()
        assert sorted(statuses) == [CONFIRMED] * 3 + [WAITLISTED]


@NEEDS_POSTGRES
def test_approving_sends_invites_only_for_the_sessions_the_surgeon_still_offers(live_database):
    with app_on(live_database, MAIL_SEND_AFTER_REQUEST=False) as app:
        upgrade()
        event_id, morning_id = seed_bookings(0, capacity=5)
        event = db.session.get(Event, event_id)
        afternoon = EventSession(
            kind=SURGERY,
            title="Afternoon surgery",
            starts_at=event.sessions[0].ends_at,
            ends_at=event.sessions[0].ends_at + dt.timedelta(hours=2),
            capacity=5,
        )
        event.sessions.append(afternoon)
        db.session.commit()
        details = surgeons.SurgeonDetails(
            "Sue", "sue@example.org", [], [morning_id, afternoon.id], 2
        )
        sue = surgeons.volunteer(event_id, details, new_form_key(), app.secret_key).surgeon
        db.session.commit()
        before = set(kinds_queued())
        # the organiser's page read Sue and her two sessions before the lock
        assert len(sue.availability) == 2
        with db.engine.begin() as other:  # Sue drops the afternoon meanwhile
            other.execute(
                sa.delete(SurgeonSession).where(SurgeonSession.session_id == afternoon.id)
            )

        surgeons.approve(sue)
        db.session.commit()  # no invite points at the slot that is gone

        db.session.expire_all()
        sue = db.session.get(Surgeon, sue.id)
        assert (sue.status, sue.session_ids) == (APPROVED, {morning_id})
        invites = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.kind == "surgeon_confirmed")
        ).all()
        assert len(invites) == 1 and "surgeon_confirmed" not in before


def test_a_session_that_is_over_gives_nobody_a_place(client, make_event):
    event = make_event(sessions=ONE_PLACE)
    book(client, event, "Sam")
    book(client, event, "Ann")  # waiting
    session = event.sessions[0]
    move(session, -dt.timedelta(hours=3))
    session.capacity = 2
    db.session.flush()
    before = kinds_queued()

    assert bookings.refill(session) == []

    assert [booking_of("Sam").status, booking_of("Ann").status] == [CONFIRMED, WAITLISTED]
    assert kinds_queued() == before  # nobody is told "a place came up"


def test_a_session_that_has_started_still_gives_the_first_in_line_a_place(client, make_event):
    event = make_event(sessions=ONE_PLACE)
    book(client, event, "Sam")
    book(client, event, "Ann")
    session = event.sessions[0]
    move(session, -dt.timedelta(hours=1))
    session.capacity = 2
    db.session.flush()

    assert [b.registration.name for b in bookings.refill(session)] == ["Ann"]
    assert booking_of("Ann").status == CONFIRMED


def test_a_booking_in_a_session_that_is_over_cannot_be_cancelled(client, make_event):
    event = make_event(sessions=ONE_PLACE)
    token = manage_token(book(client, event, "Sam"))
    book(client, event, "Ann")
    move(event.sessions[0], -dt.timedelta(hours=3))
    manage = f"/bookings/{token}"
    cancel = f"{manage}/cancel/{booking_of('Sam').id}"
    assert f'action="{cancel}"' not in client.get(manage).text  # no button to press
    before = kinds_queued()

    refused = confirm_form(client, manage, cancel, follow_redirects=True)

    assert "This session is over, so it can no longer be cancelled." in refused.text
    assert [booking_of("Sam").status, booking_of("Ann").status] == [CONFIRMED, WAITLISTED]
    assert kinds_queued() == before


def test_cancelling_all_leaves_a_session_that_is_over_as_it_was(client, make_event):
    event = make_event(sessions=TWO_SURGERIES)
    morning, afternoon = event.sessions
    token = manage_token(book(client, event, "Sam", sessions=[morning.id, afternoon.id]))
    move(morning, -dt.timedelta(hours=3))
    manage = f"/bookings/{token}"

    question = asked(client, manage, f"{manage}/cancel-all")
    said = says(question, "Cancel your place in Afternoon surgery?")
    assert "Morning surgery" not in said
    confirm_form(client, manage, f"{manage}/cancel-all")

    db.session.expire_all()
    sam = db.session.scalars(sa.select(Registration).where(Registration.name == "Sam")).one()
    assert {b.session.title: b.status for b in sam.bookings} == {
        "Morning surgery": CONFIRMED,
        "Afternoon surgery": "cancelled",
    }


def test_cancelling_on_a_cancelled_day_says_nobody_moves_up(client, make_event):
    event = make_event(sessions=ONE_PLACE)
    token = manage_token(book(client, event, "Sam"))
    book(client, event, "Ann")
    book(client, event, "Bo")  # two waiting
    organise.change_status(event.id, "cancel")
    db.session.commit()
    manage = f"/bookings/{token}"

    question = asked(client, manage, f"{manage}/cancel/{booking_of('Sam').id}")

    said = says(
        question,
        "Cancel your place in Blogging?",
        "This day is cancelled, so nobody moves up; the waiting list is kept.",
    )
    assert "free for someone to book" not in said


def test_an_approved_surgeon_cannot_add_a_session_that_is_over(
    organiser_client, client, make_event
):
    event = make_event(sessions=TWO_SURGERIES)
    morning, afternoon = event.sessions
    path = manage_path(volunteer(client, event, "Sue", sessions=[afternoon.id]))
    surgeons.approve(surgeon_of("sue@example.org"))
    db.session.commit()
    move(morning, -dt.timedelta(hours=3))
    before = kinds_queued()

    fields = {"name": "Sue", "topics": ids(Topic, "Facebook"), "capacity": "2"}
    response = post_form(client, path, data={**fields, "sessions": [morning.id, afternoon.id]})

    assert response.status_code == 400
    assert field_error(response.text, "sessions") == (
        "Morning surgery is over, so it is not taking volunteers."
    )
    assert surgeon_of("sue@example.org").session_ids == {afternoon.id}
    assert kinds_queued() == before  # no invite for it


def test_a_surgeon_who_withdrew_meanwhile_changes_nothing(client, make_event):
    event = make_event(sessions=TWO_SURGERIES)
    morning, afternoon = event.sessions
    volunteer(client, event, "Sue", sessions=[morning.id])
    sue = surgeon_of("sue@example.org")
    # the page read Sue before the lock; she withdrew from another tab meanwhile
    db.session.execute(
        sa.update(Surgeon).where(Surgeon.id == sue.id).values(status=WITHDRAWN),
        execution_options={"synchronize_session": False},
    )
    details = surgeons.SurgeonDetails("Sue", sue.email, [], [morning.id, afternoon.id], 2)

    with pytest.raises(DomainError, match="You have withdrawn"):
        surgeons.apply_details(sue, details)


def test_the_paper_sheet_counts_who_came_as_read_under_the_lock(client, make_event):
    event = make_event()
    book(client, event, "Sam")
    book(client, event, "Ann")
    sam, ann = (booking_of(n).registration for n in ("Sam", "Ann"))
    assert day.people(event) == [ann, sam]  # the page read both as not here yet
    # Ann is checked in at the door meanwhile
    db.session.execute(
        sa.update(Registration).where(Registration.id == ann.id).values(checked_in_at=utcnow()),
        execution_options={"synchronize_session": False},
    )

    came = day.mark_attendance(event, {sam.id}, set(), {sam.id})

    assert came == 2
