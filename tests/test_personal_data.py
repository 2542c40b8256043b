"""People control their own data: they see it, take it away and delete it from their link,
and an organiser can erase one person.

Erasing goes through the pages, as a person would; the mail is read as a real SMTP server
received it. After the worker has sent everything, every table of the database is read
whole and searched for anything of the person erased.
"""

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from surgery.audit.models import AuditEntry
from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.day.models import HelpRecord
from surgery.domain import audit
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.tokens import manage_token as token_for
from surgery.events.models import SURGERY, WORKSHOP
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.mail.outbox import FORGET_AFTER_SEND, send_due
from surgery.matching.models import ACCEPTED
from surgery.surgeons.models import Surgeon
from surgery.vocabulary.models import RoleTag, Topic
from tests.conftest import (
    ORGANISER_PASSWORD,
    book,
    confirm_form,
    count,
    manage_token,
    post_form,
)
from tests.mail_fixtures import invite_in, words_of
from tests.smtp import SmtpServer
from tests.test_after_the_day import big_counts, day  # noqa: F401 (day: a fixture)
from tests.test_matching_page import (
    accept_all,
    add_surgeon,
    attend,
    ids,
    mail_by_person,
    matches,
)
from tests.test_outbox import sending_to

DAY = [
    {"kind": SURGERY, "title": "Surgery space", "capacity": 10},
    {"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 1, "hour_offset": 3},
]
NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine@example.org"
HELP = "My allotment society blog keeps vanishing, XQ7"
ACCESS = "A ramp by the back door please, ZR9"
LANGUAGE = "Kernewek"
SECRET = "test-secret"  # the tests' app secret, which private links are built with


def every_answer(event) -> dict:
    """A booking form with every sensitive answer given, consented and shared."""
    tags = db.session.scalars(
        sa.select(RoleTag.id).where(RoleTag.name != "Prefer not to say")
    ).all()
    return {
        "name": NAME,
        "email": EMAIL,
        "sessions": [s.id for s in event.sessions],
        "topics": ids(Topic, "Facebook"),
        "help_text": HELP,
        "languages": LANGUAGE,
        "consent": "y",
        "share_with_surgeon": "y",
        "role_tags": list(tags),
        "access_needs": ["step_free", "quiet_space"],
        "access_other": ACCESS,
        "wants_lived_experience": "y",
    }


def book_everything(client, event) -> str:
    """Book both sessions with every answer; return the manage token."""
    booked = post_form(client, f"/events/{event.id}/book", data=every_answer(event))
    return manage_token(booked)


def registration_named(name: str) -> Registration | None:
    """A registration, fresh from the database."""
    db.session.expire_all()
    query = sa.select(Registration).where(Registration.name == name)
    return db.session.scalars(query).one_or_none()


def everything_in_the_database() -> str:
    """Every row of every table, as text."""
    db.session.expire_all()
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            found.append(f"{table.name}: {row!r}")
    return "\n".join(found)


def audit_rows(action: str) -> list[AuditEntry]:
    """The audit entries of one action."""
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def matched_day(organiser_client, make_event, mailbox):
    """Zephyrine booked on both sessions with every answer, Sue accepted as her surgeon,
    and Wally waiting behind her for the workshop's one place; all mail sent."""
    client = organiser_client
    event = make_event(DAY)
    token = book_everything(client, event)
    add_surgeon(client, event, "Sue")
    accept_all(client, event.sessions[0])
    attend(client, event, "Wally", session=event.sessions[1])
    assert registration_named(NAME).consent_sensitive
    assert matches() == {NAME: ("Sue", ACCEPTED)}
    mailbox.deliver()
    return event, token


def test_erasing_from_the_manage_link_leaves_nothing_of_the_person(
    organiser_client, matched_day, mailbox
):
    client = organiser_client
    event, token = matched_day
    person = registration_named(NAME)
    code, seed = person.checkin_code, person.token_seed
    manage = f"/bookings/{token}"
    assert "Delete everything about me" in client.get(manage).text

    asked = post_form(client, manage, f"{manage}/erase")
    page = asked.get_data(as_text=True)
    assert "Delete everything we hold about you?" in page
    assert "The surgeon who was going to help you in Surgery space will be emailed" in page
    assert "1 person on the waiting list will get your place and be emailed." in page
    assert "Your private link will stop working." in page
    assert registration_named(NAME) is not None  # asking changes nothing

    done = confirm_form(client, manage, f"{manage}/erase")
    assert done.status_code == 303 and done.headers["Location"].endswith("/your-data-deleted")
    assert "Your data is deleted" in client.get("/your-data-deleted").text
    assert registration_named(NAME) is None

    wally = registration_named("Wally")
    assert [b.status for b in wally.bookings] == [CONFIRMED]  # moved up, same transaction

    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["sue@example.org", "wally@example.org", EMAIL]
    cancels = [invite_in(r) for r in mail[EMAIL]]
    assert sorted(i.method for i in cancels) == ["CANCEL", "CANCEL"]
    assert all(token not in r.raw.decode() for r in mail[EMAIL])  # the dead link is not sent
    [told] = mail["sue@example.org"]
    assert f"{NAME} can no longer come, so you will not be helping them." in words_of(told)
    [promoted] = mail["wally@example.org"]
    assert promoted.message["Subject"].startswith("A place came up: Blogging workshop")

    everything = everything_in_the_database()
    for trace in (NAME, "Zephyrine", EMAIL, code, token, seed, HELP, ACCESS, LANGUAGE):
        assert trace not in everything, trace
    [entry] = audit_rows(audit.ERASED_PERSON)
    assert (entry.actor, entry.subject) == (audit.THE_PERSON, f"registration {person.id}")
    assert "Zephyrine" not in f"{entry.detail} {entry.subject}"
    assert not db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.status != "sent")
    ).all()

    gone = client.get(manage)
    assert gone.status_code == 404
    assert client.get(f"{manage}/your-data").status_code == 404
    assert client.get(f"{manage}/your-data.json").status_code == 404


