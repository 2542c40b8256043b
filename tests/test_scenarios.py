"""Changes that cross areas, followed across all of them: bookings, pairs, the door and the
floor, the mail people receive and the calendars they subscribe to.

Each scenario goes through the pages as the organiser and attendees would; mail is read as a
real SMTP server received it, and every calendar (emailed or fetched from a feed) is parsed
with vobject, which shares no code with the writer.
"""

import datetime as dt

import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.domain.attendance import BOOKING_CANCELLED, DAY_CANCELLED
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED
from surgery.events.models import EventSession
from surgery.extensions import db
from surgery.matching.models import ACCEPTED
from tests.conftest import manage_token, post_form
from tests.mail_fixtures import has_calendar, invite_in, words_of
from tests.test_checkin import registration as person
from tests.test_checkin_states import type_code
from tests.test_feeds import entries, fetch
from tests.test_floor import floor_url, here, waiting
from tests.test_invites import cancel_day, cancel_from_manage_page, move_session
from tests.test_matching_page import (
    accept_all,
    add_surgeon,
    attend,
    flashes,
    mail_by_person,
    matches,
)

ORGANISER = "leeds-surgery@example.org"
TWO_PLACES = [{"kind": "surgery", "title": "Surgery space", "capacity": 2}]
ONE_PLACE = [{"kind": "surgery", "title": "Surgery space", "capacity": 1}]


def states() -> dict[str, str]:
    """Each person's booking state, fresh from the database."""
    db.session.expire_all()
    query = sa.select(Registration.name, Booking.status).join(Booking.registration)
    return dict(db.session.execute(query).all())


def own_feed(client, token: str) -> dict:
    """A person's private calendar feed, parsed: their entries by UID."""
    return entries(fetch(client, f"/bookings/{token}/calendar.ics"))


def one_entry(client, token: str):
    """The one entry of a person's private feed, with the booking it stands for."""
    [entry] = own_feed(client, token).values()
    return entry


def the_day_arrives(event) -> None:
    """Time passes: the day's session began half an hour ago and runs two more hours."""
    start = utcnow() - dt.timedelta(minutes=30)
    db.session.execute(
        sa.update(EventSession)
        .where(EventSession.event_id == event.id)
        .values(starts_at=start, ends_at=start + dt.timedelta(hours=2, minutes=30))
    )
    db.session.commit()
    db.session.expire_all()


def publish_again(client, event) -> None:
    """Press "Publish again" on a cancelled day, and yes on the page that asks."""
    page = f"/organise/events/{event.id}/publish-again"
    assert post_form(client, page).status_code == 303


def test_a_day_cancelled_and_published_again(organiser_client, make_event, mailbox):
    client = organiser_client
    event = make_event(sessions=TWO_PLACES, organiser_email=ORGANISER)
    ann = manage_token(attend(client, event, "Ann"))
    attend(client, event, "Ben")
    cat = manage_token(attend(client, event, "Cat"))  # waits
    add_surgeon(client, event, "Sue", capacity=2)
    accept_all(client, event.sessions[0])
    mailbox.deliver()
    booked = one_entry(client, ann)

    cancel_day(client, event)

    # bookings and pairs are set aside, not destroyed
    assert states() == {"Ann": CONFIRMED, "Ben": CONFIRMED, "Cat": WAITLISTED}
    assert matches() == {"Ann": ("Sue", ACCEPTED), "Ben": ("Sue", ACCEPTED)}
    # mail: each person once, the calendars taken out, the waiting list told it keeps its place
    mail = mail_by_person(mailbox)
    assert {a: len(m) for a, m in mail.items()} == {
        "ann@example.org": 1,
        "ben@example.org": 1,
        "cat@example.org": 1,
        "sue@example.org": 1,
    }
    for address in ("ann@example.org", "ben@example.org", "sue@example.org"):
        assert invite_in(mail[address][0]).method == "CANCEL"
    [told_cat] = mail["cat@example.org"]
    assert not has_calendar(told_cat)
    assert "You keep your place on the waiting list for this session, number 1" in words_of(
        told_cat
    )
    # the door refuses the day's codes; the feeds say the day is off
    refused = type_code(client, event, person("Ann").checkin_code)
    assert flashes(refused) == [DAY_CANCELLED]
    assert person("Ann").checked_in_at is None
    off = one_entry(client, ann)
    assert off.status.value == "CANCELLED"
    assert int(off.sequence.value) > int(booked.sequence.value)
    assert own_feed(client, cat) == {}  # a waiting place is never in a calendar

    publish_again(client, event)

    assert states() == {"Ann": CONFIRMED, "Ben": CONFIRMED, "Cat": WAITLISTED}
    assert matches() == {"Ann": ("Sue", ACCEPTED), "Ben": ("Sue", ACCEPTED)}
    mail = mail_by_person(mailbox)
    assert sorted(mail) == [
        "ann@example.org",
        "ben@example.org",
        "cat@example.org",
        "sue@example.org",
    ]
    ann_back = invite_in(mail["ann@example.org"][0])
    assert ann_back.method == "REQUEST"
    assert ann_back.sequence > int(off.sequence.value)
    assert "Sue" in ann_back.event.description.value  # who she will meet, still
    sue_back = invite_in(mail["sue@example.org"][0]).event.description.value
    assert "Ann" in sue_back and "Ben" in sue_back
    assert "number 1" in words_of(mail["cat@example.org"][0])
    on = one_entry(client, ann)
    assert on.status.value == "CONFIRMED"
    assert int(on.sequence.value) == ann_back.sequence
    assert "Cancelled: no places are offered" not in client.get(f"/events/{event.id}").text


