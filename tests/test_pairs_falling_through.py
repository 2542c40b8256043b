"""When a pair falls through or a day is cancelled, the person still waiting is told.

A surgeon who leaves after their pair was accepted: the attendee hears, with an invite that
no longer names them. An attendee who cancels an accepted pair: the surgeon hears who is
still coming. A cancelled day: its waiting list hears too. Everything goes through the
pages; emails are read as a real SMTP server received them, every invite parsed with vobject.
"""

import re

import pytest
import sqlalchemy as sa

from surgery.bookings import services as bookings_service
from surgery.bookings.models import Booking, Registration
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED
from surgery.domain.errors import DomainError
from surgery.events.models import WORKSHOP
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.matching.models import ACCEPTED, LOCKED, Match
from surgery.vocabulary.models import RoleTag, Topic
from tests.conftest import (
    book,
    book_more,
    confirm_form,
    count,
    csrf_from,
    manage_token,
    post_form,
)
from tests.mail_fixtures import has_calendar, invite_in, text_of, words_of
from tests.test_invites import move_session
from tests.test_matching_page import (
    TWO_SURGERIES,
    accept_all,
    add_surgeon,
    attend,
    ids,
    mail_by_person,
    matches,
    matching_url,
    organiser_action,
    pair_by_hand,
    press_in_row,
    suggested,
    surgeon_of,
    unpaired,
    volunteer,
)
from tests.test_organise import change_status as press_status