def test_a_surgeon_erasing_themselves_tells_their_attendees_and_leaves_nothing(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event()
    sue = add_surgeon(
        client, event, "Sue Sprocket", email="sue@example.org", bio="Ask me about XQ8 widgets"
    )
    # the organiser added her, so her link is rebuilt as the mail does, from the seed
    sue_token = token_for(SECRET, sue.token_seed)
    attend(client, event, "Ann", **{"consent": "y", "share_with_surgeon": "y"})
    accept_all(client, event.sessions[0])
    mailbox.deliver()
    seed, email = sue.token_seed, sue.email

    manage = f"/volunteer/{sue_token}"
    asked = post_form(client, manage, f"{manage}/erase").get_data(as_text=True)
    assert "Delete everything we hold about you?" in asked
    assert "You were going to help 1 person." in asked
    done = confirm_form(client, manage, f"{manage}/erase")
    assert done.headers["Location"].endswith("/your-data-deleted")

    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org", email]
    assert [invite_in(r).method for r in mail[email]] == ["CANCEL"]
    [told] = mail["ann@example.org"]
    assert told.message["Subject"].startswith("Your surgeon can no longer come")
    assert [b.status for b in registration_named("Ann").bookings] == [CONFIRMED]

    everything = everything_in_the_database()
    for trace in ("Sue Sprocket", email, seed, sue_token, "XQ8 widgets"):
        assert trace not in everything, trace
    [entry] = audit_rows(audit.ERASED_PERSON)
    assert entry.subject == f"surgeon {sue.id}" and entry.actor == audit.THE_PERSON
    assert client.get(manage).status_code == 404


def test_an_organiser_erases_one_person_after_being_told_what_goes(
    organiser_client, matched_day, mailbox
):
    client = organiser_client
    event, _ = matched_day
    person = registration_named(NAME)
    page = f"/organise/events/{event.id}"
    assert f'Erase<span class="visually-hidden"> {NAME}' in client.get(page).text
    action = f"{page}/people/{person.id}/erase"

    asked = post_form(client, page, action).get_data(as_text=True)
    assert f"Erase {NAME}?" in asked
    assert f"Sue, who was going to help {NAME}, will be emailed" in asked
    assert "(Wally) will get the place and be emailed." in asked
    assert "Only a note that someone was erased, without their name" in asked

    assert confirm_form(client, page, action).status_code == 303
    assert registration_named(NAME) is None
    assert f"{NAME} is erased." in client.get(page).text  # said once, then gone
    assert NAME not in client.get(page).text
    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["sue@example.org", "wally@example.org", EMAIL]
    [entry] = audit_rows(audit.ERASED_PERSON)
    assert entry.actor == "Org" and entry.subject == f"registration {person.id}"
    assert NAME not in everything_in_the_database()


def test_only_organisers_may_erase_and_only_people_of_that_day(client, make_event, organiser):
    event, other = make_event(), make_event()
    assert book(client, event, "Ann").status_code == 303
    person = registration_named("Ann")
    url = f"/organise/events/{event.id}/people/{person.id}/erase"
    signed_out = post_form(client, "/lost-link", url, data={"confirmed": "yes"})
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    post_form(client, "/login", data={"email": organiser.email, "password": ORGANISER_PASSWORD})
    elsewhere = f"/organise/events/{other.id}/people/{person.id}/erase"
    assert post_form(client, "/lost-link", elsewhere, data={"confirmed": "yes"}).status_code == 404
    assert registration_named("Ann") is not None
    assert audit_rows(audit.ERASED_PERSON) == []


def test_a_wrong_or_erased_link_is_a_plain_not_found(client, make_event):
    for path in ("/bookings/nonsense/your-data", "/volunteer/nonsense/your-data.json"):
        assert client.get(path).status_code == 404
    assert client.post("/bookings/nonsense/erase").status_code in (400, 404)


def test_the_export_holds_this_persons_data_and_nobody_elses(client, make_event, mailbox):
    event = make_event(DAY)
    token = book_everything(client, event)
    other = book(
        client,
        event,
        "Olwen",
        sessions=[event.sessions[1].id],
        help_text="Olwen's own secret words QQ3",
        consent="y",
        access_other="Olwen needs a quiet corner",
    )
    assert other.status_code == 303
    mailbox.deliver()

    download = client.get(f"/bookings/{token}/your-data.json")
    assert download.status_code == 200
    assert download.mimetype == "application/json"
    assert "attachment" in download.headers["Content-Disposition"]
    data = json.loads(download.get_data(as_text=True))
    text = json.dumps(data)
    for theirs in ("Olwen", "olwen@example.org", "QQ3", "quiet corner"):
        assert theirs not in text
    for held in (token, registration_named(NAME).token_seed, "token", "hash"):
        assert held not in text
    assert data["you"] == {
        "name": NAME,
        "email": EMAIL,
        "booked_at": data["you"]["booked_at"],
        "registered_at_the_door": False,
    }
    answers = data["your_answers"]
    assert answers["help_text"] == HELP and answers["access_other"] == ACCESS
    assert answers["languages"] == [LANGUAGE] and answers["wants_lived_experience"] is True
    assert "Lived experience of mental health difficulties" in answers["role_tags"]
    assert answers["access_needs"] == ["Step-free access", "A quiet space"]
    assert data["consents"]["keep_answers_about_you"] is True
    assert data["consents"]["given_at"]
    sessions = {s["session"]: s for s in data["sessions"]}
    assert sessions["Surgery space"]["status"] == CONFIRMED
    assert sessions["Blogging workshop"]["status"] == CONFIRMED
    subjects = [m["subject"] for m in data["messages"]]
    assert subjects and all("Olwen" not in s for s in subjects)
    assert len(subjects) == 2  # one booking message per session, only hers

    page = client.get(f"/bookings/{token}/your-data").get_data(as_text=True)
    assert "What we hold about you" in page
    assert HELP in page and ACCESS in page and "Olwen" not in page


def test_the_export_shows_a_waiting_number_and_the_surgeon_by_first_name(
    organiser_client, matched_day
):
    client = organiser_client
    event, token = matched_day
    wally = registration_named("Wally")
    wally_booking = wally.bookings[0]
    assert wally_booking.status == WAITLISTED
    data = json.loads(client.get(f"/bookings/{token}/your-data.json").get_data(as_text=True))
    sessions = {s["session"]: s for s in data["sessions"]}
    assert sessions["Surgery space"]["your_surgeon"] == "Sue"
    assert "Wally" not in json.dumps(data)


def test_a_surgeons_export_shows_attendees_only_as_they_may_see_them(organiser_client, make_event):
    client = organiser_client
    event = make_event()
    sue = add_surgeon(client, event, "Sue", capacity=2)
    attend(client, event, "Ann Private", email="ann@example.org", help_text="Ann's words XK1")
    attend(
        client,
        event,
        "Bo Shares",
        email="bo@example.org",
        help_text="Bo's words XK2",
        consent="y",
        share_with_surgeon="y",
    )
    accept_all(client, event.sessions[0])
    token = token_for(SECRET, sue.token_seed)
    download = client.get(f"/volunteer/{token}/your-data.json")
    data = json.loads(download.get_data(as_text=True))
    text = json.dumps(data)
    assert data["you"]["name"] == "Sue" and data["you"]["email"] == "sue@example.org"
    helping = data["sessions"][0]["helping"]
    names = sorted(h["name"] for h in helping)
    assert names == ["Ann", "Bo Shares"]  # Ann shared nothing: her first name only
    assert "XK1" not in text and "XK2" in text
    assert "ann@example.org" not in text and "bo@example.org" not in text
    assert token not in text and sue.token_seed not in text
    page = client.get(f"/volunteer/{token}/your-data").get_data(as_text=True)
    assert "What we hold about you" in page and "Ann Private" not in page


def test_outbox_rows_for_the_person_are_gone_once_sent(organiser_client, matched_day, mailbox):
    """Nothing queued to them but the cancellations is sent after they are erased."""
    client = organiser_client
    event, token = matched_day
    manage = f"/bookings/{token}"
    # a link asked for again, queued but not yet sent, is deleted with them
    post_form(client, "/lost-link", data={"email": EMAIL})
    confirm_form(client, manage, f"{manage}/erase")
    queued = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to_address == EMAIL)
    ).all()
    assert {m.kind for m in queued} <= {"booking_cancelled", "lost_booking_link"}
    received = mailbox.deliver()
    assert {r.message["Subject"].split(":")[0] for r in received if r.to == EMAIL} == {"Cancelled"}
    assert not db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to_address == EMAIL)
    ).all()


