"""Buttons that cancel something or email many people ask once, saying what will happen.

For each: the first press changes nothing and queues no mail, and its page names what will
happen and how many people will be emailed; "Yes" does it, and emails exactly those people.
"""

import sqlalchemy as sa

from surgery.bookings.models import Registration
from surgery.database import utcnow
from surgery.day.models import HelpRecord
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED
from surgery.events.models import SURGERY, WORKSHOP
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.matching.models import Match
from surgery.surgeons.models import APPROVED, DECLINED, PENDING, WITHDRAWN
from tests.conftest import book, confirm_form, count, manage_token, post_form, say_yes
from tests.test_matching_page import (
    accept_all,
    add_surgeon,
    attend,
    booking_of,
    organiser_action,
    plain,
    surgeon_of,
    volunteer,
)

ONE_PLACE = [{"kind": WORKSHOP, "title": "Blogging", "capacity": 1}]
TWO_SESSIONS = [
    {"kind": SURGERY, "title": "Surgery space", "capacity": 10},
    {"kind": WORKSHOP, "title": "Blogging", "capacity": 1, "hour_offset": 2},
]


def outbox_ids() -> set[int]:
    """The outbox rows queued so far."""
    return set(db.session.scalars(sa.select(OutboxMessage.id)))


def emailed_since(before: set[int]) -> set[str]:
    """The addresses of the messages queued since."""
    rows = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id.not_in(before)))
    return {m.to_address for m in rows}


def asked(client, page: str, action: str):
    """Press a button once; check it asks, changing nothing and queuing nothing."""
    before = outbox_ids()
    response = post_form(client, page, action)
    assert response.status_code == 200
    assert 'name="confirmed" value="yes"' in response.text
    assert f'href="{page}">No, go back</a>' in response.text
    assert outbox_ids() == before
    return response


def text(response) -> str:
    """The main part of a page, as plain text."""
    html = response.get_data(as_text=True)
    return plain(html[html.index("<main") : html.index("</main>")])


def says(response, question: str, *parts: str) -> str:
    """Check the page asking starts with the question and says each part; return its text."""
    said = text(response)
    assert said.startswith(question), said
    for part in parts:
        assert part in said, part
    return said


def statuses(*names: str) -> list[str]:
    db.session.expire_all()
    return [booking_of(name).status for name in names]


def test_an_organiser_cancelling_a_booking_is_asked_who_will_be_told(organiser_client, make_event):
    event = make_event(sessions=ONE_PLACE)
    for name in ("Sam", "Ann", "Bob"):
        book(organiser_client, event, name)
    page = f"/organise/events/{event.id}"
    cancel = f"{page}/bookings/{booking_of('Sam').id}/cancel"
    assert f'action="{cancel}"' in organiser_client.get(page).text

    question = asked(organiser_client, page, cancel)

    says(
        question,
        "Cancel Sam’s booking for Blogging?",
        "Sam will lose their place in Blogging and be emailed that it is cancelled.",
        "1 person on the waiting list (Ann) will get the place and be emailed.",
        "In all, 2 people will be emailed.",
    )
    assert statuses("Sam", "Ann", "Bob") == [CONFIRMED, WAITLISTED, WAITLISTED]

    before = outbox_ids()
    done = say_yes(organiser_client, question)
    assert done.status_code == 303
    assert statuses("Sam", "Ann", "Bob") == [CANCELLED, CONFIRMED, WAITLISTED]
    assert emailed_since(before) == {"sam@example.org", "ann@example.org"}


def test_an_attendee_cancelling_a_paired_session_is_told_who_hears_but_not_their_names(
    organiser_client, client, make_event
):
    event = make_event()
    add_surgeon(organiser_client, event, "Sue")
    token = manage_token(attend(client, event, "Ann"))
    accept_all(organiser_client, event.sessions[0])
    manage = f"/bookings/{token}"
    cancel = f"{manage}/cancel/{booking_of('Ann').id}"

    question = asked(client, manage, cancel)

    said = says(
        question,
        "Cancel your place in Surgery space?",
        "The surgeon who was going to help you in Surgery space will be emailed",
        "In all, 2 people will be emailed.",
    )
    assert "Sue" not in said
    assert statuses("Ann") == [CONFIRMED]
    assert count(Match) == 1

    before = outbox_ids()
    assert say_yes(client, question).status_code == 303
    assert statuses("Ann") == [CANCELLED]
    assert emailed_since(before) == {"ann@example.org", "sue@example.org"}


