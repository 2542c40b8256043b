"""Invites built from what is true now: a message's calendar is written when it is sent.

Each test lets changes happen, sends to a real SMTP server (aiosmtpd) and reads every
calendar that arrived with vobject, a parser that shares no code with the writer: whatever
order messages go in, and however late, none is older than what the person's calendar holds.
"""

import datetime as dt
import re
from email import policy
from email.parser import BytesParser

import sqlalchemy as sa

from surgery.bookings.models import Booking
from surgery.events.models import CANCELLED as DAY_CANCELLED
from surgery.events.models import WORKSHOP
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.organise import services as organise
from surgery.surgeons.models import APPROVED, SurgeonSession
from tests.conftest import book, confirm_form, manage_token, post_form
from tests.mail_fixtures import has_calendar, html_of, invite_in, qr_images, text_of
from tests.test_invites import booking_of, cancel_from_manage_page, move_session
from tests.test_matching_page import accept_all, add_surgeon, attend

ORGANISER = "leeds-surgery@example.org"
ONE_PLACE = [{"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 1}]


def messages() -> list[OutboxMessage]:
    """Every outbox row, oldest first, fresh from the database."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def send_again(client, message_id: int):
    """Press "Send again" on a message in the organiser's outbox."""
    page = "/organise/outbox/"
    response = post_form(client, page, f"{page}{message_id}/resend")
    assert response.status_code == 303


def day_status(event, action: str) -> None:
    """Cancel or publish a day through the organisers' service, committed as a request is."""
    organise.change_status(event.id, action)
    db.session.commit()


def moved(client, event, session, days: int = 1, hours: int = 1) -> dt.datetime:
    """Move a session later on the organiser's form; its new start (UTC)."""
    start = event.local(session.starts_at + dt.timedelta(days=days, hours=hours))
    end = start + (session.ends_at - session.starts_at)
    day, starts, ends = start.date().isoformat(), f"{start:%H:%M}", f"{end:%H:%M}"
    move_session(client, event, session, day=day, starts=starts, ends=ends)
    db.session.expire_all()
    return session.starts_at


# the rule: what a message's calendar says is decided when it is sent


def test_messages_sent_late_carry_the_state_at_sending_not_at_queuing(
    organiser_client, make_event, mailbox
):
    event = make_event(organiser_email=ORGANISER)
    book(organiser_client, event, "Ann")
    new_start = moved(organiser_client, event, event.sessions[0])
    day_status(event, "cancel")  # three messages wait: booked, changed, cancelled

    mail = mailbox.deliver()

    ann = booking_of("ann@example.org")
    subjects = [received.message["Subject"].split(":")[0] for received in mail]
    assert subjects == ["Booked", "Changed", "Cancelled"]  # the words stay as queued
    for received in mail:  # the calendars say what is true now
        invite = invite_in(received)
        assert (invite.method, invite.status) == ("CANCEL", "CANCELLED")
        assert (invite.uid, invite.sequence) == (ann.ical_uid, ann.ical_sequence) == (invite.uid, 2)
        assert invite.starts == new_start
    # a cancelled place's check-in code lets nobody in: it is not sent
    assert "check-in code" not in text_of(mail[0])
    assert qr_images(mail[0]) == []


def test_send_again_sends_the_state_now_with_a_message_id_of_its_own(
    organiser_client, make_event, mailbox
):
    event = make_event(organiser_email=ORGANISER)
    book(organiser_client, event, "Ann")
    [first] = mailbox.deliver()
    assert invite_in(first).sequence == 0
    new_start = moved(organiser_client, event, event.sessions[0])
    [update] = mailbox.deliver()

    send_again(organiser_client, messages()[0].id)
    [again] = mailbox.deliver()

    assert again.message["Subject"] == first.message["Subject"]
    invite = invite_in(again)
    assert (invite.method, invite.uid, invite.sequence) == ("REQUEST", invite_in(first).uid, 1)
    assert invite.starts == new_start
    assert invite.sequence == invite_in(update).sequence
    ids = [received.message["Message-ID"] for received in (first, update, again)]
    assert len(set(ids)) == 3
    assert "check-in code" in text_of(again)  # the place stands: its code and QR code too
    assert len(qr_images(again)) == 1


def test_a_waiting_list_place_gets_no_calendar_even_from_an_invite_sent_again(
    organiser_client, make_event, mailbox
):
    event = make_event(sessions=ONE_PLACE, organiser_email=ORGANISER)
    token = manage_token(book(organiser_client, event, "Ann"))
    book(organiser_client, event, "Ben")  # waits
    mailbox.deliver()
    cancel_from_manage_page(organiser_client, f"/bookings/{token}")  # Ben is promoted
    promoted = mailbox.deliver_to()["ben@example.org"]
    assert invite_in(promoted).method == "REQUEST"
    ben = booking_of("ben@example.org")
    # the organiser cancels Ben's place: the promotion sent again now takes it back
    page = f"/organise/events/{event.id}"
    confirm_form(organiser_client, page, f"{page}/bookings/{ben.id}/cancel")
    mailbox.deliver()
    [promotion] = [m for m in messages() if m.kind == "booking_promoted"]

    send_again(organiser_client, promotion.id)

    [again] = mailbox.deliver()
    invite = invite_in(again)
    assert (invite.method, invite.sequence) == (
        "CANCEL",
        booking_of("ben@example.org").ical_sequence,
    )
    waiting = [m for m in messages() if m.kind == "booking_waitlisted"]
    send_again(organiser_client, waiting[0].id)
    assert not has_calendar(mailbox.deliver()[0])


# who you will meet, and who sends


def test_an_attendees_invite_keeps_who_they_will_meet_after_the_session_moves(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    add_surgeon(client, event, "Sue", bio="Runs the choir's Facebook page.")
    attend(client, event, "Ann", help_text="Start a page for our choir")
    mailbox.deliver()
    accept_all(client, event.sessions[0])
    matched = mailbox.deliver_to()["ann@example.org"]
    meet = "You will meet Sue, who can help with Facebook."
    assert meet in invite_in(matched).event.description.value

    moved(client, event, event.sessions[0], days=0, hours=2)

    update = invite_in(mailbox.deliver_to()["ann@example.org"])
    assert update.sequence > invite_in(matched).sequence
    assert meet in update.event.description.value
    assert "About Sue: Runs the choir's Facebook page." in update.event.description.value


def test_an_organiser_who_is_also_a_surgeon_gets_an_invite_organised_by_the_site(
    app, organiser_client, organiser, make_event, mailbox
):
    event = make_event(organiser_email=organiser.email)
    add_surgeon(organiser_client, event, organiser.name)  # their own address

    received = mailbox.deliver_to()[organiser.email]

    invite = invite_in(received)
    site = app.config["MAIL_DEFAULT_SENDER"]
    assert invite.method == "REQUEST"
    assert invite.event.organizer.value.lower() == f"mailto:{site}" != f"mailto:{organiser.email}"
    assert invite.event.attendee.value.lower() == f"mailto:{organiser.email}"
    assert received.message["From"].addresses[0].addr_spec == site


# the email itself: its layout, its QR code and its headers


def test_the_qr_code_is_made_when_the_email_is_written_and_sits_beside_its_html(
    client, make_event, mailbox
):
    event = make_event(organiser_email=ORGANISER)
    book(client, event, "Ann")
    [queued] = messages()
    assert queued.booking_id == booking_of("ann@example.org").id
    assert "png" not in queued.payload["checkin"]  # no image stored with the row

    [received] = mailbox.deliver()

    related = html_of(received)  # checks multipart/related holds the HTML and the image
    code = booking_of("ann@example.org").registration.checkin_code
    assert f"QR code for your check-in code {code}" in related.get_content()
    assert len(qr_images(received)) == 1


ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def test_long_welsh_and_emoji_headers_are_encoded_words_of_at_most_75_characters(
    client, make_event, mailbox
):
    # a run of emoji too long for one encoded word, and a Welsh name folded over two lines
    title = "Sgwrs Gymraeg: Ffôn, Facebook a’r Cyfryngau Cymdeithasol i Grwpiau 🎉📱💬🎉📱💬🎉📱💬"
    name = "Siân Llywelyn-Ångström ap Gruffydd ferch Rhiannon o Gaerdydd 🌈✨"
    event = make_event(organiser_email=ORGANISER, sessions=[{"kind": WORKSHOP, "title": title,
                                                              "capacity": 5}])  # fmt: skip
    book(client, event, name, email="sian@example.org")

    [received] = mailbox.deliver()

    head = received.raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    words = ENCODED_WORD.findall(head)
    assert len(words) >= 6  # the subject's and the name's non-ASCII words, the emoji split
    assert all(len(word) <= 75 for word in words), [w for w in words if len(w) > 75]
    assert all(len(line) <= 78 for line in head.split("\r\n") if "=?" in line)
    message = BytesParser(policy=policy.default).parsebytes(received.raw)
    [queued] = messages()
    assert queued.subject.startswith(f"Booked: {title} on ")
    assert message["Subject"] == queued.subject  # decoded back exactly
    assert message["To"].addresses[0].display_name == name
    assert invite_in(received).event.attendee.params["CN"] == [name]


# a day's changes end to end, as people's calendars receive them


def test_every_calendar_of_a_days_changes_is_never_older_and_ends_as_the_database(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(sessions=[{"kind": "surgery", "title": "Surgery space", "capacity": 1}],
                       organiser_email=ORGANISER)  # fmt: skip
    session = event.sessions[0]
    add_surgeon(client, event, "Sue")
    token = manage_token(attend(client, event, "Ann"))
    attend(client, event, "Ben")  # waits
    received = mailbox.deliver()
    accept_all(client, session)  # Ann will meet Sue
    received += mailbox.deliver()
    moved(client, event, session)
    received += mailbox.deliver()
    cancel_from_manage_page(client, f"/bookings/{token}")  # Ben is promoted; Sue is told
    received += mailbox.deliver()
    day_status(event, "cancel")
    received += mailbox.deliver()
    day_status(event, "publish")
    received += mailbox.deliver()
    send_again(client, messages()[0].id)
    received += mailbox.deliver()

    latest, ids = {}, set()
    for message in received:
        ids.add(message.message["Message-ID"])
        if not has_calendar(message):
            continue
        invite = invite_in(message)  # parsed by vobject, its layout checked
        before = latest.get(invite.uid)
        assert before is None or invite.sequence >= before.sequence, "a calendar went back"
        latest[invite.uid] = invite
    assert len(ids) == len(received)  # every sending has a Message-ID of its own
    db.session.expire_all()
    entries = _entries_in_the_database()
    assert set(latest) <= set(entries)
    assert len(latest) >= 3  # Ann's, Ben's and Sue's entries
    for uid, invite in latest.items():
        sequence, starts, ends, cancelled = entries[uid]
        assert invite.sequence == sequence
        assert invite.starts == starts
        assert invite.event.dtend.value.astimezone(dt.UTC) == ends
        expected = ("CANCEL", "CANCELLED") if cancelled else ("REQUEST", "CONFIRMED")
        assert (invite.method, invite.status) == expected
    assert latest[booking_of("ann@example.org").ical_uid].method == "CANCEL"
    assert latest[booking_of("ben@example.org").ical_uid].method == "REQUEST"


def _entries_in_the_database() -> dict[str, tuple[int, dt.datetime, dt.datetime, bool]]:
    """Every calendar entry as the database has it now: uid -> (SEQUENCE, start, end,
    whether it is off)."""
    entries = {}
    for booking in db.session.scalars(sa.select(Booking)):
        session, off = booking.session, booking.status != "confirmed"
        off = off or session.event.status == DAY_CANCELLED
        entries[booking.ical_uid] = (booking.ical_sequence, session.starts_at, session.ends_at, off)
    for slot in db.session.scalars(sa.select(SurgeonSession)):
        session = slot.session
        off = slot.surgeon.status != APPROVED or session.event.status == DAY_CANCELLED
        entries[slot.ical_uid] = (slot.ical_sequence, session.starts_at, session.ends_at, off)
    return entries
