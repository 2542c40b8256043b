"""Organiser pages: events, sessions, who is coming, waiting lists and the CSV."""

import csv
import datetime as dt
import io
import re

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED
from surgery.events.models import DRAFT, OPEN_SPACE, WORKSHOP, Event, EventSession
from surgery.extensions import db
from surgery.vocabulary.models import RoleTag
from tests.conftest import book, confirm_form, count, post_form, say_yes

EVENT_FORM = {
    "title": "Leeds Social Media Surgery",
    "venue_name": "Leeds Central Library",
    "city": "Leeds",
    "timezone": "Europe/London",
}
ONE_PLACE = [{"kind": WORKSHOP, "title": "Workshop", "capacity": 1}]


def session_form(**changes) -> dict:
    """A valid session form on the day make_event makes (ten days ahead), with changes."""
    day = (utcnow().date() + dt.timedelta(days=10)).isoformat()
    fields = {"kind": "surgery", "title": "Surgery space", "day": day, "starts": "10:00"}
    return {**fields, "ends": "13:00", "capacity": "8", **changes}


def booking_of(name: str) -> Booking:
    """The one booking of the person with this name, fresh from the database."""
    db.session.expire_all()
    query = sa.select(Booking).join(Booking.registration).where(Registration.name == name)
    return db.session.scalars(query).one()


def tag_ids(*names: str) -> list[int]:
    """Role tag ids by name."""
    return list(db.session.scalars(sa.select(RoleTag.id).where(RoleTag.name.in_(names))))


def change_status(client, event, action: str):
    """Press Publish, Unpublish or Cancel on the organiser's event page; a change that asks
    first (cancel, publish a cancelled day again, publish a day subscribers will be told of)
    is then confirmed on the page that asks."""
    page = f"/organise/events/{event.id}"
    pressed = post_form(client, page, f"{page}/status", data={"action": action})
    if pressed.status_code == 200:  # publishing emails its subscribers: asked on the spot
        return client.get(say_yes(client, pressed).headers["Location"])
    assert pressed.status_code == 303
    asks = pressed.headers["Location"]
    if asks.endswith(("/cancel", "/publish-again")):
        return post_form(client, asks, follow_redirects=True)
    return client.get(asks)


def test_dashboard_lists_every_event(organiser_client, make_event):
    make_event(title="Published day")
    make_event(title="Draft day", status=DRAFT)
    page = organiser_client.get("/organise/").text
    assert "Published day" in page
    assert "Draft day" in page


def test_create_event_as_a_draft(organiser_client):
    response = post_form(organiser_client, "/organise/events/new", data=EVENT_FORM)
    assert response.status_code == 303
    event = db.session.scalars(sa.select(Event)).one()
    assert response.headers["Location"] == f"/organise/events/{event.id}"
    assert (event.title, event.city, event.status) == (EVENT_FORM["title"], "Leeds", DRAFT)
    assert "Event created as a draft" in organiser_client.get(response.headers["Location"]).text


def test_create_event_with_missing_fields_shows_each_message(organiser_client):
    data = {**EVENT_FORM, "title": "", "venue_name": "", "city": " "}
    response = post_form(organiser_client, "/organise/events/new", data=data)
    assert response.status_code == 400
    for message in ("Enter a title.", "Enter the venue.", "Enter the town or city."):
        assert message in response.text
    assert count(Event) == 0


def test_create_event_with_a_bad_timezone_is_refused(organiser_client):
    data = {**EVENT_FORM, "timezone": "Mars/Olympus_Mons"}
    response = post_form(organiser_client, "/organise/events/new", data=data)
    assert response.status_code == 400
    assert "Enter a timezone name such as Europe/London." in response.text
    assert 'value="Mars/Olympus_Mons"' in response.text
    assert count(Event) == 0


