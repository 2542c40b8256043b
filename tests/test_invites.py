"""Calendar invites, as a real SMTP server receives them and as calendars read them.

Each test drives the app through its pages, lets the outbox send to a local aiosmtpd server,
then reads the bytes that arrived: the MIME layout, and every calendar with vobject.
"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED
from surgery.events.models import WORKSHOP, Event
from surgery.extensions import db
from surgery.mail.models import QUEUED, SENT, OutboxMessage
from tests.conftest import book, book_more, confirm_form, manage_token, post_form
from tests.ical_lines import uses_timezones
from tests.mail_fixtures import has_calendar, invite_in, is_utc, manage_path_in, text_of

ORGANISER = "leeds-surgery@example.org"
ACCESS = "Step-free entrance on Briggate; accessible toilet and a quiet room on the ground floor."
ONE_PLACE = [{"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 1}]
EVENT_FORM = {
    "title": "Leeds Social Media Surgery",
    "venue_name": "Leeds Central Library",
    "venue_address": "Calverley Street, Leeds LS1 3AB",
    "city": "Leeds",
    "timezone": "Europe/London",
    "access_info": ACCESS,
    "organiser_email": ORGANISER,
}


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def booking_of(email: str) -> Booking:
    """The one booking of a person, fresh from the database."""
    db.session.expire_all()
    query = sa.select(Booking).join(Booking.registration).where(Registration.email == email)
    return db.session.scalars(query).one()


def cancel_from_manage_page(client, manage_path: str):
    """Open the manage link and press the (only) Cancel button, as the person would."""
    page = client.get(manage_path)
    assert page.status_code == 200
    actions = re.findall(r'action="(/bookings/[^"]+/cancel/\d+)"', page.text)
    assert len(actions) == 1, actions
    return confirm_form(client, manage_path, actions[0])


def move_session(client, event, session, **changes):
    """Save the organiser's edit-session form with changes."""
    local = event.local(session.starts_at)
    fields = {
        "kind": session.kind,
        "title": session.title,
        "day": local.date().isoformat(),
        "starts": local.strftime("%H:%M"),
        "ends": event.local(session.ends_at).strftime("%H:%M"),
        "capacity": str(session.capacity),
        **changes,
    }
    url = f"/organise/events/{event.id}/sessions/{session.id}/edit"
    response = post_form(client, url, data=fields)
    assert response.status_code == 303, response.text
    return response


def edit_event(client, event, **changes):
    """Save the organiser's edit-event form with changes."""
    fields = {name: getattr(event, name) for name in EVENT_FORM}
    response = post_form(client, f"/organise/events/{event.id}/edit", data={**fields, **changes})
    assert response.status_code == 303, response.text
    return response


def cancel_day(client, event):
    """Press "Cancel this day" on the organiser's event page, and yes on the page that asks."""
    response = post_form(client, f"/organise/events/{event.id}/cancel")
    assert response.status_code == 303


def create_event_with_session(client, day: str, starts: str, ends: str) -> Event:
    """An event and one session made through the organiser's forms, then published."""
    created = post_form(client, "/organise/events/new", data=EVENT_FORM)
    assert created.status_code == 303
    page = created.headers["Location"]
    session = {"kind": "surgery", "title": "Surgery space", "day": day, "starts": starts}
    added = post_form(
        client, f"{page}/sessions/new", data={**session, "ends": ends, "capacity": "5"}
    )
    assert added.status_code == 303, added.text
    published = post_form(client, page, f"{page}/status", data={"action": "publish"})
    assert published.status_code == 303
    event_id = int(page.rsplit("/", 1)[1])
    return db.session.get(Event, event_id)


def place_fields() -> dict:
    """A venue with an address and access information."""
    return {"venue_name": "Leeds Library", "venue_address": "Headrow", "access_info": ACCESS}


