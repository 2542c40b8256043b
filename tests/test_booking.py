"""Booking through the public form: success, waiting list, bad input, repeats, consent."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.events.models import OPEN_SPACE, SURGERY, WORKSHOP
from surgery.extensions import db
from surgery.vocabulary.models import RoleTag, Topic
from tests.conftest import book, count, csrf_from, is_ticked, manage_token, post_form
from tests.mail_fixtures import text_of

DAY = [
    {"kind": SURGERY, "title": "Surgery space", "capacity": 10},
    {"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 1, "hour_offset": 3},
    {"kind": OPEN_SPACE, "title": "Open space", "capacity": None},
]


def field_error(page: str, field: str) -> str:
    """The error message shown next to a field, or '' if none."""
    match = re.search(rf'id="{field}-error">(.*?)</p>', page, re.S)
    return (
        match.group(1).replace('<span class="visually-hidden">Error:</span>', "").strip()
        if match
        else ""
    )


def term(model, name: str):
    """A vocabulary term by name."""
    return db.session.scalars(sa.select(model).where(model.name == name)).one()


def statuses() -> dict[str, str]:
    """Each booking's status, keyed by 'name/session title'."""
    return {
        f"{b.registration.name}/{b.session.title}": b.status
        for b in db.session.scalars(sa.select(Booking))
    }


def test_booking_leads_to_a_confirmation_with_name_and_session(client, make_event):
    event = make_event(title="Leeds day")
    booked = book(client, event, "Sam")
    assert booked.status_code == 303
    assert booked.headers["Location"].endswith("/confirmed")
    page = client.get(booked.headers["Location"]).text
    assert "Thank you, Sam" in page
    assert "Surgery space" in page
    assert "Booked" in page
    assert statuses() == {"Sam/Surgery space": CONFIRMED}


def test_one_form_books_several_sessions(client, make_event):
    event = make_event(sessions=DAY)
    ids = [s.id for s in event.sessions if s.capacity]
    page = client.get(book(client, event, "Sam", sessions=ids).headers["Location"]).text
    assert "Surgery space" in page
    assert "Blogging workshop" in page
    assert statuses() == {"Sam/Surgery space": CONFIRMED, "Sam/Blogging workshop": CONFIRMED}
    assert count(Registration) == 1


def test_full_session_puts_people_on_the_waiting_list_in_order(client, make_event):
    event = make_event(sessions=[{"kind": WORKSHOP, "title": "Workshop", "capacity": 1}])
    book(client, event, "Ann")
    second = client.get(book(client, event, "Bob").headers["Location"]).text
    third = client.get(book(client, event, "Cat").headers["Location"]).text
    assert "On the waiting list, number 1" in second
    assert "On the waiting list, number 2" in third
    assert statuses() == {
        "Ann/Workshop": CONFIRMED,
        "Bob/Workshop": WAITLISTED,
        "Cat/Workshop": WAITLISTED,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter your name or a nickname."),
        ({"email": "sam.example.org"}, "email", "Enter an email address like name@example.org."),
        ({"email": ""}, "email", "Enter your email address, so we can send your booking."),
        (
            {"email": "zoë@example.org"},
            "email",
            "We cannot send email to an address with letters like é or ö before the @. "
            "If you have another address, use that.",
        ),
        ({"sessions": []}, "sessions", "Choose at least one session to book."),
    ],
)
def test_bad_booking_shows_the_message_by_the_field_and_saves_nothing(
    client, make_event, changes, field, message
):
    event = make_event()
    data = {"name": "Sam", "email": "sam@example.org", "help_text": "My blog", **changes}
    response = book(client, event, **data)
    page = response.text
    assert response.status_code == 400
    assert field_error(page, field) == message
    assert "My blog" in page  # what was typed stays in the form
    assert f'value="{data["email"]}"' in page
    assert f'value="{data["name"]}"' in page
    assert count(Registration) == 0
    assert count(Booking) == 0


def test_a_refused_form_keeps_every_choice_ticked(client, make_event):
    event = make_event()
    volunteer = term(RoleTag, "Volunteer").id
    extra = {"role_tags": [volunteer], "access_needs": ["bsl"], "consent": "y"}
    page = book(client, event, "", email="sam@example.org", **extra).text
    assert field_error(page, "name") == "Enter your name or a nickname."
    assert is_ticked(page, "sessions", event.sessions[0].id)
    assert is_ticked(page, "role_tags", volunteer)
    assert is_ticked(page, "access_needs", "bsl")
    assert is_ticked(page, "consent", "y")
    assert count(Registration) == 0


def offered(page: str, name: str) -> list[str]:
    """The values of a checkbox group, in the order the page offers them."""
    return re.findall(rf'<input [^>]*name="{name}"[^>]*value="([^"]*)"', page)


