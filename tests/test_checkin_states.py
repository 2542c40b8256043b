"""Check-in tells the truth: a cancelled booking's or a cancelled day's code checks nobody in,
and the door list shows each person's state, expecting only people with a confirmed place.
"""

import re

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.domain.attendance import BOOKING_CANCELLED, DAY_CANCELLED
from surgery.events.models import SURGERY, WORKSHOP
from surgery.extensions import db
from tests.conftest import ORGANISER_PASSWORD, book, confirm_form, manage_token, post_form
from tests.test_checkin import checkin_url, counts, listed, registration, states
from tests.test_invites import cancel_day
from tests.test_matching_page import flashes

CANCELLED_BOOKING = (
    "This booking was cancelled, so this code cannot be used to check in. "
    "Please see an organiser at the desk."
)


def snapshot() -> list[tuple]:
    """Every registration's arrival and every booking's state, to show nothing changed."""
    db.session.expire_all()
    people = db.session.execute(sa.select(Registration.id, Registration.checked_in_at)).all()
    places = db.session.execute(
        sa.select(Booking.id, Booking.status, Booking.ical_sequence, Booking.updated_at)
    ).all()
    return sorted(people) + sorted(places)


def type_code(client, event, code: str) -> str:
    """Type a code into the check-in page's box; the page it leads back to."""
    done = post_form(client, checkin_url(event), f"{checkin_url(event)}/code", {"code": code})
    assert done.status_code == 303
    return client.get(done.headers["Location"]).text


@pytest.fixture
def cancelled_dev(make_event, organiser_client):
    """Dev booked and then cancelled everything from the manage page; Eve is booked."""
    event = make_event()
    token = manage_token(book(organiser_client, event, "Dev"))
    confirm_form(organiser_client, f"/bookings/{token}", f"/bookings/{token}/cancel-all")
    book(organiser_client, event, "Eve")
    assert registration("Dev").active_bookings == []
    return event


def test_the_refusal_is_the_plain_message():
    assert BOOKING_CANCELLED == CANCELLED_BOOKING


def test_a_cancelled_bookings_code_is_refused_and_nothing_changes(organiser_client, cancelled_dev):
    before = snapshot()

    page = type_code(organiser_client, cancelled_dev, registration("Dev").checkin_code)

    assert flashes(page) == [CANCELLED_BOOKING]
    assert snapshot() == before
    assert registration("Dev").checked_in_at is None
    assert counts(page)["Arrived"] == 0


def test_the_arrived_button_of_a_cancelled_booking_is_refused(organiser_client, cancelled_dev):
    before = snapshot()
    url = f"{checkin_url(cancelled_dev)}/{registration('Dev').id}/arrive"

    done = post_form(organiser_client, checkin_url(cancelled_dev), url)

    assert flashes(organiser_client.get(done.headers["Location"]).text) == [CANCELLED_BOOKING]
    assert snapshot() == before


def test_scanning_a_cancelled_bookings_qr_code_says_so_without_a_button(
    organiser_client, cancelled_dev
):
    dev = registration("Dev")

    page = organiser_client.get(f"/organise/checkin/{dev.checkin_code}").text

    assert CANCELLED_BOOKING in page
    assert "Cancelled" in page
    assert f"/checkin/{dev.id}/arrive" not in page


def test_a_cancelled_days_codes_are_refused(organiser_client, make_event):
    event = make_event()
    book(organiser_client, event, "Ann")
    cancel_day(organiser_client, event)
    before = snapshot()
    ann = registration("Ann")

    shown = type_code(organiser_client, event, ann.checkin_code)
    scanned = organiser_client.get(f"/organise/checkin/{ann.checkin_code}").text

    assert flashes(shown) == [DAY_CANCELLED]
    assert DAY_CANCELLED in scanned and f"/checkin/{ann.id}/arrive" not in scanned
    assert snapshot() == before
    listing = organiser_client.get(checkin_url(event)).text
    assert "This surgery day was cancelled, so nobody can be checked in." in listing
    assert listed(listing) == {"Ann": "Cannot check in: see the desk"}
    assert f"/checkin/{ann.id}/arrive" not in listing