def test_cancelling_all_sessions_counts_each_person_once(client, make_event):
    event = make_event(sessions=TWO_SESSIONS)
    token = manage_token(book(client, event, "Sam", sessions=[s.id for s in event.sessions]))
    book(client, event, "Ann", sessions=[event.sessions[1].id])  # waiting for Sam's place
    manage = f"/bookings/{token}"
    assert f'action="{manage}/cancel-all"' in client.get(manage).text

    question = asked(client, manage, f"{manage}/cancel-all")

    said = says(
        question,
        "Cancel all your sessions?",
        "Your place in Surgery space will be cancelled, and we will email you",
        "1 person on the waiting list will get your place and be emailed.",
        "In all, 2 people will be emailed.",
    )
    assert "Ann" not in said
    db.session.expire_all()
    sam = db.session.scalars(sa.select(Registration).where(Registration.name == "Sam")).one()
    assert [b.status for b in sam.bookings] == [CONFIRMED, CONFIRMED]

    before = outbox_ids()
    assert say_yes(client, question).status_code == 303
    db.session.expire_all()
    assert [b.status for b in sam.bookings] == [CANCELLED, CANCELLED]
    assert statuses("Ann") == [CONFIRMED]
    assert emailed_since(before) == {"sam@example.org", "ann@example.org"}


def test_leaving_a_waiting_list_says_nobody_is_emailed(client, make_event):
    event = make_event(sessions=ONE_PLACE)
    book(client, event, "Sam")
    token = manage_token(book(client, event, "Ann"))
    manage = f"/bookings/{token}"

    question = asked(client, manage, f"{manage}/cancel/{booking_of('Ann').id}")

    says(
        question,
        "Leave the waiting list for Blogging?",
        "Nobody will be emailed.",
        "Yes, leave the waiting list",
    )
    assert statuses("Ann") == [WAITLISTED]
    before = outbox_ids()
    say_yes(client, question)
    assert statuses("Sam", "Ann") == [CONFIRMED, CANCELLED]
    assert emailed_since(before) == set()


def test_removing_an_approved_surgeon_names_the_people_told(organiser_client, client, make_event):
    event = make_event()
    add_surgeon(organiser_client, event, "Sue")
    attend(client, event, "Ann")
    accept_all(organiser_client, event.sessions[0])
    page = f"/organise/events/{event.id}/surgeons"
    decline = f"{page}/{surgeon_of('Sue').id}/decline"
    assert "Remove<span" in organiser_client.get(page).text  # an approved surgeon is removed

    question = asked(organiser_client, page, decline)

    says(
        question,
        "Remove Sue from this day?",
        "Sue was going to help 1 person (Ann).",
        "In all, 2 people will be emailed.",
    )
    assert surgeon_of("Sue").status == APPROVED
    assert count(Match) == 1

    before = outbox_ids()
    done = say_yes(organiser_client, question, follow_redirects=True)
    assert "Sue removed from this day." in done.text
    assert surgeon_of("Sue").status == DECLINED
    assert emailed_since(before) == {"sue@example.org", "ann@example.org"}


def test_declining_a_volunteer_asks_first(organiser_client, client, make_event):
    event = make_event()
    volunteer(client, event, "Vic")
    page = f"/organise/events/{event.id}/surgeons"

    question = asked(organiser_client, page, f"{page}/{surgeon_of('Vic').id}/decline")

    says(question, "Decline Vic?", "In all, 1 person will be emailed.")
    assert surgeon_of("Vic").status == PENDING
    before = outbox_ids()
    say_yes(organiser_client, question)
    assert surgeon_of("Vic").status == DECLINED
    assert emailed_since(before) == {"vic@example.org"}


def test_a_surgeon_withdrawing_is_told_how_many_people_hear(organiser_client, client, make_event):
    event = make_event()
    link = volunteer(client, event, "Sue")
    organiser_action(organiser_client, event, "Sue", "approve")
    attend(client, event, "Ann")
    attend(client, event, "Ben")
    accept_all(organiser_client, event.sessions[0])
    assert "Withdraw from this day" in client.get(link).text

    question = asked(client, link, f"{link}/withdraw")

    said = says(
        question,
        "Withdraw from this day?",
        "You will be taken off Surgery space, and we will email you",
        "You were going to help 2 people.",
        "In all, 3 people will be emailed.",
    )
    assert "Ann" not in said and "Ben" not in said
    assert surgeon_of("Sue").status == APPROVED

    before = outbox_ids()
    say_yes(client, question)
    assert surgeon_of("Sue").status == WITHDRAWN
    assert emailed_since(before) == {"sue@example.org", "ann@example.org", "ben@example.org"}


