"""Calendar feeds: every published day, one day, and a person's own bookings.

Each feed is read from the response bytes, checked for CRLF lines folded at 75 octets,
and parsed with vobject, which has nothing to do with the library that wrote it.
"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.events.models import CANCELLED, DRAFT, WORKSHOP
from surgery.extensions import db
from tests.conftest import book, confirm_form, manage_token, post_form
from tests.ical_lines import property_names, uses_timezones
from tests.mail_fixtures import invite_in, is_utc, parse_calendar

ORGANISER = "leeds-surgery@example.org"
TWO_SESSIONS = [
    {"kind": WORKSHOP, "title": "Morning workshop", "capacity": 1},
    {"kind": WORKSHOP, "title": "Afternoon workshop", "capacity": 5, "hour_offset": 3},
]


def fetch(client, url: str):
    """A feed as served: its content type, and the calendar parsed from its bytes."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"].endswith('.ics"')
    raw = response.get_data()
    calendar = parse_calendar(raw)
    assert calendar.method.value == "PUBLISH"
    assert "ATTENDEE" not in property_names(raw)
    assert not uses_timezones(raw)
    for vevent in calendar.contents.get("vevent", []):
        for name in ("uid", "dtstamp", "dtstart", "dtend", "organizer", "sequence", "summary"):
            assert name in vevent.contents, f"no {name.upper()} in a feed entry"
        assert "attendee" not in vevent.contents
        assert is_utc(vevent.dtstamp.value)
        assert is_utc(vevent.dtstart.value)
    return calendar


def entries(calendar) -> dict[str, object]:
    """The calendar's VEVENTs by UID."""
    return {v.uid.value: v for v in calendar.contents.get("vevent", [])}


def booking_of(email: str) -> Booking:
    """The one booking of a person, fresh from the database."""
    db.session.expire_all()
    query = sa.select(Booking).join(Booking.registration).where(Registration.email == email)
    return db.session.scalars(query).one()


# the public feeds


def test_public_feed_lists_published_sessions_with_stable_uids(app, client, make_event):
    event = make_event(
        sessions=TWO_SESSIONS,
        venue_name="Leeds Central Library",
        venue_address="Calverley Street",
        access_info="Step-free entrance.",
        organiser_email=ORGANISER,
    )
    make_event(title="A draft day", status=DRAFT)
    first = fetch(client, "/calendar.ics")
    second = fetch(client, "/calendar.ics")

    morning, afternoon = event.sessions
    assert set(entries(first)) == {morning.ical_uid, afternoon.ical_uid}
    assert set(entries(second)) == set(entries(first))
    vevent = entries(first)[morning.ical_uid]
    assert vevent.summary.value == "Morning workshop – Leeds surgery"
    assert vevent.dtstart.value == morning.starts_at
    assert vevent.dtend.value == morning.ends_at
    assert vevent.location.value == "Leeds Central Library, Calverley Street"
    assert vevent.description.value == "Access: Step-free entrance."
    assert vevent.organizer.value.lower() == f"mailto:{app.config['MAIL_DEFAULT_SENDER']}"
    assert vevent.status.value == "CONFIRMED"
    assert vevent.sequence.value == "0"


def test_public_feed_has_no_attendees_even_with_bookings(client, make_event):
    event = make_event(organiser_email=ORGANISER)
    book(client, event, "Sam")
    book(client, event, "Zoë", email="zoe@example.org")
    calendar = fetch(client, "/calendar.ics")  # fetch asserts no ATTENDEE anywhere
    response = client.get("/calendar.ics")
    assert b"sam@example.org" not in response.get_data()
    assert b"zoe@example.org" not in response.get_data()
    assert list(entries(calendar)) == [event.sessions[0].ical_uid]


def test_one_day_feed_has_only_that_day(client, make_event):
    event = make_event(sessions=TWO_SESSIONS, organiser_email=ORGANISER)
    other = make_event(title="Another day")
    calendar = fetch(client, f"/events/{event.id}/calendar.ics")
    assert set(entries(calendar)) == {s.ical_uid for s in event.sessions}
    assert calendar.contents["x-wr-calname"][0].value == "Leeds surgery"
    assert other.sessions[0].ical_uid not in entries(calendar)


def test_draft_or_unknown_day_has_no_feed(client, make_event):
    draft = make_event(status=DRAFT)
    assert client.get(f"/events/{draft.id}/calendar.ics").status_code == 404
    assert client.get(f"/events/{draft.id + 1000}/calendar.ics").status_code == 404


def test_cancelled_day_is_marked_cancelled_in_the_feeds(organiser_client, make_event):
    event = make_event(organiser_email=ORGANISER)
    uid = event.sessions[0].ical_uid
    before = entries(fetch(organiser_client, "/calendar.ics"))[uid]
    assert before.status.value == "CONFIRMED"

    page = f"/organise/events/{event.id}"
    assert post_form(organiser_client, f"{page}/cancel").status_code == 303
    db.session.expire_all()
    assert event.status == CANCELLED

    for url in ("/calendar.ics", f"/events/{event.id}/calendar.ics"):
        after = entries(fetch(organiser_client, url))[uid]
        assert after.status.value == "CANCELLED"
        assert int(after.sequence.value) > int(before.sequence.value)