ORGANISER = "leeds-surgery@example.org"
JOURNALIST = "Community journalist"
STATUTORY = "Worker in statutory services (NHS, council)"
TWO_WORKSHOPS = [
    {"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 1},
    {"kind": WORKSHOP, "title": "Video workshop", "capacity": 1, "hour_offset": 3},
]


def bookings_of(name: str) -> list[Booking]:
    """A person's bookings, fresh from the database, in the order they were made."""
    db.session.expire_all()
    query = sa.select(Booking).join(Booking.registration).where(Registration.name == name)
    return list(db.session.scalars(query.order_by(Booking.id)))


def cancel_button(client, manage_path: str, which: int = 0) -> str:
    """The action of a Cancel button on a person's manage page."""
    actions = re.findall(r'action="(/bookings/[^"]+/cancel/\d+)"', client.get(manage_path).text)
    return actions[which]


def change_status(client, event, action: str) -> None:
    """Press "Cancel this day" or "Publish" on the organiser's event page, and say yes on the
    page that asks first."""
    assert press_status(client, event, action).status_code == 200


def csrf_of(client, event) -> str:
    """A CSRF token from the organiser's surgeons page, to press a button no longer shown."""
    return csrf_from(client.get(f"/organise/events/{event.id}/surgeons").text)


def only(mail: dict, address: str):
    """The one new message a person received."""
    [received] = mail[address]
    return received


# a surgeon who can no longer come


def test_a_surgeon_who_withdraws_after_pairs_were_accepted_tells_those_attendees(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    session = event.sessions[0]
    sue_link = volunteer(client, event, "Sue", topics=("Facebook",))
    organiser_action(client, event, "Sue", "approve")
    add_surgeon(client, event, "Raj", topics=("Websites",), capacity=1)
    attend(client, event, "Ann", topics=("Facebook",))
    attend(client, event, "Ben", topics=("Facebook",))
    attend(client, event, "Cat", topics=("Websites",))
    attend(client, event, "Dan", topics=("Facebook",))
    mailbox.deliver()
    # Ann and Cat are told who they will meet; Ben's pair is only locked; Dan's only suggested
    for name in ("Ann", "Cat"):
        press_in_row(client, session, "Suggested pairs", name, "Accept")
    press_in_row(client, session, "Suggested pairs", "Ben", "Lock")
    assert matches() == {"Ann": ("Sue", ACCEPTED), "Ben": ("Sue", LOCKED), "Cat": ("Raj", ACCEPTED)}
    told = invite_in(only(mail_by_person(mailbox), "ann@example.org"))
    assert "You will meet Sue" in told.event.description.value

    assert confirm_form(client, sue_link, f"{sue_link}/withdraw").status_code == 303

    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org", "sue@example.org"]  # not Ben: he was never told
    received = only(mail, "ann@example.org")
    assert received.message["Subject"].startswith("Your surgeon can no longer come: Surgery space")
    words = words_of(received)
    assert "We are sorry: the surgeon we found for you can no longer come." in words
    assert "Your place is still booked, and an organiser will find you someone else" in words
    invite = invite_in(received)
    ann = bookings_of("Ann")[0]
    assert (invite.method, invite.status) == ("REQUEST", "CONFIRMED")
    assert invite.uid == told.uid == ann.ical_uid
    assert invite.sequence == told.sequence + 1 == ann.ical_sequence
    assert invite.starts == session.starts_at
    assert "Sue" not in invite.event.description.value  # the calendar no longer names her
    assert "Your check-in code for the day:" in text_of(received)
    assert [invite_in(r).method for r in mail["sue@example.org"]] == ["CANCEL"]

    # Ann's place stays; her pair is gone, so she is matched again with someone else
    assert ann.status == CONFIRMED
    assert matches() == {"Cat": ("Raj", ACCEPTED)}
    assert "Ann" in unpaired(client.get(matching_url(session)).text)
    add_surgeon(client, event, "Lee", topics=("Facebook",), capacity=1)
    mailbox.deliver()
    pair_by_hand(client, session, "Ann", "Lee")
    press_in_row(client, session, "Fixed pairs", "Ann", "Accept")
    again = invite_in(only(mail_by_person(mailbox), "ann@example.org"))
    assert (again.uid, again.sequence) == (told.uid, invite.sequence + 1)
    assert "You will meet Lee" in again.event.description.value


def test_declining_a_surgeon_after_a_pair_was_accepted_tells_the_attendee(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    add_surgeon(client, event, "Sue", capacity=1)
    attend(client, event, "Ann")
    mailbox.deliver()
    accept_all(client, event.sessions[0])
    told = invite_in(only(mail_by_person(mailbox), "ann@example.org"))

    organiser_action(client, event, "Sue", "decline")

    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org", "sue@example.org"]
    received = only(mail, "ann@example.org")
    assert "the surgeon we found for you can no longer come" in words_of(received)
    invite = invite_in(received)
    assert (invite.method, invite.uid, invite.sequence) == ("REQUEST", told.uid, told.sequence + 1)
    assert "Sue" not in invite.event.description.value
    assert count(Match) == 0
    assert bookings_of("Ann")[0].status == CONFIRMED

    # a second press (another screen, or the back button) tells nobody again
    url = f"/organise/events/{event.id}/surgeons/{surgeon_of('Sue').id}/decline"
    again = {"csrf_token": csrf_of(client, event), "confirmed": "yes"}
    assert client.post(url, data=again).status_code == 303
    assert mail_by_person(mailbox) == {}


def test_a_surgeon_dropping_one_session_tells_only_that_sessions_attendee(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER, sessions=TWO_SURGERIES)
    morning, afternoon = event.sessions
    sue_link = volunteer(client, event, "Sue", sessions=[morning.id, afternoon.id])
    organiser_action(client, event, "Sue", "approve")
    attend(client, event, "Ann", session=morning)
    attend(client, event, "Ben", session=afternoon)
    for session in (morning, afternoon):
        accept_all(client, session)
    mailbox.deliver()

    # Sue can only come in the afternoon now
    data = {"name": "Sue", "topics": ids(Topic, "Facebook"), "sessions": [afternoon.id]}
    assert post_form(client, sue_link, data={**data, "capacity": "3"}).status_code == 303

    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org", "sue@example.org"]
    received = only(mail, "ann@example.org")
    assert received.message["Subject"].startswith("Your surgeon can no longer come: Morning")
    assert invite_in(received).uid == bookings_of("Ann")[0].ical_uid
    assert matches() == {"Ben": ("Sue", ACCEPTED)}


# an attendee who can no longer come


def test_an_attendee_cancelling_an_accepted_pair_tells_the_surgeon_who_is_still_coming(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    session = event.sessions[0]
    add_surgeon(client, event, "Sue", capacity=2)
    # Ann told the organisers about herself, not her surgeon; Ben let his surgeon know too
    ann = manage_token(
        attend(
            client,
            event,
            "Ann",
            role_tags=ids(RoleTag, STATUTORY),
            access_needs=["quiet_space"],
            consent="y",
        )
    )
    attend(
        client,
        event,
        "Ben",
        role_tags=ids(RoleTag, JOURNALIST),
        access_needs=["step_free"],
        consent="y",
        share_with_surgeon="y",
    )
    mailbox.deliver()
    accept_all(client, session)
    told = invite_in(only(mail_by_person(mailbox), "sue@example.org"))
    slot = surgeon_of("Sue").availability[0]

    manage = f"/bookings/{ann}"
    assert confirm_form(client, manage, cancel_button(client, manage)).status_code == 303

    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org", "sue@example.org"]
    assert invite_in(only(mail, "ann@example.org")).method == "CANCEL"
    received = only(mail, "sue@example.org")
    assert received.message["Subject"].startswith("A change to who you will help: Surgery space")
    words = words_of(received)
    assert "Ann can no longer come, so you will not be helping them." in words
    assert "Here is who you will still help." in words
    assert "Ben would like help with Facebook." in words
    assert "About them: Community journalist." in words
    for private in (STATUTORY, "quiet space", "Quiet space"):
        assert private not in words
    invite = invite_in(received)
    assert (invite.method, invite.status) == ("REQUEST", "CONFIRMED")
    assert invite.uid == told.uid == slot.ical_uid
    assert invite.sequence == told.sequence + 1
    description = invite.event.description.value
    assert "Ben would like help with Facebook." in description
    assert "Ann" not in description

    assert [b.status for b in bookings_of("Ann")] == [CANCELLED]
    assert matches() == {"Ben": ("Sue", ACCEPTED)}

    # the organiser cancels Ben's booking too: Sue now has nobody
    page = f"/organise/events/{event.id}"
    ben = bookings_of("Ben")[0]
    assert confirm_form(client, page, f"{page}/bookings/{ben.id}/cancel").status_code == 303
    received = only(mail_by_person(mailbox), "sue@example.org")
    assert "Ben can no longer come" in words_of(received)
    assert "Nobody else is paired with you in this session yet." in words_of(received)
    invite = invite_in(received)
    assert (invite.uid, invite.sequence) == (told.uid, told.sequence + 2)
    assert "would like help" not in invite.event.description.value
    assert count(Match) == 0


def test_cancelling_every_session_tells_each_surgeon_once(organiser_client, make_event, mailbox):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER, sessions=TWO_SURGERIES)
    morning, afternoon = event.sessions
    add_surgeon(client, event, "Sue", sessions=[morning.id])
    add_surgeon(client, event, "Raj", sessions=[afternoon.id])
    ann = manage_token(book(client, event, "Ann", sessions=[morning.id, afternoon.id]))
    for session in (morning, afternoon):
        accept_all(client, session)
    mailbox.deliver()
    assert [m.status for m in db.session.scalars(sa.select(Match))] == [ACCEPTED, ACCEPTED]

    manage = f"/bookings/{ann}"
    assert confirm_form(client, manage, f"{manage}/cancel-all").status_code == 303

    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org", "raj@example.org", "sue@example.org"]
    assert [invite_in(r).method for r in mail["ann@example.org"]] == ["CANCEL", "CANCEL"]
    for surgeon, session in (("sue", morning), ("raj", afternoon)):
        received = only(mail, f"{surgeon}@example.org")
        subject = received.message["Subject"]
        assert subject.startswith(f"A change to who you will help: {session.title}")
        assert "Ann can no longer come" in words_of(received)
        assert invite_in(received).starts == session.starts_at
    assert [b.status for b in bookings_of("Ann")] == [CANCELLED, CANCELLED]
    assert count(Match) == 0


def test_a_locked_pair_that_falls_through_goes_and_tells_nobody(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    session = event.sessions[0]
    add_surgeon(client, event, "Sue", capacity=1)
    ann = manage_token(attend(client, event, "Ann"))
    pair_by_hand(client, session, "Ann", "Sue")
    mailbox.deliver()
    assert matches() == {"Ann": ("Sue", LOCKED)}

    manage = f"/bookings/{ann}"
    assert confirm_form(client, manage, cancel_button(client, manage)).status_code == 303

    assert count(Match) == 0  # the booking is kept, cancelled; its pair is not
    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org"]  # her own cancellation only

    # booking again does not bring the old pair back
    book_more(client, ann, [session.id])
    assert bookings_of("Ann")[0].status == CONFIRMED
    assert suggested(client.get(matching_url(session)).text) == {"Ann": ("Sue", "both: Facebook")}
    assert count(Match) == 0


def test_on_a_cancelled_day_pairs_go_without_putting_invites_back(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    session = event.sessions[0]
    add_surgeon(client, event, "Sue", capacity=1)
    add_surgeon(client, event, "Raj", capacity=1)
    ann = manage_token(attend(client, event, "Ann"))
    attend(client, event, "Ben")
    accept_all(client, session)
    assert sorted(matches()) == ["Ann", "Ben"]
    change_status(client, event, "cancel")
    mailbox.deliver()

    # Ann cancels anyway: her pair goes, and her surgeon gets no invite for a cancelled day
    manage = f"/bookings/{ann}"
    assert confirm_form(client, manage, cancel_button(client, manage)).status_code == 303
    assert "Ann" not in matches()
    ben_surgeon = matches()["Ben"][0]
    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org"]
    assert invite_in(only(mail, "ann@example.org")).method == "CANCEL"

    # Ben's surgeon is declined: Ben's cancelled invite is not sent again
    organiser_action(client, event, ben_surgeon, "decline")
    assert count(Match) == 0
    assert "ben@example.org" not in mail_by_person(mailbox)


# a cancelled day's waiting list


def waiting_order(session) -> list[str]:
    """Who waits for a session, first in line first, fresh from the database."""
    db.session.expire_all()
    query = (
        sa.select(Registration.name)
        .join(Booking.registration)
        .where(Booking.session_id == session.id, Booking.status == WAITLISTED)
        .order_by(Booking.queue_key, Booking.id)
    )
    return list(db.session.scalars(query))


def waiting_said(mail: dict, name: str, event) -> dict[str, str]:
    """The waiting-list emails a person received, by session title: each one's words."""
    said = {}
    for received in mail[f"{name}@example.org"]:
        assert not has_calendar(received)  # a waiting list place is never put in a calendar
        words = words_of(received)
        said[next(s.title for s in event.sessions if s.title in words)] = words
    return said


def test_cancelling_a_day_keeps_its_waiting_list_in_order_and_publishing_again_restores_it(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER, sessions=TWO_WORKSHOPS)
    blogging, video = event.sessions
    ann = manage_token(book(client, event, "Ann", sessions=[blogging.id, video.id]))
    book(client, event, "Ben", sessions=[blogging.id])  # waiting, first
    book(client, event, "Cat", sessions=[blogging.id, video.id])
    book(client, event, "Dev", sessions=[video.id])  # waiting, second
    first = mail_by_person(mailbox)
    ann_uids = {invite_in(r).uid for r in first["ann@example.org"]}

    change_status(client, event, "cancel")

    mail = mail_by_person(mailbox)
    assert sorted(mail) == [f"{n}@example.org" for n in ("ann", "ben", "cat", "dev")]
    # confirmed: each invite cancelled, once
    cancels = [invite_in(r) for r in mail["ann@example.org"]]
    assert sorted((i.method, i.uid) for i in cancels) == sorted(("CANCEL", u) for u in ann_uids)
    # waiting: one plain email per session waited for, saying the place in the queue is kept
    told = {
        "ben": {"Blogging workshop": 1},
        "cat": {"Blogging workshop": 2, "Video workshop": 1},
        "dev": {"Video workshop": 2},
    }
    for name, places in told.items():
        said = waiting_said(mail, name, event)
        assert len(mail[f"{name}@example.org"]) == len(places)
        for title, position in places.items():
            assert "We are sorry: this surgery day is cancelled" in said[title]
            kept = f"You keep your place on the waiting list for this session, number {position},"
            assert f"{kept} in case the day goes ahead after all" in said[title]
        for one in mail[f"{name}@example.org"]:
            assert one.message["Subject"].startswith("Cancelled: Leeds surgery on ")
    # set aside, not destroyed: everyone keeps their booking and their place
    assert waiting_order(blogging) == ["Ben", "Cat"]
    assert waiting_order(video) == ["Cat", "Dev"]
    assert {b.status for b in bookings_of("Ann")} == {CONFIRMED}
    assert "Waiting list" in client.get(f"/organise/events/{event.id}").text

    # on the cancelled day Ann gives up her blogging place: nobody is moved into it
    manage = f"/bookings/{ann}"
    ann_blogging = bookings_of("Ann")[0]
    assert ann_blogging.session_id == blogging.id
    cancelled = confirm_form(client, manage, f"{manage}/cancel/{ann_blogging.id}")
    assert cancelled.status_code == 303
    assert sorted(mail_by_person(mailbox)) == ["ann@example.org"]
    assert waiting_order(blogging) == ["Ben", "Cat"]
    # and nobody books a place on it, even from their private link
    assert book_more(client, ann, [blogging.id]).status_code == 400
    with pytest.raises(DomainError, match="This surgery day is cancelled, so it cannot be booked"):
        bookings_service.add_sessions(bookings_of("Ann")[0].registration, [blogging.id])
    db.session.rollback()
    assert mail_by_person(mailbox) == {}

    change_status(client, event, "publish")

    mail = mail_by_person(mailbox)
    assert {a: len(m) for a, m in mail.items()} == {
        "ann@example.org": 1,  # her video place, back in her calendar
        "ben@example.org": 1,  # the blogging place Ann gave up
        "cat@example.org": 2,  # still waiting for both, nearer the front of one
        "dev@example.org": 1,
    }
    [ann_back] = mail["ann@example.org"]
    assert ann_back.message["Subject"].startswith("On again: Leeds surgery on ")
    assert "this surgery day is going ahead after all" in words_of(ann_back)
    invite = invite_in(ann_back)
    assert invite.method == "REQUEST" and invite.uid in ann_uids
    assert invite.sequence > next(i.sequence for i in cancels if i.uid == invite.uid)
    [ben_place] = mail["ben@example.org"]
    assert ben_place.message["Subject"].startswith("A place came up: Blogging workshop")
    assert invite_in(ben_place).method == "REQUEST"
    back = {"cat": {"Blogging workshop": 1, "Video workshop": 1}, "dev": {"Video workshop": 2}}
    for name, places in back.items():
        said = waiting_said(mail, name, event)
        for title, position in places.items():
            assert "Good news: this surgery day is going ahead after all" in said[title]
            assert f"still on the waiting list for this session, number {position}." in said[title]
    assert [b.status for b in bookings_of("Ben")] == [CONFIRMED]
    assert waiting_order(blogging) == ["Cat"]
    assert waiting_order(video) == ["Cat", "Dev"]


# the day changes: surgeons' invites follow, as attendees' do


def test_surgeons_hear_when_their_session_moves_and_when_the_day_is_cancelled(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    session = event.sessions[0]
    add_surgeon(client, event, "Sue")
    volunteer(client, event, "Vic")  # not approved: never had an invite
    attend(client, event, "Ann", help_text="Start a page for our choir")
    mailbox.deliver()
    accept_all(client, session)
    [matched] = mail_by_person(mailbox)["sue@example.org"]
    before = invite_in(matched)

    move_session(client, event, session, starts="14:00", ends="16:00")

    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org", "sue@example.org"]
    changed = only(mail, "sue@example.org")
    assert changed.message["Subject"].startswith("Changed: Surgery space on ")
    invite = invite_in(changed)
    assert (invite.method, invite.uid) == ("REQUEST", before.uid)
    assert invite.sequence > before.sequence
    assert event.local(invite.starts).strftime("%H:%M") == "14:00"
    assert "Ann would like help with Facebook" in invite.event.description.value
    assert "Ann would like help with Facebook" in words_of(changed)

    change_status(client, event, "cancel")

    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org", "sue@example.org"]
    cancelled = only(mail, "sue@example.org")
    assert cancelled.message["Subject"].startswith("Cancelled: Leeds surgery on ")
    assert "this surgery day is cancelled" in words_of(cancelled)
    invite = invite_in(cancelled)
    assert (invite.method, invite.status, invite.uid) == ("CANCEL", "CANCELLED", before.uid)
    assert invite.sequence > invite_in(changed).sequence


def test_a_cancelled_day_takes_no_new_invites(organiser_client, make_event, mailbox):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    volunteer(client, event, "Vic")
    attend(client, event, "Ann")
    add_surgeon(client, event, "Sue")
    mailbox.deliver()
    change_status(client, event, "cancel")
    before = db.session.scalar(sa.select(sa.func.max(OutboxMessage.id)))

    page = f"/organise/events/{event.id}/surgeons"
    approved = post_form(client, page, f"{page}/{surgeon_of('Vic').id}/approve")
    shown = client.get(approved.headers["Location"]).text
    accepted = accept_all(client, event.sessions[0])

    assert "This surgery day is cancelled, so nobody can be approved for it." in shown
    assert "This surgery day is cancelled, so nobody can be told about pairs." in accepted
    assert surgeon_of("Vic").status == "pending"
    assert count(Match) == 0
    queued = db.session.scalars(sa.select(OutboxMessage.kind).where(OutboxMessage.id > before))
    assert list(queued) == []  # no invite, no "you are approved", no "who you will help"


def test_a_cancelled_day_published_again_is_put_back_in_calendars(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    add_surgeon(client, event, "Sue")
    attend(client, event, "Ann")
    mailbox.deliver()
    accept_all(client, event.sessions[0])
    mailbox.deliver()
    change_status(client, event, "cancel")
    cancelled = {to: invite_in(only_one) for to, [only_one] in mail_by_person(mailbox).items()}

    change_status(client, event, "publish")

    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org", "sue@example.org"]
    for address, received in ((a, only(mail, a)) for a in mail):
        assert received.message["Subject"].startswith("On again: Leeds surgery on ")
        assert "this surgery day is going ahead after all" in words_of(received)
        invite = invite_in(received)
        assert (invite.method, invite.uid) == ("REQUEST", cancelled[address].uid)
        assert invite.sequence > cancelled[address].sequence
    assert (
        "Ann would like help with"
        in invite_in(only(mail, "sue@example.org")).event.description.value
    )
