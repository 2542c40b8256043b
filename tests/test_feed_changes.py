"""Feeds answer calendars that ask again with 304 while nothing they show has changed, and a
day taken off the list stays in its people's own feeds, cancelled, rather than vanishing.

Every calendar is parsed from the response bytes with vobject, which has nothing to do with
the code that wrote it.
"""

import datetime as dt

import pytest
import sqlalchemy as sa
from werkzeug.http import http_date

from surgery.bookings.models import Booking
from surgery.database import utcnow
from surgery.events.models import DRAFT, Event, EventSession
from surgery.extensions import db
from tests.conftest import book, confirm_form, manage_token, post_form
from tests.test_feeds import ORGANISER, booking_of, entries, fetch
from tests.test_invites import cancel_day

AN_HOUR_AGO = dt.timedelta(hours=1)


def backdate() -> None:
    """Every day and session last changed an hour ago, so a change now is a later second."""
    then = utcnow() - AN_HOUR_AGO
    db.session.execute(sa.update(Event).values(updated_at=then))
    db.session.execute(sa.update(EventSession).values(updated_at=then))
    db.session.commit()


def move(client, event, session, hours: int) -> None:
    """An organiser moves a session through the edit form."""
    local = event.local(session.starts_at + dt.timedelta(hours=hours))
    url = f"/organise/events/{event.id}/sessions/{session.id}/edit"
    data = {"kind": session.kind, "title": session.title, "capacity": str(session.capacity),
            "day": local.date().isoformat(), "starts": local.strftime("%H:%M"),
            "ends": (local + dt.timedelta(hours=1)).strftime("%H:%M")}  # fmt: skip
    assert post_form(client, url, data=data).status_code == 303


def ask_again(client, url: str, first, by: str):
    """Ask for a feed again as a calendar does, with the validator it was given."""
    if by == "etag":
        return client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    return client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})


@pytest.mark.parametrize("by", ["etag", "date"])
@pytest.mark.parametrize("which", ["all", "one day"])
def test_a_public_feed_says_not_modified_until_a_session_moves(
    organiser_client, make_event, by, which
):
    event = make_event(organiser_email=ORGANISER)
    url = "/calendar.ics" if which == "all" else f"/events/{event.id}/calendar.ics"
    backdate()
    first = organiser_client.get(url)
    assert first.status_code == 200
    assert first.headers["ETag"].startswith('W/"')
    assert first.headers["Last-Modified"] == http_date(event.updated_at.replace(microsecond=0))
    assert first.headers["Cache-Control"] == "no-cache"

    same = ask_again(organiser_client, url, first, by)

    assert same.status_code == 304
    assert same.get_data() == b""
    assert same.headers["ETag"] == first.headers["ETag"]
    assert same.headers["Cache-Control"] == "no-cache"

    session = event.sessions[0]
    move(organiser_client, event, session, hours=2)
    moved = ask_again(organiser_client, url, first, by)

    assert moved.status_code == 200
    assert moved.headers["ETag"] != first.headers["ETag"]
    vevent = entries(fetch(organiser_client, url))[session.ical_uid]
    assert vevent.dtstart.value == session.starts_at


def test_a_day_taken_off_the_list_changes_the_public_feeds_date(organiser_client, make_event):
    kept = make_event(organiser_email=ORGANISER)
    gone = make_event(title="Bradford surgery", organiser_email=ORGANISER)
    backdate()
    first = organiser_client.get("/calendar.ics")
    page = f"/organise/events/{gone.id}"
    assert post_form(organiser_client, page, f"{page}/status", {"action": "unpublish"})

    again = ask_again(organiser_client, "/calendar.ics", first, "date")

    assert again.status_code == 200
    assert set(entries(fetch(organiser_client, "/calendar.ics"))) == {kept.sessions[0].ical_uid}


@pytest.mark.parametrize("by", ["etag", "date"])
def test_a_private_feed_says_not_modified_and_stays_out_of_caches(client, make_event, by):
    event = make_event(organiser_email=ORGANISER)
    token = manage_token(book(client, event, "Sam"))
    url = f"/bookings/{token}/calendar.ics"
    backdate()
    db.session.execute(sa.update(Booking).values(updated_at=utcnow() - AN_HOUR_AGO))
    db.session.commit()
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-store"

    same = ask_again(client, url, first, by)

    assert same.status_code == 304 and same.get_data() == b""
    assert same.headers["Cache-Control"] == "no-store"
    assert token not in same.headers["ETag"]

    booking = booking_of("sam@example.org")
    confirm_form(client, f"/bookings/{token}", f"/bookings/{token}/cancel/{booking.id}")
    cancelled = ask_again(client, url, first, by)

    assert cancelled.status_code == 200
    [vevent] = entries(fetch(client, url)).values()
    assert vevent.status.value == "CANCELLED"


def test_a_day_back_in_draft_shows_cancelled_in_its_peoples_feeds(client, make_event):
    event = make_event(organiser_email=ORGANISER)
    token = manage_token(book(client, event, "Sam"))
    url = f"/bookings/{token}/calendar.ics"
    [before] = entries(fetch(client, url)).values()
    assert before.status.value == "CONFIRMED"

    # however it came off the list (the organiser pages may refuse it once people have
    # booked), the person's own feed must not keep the day in their calendar
    event.status = DRAFT
    db.session.commit()
    [after] = entries(fetch(client, url)).values()

    assert after.uid.value == before.uid.value == booking_of("sam@example.org").ical_uid
    assert after.status.value == "CANCELLED"
    assert int(after.sequence.value) > int(before.sequence.value)
    assert (
        client.get(url, headers={"If-None-Match": client.get(url).headers["ETag"]}).status_code
        == 304
    )


def test_a_cancelled_day_shows_cancelled_in_its_peoples_feeds(organiser_client, make_event):
    event = make_event(organiser_email=ORGANISER)
    token = manage_token(book(organiser_client, event, "Sam"))
    url = f"/bookings/{token}/calendar.ics"
    [before] = entries(fetch(organiser_client, url)).values()

    cancel_day(organiser_client, event)
    [after] = entries(fetch(organiser_client, url)).values()

    assert after.status.value == "CANCELLED"
    assert int(after.sequence.value) == int(before.sequence.value) + 1
    assert int(after.sequence.value) == booking_of("sam@example.org").ical_sequence