@pytest.mark.parametrize("cancelled", [Booking])
def test_nothing_of_the_person_is_left_in_bookings(organiser_client, matched_day, cancelled):
    client = organiser_client
    event, token = matched_day
    before = count(cancelled)
    confirm_form(client, f"/bookings/{token}", f"/bookings/{token}/erase")
    assert count(cancelled) == before - 2  # both of hers, cancelled and deleted
    assert count(Surgeon) == 1


# the sender forgets what it was asked to, once it has gone


def forget_mail_to(address: str) -> None:
    """Mark every message to an address to be forgotten once sent, as erasing does."""
    for message in db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to_address == address)
    ):
        message.payload = message.payload | {FORGET_AFTER_SEND: True}
    db.session.commit()


def test_a_message_to_forget_is_deleted_once_the_server_took_it(client, make_event, mailbox):
    event = make_event()
    book(client, event, "Sam")
    book(client, event, "Tom")
    forget_mail_to("sam@example.org")

    received = mailbox.deliver()
    assert sorted(r.to for r in received) == ["sam@example.org", "tom@example.org"]
    assert received[0].message["Subject"].startswith("Booked: Surgery space")
    db.session.expire_all()
    left = db.session.scalars(sa.select(OutboxMessage)).all()
    assert [(m.to_address, m.status) for m in left] == [("tom@example.org", "sent")]


