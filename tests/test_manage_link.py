"""The private manage link: view, change needs, cancel, leave the waiting list."""

import hashlib

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration, registration_role_tag
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED
from surgery.events.models import SURGERY, WORKSHOP
from surgery.extensions import db
from surgery.vocabulary.models import RoleTag
from tests.conftest import book, confirm_form, count, is_ticked, manage_token, post_form

TWO_SESSIONS = [
    {"kind": SURGERY, "title": "Surgery space", "capacity": 10},
    {"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 10, "hour_offset": 3},
]
ONE_PLACE = [{"kind": WORKSHOP, "title": "Workshop", "capacity": 1}]


def registration(name: str) -> Registration:
    """The registration of the person with this name."""
    return db.session.scalars(sa.select(Registration).where(Registration.name == name)).one()


def status_of(name: str) -> list[str]:
    """The statuses of a person's bookings, in booking order."""
    db.session.expire_all()
    return [b.status for b in registration(name).bookings]


def volunteer_id() -> int:
    """The id of the 'Volunteer' role tag."""
    return db.session.scalar(sa.select(RoleTag.id).where(RoleTag.name == "Volunteer"))


def test_manage_page_shows_the_booking(client, make_event):
    event = make_event(title="Leeds day")
    token = manage_token(book(client, event, "Sam"))
    page = client.get(f"/bookings/{token}")
    assert page.status_code == 200
    assert "Your booking" in page.text
    assert "Sam, for Leeds day" in page.text
    assert "Surgery space" in page.text


def test_stored_token_is_a_hash_of_the_link(client, make_event):
    token = manage_token(book(client, make_event(), "Sam"))
    stored = registration("Sam").token_hash
    assert len(token) >= 22  # at least 128 bits in URL-safe base64
    assert token not in stored
    assert stored == hashlib.sha256(token.encode()).hexdigest()


@pytest.mark.parametrize(
    "change", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "x" * len(t)]
)
def test_tampered_or_unknown_token_is_not_found(client, make_event, change):
    event = make_event()
    token = change(manage_token(book(client, event, "Sam")))
    assert client.get(f"/bookings/{token}").status_code == 404
    assert client.get(f"/bookings/{token}/confirmed").status_code == 404
    cancel = post_form(client, f"/events/{event.id}/book", f"/bookings/{token}/cancel-all")
    assert cancel.status_code == 404
    assert status_of("Sam") == [CONFIRMED]


def test_cancelling_a_booking_of_someone_else_is_not_found(client, make_event):
    event = make_event()
    token = manage_token(book(client, event, "Sam"))
    book(client, event, "Ann")
    theirs = registration("Ann").bookings[0].id
    response = post_form(client, f"/bookings/{token}", f"/bookings/{token}/cancel/{theirs}")
    assert response.status_code == 404
    assert status_of("Ann") == [CONFIRMED]


def test_changing_needs_with_consent_stores_them(client, make_event):
    token = manage_token(book(client, make_event(), "Sam"))
    data = {"role_tags": [volunteer_id()], "access_needs": ["step_free"], "consent": "y"}
    saved = post_form(client, f"/bookings/{token}", f"/bookings/{token}/about", data=data)
    assert saved.status_code == 303
    assert "Your answers are saved." in client.get(saved.headers["Location"]).text
    person = registration("Sam")
    assert [t.name for t in person.role_tags] == ["Volunteer"]
    assert person.access_needs == ["step_free"]


def test_withdrawing_consent_deletes_role_tags_and_access_needs(client, make_event):
    extra = {"role_tags": [volunteer_id()], "access_needs": ["bsl"], "access_other": "Ramp"}
    token = manage_token(book(client, make_event(), "Sam", consent="y", **extra))
    assert count(registration_role_tag) == 1
    data = {"role_tags": [volunteer_id()], "access_needs": ["bsl"]}  # consent box unticked
    post_form(client, f"/bookings/{token}", f"/bookings/{token}/about", data=data)
    db.session.expire_all()
    person = registration("Sam")
    assert person.role_tags == []
    assert person.access_needs == []
    assert person.access_other == ""
    assert person.consent_sensitive is False
    assert count(registration_role_tag) == 0


def test_manage_page_shows_stored_answers(client, make_event):
    extra = {"role_tags": [volunteer_id()], "access_needs": ["bsl"], "consent": "y"}
    token = manage_token(book(client, make_event(), "Sam", **extra))
    page = client.get(f"/bookings/{token}").text
    assert is_ticked(page, "role_tags", volunteer_id())
    assert is_ticked(page, "access_needs", "bsl")
    assert not is_ticked(page, "access_needs", "step_free")


def test_cancel_one_session_keeps_the_other(client, make_event):
    event = make_event(sessions=TWO_SESSIONS)
    token = manage_token(book(client, event, "Sam", sessions=[s.id for s in event.sessions]))
    first = registration("Sam").bookings[0].id
    response = confirm_form(client, f"/bookings/{token}", f"/bookings/{token}/cancel/{first}")
    assert response.status_code == 303
    assert "Cancelled: Surgery space." in client.get(response.headers["Location"]).text
    assert status_of("Sam") == [CANCELLED, CONFIRMED]


def test_cancel_all_sessions(client, make_event):
    event = make_event(sessions=TWO_SESSIONS)
    token = manage_token(book(client, event, "Sam", sessions=[s.id for s in event.sessions]))
    response = confirm_form(client, f"/bookings/{token}", f"/bookings/{token}/cancel-all")
    assert "All your sessions are cancelled" in client.get(response.headers["Location"]).text
    assert status_of("Sam") == [CANCELLED, CANCELLED]


def test_leave_the_waiting_list(client, make_event):
    event = make_event(sessions=ONE_PLACE)
    book(client, event, "Ann")
    token = manage_token(book(client, event, "Bob"))
    page = client.get(f"/bookings/{token}").text
    assert "Leave waiting list" in page
    waiting = registration("Bob").bookings[0].id
    confirm_form(client, f"/bookings/{token}", f"/bookings/{token}/cancel/{waiting}")
    assert status_of("Bob") == [CANCELLED]
    assert status_of("Ann") == [CONFIRMED]


def test_cancelling_promotes_the_first_on_the_waiting_list(client, make_event):
    event = make_event(sessions=ONE_PLACE)
    token = manage_token(book(client, event, "Ann"))
    book(client, event, "Bob")
    cat = manage_token(book(client, event, "Cat"))
    assert "On the waiting list, number 2" in client.get(f"/bookings/{cat}").text
    booking = registration("Ann").bookings[0].id
    confirm_form(client, f"/bookings/{token}", f"/bookings/{token}/cancel/{booking}")
    assert (status_of("Ann"), status_of("Bob"), status_of("Cat")) == (
        [CANCELLED],
        [CONFIRMED],
        [WAITLISTED],
    )
    assert "On the waiting list, number 1" in client.get(f"/bookings/{cat}").text
    assert count(Booking) == 3
