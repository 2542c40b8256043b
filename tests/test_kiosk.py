"""Kiosk mode: a tablet locked to one event's walk-in page, a walk-in registered and checked
in with one submit (even into a full session), bad input, and leaving only as an organiser.
"""

import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.domain.capacity import CONFIRMED
from surgery.events.models import SURGERY
from surgery.extensions import db
from surgery.vocabulary.models import Topic
from tests.conftest import ORGANISER_PASSWORD, book, count, csrf_from, guards_from, post_form
from tests.test_matching_page import ids, plain

WORKSHOP_AND_SURGERY = [
    {"kind": "workshop", "title": "Morning workshop", "capacity": 20},
    {"kind": SURGERY, "title": "Surgery space", "capacity": 1, "hour_offset": 2},
]


def start_kiosk(client, event):
    """The organiser turns this device into the event's kiosk."""
    started = post_form(
        client, f"/organise/events/{event.id}", f"/organise/events/{event.id}/kiosk"
    )
    assert started.status_code == 303
    assert started.headers["Location"] == "/kiosk"
    return client


def walk_in(client, **fields):
    """Send the kiosk's one form."""
    return post_form(client, "/kiosk", data=fields)


def registration(name: str) -> Registration:
    db.session.expire_all()
    return db.session.scalars(sa.select(Registration).where(Registration.name == name)).one()


def test_the_kiosk_signs_the_organiser_out_and_keeps_to_its_page(organiser_client, make_event):
    event = make_event()
    kiosk = start_kiosk(organiser_client, event)

    page = kiosk.get("/kiosk")
    assert page.status_code == 200
    assert f"Welcome to {event.title}" in page.text
    assert "Sign out" not in page.text
    for url in ("/", "/organise/", f"/organise/events/{event.id}", "/organise/checkin", "/login"):
        locked = kiosk.get(url)
        assert locked.status_code == 302, url
        assert locked.headers["Location"] == "/kiosk", url
    with kiosk.get("/static/css/site.css") as stylesheet:
        assert stylesheet.status_code == 200


def test_a_walk_in_with_a_name_and_a_topic_is_here_in_one_submit(organiser_client, make_event):
    event = make_event(sessions=WORKSHOP_AND_SURGERY)
    kiosk = start_kiosk(organiser_client, event)

    sent = walk_in(kiosk, name="Kit", topics=ids(Topic, "Facebook"))

    assert sent.status_code == 303
    assert "Welcome, Kit. You are on the list" in kiosk.get(sent.headers["Location"]).text
    kit = registration("Kit")
    assert kit.is_walk_in
    assert kit.checked_in_at is not None
    assert kit.email is None
    assert [t.name for t in kit.topics] == ["Facebook"]
    assert [(b.session.title, b.status) for b in kit.bookings] == [("Surgery space", CONFIRMED)]


def test_a_double_tap_registers_a_walk_in_once(organiser_client, make_event):
    event = make_event(sessions=WORKSHOP_AND_SURGERY)
    kiosk = start_kiosk(organiser_client, event)
    form = kiosk.get("/kiosk").text
    data = {**guards_from(form), "csrf_token": csrf_from(form), "name": "Kit",
            "topics": ids(Topic, "Facebook")}  # fmt: skip

    assert kiosk.post("/kiosk", data=data).status_code == 303
    assert kiosk.post("/kiosk", data=data).status_code == 303

    assert count(Registration) == 1
    assert walk_in(kiosk, name="Kit", topics=ids(Topic, "Facebook")).status_code == 303
    assert count(Registration) == 2  # the next person with the same name, on a new form


def test_a_walk_in_can_say_what_they_want_in_words_instead(organiser_client, make_event):
    event = make_event()
    kiosk = start_kiosk(organiser_client, event)

    assert (
        walk_in(kiosk, name="Lou", help_text="My phone keeps asking for a PIN").status_code == 303
    )
    assert registration("Lou").help_text == "My phone keeps asking for a PIN"