def test_a_message_to_forget_is_deleted_when_sending_gives_up(app, client, make_event, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 1)
    event = make_event()
    book(client, event, "Sam")
    book(client, event, "Tom")
    forget_mail_to("sam@example.org")

    down = SmtpServer()  # never started: every connection is refused
    with sending_to(app, down.port):
        report = send_due()
    assert len(report.failed) == 2
    db.session.expire_all()
    left = db.session.scalars(sa.select(OutboxMessage)).all()
    assert [(m.to_address, m.status) for m in left] == [("tom@example.org", "failed")]


def test_a_name_in_any_alphabet_is_forgotten_from_the_mail_that_named_it(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event()
    add_surgeon(client, event, "Sue")
    name = "Zoë Ångström-Øvre"
    booked = attend(
        client, event, name, email="zoe@example.org", consent="y", share_with_surgeon="y"
    )
    accept_all(client, event.sessions[0])
    mailbox.deliver()
    token = manage_token(booked)

    confirm_form(client, f"/bookings/{token}", f"/bookings/{token}/erase")
    [told] = mail_by_person(mailbox)["sue@example.org"]
    assert f"{name} can no longer come" in words_of(told)
    everything = everything_in_the_database()
    for trace in (name, json.dumps(name)[1:-1], "zoe@example.org"):
        assert trace not in everything, trace


def test_an_organiser_erases_a_surgeon_and_their_attendee_is_told(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event()
    sue = add_surgeon(client, event, "Sue")
    attend(client, event, "Ann")
    accept_all(client, event.sessions[0])
    mailbox.deliver()
    page = f"/organise/events/{event.id}/surgeons"
    action = f"/organise/events/{event.id}/surgeons/{sue.id}/erase"

    asked = post_form(client, page, action).get_data(as_text=True)
    assert "Erase Sue?" in asked
    assert "Ann will be emailed that their surgeon cannot come." in asked
    assert confirm_form(client, page, action).status_code == 303
    assert count(Surgeon) == 0
    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org", "sue@example.org"]
    assert [invite_in(r).method for r in mail["sue@example.org"]] == ["CANCEL"]
    [entry] = audit_rows(audit.ERASED_PERSON)
    assert (entry.actor, entry.subject) == ("Org", f"surgeon {sue.id}")
    assert "sue@example.org" not in everything_in_the_database()


def test_erasing_after_the_day_tells_nobody_and_keeps_the_days_numbers(
    organiser_client,
    day,  # noqa: F811 (the fixture imported above)
    mailbox,
):
    """Sessions that are over keep nobody waiting and send no invites: the person's rows
    simply go, but the day's numbers are kept first, so what the day achieved still counts
    them (without saying who)."""
    now = utcnow()
    for session in day.sessions:  # the day ended an hour ago
        session.starts_at, session.ends_at = (
            now - dt.timedelta(hours=4),
            now - dt.timedelta(hours=1),
        )
    db.session.commit()
    mailbox.deliver()
    numbers = f"/organise/events/{day.id}/numbers"
    assert big_counts(organiser_client.get(numbers).text)["Came"] == "3"
    ben = registration_named("Ben")
    page = f"/organise/events/{day.id}"
    action = f"{page}/people/{ben.id}/erase"

    asked = post_form(organiser_client, page, action).get_data(as_text=True)
    assert "Nobody will be emailed." in asked
    assert confirm_form(organiser_client, page, action).status_code == 303
    assert registration_named("Ben") is None
    assert count(HelpRecord) == 0  # Sue helped Ben: the record of it went with him
    assert mailbox.deliver() == []
    assert big_counts(organiser_client.get(numbers).text)["Came"] == "3"
    assert "Ben" not in organiser_client.get(numbers).text