def new_invites(mailbox):
    """The new messages that carry an invite (waiting-list emails have none)."""
    return [r for r in mailbox.deliver() if has_calendar(r)]


def booking_of_event(email: str, event) -> Booking:
    """A person's booking at one event."""
    db.session.expire_all()
    query = (
        sa.select(Booking)
        .join(Booking.registration)
        .where(Registration.email == email, Registration.event_id == event.id)
    )
    return db.session.scalars(query).one()


# the invite itself


def test_an_address_with_a_non_ascii_domain_gets_its_invite(client, make_event, mailbox):
    event = make_event(organiser_email=ORGANISER)
    booked = book(client, event, "Anna", email="anna@bücher.de")
    assert booked.status_code == 303

    [received] = mailbox.deliver()
    assert received.rcpt_tos == ["anna@xn--bcher-kva.de"]
    assert received.message["To"].addresses[0].addr_spec == "anna@xn--bcher-kva.de"
    invite = invite_in(received)
    assert invite.method == "REQUEST"
    assert invite.event.attendee.value == "mailto:anna@xn--bcher-kva.de"
    stored = db.session.scalars(sa.select(Registration.email)).one()
    assert stored == "anna@bücher.de"  # kept as typed; only the wire gets the IDNA form


def test_booking_sends_an_invite_with_text_html_and_calendar(app, client, make_event, mailbox):
    event = make_event(
        title="Leeds surgery",
        venue_name="Leeds Central Library",
        venue_address="Calverley Street, Leeds",
        access_info=ACCESS,
        organiser_email=ORGANISER,
    )
    booked = book(client, event, "Sam")
    assert booked.status_code == 303

    [received] = mailbox.deliver()
    message = received.message
    assert received.rcpt_tos == ["sam@example.org"]
    # from the site's own address (DMARC passes); replies go to the day's organiser
    site = app.config["MAIL_DEFAULT_SENDER"]
    assert site != ORGANISER
    assert received.mail_from == site
    assert message["From"].addresses[0].addr_spec == site
    assert message["From"].addresses[0].display_name == app.config["SITE_NAME"]
    assert message["Reply-To"].addresses[0].addr_spec == ORGANISER
    assert message["To"].addresses[0].addr_spec == "sam@example.org"
    assert message["Subject"].startswith("Booked: Surgery space on ")

    invite = invite_in(received)
    assert invite.method == "REQUEST"
    assert invite.calendar.method.value == "REQUEST"
    vevent = invite.event
    booking = booking_of("sam@example.org")
    assert invite.uid == booking.ical_uid
    assert invite.sequence == 0
    assert invite.status == "CONFIRMED"
    assert invite.starts == event.sessions[0].starts_at
    assert vevent.dtend.value.astimezone(dt.UTC) == event.sessions[0].ends_at
    assert is_utc(vevent.dtstart.value)

    # the site organises, as it sends; the attendee is the recipient, not asked to reply
    assert vevent.organizer.value.lower() == f"mailto:{site}"
    attendee = vevent.attendee
    assert attendee.value.lower() == "mailto:sam@example.org"
    assert attendee.params["CN"] == ["Sam"]
    assert attendee.params["ROLE"] == ["REQ-PARTICIPANT"]
    assert attendee.params["PARTSTAT"] == ["NEEDS-ACTION"]
    assert attendee.params["RSVP"] == ["FALSE"]  # nothing reads replies

    # where, and what the person needs to know to get in
    assert vevent.location.value == "Leeds Central Library, Calverley Street, Leeds"
    description = vevent.description.value
    assert "Surgery space" in description
    assert f"Access: {ACCESS}" in description
    assert invite.url == f"http://127.0.0.1:5000/events/{event.id}"  # the public page
    path = manage_path_in(received)
    assert path == f"/bookings/{manage_token(booked)}"
    assert path not in invite.raw.decode()
    manage = client.get(path)
    assert manage.status_code == 200
    assert "Your booking" in manage.text

    # the readable parts say the same
    plain, html = text_of(received, "plain"), text_of(received, "html")
    for body in (plain, html):
        assert "Hello Sam" in body
        assert "Leeds Central Library" in body
        assert ACCESS in body
        assert path in body