def active_ids(model) -> list[str]:
    """The active terms of a vocabulary, in the organiser's order."""
    query = sa.select(model.id).where(model.active.is_(True)).order_by(model.position, model.id)
    return [str(i) for i in db.session.scalars(query)]


def test_a_refused_form_that_chose_no_term_still_offers_every_term_in_order(client, make_event):
    # sent with no role tag or topic, the form needs no vocabulary to be checked; shown
    # again, it must offer them all, as the empty form did
    event = make_event()
    empty = client.get(f"/events/{event.id}/book").text
    refused = book(client, event, "", email="sam@example.org")
    assert refused.status_code == 400
    for name, model in (("role_tags", RoleTag), ("topics", Topic)):
        assert offered(refused.text, name) == offered(empty, name) == active_ids(model)
        assert active_ids(model), f"the seeded {name} are offered"


def test_a_booking_that_chose_no_term_reads_no_vocabulary_and_one_that_did_is_checked(
    client, make_event
):
    event = make_event()
    page = client.get(f"/events/{event.id}/book").text  # the form, read with its terms
    sent = {"sessions": [event.sessions[0].id], "csrf_token": csrf_from(page)}
    sent |= {"form_key": re.search(r'name="form_key"[^>]*value="([^"]*)"', page).group(1)}
    seen: list[str] = []
    engine = db.engine
    record = lambda _c, _cu, statement, *_a: seen.append(statement)  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        plain = client.post(
            f"/events/{event.id}/book", data={**sent, "name": "Sam", "email": "sam@example.org"}
        )
        read_for_plain = [s for s in seen if "FROM role_tag" in s or "FROM topic" in s]
        seen.clear()
        unknown = client.post(
            f"/events/{event.id}/book",
            data={**sent, "name": "Ann", "email": "ann@example.org", "topics": [987654]},
        )
        read_for_unknown = [s for s in seen if "FROM role_tag" in s and "FROM topic" in s]
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert plain.status_code == 303
    assert read_for_plain == []
    assert read_for_unknown  # the topic chosen is checked against the topics offered
    assert unknown.status_code == 400
    assert "not a valid choice" in field_error(unknown.text, "topics")
    assert count(Registration) == 1  # Sam's


def test_session_of_another_event_is_refused(client, make_event):
    event = make_event(title="Leeds day")
    other = make_event(title="Bradford day")
    response = book(client, event, "Sam", sessions=[other.sessions[0].id])
    assert response.status_code == 400
    assert "not a valid choice" in field_error(response.text, "sessions")
    assert count(Booking) == 0


def test_open_space_cannot_be_booked(client, make_event):
    event = make_event(sessions=DAY)
    open_space = next(s for s in event.sessions if s.kind == OPEN_SPACE)
    response = book(client, event, "Sam", sessions=[open_space.id])
    assert response.status_code == 400
    assert field_error(response.text, "sessions")
    assert count(Booking) == 0


def test_session_that_started_while_the_form_was_open_is_refused_and_nothing_is_saved(
    client, db_session, make_event
):
    event = make_event(sessions=DAY)
    page = client.get(f"/events/{event.id}/book").text
    event.sessions[0].starts_at = utcnow() - dt.timedelta(minutes=5)
    db_session.commit()
    data = {"name": "Sam", "email": "sam@example.org", "sessions": [event.sessions[0].id]}
    response = client.post(f"/events/{event.id}/book", data={**data, "csrf_token": csrf_from(page)})
    assert response.status_code == 400
    message = "Surgery space has already started, so it can no longer be booked."
    assert field_error(response.text, "sessions") == message
    assert count(Registration) == 0


def test_post_without_csrf_token_is_refused_and_saves_nothing(client, make_event):
    event = make_event()
    data = {"name": "Sam", "email": "sam@example.org", "sessions": [event.sessions[0].id]}
    response = client.post(f"/events/{event.id}/book", data=data)
    assert response.status_code == 400
    assert "This form could not be accepted" in response.text
    assert count(Registration) == 0
    assert count(Booking) == 0


def test_booking_a_draft_or_cancelled_day_is_not_found(client, make_event):
    for status in ("draft", "cancelled"):
        event = make_event(status=status)
        assert client.get(f"/events/{event.id}/book").status_code == 404


