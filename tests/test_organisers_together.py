"""Organisers working at once cannot lose each other's work or people's places by accident.

Edit forms carry their row's version, changes that would hurt people are refused, people
are told exactly what changed, and create forms pressed twice make one row.
"""

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from surgery.auth.models import Organiser
from surgery.bookings.models import Booking
from surgery.database import lock_row
from surgery.domain.capacity import CONFIRMED
from surgery.events.models import WORKSHOP, Event, EventSession
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.organise import services
from tests.conftest import ORGANISER_PASSWORD, book, count, csrf_from, guards_from, post_form

WORKSHOP_OF_5 = [{"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 5}]
NAMES = ("Ann", "Bob", "Cat", "Dev", "Eve", "Fay")


@pytest.fixture
def second_organiser(app, db_session):
    """Another organiser, signed in on their own device."""
    person = Organiser(email="second@example.org", name="Second")
    person.set_password(ORGANISER_PASSWORD)
    db_session.add(person)
    db_session.commit()
    device = app.test_client()
    signed_in = post_form(
        device, "/login", data={"email": person.email, "password": ORGANISER_PASSWORD}
    )
    assert signed_in.status_code == 303
    return device


def session_url(event) -> str:
    return f"/organise/events/{event.id}/sessions/{event.sessions[0].id}/edit"


def session_fields(event, **changes) -> dict:
    """The edit-session form's answers as the session is now, with changes."""
    session = event.sessions[0]
    starts, ends = event.local(session.starts_at), event.local(session.ends_at)
    fields = {
        "kind": session.kind,
        "title": session.title,
        "day": starts.date().isoformat(),
        "starts": starts.strftime("%H:%M"),
        "ends": ends.strftime("%H:%M"),
        "capacity": str(session.capacity or ""),
    }
    return {**fields, **changes}


def event_fields(event, **changes) -> dict:
    """The edit-event form's answers as the event is now, with changes."""
    names = ("title", "description", "venue_name", "venue_address", "city", "access_info")
    fields = {name: getattr(event, name) for name in names}
    return {**fields, "timezone": event.timezone, "organiser_email": "", **changes}


def send_from(client, url: str, page: str, data: dict):
    """Send a form from a page opened earlier, with what that page carried."""
    return client.post(url, data={**guards_from(page), "csrf_token": csrf_from(page), **data})


def fresh_session(event) -> EventSession:
    db.session.expire_all()
    return db.session.get(EventSession, event.sessions[0].id)


def confirmed(event) -> int:
    query = sa.select(sa.func.count()).where(
        Booking.session_id == event.sessions[0].id, Booking.status == CONFIRMED
    )
    return db.session.scalar(query)


def test_a_stale_form_cannot_undo_a_raised_capacity(organiser_client, second_organiser, make_event):
    event = make_event(sessions=WORKSHOP_OF_5)
    url = session_url(event)
    mine = organiser_client.get(url).text
    theirs = second_organiser.get(url).text  # both show 5 places
    assert (
        send_from(organiser_client, url, mine, session_fields(event, capacity="8")).status_code
        == 303
    )
    for name in NAMES:
        assert book(organiser_client, event, name).status_code == 303

    stale = send_from(second_organiser, url, theirs, session_fields(event, capacity="5"))

    assert stale.status_code == 409
    assert "Someone else saved this while you had it open" in stale.text
    assert "Capacity: 5 → 8" in stale.text
    assert 'name="capacity" type="number" value="8"' in stale.text  # the form as it is now
    assert fresh_session(event).capacity == 8
    assert confirmed(event) == 6


def test_a_stale_form_keeps_the_other_organisers_change(
    organiser_client, second_organiser, make_event
):
    event = make_event(sessions=WORKSHOP_OF_5)
    url = session_url(event)
    theirs = second_organiser.get(url).text
    renamed = post_form(organiser_client, url, data=session_fields(event, title="Blogging 101"))
    assert renamed.status_code == 303

    stale = send_from(second_organiser, url, theirs, session_fields(event, capacity="7"))

    assert stale.status_code == 409
    assert "Title: Blogging workshop → Blogging 101" in stale.text
    assert (fresh_session(event).title, fresh_session(event).capacity) == ("Blogging 101", 5)
    again = send_from(second_organiser, url, stale.text, session_fields(event, capacity="7"))
    assert again.status_code == 303  # the refreshed form saves
    assert (fresh_session(event).title, fresh_session(event).capacity) == ("Blogging 101", 7)


def test_a_save_without_the_version_is_refused(organiser_client, make_event):
    event = make_event(sessions=WORKSHOP_OF_5)
    url = session_url(event)
    page = organiser_client.get(url).text
    data = {"csrf_token": csrf_from(page), **session_fields(event, capacity="9")}

    assert organiser_client.post(url, data=data).status_code == 409
    assert fresh_session(event).capacity == 5


@pytest.mark.parametrize("version", ["²", "٣", "99999999999999999999999", "-1", "1.0"])
def test_a_hostile_version_is_refused_not_a_500(organiser_client, make_event, version):
    event = make_event(sessions=WORKSHOP_OF_5)
    url = session_url(event)
    page = organiser_client.get(url).text
    data = {**guards_from(page), "csrf_token": csrf_from(page), "edit_version": version}

    answer = organiser_client.post(url, data={**data, **session_fields(event, capacity="9")})
    assert answer.status_code == 409
    assert fresh_session(event).capacity == 5


def test_two_saves_meeting_in_the_database_are_refused_not_a_500(
    organiser_client, make_event, monkeypatch
):
    event = make_event(sessions=WORKSHOP_OF_5)
    url = session_url(event)
    page = organiser_client.get(url).text
    # another save commits after this request read the row and passed its own check
    db.session.execute(
        sa.update(EventSession)
        .where(EventSession.id == event.sessions[0].id)
        .values(capacity=8, version=EventSession.version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    set_committed_value(db.session.get(EventSession, event.sessions[0].id), "version", 1)
    monkeypatch.setattr(services, "fresh", lambda row: row)
    monkeypatch.setattr(services, "check_version", lambda current, given: None)
    # and the lock reads nothing again, so only the database's own version check is left
    monkeypatch.setattr(services, "lock_day", lambda event_id: lock_row(Event, event_id))

    refused = send_from(organiser_client, url, page, session_fields(event, capacity="5"))

    assert refused.status_code == 409
    assert "Capacity: 5 → 8" in refused.text
    assert fresh_session(event).capacity == 8


def test_a_stale_event_form_is_refused(organiser_client, second_organiser, make_event):
    event = make_event()
    url = f"/organise/events/{event.id}/edit"
    theirs = second_organiser.get(url).text
    moved = post_form(organiser_client, url, data=event_fields(event, venue_name="Town Hall"))
    assert moved.status_code == 303

    stale = send_from(second_organiser, url, theirs, event_fields(event, title="Typo fixed"))

    assert stale.status_code == 409
    assert "Venue: Library → Town Hall" in stale.text
    db.session.expire_all()
    assert (db.session.get(Event, event.id).title, event.venue_name) == (
        "Leeds surgery",
        "Town Hall",
    )


def test_capacity_cannot_go_below_the_people_booked(organiser_client, make_event):
    event = make_event(sessions=[{**WORKSHOP_OF_5[0], "capacity": 10}])
    for name in NAMES:
        book(organiser_client, event, name)

    refused = post_form(
        organiser_client, session_url(event), data=session_fields(event, capacity="5")
    )

    assert refused.status_code == 400
    assert "6 people are booked; capacity cannot go below 6." in refused.text
    assert fresh_session(event).capacity == 10
    assert confirmed(event) == 6


def test_a_booked_workshop_cannot_become_open_space(organiser_client, make_event):
    event = make_event(sessions=WORKSHOP_OF_5)
    book(organiser_client, event, "Sam")

    data = session_fields(event, kind="open_space", capacity="")
    refused = post_form(organiser_client, session_url(event), data=data)

    assert refused.status_code == 400
    assert "so it cannot become open space" in refused.text
    assert (fresh_session(event).kind, fresh_session(event).capacity) == (WORKSHOP, 5)


def test_the_timezone_of_a_booked_day_cannot_change(organiser_client, make_event):
    event = make_event()
    book(organiser_client, event, "Sam")
    url = f"/organise/events/{event.id}/edit"

    refused = post_form(
        organiser_client, url, data=event_fields(event, timezone="America/New_York")
    )

    assert refused.status_code == 400
    assert "so its timezone cannot change" in refused.text
    db.session.expire_all()
    assert db.session.get(Event, event.id).timezone == "Europe/London"


def test_a_new_timezone_keeps_the_local_times_of_an_unbooked_day(organiser_client, make_event):
    event = make_event(timezone="UTC")
    session = event.sessions[0]
    starts = session.starts_at
    url = f"/organise/events/{event.id}/edit"

    saved = post_form(organiser_client, url, data=event_fields(event, timezone="America/New_York"))

    assert saved.status_code == 303
    moved = fresh_session(event)
    assert moved.starts_at.astimezone(dt.UTC).hour != starts.hour
    page = organiser_client.get(session_url(event)).text
    assert 'value="10:00"' in page  # 10:00 stays 10:00, now in New York


def outbox(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)))


def test_people_are_told_what_changed_before_and_after(organiser_client, make_event):
    event = make_event(sessions=WORKSHOP_OF_5, timezone="UTC")  # 10am to 12pm
    book(organiser_client, event, "Sam")
    later = session_fields(event, starts="11:00", ends="13:00", title="Blogging 101")

    assert post_form(organiser_client, session_url(event), data=later).status_code == 303

    [update] = outbox("booking_updated")
    assert update.to_address == "sam@example.org"
    said = update.payload["intro"]
    assert "Time: 10am to 12pm → 11am to 1pm" in said
    assert "Session: Blogging workshop → Blogging 101" in said


def test_a_new_venue_is_told_before_and_after(organiser_client, make_event):
    event = make_event(sessions=WORKSHOP_OF_5)
    book(organiser_client, event, "Sam")
    url = f"/organise/events/{event.id}/edit"

    assert (
        post_form(
            organiser_client, url, data=event_fields(event, venue_name="Town Hall")
        ).status_code
        == 303
    )

    [update] = outbox("booking_updated")
    assert "Venue: Library → Town Hall" in update.payload["intro"]


def test_changes_that_do_not_affect_people_email_nobody(organiser_client, make_event):
    event = make_event(sessions=WORKSHOP_OF_5)
    book(organiser_client, event, "Sam")
    before = count(OutboxMessage)

    url = f"/organise/events/{event.id}/edit"
    typo = event_fields(event, description="A friendly day of help.")
    assert post_form(organiser_client, url, data=typo).status_code == 303
    more = session_fields(event, capacity="12")
    assert post_form(organiser_client, session_url(event), data=more).status_code == 303

    assert count(OutboxMessage) == before
    assert fresh_session(event).capacity == 12


def test_a_new_event_pressed_twice_is_made_once(organiser_client):
    form = organiser_client.get("/organise/events/new").text
    data = {"title": "Leeds surgery", "venue_name": "Library", "city": "Leeds",
            "timezone": "Europe/London"}  # fmt: skip

    first = send_from(organiser_client, "/organise/events/new", form, data)
    second = send_from(organiser_client, "/organise/events/new", form, data)

    assert (first.status_code, second.status_code) == (303, 303)
    assert count(Event) == 1
    assert second.headers["Location"] == first.headers["Location"]


def test_a_new_session_pressed_twice_is_made_once(organiser_client, make_event):
    event = make_event()
    url = f"/organise/events/{event.id}/sessions/new"
    form = organiser_client.get(url).text
    data = session_fields(event, title="Blogging", kind=WORKSHOP, capacity="6")

    assert send_from(organiser_client, url, form, data).status_code == 303
    assert send_from(organiser_client, url, form, data).status_code == 303

    assert count(EventSession) == 2  # the surgery the event had, and one workshop
    again = post_form(organiser_client, url, data=data)  # a new form makes a new one
    assert again.status_code == 303
    assert count(EventSession) == 3


def test_a_clash_on_a_button_is_said_and_nothing_changes(organiser_client, make_event, monkeypatch):
    event = make_event(status="draft")

    def clash(*args):
        raise StaleDataError("UPDATE statement on table 'event' expected to update 1 row(s)")

    monkeypatch.setattr(services, "change_status", clash)
    page = f"/organise/events/{event.id}"
    answer = post_form(organiser_client, page, f"{page}/status", data={"action": "publish"})

    assert answer.status_code == 303
    shown = organiser_client.get(answer.headers["Location"]).text
    assert "Someone else saved this after you opened the form. Nothing was saved." in shown
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == "draft"


def test_a_clash_anywhere_else_is_a_plain_page_not_a_500(organiser_client, make_event, monkeypatch):
    event = make_event()

    def clash(*args):
        raise StaleDataError("UPDATE statement on table 'event' expected to update 1 row(s)")

    monkeypatch.setattr(services, "consequence", clash)
    answer = organiser_client.get(f"/organise/events/{event.id}/cancel")

    assert answer.status_code == 409
    assert "Someone else changed this at the same moment" in answer.text