def test_edit_event(organiser_client, make_event):
    event = make_event(title="Old title")
    url = f"/organise/events/{event.id}/edit"
    assert 'value="Old title"' in organiser_client.get(url).text
    response = post_form(organiser_client, url, data={**EVENT_FORM, "title": "New title"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Event, event.id).title == "New title"


def test_organiser_pages_of_an_unknown_event_are_not_found(organiser_client, make_event):
    event = make_event()
    other = make_event()
    assert organiser_client.get("/organise/events/999999").status_code == 404
    url = f"/organise/events/{other.id}/sessions/{event.sessions[0].id}/edit"
    assert organiser_client.get(url).status_code == 404


def test_publish_is_refused_without_sessions(organiser_client):
    post_form(organiser_client, "/organise/events/new", data=EVENT_FORM)
    event = db.session.scalars(sa.select(Event)).one()
    page = change_status(organiser_client, event, "publish")
    assert "Add at least one session before publishing." in page.text
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == DRAFT


def test_publish_unpublish_and_cancel(organiser_client, make_event):
    event = make_event(status=DRAFT)
    assert "The event is now published." in change_status(organiser_client, event, "publish").text
    assert organiser_client.get(f"/events/{event.id}").status_code == 200
    assert "The event is now draft." in change_status(organiser_client, event, "unpublish").text
    assert organiser_client.get(f"/events/{event.id}").status_code == 404
    assert "The event is now cancelled." in change_status(organiser_client, event, "cancel").text
    assert "has been cancelled" in organiser_client.get(f"/events/{event.id}").text


def test_add_a_session(organiser_client, make_event):
    event = make_event()
    url = f"/organise/events/{event.id}/sessions/new"
    response = post_form(
        organiser_client, url, data=session_form(title="Blogging", kind="workshop")
    )
    assert response.status_code == 303
    added = db.session.scalars(
        sa.select(EventSession).where(EventSession.title == "Blogging")
    ).one()
    assert (added.kind, added.capacity, added.event_id) == (WORKSHOP, 8, event.id)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": "0"}, "Places must be between 1 and 10,000."),
        ({"starts": "12:00", "ends": "11:00"}, "The end time must be after the start time."),
        ({"starts": "12:00", "ends": "12:00"}, "The end time must be after the start time."),
        ({"capacity": ""}, "Enter how many people can book, 1 or more."),
        ({"day": "2027-02-30"}, "Enter the date, like 2027-03-06."),
        ({"title": ""}, "Enter a title."),
    ],
)
def test_bad_session_is_refused_with_a_message(organiser_client, make_event, changes, message):
    event = make_event()
    url = f"/organise/events/{event.id}/sessions/new"
    response = post_form(organiser_client, url, data=session_form(**changes))
    assert response.status_code == 400
    assert message in response.text
    assert count(EventSession) == 1


def test_open_space_needs_no_capacity(organiser_client, make_event):
    event = make_event()
    url = f"/organise/events/{event.id}/sessions/new"
    data = session_form(kind=OPEN_SPACE, title="Open space", capacity="")
    assert post_form(organiser_client, url, data=data).status_code == 303
    open_space = db.session.scalars(sa.select(EventSession).where(EventSession.kind == OPEN_SPACE))
    assert open_space.one().capacity is None
    assert "No booking needed" in organiser_client.get(f"/events/{event.id}").text


def days_until(day: dt.date) -> int:
    """How many days ahead a date is, for make_event."""
    return (day - utcnow().date()).days


def test_session_times_are_entered_locally_and_stored_in_utc(organiser_client, make_event):
    event = make_event(days_ahead=days_until(dt.date(2030, 7, 15)))
    url = f"/organise/events/{event.id}/sessions/new"
    post_form(organiser_client, url, data=session_form(day="2030-07-15", title="Summer"))
    summer = db.session.scalars(sa.select(EventSession).where(EventSession.title == "Summer")).one()
    assert summer.starts_at == dt.datetime(2030, 7, 15, 9, 0, tzinfo=dt.UTC)
    assert summer.ends_at == dt.datetime(2030, 7, 15, 12, 0, tzinfo=dt.UTC)
    edit = organiser_client.get(f"/organise/events/{event.id}/sessions/{summer.id}/edit").text
    assert 'value="10:00"' in edit
    assert 'value="2030-07-15"' in edit


def test_session_times_follow_the_event_timezone(organiser_client, make_event):
    event = make_event(timezone="America/New_York", days_ahead=days_until(dt.date(2030, 1, 15)))
    url = f"/organise/events/{event.id}/sessions/new"
    post_form(organiser_client, url, data=session_form(day="2030-01-15", title="Winter"))
    winter = db.session.scalars(sa.select(EventSession).where(EventSession.title == "Winter")).one()
    assert winter.starts_at == dt.datetime(2030, 1, 15, 15, 0, tzinfo=dt.UTC)


def test_raising_capacity_promotes_people_from_the_waiting_list(organiser_client, make_event):
    event = make_event(sessions=ONE_PLACE)
    for name in ("Ann", "Bob", "Cat"):
        book(organiser_client, event, name)
    session = event.sessions[0]
    url = f"/organise/events/{event.id}/sessions/{session.id}/edit"
    data = session_form(kind=WORKSHOP, title="Workshop", capacity="2")
    assert post_form(organiser_client, url, data=data).status_code == 303
    assert [booking_of(n).status for n in ("Ann", "Bob", "Cat")] == [
        CONFIRMED,
        CONFIRMED,
        WAITLISTED,
    ]