def test_invite_is_queued_with_the_booking_and_sent_by_the_sender(client, make_event, mailbox):
    # that the sender is a thread of its own, never the request's: tests/test_mail_sender.py
    event = make_event(organiser_email=ORGANISER)
    book(client, event, "Sam")
    assert mailbox.collect() == []  # nothing goes with the request
    [received] = mailbox.deliver()  # the sender's work
    assert invite_in(received).method == "REQUEST"
    assert db.session.scalars(sa.select(OutboxMessage.status)).all() == [SENT]


def test_without_an_organiser_address_the_site_address_organises(app, client, make_event, mailbox):
    event = make_event(organiser_email="")
    book(client, event, "Sam")
    [received] = mailbox.deliver()
    sender = app.config["MAIL_DEFAULT_SENDER"]
    assert received.message["From"].addresses[0].addr_spec == sender
    assert "Reply-To" not in received.message  # replies go to the site, as it sent them
    assert invite_in(received).event.organizer.value.lower() == f"mailto:{sender}"


def test_non_ascii_names_and_places_survive_the_round_trip(client, make_event, mailbox):
    access = (
        "Rampe d’accès à l’entrée, toilettes adaptées, salle calme – demandez à l’accueil. " * 2
    )
    event = make_event(
        title="Surgery at the Brontë café",
        venue_name="Café Brontë, Haworth",
        venue_address="",
        access_info=access.strip(),
        organiser_email=ORGANISER,
        sessions=[{"kind": WORKSHOP, "title": "Sgwrs Gymraeg: Ffôn a Chyfryngau", "capacity": 5}],
    )
    book(client, event, "Zoë Ünïcode", email="zoe@example.org")
    [received] = mailbox.deliver()

    # headers are written as encoded words and read back whole
    head = received.raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    assert received.message["To"].addresses[0].display_name == "Zoë Ünïcode"
    assert received.message["Subject"].startswith("Booked: Sgwrs Gymraeg: Ffôn a Chyfryngau on ")
    assert "Hello Zoë Ünïcode" in text_of(received, "plain")
    assert "Café Brontë, Haworth" in text_of(received, "html")

    invite = invite_in(received)  # also checks CRLF and folding of the raw bytes
    assert invite.event.attendee.params["CN"] == ["Zoë Ünïcode"]
    assert invite.event.location.value == "Café Brontë, Haworth"
    assert (
        invite.event.summary.value
        == "Sgwrs Gymraeg: Ffôn a Chyfryngau – Surgery at the Brontë café"
    )
    assert access.strip() in invite.event.description.value
    # the long description really was folded
    assert any(line.startswith(b" ") for line in invite.raw.split(b"\r\n"))
    assert "Café Brontë".encode() in invite.raw


def test_an_address_that_cannot_be_written_does_not_hold_up_the_others(client, make_event, mailbox):
    event = make_event(organiser_email=ORGANISER)
    book(client, event, "Ann")
    book(client, event, "Zoë", email="zoe@example.org")
    book(client, event, "Cat")
    # an address kept before the forms refused non-ASCII names: headers cannot hold it
    message = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to_address == "zoe@example.org")
    ).one()
    message.to_address = "zoë@example.org"
    message.payload = {
        **message.payload,
        "recipient": {**message.payload["recipient"], "email": "zoë@example.org"},
    }
    db.session.commit()
    mail = mailbox.deliver_to()
    assert set(mail) == {"ann@example.org", "cat@example.org"}
    for received in mail.values():
        assert invite_in(received).method == "REQUEST"
    db.session.expire_all()
    rows = {m.to_address: m for m in db.session.scalars(sa.select(OutboxMessage))}
    assert rows["ann@example.org"].status == rows["cat@example.org"].status == SENT
    stuck = rows["zoë@example.org"]
    assert (stuck.status, stuck.attempts) == (QUEUED, 1)
    assert "UnicodeEncodeError" in stuck.last_error
    assert mailbox.deliver() == []  # nothing sent twice