def test_same_email_from_another_form_shows_nothing_changes_nothing_and_tells_the_owner(
    client, make_event, mailbox
):
    event = make_event(sessions=DAY)
    surgery, workshop = (s for s in event.sessions if s.kind != OPEN_SPACE)
    token = manage_token(book(client, event, "Sam", sessions=[surgery.id], help_text="My blog"))
    mailbox.deliver()  # the confirmation
    again = book(
        client, event, "Mallory", email="SAM@example.org", sessions=[surgery.id, workshop.id]
    )
    assert again.status_code == 200
    assert "This email address already has a booking for this day" in again.text
    assert "We have emailed the private link of that booking to the address" in again.text
    for secret in ("Surgery space", "Blogging workshop", "Sam", "My blog", token):
        assert secret not in again.text
    assert count(Registration) == 1
    assert statuses() == {"Sam/Surgery space": CONFIRMED}
    assert db.session.scalars(sa.select(Registration.name)).one() == "Sam"

    # the owner gets their link, and adds the workshop from there
    [received] = mailbox.deliver()
    assert received.to == "sam@example.org"
    assert received.message["Subject"].startswith("Your booking link: Leeds surgery on ")
    assert f"/bookings/{token}" in text_of(received)
    added = post_form(
        client, f"/bookings/{token}", f"/bookings/{token}/add", data={"sessions": [workshop.id]}
    )
    assert added.status_code == 303
    said = "Booked: Blogging workshop. We have emailed you about each."
    assert said in client.get(added.headers["Location"]).text
    assert statuses() == {"Sam/Surgery space": CONFIRMED, "Sam/Blogging workshop": CONFIRMED}


def test_a_session_added_to_its_waiting_list_is_not_announced_as_booked(client, make_event):
    event = make_event(sessions=DAY)
    by_title = {s.title: s for s in event.sessions}
    surgery, workshop = by_title["Surgery space"], by_title["Blogging workshop"]
    book(client, event, "Ann", sessions=[workshop.id])  # the workshop's one place
    token = manage_token(book(client, event, "Sam", sessions=[surgery.id]))

    added = post_form(
        client, f"/bookings/{token}", f"/bookings/{token}/add", data={"sessions": [workshop.id]}
    )

    shown = client.get(added.headers["Location"]).text
    assert "On the waiting list for: Blogging workshop (number 1)." in shown
    assert "Booked: Blogging workshop" not in shown and "Added:" not in shown
    assert statuses()["Sam/Blogging workshop"] == WAITLISTED


def test_the_manage_page_offers_only_sessions_not_yet_booked(client, make_event):
    event = make_event(sessions=DAY)
    surgery, workshop = (s for s in event.sessions if s.kind != OPEN_SPACE)
    token = manage_token(book(client, event, "Sam", sessions=[surgery.id]))
    page = client.get(f"/bookings/{token}").text
    offered = re.findall(r"<input [^>]*name=\"sessions\"[^>]*value=\"(\d+)\"", page)
    assert offered == [str(workshop.id)]
    again = post_form(
        client, f"/bookings/{token}", f"/bookings/{token}/add", data={"sessions": [surgery.id]}
    )
    assert again.status_code == 400
    assert count(Booking) == 1


def test_double_clicked_submit_makes_one_booking(client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.id}/book").text
    form_key = re.search(r'name="form_key" type="hidden" value="([^"]+)"', page).group(1)
    data = {
        "csrf_token": csrf_from(page),
        "form_key": form_key,
        "name": "Sam",
        "email": "sam@example.org",
        "sessions": [event.sessions[0].id],
    }
    first = client.post(f"/events/{event.id}/book", data=data)
    second = client.post(f"/events/{event.id}/book", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(Registration) == 1
    assert count(Booking) == 1


def test_sensitive_answers_without_consent_are_not_kept(client, make_event):
    event = make_event()
    booked = book(
        client,
        event,
        "Sam",
        role_tags=[term(RoleTag, "Volunteer").id],
        topics=[term(Topic, "Blogging").id],
        access_needs=["bsl"],
        access_other="A chair with arms",
    )
    page = client.get(booked.headers["Location"]).text
    assert (
        "You chose not to let us keep your role tags and access needs, so we did not keep: "
        "role tags (1), access needs (1), what else you need to take part." in page
    )
    person = db.session.scalars(sa.select(Registration)).one()
    assert person.role_tags == []
    assert person.access_needs == []
    assert person.access_other == ""
    assert person.consent_sensitive is False
    assert [t.name for t in person.topics] == ["Blogging"]  # not sensitive: kept
    assert count(Booking) == 1


def test_sensitive_answers_with_consent_are_kept(client, make_event):
    event = make_event()
    booked = book(
        client,
        event,
        "Sam",
        role_tags=[term(RoleTag, "Volunteer").id, term(RoleTag, "Community journalist").id],
        access_needs=["bsl", "quiet_space"],
        access_other="A chair with arms",
        consent="y",
    )
    assert "we did not keep" not in client.get(booked.headers["Location"]).text
    person = db.session.scalars(sa.select(Registration)).one()
    assert {t.name for t in person.role_tags} == {"Volunteer", "Community journalist"}
    assert person.access_needs == ["bsl", "quiet_space"]
    assert person.access_other == "A chair with arms"
    assert person.consent_sensitive is True
    assert person.consent_at is not None


def test_confirmation_page_gives_the_private_link(client, make_event):
    event = make_event()
    booked = book(client, event, "Sam")
    token = manage_token(booked)
    page = client.get(booked.headers["Location"]).text
    assert f"/bookings/{token}" in page
    assert "Keep your private link" in page
