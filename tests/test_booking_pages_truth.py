"""The confirmation and manage pages say each session's real state, and promise only
what is true: a place, a QR code, an email."""

import datetime as dt
import re

import sqlalchemy as sa

from surgery.bookings.models import Booking
from surgery.database import utcnow
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED
from surgery.events.models import CANCELLED as DAY_CANCELLED
from surgery.events.models import SURGERY, WORKSHOP
from surgery.extensions import db
from tests.conftest import book, manage_token
from tests.test_checkin import registration as person

FULL_WORKSHOP = [
    {"kind": SURGERY, "title": "Surgery space", "capacity": 10},
    {"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 1, "hour_offset": 3},
]
SAVED_PANEL = 'class="panel panel-success"'
QR = "checkin-qr.svg"
INVITED = "We have also emailed you a calendar invite"


def pages(client, booked) -> tuple[str, str]:
    """The confirmation page and the manage page of a booking."""
    token = manage_token(booked)
    return client.get(f"/bookings/{token}/confirmed").text, client.get(f"/bookings/{token}").text


def test_someone_only_on_the_waiting_list_is_not_shown_as_booked(client, make_event):
    event = make_event(sessions=FULL_WORKSHOP)
    workshop = event.sessions[1]
    book(client, event, "Ann", sessions=[workshop.id])
    booked = book(client, event, "Bea", sessions=[workshop.id])
    confirmation, manage = pages(client, booked)
    for page in (confirmation, manage):
        assert "On the waiting list, number 1" in page
        assert "You are on the waiting list, not booked yet" in page
        assert SAVED_PANEL not in page
        assert QR not in page
        assert person("Bea").checkin_code not in page
        assert "Add my sessions to my calendar" not in page
    assert INVITED not in confirmation
    assert client.get(f"/bookings/{manage_token(booked)}/{QR}").status_code == 404
    assert [b.status for b in person("Bea").bookings] == [WAITLISTED]


def test_someone_booked_sees_the_saved_panel_the_qr_code_and_the_invite(client, make_event):
    event = make_event(sessions=FULL_WORKSHOP)
    book(client, event, "Ann", sessions=[event.sessions[1].id])
    booked = book(client, event, "Bea", sessions=[s.id for s in event.sessions])
    confirmation, manage = pages(client, booked)
    assert SAVED_PANEL in confirmation
    assert "Your place is saved. You are also on a waiting list" in confirmation
    assert INVITED in confirmation
    for page in (confirmation, manage):
        assert QR in page
        assert person("Bea").checkin_code in page
    assert [b.status for b in person("Bea").bookings] == [CONFIRMED, WAITLISTED]


def test_without_an_email_address_nothing_says_we_emailed(client, db_session, make_event):
    event = make_event()
    booked = book(client, event, "Sam")
    person("Sam").email = None  # as a walk-in who gave none
    db_session.commit()
    confirmation, manage = pages(client, booked)
    assert SAVED_PANEL in confirmation
    for page in (confirmation, manage):
        assert "emailed" not in page
        assert "We will email you" not in page


def test_a_cancelled_session_says_cancelled_and_holds_no_place(client, db_session, make_event):
    event = make_event()
    booked = book(client, event, "Sam")
    person("Sam").bookings[0].status = CANCELLED
    db_session.commit()
    confirmation, manage = pages(client, booked)
    for page in (confirmation, manage):
        assert "<td>Cancelled</td>" in page
        assert "You have no sessions booked." in page
        assert SAVED_PANEL not in page and QR not in page


def test_a_cancelled_day_says_so_for_every_session(client, db_session, make_event):
    event = make_event(sessions=FULL_WORKSHOP)
    booked = book(client, event, "Sam", sessions=[s.id for s in event.sessions])
    event.status = DAY_CANCELLED
    db_session.commit()
    confirmation, manage = pages(client, booked)
    for page in (confirmation, manage):
        assert page.count("Cancelled: the surgery day is cancelled") == 2
        assert "This surgery day has been cancelled" in page
        assert SAVED_PANEL not in page and QR not in page
    assert {b.status for b in person("Sam").bookings} == {CONFIRMED}  # the booking rows stay
    event_page = client.get(f"/events/{event.id}").text
    assert "places left" not in event_page and "join the waiting list" not in event_page


def test_a_day_that_is_over_says_so(client, db_session, make_event):
    event = make_event()
    booked = book(client, event, "Sam")
    session = event.sessions[0]
    session.starts_at = utcnow() - dt.timedelta(hours=3)
    session.ends_at = utcnow() - dt.timedelta(hours=1)
    db_session.commit()
    confirmation, manage = pages(client, booked)
    for page in (confirmation, manage):
        assert "This session is over" in page
        assert "This surgery day is over" in page
        assert SAVED_PANEL not in page and QR not in page
    assert db.session.scalars(sa.select(Booking.status)).all() == [CONFIRMED]


def test_no_session_box_is_marked_required_so_one_of_several_may_be_booked(client, make_event):
    sessions = [
        {"kind": SURGERY, "title": "Morning surgery", "capacity": 5},
        {"kind": SURGERY, "title": "Afternoon surgery", "capacity": 5, "hour_offset": 3},
    ]
    event = make_event(sessions=sessions)
    page = client.get(f"/events/{event.id}/book").text
    boxes = re.findall(r'<input[^>]*name="sessions"[^>]*type="checkbox"[^>]*>', page)
    assert len(boxes) == 2
    assert not [box for box in boxes if " required" in box]