def test_moved_session_has_a_higher_sequence_and_the_new_time(organiser_client, make_event):
    event = make_event(organiser_email=ORGANISER)
    session = event.sessions[0]
    book(organiser_client, event, "Sam")
    before = entries(fetch(organiser_client, "/calendar.ics"))[session.ical_uid]
    new_start = session.starts_at + dt.timedelta(hours=2)
    local = event.local(new_start)
    url = f"/organise/events/{event.id}/sessions/{session.id}/edit"
    fields = {"kind": session.kind, "title": session.title, "capacity": "10"}
    times = {"day": local.date().isoformat(), "starts": local.strftime("%H:%M")}
    ends = (local + dt.timedelta(hours=1)).strftime("%H:%M")
    assert (
        post_form(organiser_client, url, data={**fields, **times, "ends": ends}).status_code == 303
    )
    after = entries(fetch(organiser_client, "/calendar.ics"))[session.ical_uid]
    assert int(after.sequence.value) == int(before.sequence.value) + 1
    assert after.dtstart.value == new_start


def test_feed_lines_are_crlf_and_folded_with_non_ascii_intact(client, make_event):
    access = " – ".join(["Entrée de plain-pied, toilettes adaptées, salle calme à l’étage"] * 3)
    event = make_event(
        title="Surgery at the Brontë café",
        venue_name="Café Brontë, Haworth",
        access_info=access,
        organiser_email=ORGANISER,
    )
    raw = client.get(f"/events/{event.id}/calendar.ics").get_data()
    calendar = fetch(client, f"/events/{event.id}/calendar.ics")  # checks CRLF and folding
    assert any(line.startswith(b" ") for line in raw.split(b"\r\n"))
    vevent = calendar.vevent
    assert vevent.location.value == "Café Brontë, Haworth"
    assert vevent.summary.value == "Surgery space – Surgery at the Brontë café"
    assert vevent.description.value == f"Access: {access}"


def test_event_page_links_to_its_feed_and_the_list_to_every_day(client, make_event):
    event = make_event(organiser_email=ORGANISER)
    detail = client.get(f"/events/{event.id}").text
    assert f'href="/events/{event.id}/calendar.ics"' in detail
    listing = client.get("/").text
    assert 'href="/calendar.ics"' in listing


# a person's own feed


def test_private_feed_uses_the_uid_and_sequence_of_the_invite(client, make_event, mailbox):
    event = make_event(sessions=TWO_SESSIONS, organiser_email=ORGANISER)
    morning, afternoon = event.sessions
    book(client, event, "Ann", sessions=[morning.id])
    booked = book(client, event, "Sam", sessions=[morning.id, afternoon.id])
    token = manage_token(booked)

    # the confirmation page links to it
    confirmation = client.get(booked.headers["Location"]).text
    link = f"/bookings/{token}/calendar.ics"
    assert f'href="{link}"' in confirmation
    assert f'href="{link}"' in client.get(f"/bookings/{token}").text

    invites = {}
    for received in mailbox.deliver():
        if received.to == "sam@example.org" and received.message["Subject"].startswith("Booked"):
            invite = invite_in(received)
            invites[invite.uid] = invite
    assert len(invites) == 1  # the morning is full: Sam waits there

    calendar = fetch(client, link)
    mine = entries(calendar)
    assert set(mine) == set(invites)  # no entry for the session Sam is waiting for
    [(uid, vevent)] = mine.items()
    assert vevent.sequence.value == str(invites[uid].sequence)
    assert vevent.dtstart.value == afternoon.starts_at
    assert vevent.summary.value == invites[uid].event.summary.value
    assert uid != afternoon.ical_uid  # the person's entry, not the public one
    assert b"sam@example.org" not in client.get(link).get_data()


def test_private_feed_shows_a_cancelled_booking_as_cancelled(client, make_event, mailbox):
    event = make_event(organiser_email=ORGANISER)
    token = manage_token(book(client, event, "Sam"))
    booking = booking_of("sam@example.org")
    confirm_form(client, f"/bookings/{token}", f"/bookings/{token}/cancel/{booking.id}")
    cancel = [invite_in(r) for r in mailbox.deliver() if r.message["Subject"].startswith("Can")]
    [vevent] = entries(fetch(client, f"/bookings/{token}/calendar.ics")).values()
    assert vevent.uid.value == cancel[0].uid == booking.ical_uid
    assert vevent.status.value == "CANCELLED"
    assert vevent.sequence.value == str(cancel[0].sequence) == "1"


@pytest.mark.parametrize("change", ["unknown-token", "flip-last-character"])
def test_private_feed_with_a_bad_token_is_not_found(client, make_event, change):
    event = make_event()
    token = manage_token(book(client, event, "Sam"))
    bad = "not-a-real-token" if change == "unknown-token" else token[:-1] + chr(ord(token[-1]) ^ 1)
    response = client.get(f"/bookings/{bad}/calendar.ics")
    assert response.status_code == 404
    assert not response.headers["Content-Type"].startswith("text/calendar")
    assert re.search(r"BEGIN:VCALENDAR", response.text) is None