def test_waiting_list_email_has_no_invite(client, make_event, mailbox):
    event = make_event(sessions=ONE_PLACE, organiser_email=ORGANISER)
    book(client, event, "Ann")
    book(client, event, "Ben")
    mail = mailbox.deliver_to()
    assert set(mail) == {"ann@example.org", "ben@example.org"}
    assert invite_in(mail["ann@example.org"]).method == "REQUEST"
    waiting = mail["ben@example.org"]
    assert waiting.message["Subject"].startswith("Waiting list: Blogging workshop")
    assert not has_calendar(waiting)
    assert not any(part.get_filename() for part in waiting.message.walk())
    assert "waiting list, number 1" in text_of(waiting)


def test_statuses_in_the_database_match_what_people_were_told(client, make_event, mailbox):
    event = make_event(sessions=ONE_PLACE, organiser_email=ORGANISER)
    book(client, event, "Ann")
    book(client, event, "Ben")
    mail = mailbox.deliver_to()
    assert booking_of("ann@example.org").status == CONFIRMED
    assert booking_of("ben@example.org").status == WAITLISTED
    assert has_calendar(mail["ann@example.org"])
    assert not has_calendar(mail["ben@example.org"])
    statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
    assert statuses == [SENT, SENT]


# the life of one booking