def test_a_session_moved_after_pairing(organiser_client, make_event, mailbox):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    ann = manage_token(attend(client, event, "Ann"))
    add_surgeon(client, event, "Sue")
    accept_all(client, event.sessions[0])
    mailbox.deliver()
    session = event.sessions[0]
    local = event.local(session.starts_at)

    move_session(client, event, session, starts="11:00", ends="13:00")

    assert matches() == {"Ann": ("Sue", ACCEPTED)}  # the pair stands
    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org", "sue@example.org"]
    [to_ann] = mail["ann@example.org"]
    assert "Time: 10am to 12pm → 11am to 1pm" in words_of(to_ann)
    moved = invite_in(to_ann)
    assert moved.method == "REQUEST"
    assert moved.event.dtstart.value == local.replace(hour=11).astimezone(dt.UTC)
    assert "Sue" in moved.event.description.value
    sue = invite_in(mail["sue@example.org"][0])
    assert sue.event.dtstart.value == moved.event.dtstart.value
    assert "Ann" in sue.event.description.value
    # her own feed agrees with the email, and with the database
    entry = one_entry(client, ann)
    assert entry.dtstart.value == moved.event.dtstart.value
    db.session.expire_all()
    booking = db.session.scalars(sa.select(Booking)).one()
    assert int(entry.sequence.value) == moved.sequence == booking.ical_sequence


def test_a_booking_cancelled_on_the_day(organiser_client, make_event, mailbox):
    client = organiser_client
    event = make_event(sessions=ONE_PLACE, organiser_email=ORGANISER)
    ann = manage_token(attend(client, event, "Ann"))
    attend(client, event, "Ben")  # waits
    add_surgeon(client, event, "Sue")
    accept_all(client, event.sessions[0])
    mailbox.deliver()
    the_day_arrives(event)

    cancel_from_manage_page(client, f"/bookings/{ann}")

    # her place goes to the waiting list, her pair falls through
    assert states() == {"Ann": CANCELLED, "Ben": CONFIRMED}
    assert matches() == {}
    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org", "ben@example.org", "sue@example.org"]
    assert invite_in(mail["ann@example.org"][0]).method == "CANCEL"
    assert invite_in(mail["ben@example.org"][0]).method == "REQUEST"
    assert "Ann can no longer come" in words_of(mail["sue@example.org"][0])
    # at the door her code no longer checks anyone in; Ben's does
    refused = type_code(client, event, person("Ann").checkin_code)
    assert flashes(refused) == [BOOKING_CANCELLED]
    assert person("Ann").checked_in_at is None
    assert flashes(type_code(client, event, person("Ben").checkin_code)) == ["Ben is here."]
    # the floor: Ben waits for a surgeon, Ann is nowhere in the queue
    here(client, event, "Sue")
    queue = [row[0] for row in waiting(client.get(floor_url(event)).text)]
    assert queue == ["Ben"]
    # her feed says the session is off for her
    assert one_entry(client, ann).status.value == "CANCELLED"