def test_marking_a_surgeon_gone_says_who_waits_again(organiser_client, client, make_event):
    event = make_event()
    attend(client, event, "Ann")
    add_surgeon(organiser_client, event, "Sue")
    db.session.expire_all()
    db.session.scalars(sa.select(Registration)).one().checked_in_at = utcnow()
    db.session.commit()
    floor = f"/organise/sessions/{event.sessions[0].id}/floor"
    sue = surgeon_of("Sue").id
    post_form(organiser_client, floor, f"{floor}/surgeons/{sue}/here")
    pair = f"{booking_of('Ann').id}:{sue}"
    post_form(organiser_client, floor, f"{floor}/start", data={"pair": pair})

    question = asked(organiser_client, floor, f"{floor}/surgeons/{sue}/gone")

    says(
        question,
        "Mark Sue as gone?",
        "Sue is helping Ann now. Ann will wait again",
        "Nobody will be emailed.",
    )
    db.session.expire_all()
    assert surgeon_of("Sue").left_at is None
    assert db.session.scalars(sa.select(HelpRecord)).one().ended_at is None

    say_yes(organiser_client, question)
    db.session.expire_all()
    assert surgeon_of("Sue").left_at is not None
    assert db.session.scalars(sa.select(HelpRecord)).one().back_in_queue


def test_emailing_everyone_who_came_says_how_many(organiser_client, client, make_event):
    event = make_event()
    for name in ("Ann", "Ben", "Cal"):
        attend(client, event, name)
    db.session.expire_all()
    for person in db.session.scalars(sa.select(Registration)):
        if person.name != "Cal":
            person.checked_in_at = utcnow()
    db.session.commit()
    numbers = f"/organise/events/{event.id}/numbers"

    question = asked(organiser_client, numbers, f"/organise/events/{event.id}/feedback-requests")

    says(
        question,
        "Email everyone who came?",
        "2 people who came and gave an email address will be emailed",
        "In all, 2 people will be emailed.",
    )
    db.session.expire_all()
    assert all(r.feedback_requested_at is None for r in db.session.scalars(sa.select(Registration)))

    before = outbox_ids()
    say_yes(organiser_client, question)
    assert emailed_since(before) == {"ann@example.org", "ben@example.org"}


def test_a_stale_button_for_a_cancelled_booking_has_nothing_to_ask(organiser_client, make_event):
    event = make_event(sessions=ONE_PLACE)
    book(organiser_client, event, "Sam")
    page = f"/organise/events/{event.id}"
    cancel = f"{page}/bookings/{booking_of('Sam').id}/cancel"
    confirm_form(organiser_client, page, cancel)

    again = post_form(organiser_client, page, cancel)

    assert again.status_code == 200
    says(again, "Cancel Sam’s booking?", "Nothing will change: Sam’s booking is already cancelled.")
    assert 'name="confirmed"' not in again.text
    assert "Go back" in again.text


def test_accepting_every_suggestion_names_everyone_who_will_be_told(
    organiser_client, client, make_event
):
    event = make_event()
    session = event.sessions[0]
    add_surgeon(organiser_client, event, "Sue", capacity=2)
    for name in ("Ann", "Ben"):
        attend(client, event, name)
    url = f"/organise/sessions/{session.id}/matching"
    sue = surgeon_of("Sue").id
    pairs = [f"{booking_of(name).id}:{sue}" for name in ("Ann", "Ben")]
    before = outbox_ids()

    question = post_form(organiser_client, url, f"{url}/accept", data={"pair": pairs})

    says(
        question,
        "Accept 2 pairs and tell everyone?",
        "Ann and Ben will each be emailed who they will meet",
        "Sue will be emailed whom they will help",
        "In all, 3 people will be emailed.",
    )
    assert count(Match) == 0
    assert outbox_ids() == before

    assert say_yes(organiser_client, question).status_code == 303
    assert count(Match) == 2
    assert emailed_since(before) == {"ann@example.org", "ben@example.org", "sue@example.org"}