def test_full_life_of_a_booking_request_update_cancel_and_promotion(
    app, organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(sessions=ONE_PLACE, organiser_email=ORGANISER, access_info=ACCESS)
    session = event.sessions[0]
    book(client, event, "Ann")
    book(client, event, "Ben")  # the session is full: Ben waits

    first = mailbox.deliver_to()
    invite = invite_in(first["ann@example.org"])
    assert (invite.method, invite.sequence, invite.status) == ("REQUEST", 0, "CONFIRMED")
    assert invite.starts == session.starts_at
    assert not has_calendar(first["ben@example.org"])
    uid = invite.uid

    # the organiser moves the session to the next day, an hour later
    new_start = session.starts_at + dt.timedelta(days=1, hours=1)
    local = event.local(new_start)
    move_session(
        client,
        event,
        session,
        day=local.date().isoformat(),
        starts=local.strftime("%H:%M"),
        ends=(local + dt.timedelta(hours=2)).strftime("%H:%M"),
    )
    moved = mailbox.deliver_to()
    assert set(moved) == {"ann@example.org"}  # Ben has no invite to update
    update = invite_in(moved["ann@example.org"])
    assert (update.method, update.uid, update.sequence) == ("REQUEST", uid, 1)
    assert update.starts == new_start
    assert update.event.dtend.value.astimezone(dt.UTC) == new_start + dt.timedelta(hours=2)
    assert moved["ann@example.org"].message["Subject"].startswith("Changed: ")

    # Ann cancels from the link in the email
    cancel_from_manage_page(client, manage_path_in(moved["ann@example.org"]))
    assert booking_of("ann@example.org").status == CANCELLED
    assert booking_of("ben@example.org").status == CONFIRMED
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 2," in result.output
    after = {r.to: r for r in mailbox.collect()}
    assert set(after) == {"ann@example.org", "ben@example.org"}

    cancel = invite_in(after["ann@example.org"])
    assert (cancel.method, cancel.uid, cancel.sequence) == ("CANCEL", uid, 2)
    assert cancel.calendar.method.value == "CANCEL"
    assert cancel.status == "CANCELLED"
    assert cancel.starts == new_start

    # Ben, promoted by that cancellation, gets his first invite, at the new time
    promoted = invite_in(after["ben@example.org"])
    assert promoted.method == "REQUEST"
    assert promoted.uid == booking_of("ben@example.org").ical_uid != uid
    assert promoted.sequence == 0
    assert promoted.starts == new_start
    assert promoted.event.attendee.value.lower() == "mailto:ben@example.org"
    assert after["ben@example.org"].message["Subject"].startswith("A place came up: ")

    # nothing was sent twice, and nothing is left
    assert mailbox.deliver() == []


def test_one_invite_per_booked_session_each_with_its_own_uid(client, make_event, mailbox):
    sessions = [
        {"kind": WORKSHOP, "title": "Morning", "capacity": 5},
        {"kind": WORKSHOP, "title": "Afternoon", "capacity": 5, "hour_offset": 3},
    ]
    event = make_event(sessions=sessions, organiser_email=ORGANISER)
    morning, afternoon = event.sessions
    book(client, event, "Sam", sessions=[morning.id, afternoon.id])
    invites = [invite_in(r) for r in mailbox.deliver()]
    by_start = {i.starts: i for i in invites}
    assert set(by_start) == {morning.starts_at, afternoon.starts_at}
    assert len({i.uid for i in invites}) == 2
    db.session.expire_all()
    uids = {b.session_id: b.ical_uid for b in db.session.scalars(sa.select(Booking))}
    assert by_start[morning.starts_at].uid == uids[morning.id]
    assert by_start[afternoon.starts_at].uid == uids[afternoon.id]


def test_organiser_cancelling_a_booking_cancels_the_invite_and_promotes_the_next(
    organiser_client, make_event, mailbox
):
    event = make_event(sessions=ONE_PLACE, organiser_email=ORGANISER)
    book(organiser_client, event, "Ann")
    book(organiser_client, event, "Ben")
    first = invite_in(mailbox.deliver_to()["ann@example.org"])
    page = f"/organise/events/{event.id}"
    ann = booking_of("ann@example.org")
    response = confirm_form(organiser_client, page, f"{page}/bookings/{ann.id}/cancel")
    assert response.status_code == 303
    mail = mailbox.deliver_to()
    cancel = invite_in(mail["ann@example.org"])
    assert (cancel.method, cancel.uid, cancel.sequence) == ("CANCEL", first.uid, 1)
    assert cancel.status == "CANCELLED"
    promoted = invite_in(mail["ben@example.org"])
    assert (promoted.method, promoted.sequence) == ("REQUEST", 0)


def test_booking_again_after_cancelling_sends_a_newer_request_with_the_same_uid(
    client, make_event, mailbox
):
    event = make_event(organiser_email=ORGANISER)
    book(client, event, "Sam")
    [received] = mailbox.deliver()
    first = invite_in(received)
    cancel_from_manage_page(client, manage_path_in(received))
    cancel = invite_in(mailbox.deliver()[0])
    book_more(client, manage_path_in(received).split("/")[2], [event.sessions[0].id])
    again = invite_in(mailbox.deliver()[0])
    assert [first.sequence, cancel.sequence, again.sequence] == [0, 1, 2]
    assert [first.method, cancel.method, again.method] == ["REQUEST", "CANCEL", "REQUEST"]
    assert first.uid == cancel.uid == again.uid
    assert again.status == "CONFIRMED"


def test_leaving_the_waiting_list_sends_no_cancellation(client, make_event, mailbox):
    event = make_event(sessions=ONE_PLACE, organiser_email=ORGANISER)
    book(client, event, "Ann")
    token = manage_token(book(client, event, "Ben"))
    assert len(mailbox.deliver()) == 2
    cancel_from_manage_page(client, f"/bookings/{token}")
    assert booking_of("ben@example.org").status == CANCELLED
    assert mailbox.deliver() == []


def test_more_places_send_the_waiting_list_their_invites(organiser_client, make_event, mailbox):
    event = make_event(sessions=ONE_PLACE, organiser_email=ORGANISER)
    book(organiser_client, event, "Ann")
    book(organiser_client, event, "Ben")
    assert len(mailbox.deliver()) == 2
    move_session(organiser_client, event, event.sessions[0], capacity="2")
    mail = mailbox.deliver_to()
    assert set(mail) == {"ben@example.org"}  # Ann's session did not change
    invite = invite_in(mail["ben@example.org"])
    assert (invite.method, invite.sequence) == ("REQUEST", 0)
    assert booking_of("ben@example.org").status == CONFIRMED


def test_saving_a_session_unchanged_sends_nothing(organiser_client, make_event, mailbox):
    event = make_event(organiser_email=ORGANISER)
    book(organiser_client, event, "Ann")
    assert len(mailbox.deliver()) == 1
    move_session(organiser_client, event, event.sessions[0])
    assert mailbox.deliver() == []
    assert booking_of("ann@example.org").ical_sequence == 0


# changes the organiser makes to the day


def test_venue_change_sends_every_confirmed_person_an_update(organiser_client, make_event, mailbox):
    sessions = [
        {"kind": WORKSHOP, "title": "Morning", "capacity": 1},
        {"kind": WORKSHOP, "title": "Afternoon", "capacity": 5, "hour_offset": 3},
    ]
    event = make_event(sessions=sessions, organiser_email=ORGANISER, **place_fields())
    morning, afternoon = event.sessions
    book(organiser_client, event, "Ann", sessions=[morning.id, afternoon.id])
    book(organiser_client, event, "Ben", sessions=[morning.id])  # waiting
    first = {(r.to, invite_in(r).event.summary.value): invite_in(r) for r in new_invites(mailbox)}
    assert len(first) == 2

    edit_event(organiser_client, event, venue_name="Central Library", venue_address="Leeds LS1")
    mail = mailbox.deliver()
    assert {r.to for r in mail} == {"ann@example.org"}
    updates = {(r.to, invite_in(r).event.summary.value): invite_in(r) for r in mail}
    assert set(updates) == set(first)
    for key, update in updates.items():
        assert update.method == "REQUEST"
        assert update.uid == first[key].uid
        assert update.sequence == first[key].sequence + 1
        assert update.event.location.value == "Central Library, Leeds LS1"
        assert update.starts == first[key].starts


def test_a_change_that_is_not_the_place_sends_nothing(organiser_client, make_event, mailbox):
    event = make_event(organiser_email=ORGANISER, **place_fields())
    book(organiser_client, event, "Ann")
    assert len(mailbox.deliver()) == 1
    edit_event(organiser_client, event, description="Bring your phone and its charger.")
    assert mailbox.deliver() == []


def test_organiser_cancelling_the_day_sends_a_cancel_to_everyone_confirmed(
    organiser_client, make_event, mailbox
):
    event = make_event(sessions=ONE_PLACE, organiser_email=ORGANISER)
    more = make_event(organiser_email=ORGANISER, title="Another day")
    book(organiser_client, event, "Ann")
    book(organiser_client, event, "Ben")  # waiting
    book(organiser_client, more, "Ann")  # another day, not cancelled
    book(organiser_client, more, "Cat")
    invites = {(r.to, invite_in(r).uid): invite_in(r) for r in new_invites(mailbox)}
    ann_uid = booking_of_event("ann@example.org", event).ical_uid

    cancel_day(organiser_client, event)
    mail = mailbox.deliver_to()
    assert set(mail) == {"ann@example.org", "ben@example.org"}
    assert not has_calendar(mail["ben@example.org"])  # waiting: no invite to take back
    cancel = invite_in(mail["ann@example.org"])
    assert (cancel.method, cancel.uid, cancel.status) == ("CANCEL", ann_uid, "CANCELLED")
    assert cancel.sequence == invites[("ann@example.org", ann_uid)].sequence + 1
    assert mail["ann@example.org"].message["Subject"].startswith("Cancelled: Leeds surgery on ")
    assert "this surgery day is cancelled" in text_of(mail["ann@example.org"])


def test_cancelling_a_day_with_many_people_cancels_each_invite(
    organiser_client, make_event, mailbox
):
    event = make_event(organiser_email=ORGANISER)
    names = ["Ann", "Ben", "Cat", "Dev", "Eli"]
    for name in names:
        book(organiser_client, event, name)
    first = {r.to: invite_in(r).uid for r in mailbox.deliver()}
    cancel_day(organiser_client, event)
    cancels = {r.to: invite_in(r) for r in mailbox.deliver()}
    assert set(cancels) == {f"{n.lower()}@example.org" for n in names}
    for address, cancel in cancels.items():
        assert (cancel.method, cancel.uid, cancel.sequence) == ("CANCEL", first[address], 1)
        assert cancel.status == "CANCELLED"


def test_changing_a_cancelled_day_does_not_put_it_back_in_calendars(
    organiser_client, make_event, mailbox
):
    event = make_event(organiser_email=ORGANISER, **place_fields())
    book(organiser_client, event, "Ann")
    assert invite_in(mailbox.deliver()[0]).method == "REQUEST"
    cancel_day(organiser_client, event)
    assert invite_in(mailbox.deliver()[0]).method == "CANCEL"

    edit_event(organiser_client, event, venue_name="Somewhere else")
    session = event.sessions[0]
    move_session(organiser_client, event, session, starts="11:00", ends="13:00")
    assert mailbox.deliver() == []
    assert booking_of("ann@example.org").ical_sequence == 1


def test_nobody_is_promoted_into_a_cancelled_day(organiser_client, make_event, mailbox):
    event = make_event(sessions=ONE_PLACE, organiser_email=ORGANISER)
    token = manage_token(book(organiser_client, event, "Ann"))
    book(organiser_client, event, "Ben")  # waiting
    assert len(mailbox.deliver()) == 2
    cancel_day(organiser_client, event)
    assert sorted(r.to for r in mailbox.deliver()) == ["ann@example.org", "ben@example.org"]

    # Ann cancels anyway, and the organiser adds places: Ben is not invited to a cancelled day
    cancel_from_manage_page(organiser_client, f"/bookings/{token}")
    move_session(organiser_client, event, event.sessions[0], capacity="3")
    assert booking_of("ben@example.org").status == WAITLISTED  # set aside, still first in line
    mail = mailbox.deliver()
    assert [r.to for r in mail] == ["ann@example.org"]  # only her own cancellation again
    assert invite_in(mail[0]).method == "CANCEL"


# daylight saving


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2027-03-28", utc(2027, 3, 28, 9, 0)),  # clocks went forward at 01:00: BST
        ("2027-10-31", utc(2027, 10, 31, 10, 0)),  # clocks went back at 02:00: GMT
        ("2027-07-14", utc(2027, 7, 14, 9, 0)),  # summer
        ("2027-01-13", utc(2027, 1, 13, 10, 0)),  # winter
    ],
)
def test_local_ten_oclock_is_the_right_utc_time_across_daylight_saving(
    organiser_client, mailbox, day, expected
):
    event = create_event_with_session(organiser_client, day, "10:00", "12:00")
    assert event.sessions[0].starts_at == expected
    book(organiser_client, event, "Sam")
    [received] = mailbox.deliver()
    invite = invite_in(received)
    assert invite.event.dtstart.value == expected
    assert is_utc(invite.event.dtstart.value)
    assert invite.event.dtend.value == expected + dt.timedelta(hours=2)
    stamp = expected.strftime("%Y%m%dT%H%M%SZ").encode()
    assert b"\r\nDTSTART:" + stamp + b"\r\n" in invite.raw
    assert not uses_timezones(invite.raw)
    # people read the local time in the email
    assert "10am to 12pm" in text_of(received)