def test_event_page_shows_people_their_needs_and_the_mix(organiser_client, make_event):
    event = make_event(sessions=ONE_PLACE)
    both = tag_ids("Volunteer", "Community journalist")
    book(organiser_client, event, "Ann", role_tags=both, access_needs=["bsl"], consent="y")
    book(organiser_client, event, "Bob", role_tags=tag_ids("Volunteer"), consent="y")
    book(organiser_client, event, "Cat", role_tags=tag_ids("Volunteer"))  # no consent: not kept
    page = organiser_client.get(f"/organise/events/{event.id}").text
    assert "1 of 1 places booked · 2 waiting" in page
    assert "Booked: Workshop" in page
    assert "Waiting list: Workshop" in page
    assert "Volunteer, Community journalist" in page
    assert "BSL interpreter" in page
    assert re.search(r'<th scope="row">Volunteer</th><td class="num">2</td>', page)
    assert re.search(r'<th scope="row">Community journalist</th><td class="num">1</td>', page)


def test_move_up_the_waiting_list(organiser_client, make_event):
    event = make_event(sessions=ONE_PLACE)
    for name in ("Ann", "Bob", "Cat"):
        book(organiser_client, event, name)
    cat = booking_of("Cat").id
    page = f"/organise/events/{event.id}"
    moved = post_form(
        organiser_client, page, f"{page}/bookings/{cat}/move-up", follow_redirects=True
    )
    assert "Cat moved up the waiting list." in moved.text
    assert moved.text.index('<th scope="row">Cat') < moved.text.index('<th scope="row">Bob')
    assert booking_of("Cat").queue_key < booking_of("Bob").queue_key
    # the first in line is promoted when a place comes up
    confirm_form(organiser_client, page, f"{page}/bookings/{booking_of('Ann').id}/cancel")
    assert (booking_of("Cat").status, booking_of("Bob").status) == (CONFIRMED, WAITLISTED)


def test_moving_up_someone_not_waiting_is_refused(organiser_client, make_event):
    event = make_event(sessions=ONE_PLACE)
    book(organiser_client, event, "Ann")
    page = f"/organise/events/{event.id}"
    ann = booking_of("Ann").id
    moved = post_form(
        organiser_client, page, f"{page}/bookings/{ann}/move-up", follow_redirects=True
    )
    assert "Only someone on the waiting list can be moved up." in moved.text
    assert booking_of("Ann").status == CONFIRMED


def test_organiser_cancelling_a_booking_promotes_the_first_waiting(organiser_client, make_event):
    event = make_event(sessions=ONE_PLACE)
    for name in ("Ann", "Bob", "Cat"):
        book(organiser_client, event, name)
    page = f"/organise/events/{event.id}"
    ann = booking_of("Ann").id
    done = confirm_form(
        organiser_client, page, f"{page}/bookings/{ann}/cancel", follow_redirects=True
    )
    assert "Booking cancelled. Moved up from the waiting list: Bob" in done.text
    assert [booking_of(n).status for n in ("Ann", "Bob", "Cat")] == [
        CANCELLED,
        CONFIRMED,
        WAITLISTED,
    ]


def test_booking_of_another_event_cannot_be_cancelled_there(organiser_client, make_event):
    event, other = make_event(), make_event()
    book(organiser_client, event, "Ann")
    page = f"/organise/events/{other.id}"
    ann = booking_of("Ann").id
    assert post_form(organiser_client, page, f"{page}/bookings/{ann}/cancel").status_code == 404
    assert booking_of("Ann").status == CONFIRMED


def csv_rows(response) -> list[list[str]]:
    """A downloaded spreadsheet's rows, read as Excel would (UTF-8 with a byte-order mark)."""
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_csv_download_has_a_header_and_a_row_per_booking(organiser_client, make_event):
    event = make_event(sessions=ONE_PLACE)
    book(organiser_client, event, "Ann", help_text="My blog", consent="y")
    book(organiser_client, event, "=HYPERLINK(1)", email="bob@example.org")
    response = organiser_client.get(f"/organise/events/{event.id}/bookings.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:6] == ["Name", "Email", "Session", "Starts", "Kind", "State"]
    assert [r[:3] + r[5:7] for r in rows[1:]] == [
        ["Ann", "ann@example.org", "Workshop", "Booked", ""],
        ["'=HYPERLINK(1)", "bob@example.org", "Workshop", "Waiting list", "1"],
    ]
    assert "My blog" not in response.data.decode("utf-8-sig")  # sensitive: only when asked


def test_csv_leaves_out_cancelled_bookings(organiser_client, make_event):
    event = make_event(sessions=ONE_PLACE)
    book(organiser_client, event, "Ann")
    page = f"/organise/events/{event.id}"
    confirm_form(organiser_client, page, f"{page}/bookings/{booking_of('Ann').id}/cancel")
    assert len(csv_rows(organiser_client.get(f"{page}/bookings.csv"))) == 1


def test_a_session_on_another_date_than_the_day_is_refused(organiser_client, make_event):
    event = make_event()
    url = f"/organise/events/{event.id}/sessions/new"
    later = (utcnow().date() + dt.timedelta(days=11)).isoformat()

    response = post_form(organiser_client, url, data=session_form(day=later))

    assert response.status_code == 400
    assert "The other sessions of this day are on" in response.text
    assert count(EventSession) == 1