def test_a_walk_in_gets_a_place_even_when_the_surgery_is_full(organiser_client, client, make_event):
    event = make_event(sessions=WORKSHOP_AND_SURGERY)
    surgery = event.sessions[1]
    assert book(client, event, "Booked", sessions=[surgery.id]).status_code == 303
    kiosk = start_kiosk(organiser_client, event)

    assert walk_in(kiosk, name="Mo", topics=ids(Topic, "Instagram")).status_code == 303

    statuses = db.session.scalars(
        sa.select(Booking.status).where(Booking.session_id == surgery.id)
    ).all()
    assert statuses == [CONFIRMED, CONFIRMED]
    leave = post_form(
        kiosk, "/kiosk/exit", data={"email": "org@example.org", "password": ORGANISER_PASSWORD}
    )
    assert leave.status_code == 303
    organiser_page = plain(kiosk.get(f"/organise/events/{event.id}").text)
    assert "2 of 1 places booked" in organiser_page


def test_bad_input_is_refused_with_messages_and_nothing_saved(organiser_client, make_event):
    event = make_event()
    kiosk = start_kiosk(organiser_client, event)
    before = count(Registration)

    no_name = walk_in(kiosk, name="", topics=ids(Topic, "Facebook"))
    nothing_wanted = walk_in(kiosk, name="Nia", help_text="   ")
    bad_email = walk_in(kiosk, name="Oli", email="oli@", topics=ids(Topic, "Facebook"))

    assert no_name.status_code == 400
    assert "Tell us your name or a nickname." in no_name.text
    assert nothing_wanted.status_code == 400
    assert "Choose what you would like help with." in nothing_wanted.text
    assert 'value="Nia"' in nothing_wanted.text
    assert bad_email.status_code == 400
    assert "Check the email address, or leave it empty." in bad_email.text
    assert 'value="Oli"' in bad_email.text
    assert count(Registration) == before


def test_a_walk_in_who_already_booked_is_checked_in_not_duplicated(
    organiser_client, client, make_event
):
    event = make_event()
    assert book(client, event, "Sam").status_code == 303
    kiosk = start_kiosk(organiser_client, event)
    before = count(Registration)

    sent = walk_in(kiosk, name="Sammy", email="SAM@example.org", topics=ids(Topic, "Instagram"))

    assert sent.status_code == 303
    assert count(Registration) == before
    sam = registration("Sam")
    assert sam.checked_in_at is not None
    assert not sam.is_walk_in
    assert [b.status for b in sam.bookings] == [CONFIRMED]


def test_leaving_needs_an_organisers_password(organiser_client, make_event):
    event = make_event()
    door = {"name": "Dora", "email": "dora@example.org", "password": "door volunteer password"}
    assert post_form(organiser_client, "/organise/door-logins", data=door).status_code == 303
    kiosk = start_kiosk(organiser_client, event)

    wrong = post_form(kiosk, "/kiosk/exit", data={"email": "org@example.org", "password": "guess"})
    as_door = post_form(
        kiosk, "/kiosk/exit", data={"email": door["email"], "password": door["password"]}
    )

    assert wrong.status_code == 400
    assert as_door.status_code == 400
    assert "Only an organiser can leave kiosk mode." in as_door.text
    assert kiosk.get("/organise/").headers["Location"] == "/kiosk"

    left = post_form(
        kiosk, "/kiosk/exit", data={"email": "org@example.org", "password": ORGANISER_PASSWORD}
    )

    assert left.status_code == 303
    assert left.headers["Location"] == f"/organise/events/{event.id}/checkin"
    assert kiosk.get("/organise/").status_code == 200
    assert kiosk.get("/kiosk").status_code == 404


def test_a_kiosk_of_a_day_cancelled_since_checks_nobody_in(organiser_client, make_event):
    event = make_event()
    kiosk = start_kiosk(organiser_client, event)
    token = csrf_from(kiosk.get("/kiosk").text)  # the form was open when the day was cancelled
    event.status = "cancelled"  # by an organiser on another device
    db.session.commit()

    page = kiosk.get("/kiosk")
    data = {"csrf_token": token, "name": "Kit", "help_text": "Facebook groups"}
    sent = kiosk.post("/kiosk", data=data)

    said = "Leeds surgery is cancelled, so nobody can be checked in here."
    assert said in plain(page.text)
    assert 'name="name"' not in page.text
    assert sent.status_code == 409 and said in plain(sent.text)
    assert count(Registration) == 0