def test_the_sign_in_sheet_says_who_waits_and_leaves_out_the_cancelled(
    organiser_client, make_event
):
    event = make_event(sessions=[{"kind": WORKSHOP, "title": "Blogging", "capacity": 1}])
    for name in ("Amira", "Ben"):
        book(organiser_client, event, name)
    token = manage_token(book(organiser_client, event, "Cat"))
    confirm_form(organiser_client, f"/bookings/{token}", f"/bookings/{token}/cancel-all")

    sheet = organiser_client.get(f"/organise/events/{event.id}/sign-in-sheet").text

    rows = re.findall(
        r'<th scope="row">(\w+)</th><td>\w+</td><td>[^<]*</td><td>([^<]*)</td>', sheet
    )
    assert rows == [("Amira", "Booked"), ("Ben", "Waiting list (position 1)")]


def test_the_list_shows_each_state_and_expects_only_confirmed_people(organiser_client, make_event):
    event = make_event(
        sessions=[
            {"kind": WORKSHOP, "title": "Blogging", "capacity": 1},
            {"kind": WORKSHOP, "title": "Newsletters", "capacity": 1, "hour_offset": 3},
            {"kind": SURGERY, "title": "Surgery space", "capacity": 10, "hour_offset": -2},
        ]
    )
    blogging, newsletters = (s for s in event.sessions if s.kind == WORKSHOP)
    for name in ("Amira", "Ben", "Chloe"):
        book(organiser_client, event, name, sessions=[blogging.id])
    book(organiser_client, event, "Dan", sessions=[newsletters.id])
    book(organiser_client, event, "Esi", sessions=[blogging.id, newsletters.id])
    token = manage_token(book(organiser_client, event, "Fay", sessions=[blogging.id]))
    confirm_form(organiser_client, f"/bookings/{token}", f"/bookings/{token}/cancel-all")
    walk_in(organiser_client, event, "Gus")

    page = organiser_client.get(checkin_url(event)).text

    assert states(page) == {
        "Amira": "Booked",
        "Ben": "Waiting list (position 1)",
        "Chloe": "Waiting list (position 2)",
        "Dan": "Booked",
        "Esi": "Waiting list (Blogging: position 3; Newsletters: position 1)",
        "Fay": "Cancelled",
        "Gus": "Walk-in",
    }
    assert counts(page) == {"Expected": 2, "Arrived": 1, "Walk-ins": 1}


def test_someone_on_the_waiting_list_can_still_be_checked_in(organiser_client, make_event):
    event = make_event(sessions=[{"kind": WORKSHOP, "title": "Blogging", "capacity": 1}])
    book(organiser_client, event, "Amira")
    book(organiser_client, event, "Ben")

    page = type_code(organiser_client, event, registration("Ben").checkin_code)

    assert flashes(page) == ["Ben is here."]
    assert listed(page)["Ben"] == "Here"
    assert states(page)["Ben"] == "Waiting list (position 1)"
    assert counts(page) == {"Expected": 1, "Arrived": 1, "Walk-ins": 0}


def walk_in(client, event, name: str, email: str = "") -> None:
    """Register a walk-in at the kiosk, then sign back in to leave it."""
    kiosk = f"/organise/events/{event.id}/kiosk"
    assert post_form(client, f"/organise/events/{event.id}", kiosk).status_code == 303
    data = {"name": name, "email": email, "help_text": "Facebook groups"}
    assert post_form(client, "/kiosk", data=data).status_code == 303
    leave = {"email": "org@example.org", "password": ORGANISER_PASSWORD}
    assert post_form(client, "/kiosk/exit", data=leave).status_code == 303


def test_someone_whose_booking_was_cancelled_can_walk_in(organiser_client, cancelled_dev):
    walk_in(organiser_client, cancelled_dev, "Dev", email="dev@example.org")

    page = organiser_client.get(checkin_url(cancelled_dev)).text

    assert registration("Dev").checked_in_at is not None
    assert (listed(page)["Dev"], states(page)["Dev"]) == ("Here", "Walk-in")
    assert re.search(r"<dt>Walk-ins</dt><dd>1</dd>", page)
