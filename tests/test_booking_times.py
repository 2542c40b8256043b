"""Past days cannot be booked or volunteered for; a day that has started offers only the
sessions still to come; a full session is joined, not booked."""

import datetime as dt
import re

import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.events.models import OPEN_SPACE, SURGERY, WORKSHOP
from surgery.extensions import db
from surgery.surgeons.models import Surgeon
from surgery.vocabulary.models import Topic
from tests.conftest import book, book_more, count, csrf_from, manage_token

DAY = [
    {"kind": SURGERY, "title": "Morning surgery", "capacity": 10},
    {"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 1, "hour_offset": 2},
    {"kind": OPEN_SPACE, "title": "Open space", "capacity": None, "hour_offset": 2},
    {"kind": SURGERY, "title": "Afternoon surgery", "capacity": 10, "hour_offset": 4},
]


def move(session, starts_in: float, hours: float = 2) -> None:
    """Put a session at a time relative to now (negative: in the past)."""
    session.starts_at = utcnow() + dt.timedelta(hours=starts_in)
    session.ends_at = session.starts_at + dt.timedelta(hours=hours)


def started_day(make_event, db_session):
    """A day whose morning surgery is running now and whose afternoon is still to come."""
    event = make_event(sessions=DAY)
    morning, workshop, open_space, afternoon = event.sessions  # in DAY's order until moved
    move(morning, -1)
    move(workshop, -3, 1)  # finished
    move(open_space, -1)
    move(afternoon, 2)
    db_session.commit()
    return event


def by_title(event) -> dict:
    """The event's sessions by title (moving them in time changes their order)."""
    return {s.title: s for s in event.sessions}


def past_day(make_event, db_session):
    """A day that ended yesterday."""
    event = make_event(sessions=DAY)
    for session in event.sessions:
        move(session, -26, 2)
    db_session.commit()
    return event


def checkbox_labels(page: str, name: str) -> list[str]:
    """The labels of the checkboxes with this name, in order."""
    ids = re.findall(rf'<input [^>]*id="({name}-\d+)"[^>]*name="{name}"', page)
    ids += re.findall(rf'<input [^>]*name="{name}"[^>]*id="({name}-\d+)"', page)
    labels = dict(re.findall(r'<label for="([\w-]+)">(.*?)</label>', page, re.S))
    return [" ".join(labels[i].split()) for i in ids]


def topic_id() -> int:
    """Any topic's id, for the volunteer form."""
    return db.session.scalar(sa.select(Topic.id).limit(1))


# a past day


def test_a_past_day_shows_no_places_and_no_way_to_book_or_volunteer(client, make_event, db_session):
    event = past_day(make_event, db_session)
    page = client.get(f"/events/{event.id}").text
    assert "This surgery day is over" in page
    assert "places left" not in page and "place left" not in page
    assert page.count("Finished") == 4
    assert f"/events/{event.id}/book" not in page
    assert f"/events/{event.id}/volunteer" not in page
    listed = client.get("/past").text
    assert "Finished" in listed and "places left" not in listed


def test_a_past_day_cannot_be_booked(client, make_event, db_session):
    event = past_day(make_event, db_session)
    form = client.get(f"/events/{event.id}/book")
    assert form.status_code == 200
    assert "This surgery day is over, so it can no longer be booked" in form.text
    assert "Book my place" not in form.text
    token = csrf_from(client.get("/lost-link").text)
    data = {"name": "Sam", "email": "sam@example.org", "sessions": [event.sessions[0].id]}
    sent = client.post(f"/events/{event.id}/book", data={**data, "csrf_token": token})
    assert sent.status_code == 400
    assert "This surgery day is over, so it can no longer be booked" in sent.text
    assert count(Registration) == 0 and count(Booking) == 0


def test_a_past_day_cannot_be_volunteered_for(client, make_event, db_session):
    event = past_day(make_event, db_session)
    form = client.get(f"/events/{event.id}/volunteer")
    assert "can no longer be booked or volunteered for" in form.text
    assert ">Volunteer</button>" not in form.text
    data = {
        "name": "Sue",
        "email": "sue@example.org",
        "topics": [topic_id()],
        "sessions": [event.sessions[0].id],
        "capacity": "2",
        "csrf_token": csrf_from(client.get("/lost-link").text),
    }
    sent = client.post(f"/events/{event.id}/volunteer", data=data)
    assert sent.status_code == 400
    assert "can no longer be booked or volunteered for" in sent.text
    assert count(Surgeon) == 0


# a day that has started


def test_a_started_day_shows_what_is_still_bookable(client, make_event, db_session):
    event = started_day(make_event, db_session)
    sessions = by_title(event)
    morning, workshop = sessions["Morning surgery"], sessions["Blogging workshop"]
    afternoon = sessions["Afternoon surgery"]
    page = client.get(f"/events/{event.id}").text
    assert "Started – no more bookings" in page
    assert "Finished" in page
    assert "10 places left" in page  # the afternoon
    assert f"session={morning.id}" not in page and f"session={workshop.id}" not in page
    assert f"session={afternoon.id}" in page
    assert f"/events/{event.id}/volunteer" in page  # the afternoon surgery still needs help
    form = client.get(f"/events/{event.id}/book").text
    assert [label.split(",")[0] for label in checkbox_labels(form, "sessions")] == [
        "Afternoon surgery"
    ]
    assert "Morning surgery: Started – no more bookings" in form


def test_a_started_session_cannot_be_booked_but_a_later_one_can(client, make_event, db_session):
    event = started_day(make_event, db_session)
    morning, afternoon = by_title(event)["Morning surgery"], by_title(event)["Afternoon surgery"]
    refused = book(client, event, "Sam", sessions=[morning.id])  # a form opened before
    assert refused.status_code == 400
    assert "Morning surgery has already started, so it can no longer be booked." in refused.text
    assert count(Booking) == 0
    booked = book(client, event, "Sam", sessions=[afternoon.id])
    assert booked.status_code == 303
    assert db.session.scalars(sa.select(Booking.session_id)).all() == [afternoon.id]


def test_the_manage_page_offers_to_add_only_sessions_still_to_come(client, make_event, db_session):
    event = make_event(sessions=DAY)
    morning, workshop, _, afternoon = event.sessions
    token = manage_token(book(client, event, "Sam", sessions=[workshop.id]))
    move(morning, -1)
    db_session.commit()
    page = client.get(f"/bookings/{token}").text
    assert [label.split(",")[0] for label in checkbox_labels(page, "sessions")] == [
        "Afternoon surgery"
    ]
    refused = book_more(client, token, [morning.id])  # sent from a page opened before
    assert refused.status_code == 400
    assert "Morning surgery has already started, so it can no longer be booked." in refused.text
    assert {b.session_id for b in db.session.scalars(sa.select(Booking))} == {workshop.id}


def test_a_started_surgery_cannot_be_volunteered_for(client, make_event, db_session):
    event = started_day(make_event, db_session)
    morning = by_title(event)["Morning surgery"]
    form = client.get(f"/events/{event.id}/volunteer").text
    assert checkbox_labels(form, "sessions") == ["Afternoon surgery"]
    data = {
        "name": "Sue",
        "email": "sue@example.org",
        "topics": [topic_id()],
        "sessions": [morning.id],
        "capacity": "2",
        "csrf_token": csrf_from(form),
    }
    sent = client.post(f"/events/{event.id}/volunteer", data=data)
    assert sent.status_code == 400
    assert "Morning surgery has already started, so it is not taking volunteers." in sent.text
    assert count(Surgeon) == 0


# a full session


def test_a_full_session_says_join_the_waiting_list(client, make_event):
    event = make_event(sessions=DAY)
    workshop = event.sessions[1]
    token = manage_token(book(client, event, "Ann", sessions=[event.sessions[0].id]))
    book(client, event, "Bea", sessions=[workshop.id])
    page = client.get(f"/events/{event.id}").text
    button = re.search(rf'href="/events/{event.id}/book\?session={workshop.id}">(.*?)<span', page)
    assert button.group(1) == "Join the waiting list"
    form = client.get(f"/events/{event.id}/book").text
    assert "Blogging workshop" in checkbox_labels(form, "sessions")[1]
    assert checkbox_labels(form, "sessions")[1].endswith(": Join the waiting list (full)")
    manage = client.get(f"/bookings/{token}").text
    assert checkbox_labels(manage, "sessions")[0].endswith(": Join the waiting list (full)")
