"""Cancelling, unpublishing and publishing a day: asked first, refused when it would hide a
day from people booked on it, decided under the lock, and never a 500."""

import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from surgery.bookings import services as bookings
from surgery.domain import lifecycle, volunteering
from surgery.domain.errors import DomainError
from surgery.domain.tokens import new_form_key
from surgery.events.models import CANCELLED, DRAFT, PUBLISHED, WORKSHOP, Event
from surgery.extensions import db
from surgery.mail import notices
from surgery.mail.models import OutboxMessage
from surgery.organise import services
from tests.conftest import book, make_app, manage_token, post_form, postgres_url
from tests.mail_fixtures import invite_in, words_of
from tests.test_matching_page import add_surgeon, mail_by_person
from tests.test_organise import change_status
from tests.test_outbox import app_on, seed_bookings

ONE_PLACE = [{"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 1}]


def status_of(event) -> str:
    """The day's status, fresh from the database."""
    db.session.expire_all()
    return db.session.get(Event, event.id).status


def queued() -> int:
    """How many messages the outbox holds."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))


def test_cancel_this_day_asks_first_saying_whom_it_emails(organiser_client, make_event):
    client = organiser_client
    event = make_event(sessions=[{"kind": "surgery", "title": "Surgery space", "capacity": 2}])
    for name in ("Ann", "Ben", "Cat", "Dev"):  # two booked, two waiting
        book(client, event, name)
    add_surgeon(client, event, "Sue")
    page = f"/organise/events/{event.id}"
    before = queued()

    # the button on the day's page is a link to a page that asks; pressing the old status
    # button with "cancel" only leads there too
    assert f'href="{page}/cancel"' in client.get(page).text
    asked = client.get(f"{page}/cancel")
    pressed = post_form(client, page, f"{page}/status", data={"action": "cancel"})
    assert pressed.status_code == 303 and pressed.headers["Location"] == f"{page}/cancel"
    assert (status_of(event), queued()) == (PUBLISHED, before)

    words = " ".join(asked.text.split())
    assert "Cancel this day?" in words
    assert "5 people will be emailed:" in words
    assert "2 people booked" in words
    assert "2 people on the waiting list" in words
    assert "1 surgeon" in words
    assert f'<form method="post" action="{page}/cancel"' in asked.text

    done = post_form(client, f"{page}/cancel", follow_redirects=True)
    assert "The event is now cancelled." in done.text
    assert status_of(event) == CANCELLED
    assert queued() == before + 5


def test_someone_booked_in_one_session_and_waiting_in_another_is_one_person_emailed(
    organiser_client, make_event
):
    client = organiser_client
    two = [
        {"kind": "surgery", "title": "Surgery space", "capacity": 1},
        {**ONE_PLACE[0], "hour_offset": 3},
    ]
    event = make_event(sessions=two)
    first, second = event.sessions
    book(client, event, "Ann", sessions=[first.id])
    book(client, event, "Ben", sessions=[first.id, second.id])  # waits for the first
    add_surgeon(client, event, "Sue", sessions=[first.id])

    words = " ".join(client.get(f"/organise/events/{event.id}/cancel").text.split())

    assert "3 people will be emailed:" in words  # Ann, Ben and Sue
    assert "2 people booked" in words and "1 person on the waiting list" in words


def test_publish_again_asks_first_and_a_day_nobody_booked_emails_nobody(
    organiser_client, make_event
):
    client = organiser_client
    event = make_event(status=CANCELLED)
    page = f"/organise/events/{event.id}"
    assert f'href="{page}/publish-again"' in client.get(page).text
    pressed = post_form(client, page, f"{page}/status", data={"action": "publish"})
    assert pressed.headers["Location"] == f"{page}/publish-again"
    asked = " ".join(client.get(f"{page}/publish-again").text.split())
    assert "Publish this day again?" in asked and "Nobody will be emailed." in asked
    assert status_of(event) == CANCELLED
    assert "The event is now published." in change_status(client, event, "publish").text
    assert status_of(event) == PUBLISHED


def test_unpublishing_a_day_people_booked_is_refused_with_the_reason(organiser_client, make_event):
    client = organiser_client
    event = make_event(sessions=ONE_PLACE)
    book(client, event, "Ann")
    book(client, event, "Ben")  # waiting
    shown = change_status(client, event, "unpublish").text
    assert "People have booked this day. Cancel it instead, so they are told." in shown
    assert status_of(event) == PUBLISHED


def test_a_cancelled_day_cannot_be_unpublished_so_publishing_it_again_tells_people(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(sessions=ONE_PLACE)
    manage_token(book(client, event, "Ann"))
    mailbox.deliver()
    change_status(client, event, "cancel")

    shown = change_status(client, event, "unpublish").text
    assert "were told it is cancelled. It stays cancelled" in " ".join(shown.split())
    assert status_of(event) == CANCELLED
    [cancelled] = mail_by_person(mailbox)["ann@example.org"]

    change_status(client, event, "publish")
    [restored] = mail_by_person(mailbox)["ann@example.org"]
    assert "this surgery day is going ahead after all" in words_of(restored)
    again = invite_in(restored)
    assert (again.method, again.uid) == ("REQUEST", invite_in(cancelled).uid)
    assert again.sequence > invite_in(cancelled).sequence


def test_a_draft_nobody_booked_is_published_and_unpublished_without_asking(
    organiser_client, make_event
):
    client = organiser_client
    event = make_event(status=DRAFT)
    page = f"/organise/events/{event.id}"
    published = post_form(client, page, f"{page}/status", data={"action": "publish"})
    assert published.headers["Location"] == page
    assert status_of(event) == PUBLISHED
    unpublished = post_form(client, page, f"{page}/status", data={"action": "unpublish"})
    assert unpublished.headers["Location"] == page
    assert status_of(event) == DRAFT


def test_a_plain_publish_button_pressed_on_a_page_opened_before_a_cancel_emails_nobody(
    organiser_client, make_event
):
    event = make_event(sessions=ONE_PLACE)
    book(organiser_client, event, "Ann")
    change_status(organiser_client, event, "cancel")
    before = queued()
    # the Publish button of a page opened while the day was a draft: no page asked first
    with pytest.raises(DomainError, match="This day has changed since the page was opened"):
        services.change_status(event.id, "publish", asked=False)
    db.session.rollback()
    assert (status_of(event), queued()) == (CANCELLED, before)


def test_a_cancelled_day_offers_no_places_while_its_waiting_list_is_kept(
    organiser_client, make_event
):
    client = organiser_client
    event = make_event(sessions=ONE_PLACE)
    book(client, event, "Ann")
    book(client, event, "Ben")  # waiting
    assert "Full – join the waiting list" in client.get(f"/events/{event.id}").text
    change_status(client, event, "cancel")
    shown = client.get(f"/events/{event.id}").text
    assert "Cancelled: no places are offered" in shown
    assert "join the waiting list" not in shown and "places left" not in shown
    assert f'href="/events/{event.id}/book' not in shown


def test_every_notice_the_rules_name_has_its_words():
    named = lifecycle.NOTICES | {
        volunteering.SURGEON_CONFIRMED,
        volunteering.SURGEON_CANCELLED,
        volunteering.SURGEON_DECLINED,
    }
    assert named <= set(notices.WORDING)


def test_a_refusal_no_view_catches_is_a_409_page_in_plain_words(database_url):
    app = make_app(database_url)

    @app.get("/refuse")
    def refuse():
        db.session.add(Event(title="Half made", venue_name="Hall", city="Leeds"))
        db.session.flush()
        raise DomainError("This day is already cancelled.")

    with app.app_context():
        answer = app.test_client().get("/refuse")
        assert answer.status_code == 409
        assert "This day is already cancelled." in answer.text
        assert "Traceback" not in answer.text
        assert db.session.scalar(sa.select(Event.id).where(Event.title == "Half made")) is None


@pytest.mark.skipif(
    postgres_url() is None,
    reason="SQLite lets one writer in at a time from BEGIN, so two organisers cannot both "
    "read the day before either locks it: set TEST_DATABASE_URL to a PostgreSQL server",
)
def test_two_organisers_cancelling_at_once_send_one_set_of_emails(live_database):
    with app_on(live_database, MAIL_SEND_AFTER_REQUEST=False) as app:
        upgrade()
        event_id, session_id = seed_bookings(0, capacity=2)
        for name in ("ann", "ben", "cat"):  # two booked, one waiting
            request = bookings.BookingRequest(
                name.title(),
                f"{name}@example.org",
                [session_id],
                bookings.AboutYou(),
                new_form_key(),
            )
            bookings.book(event_id, request, app.secret_key)
        db.session.commit()
        before = queued()

        both_read = threading.Barrier(2, timeout=30)
        outcomes: list[str] = []

        def organiser_presses_cancel():
            """One organiser's request: the day read as published, then cancelled."""
            with app.app_context():
                try:
                    # as the page's view does: the day is loaded, and held, before the lock
                    seen = db.session.get(Event, event_id)
                    assert seen.status == PUBLISHED
                    both_read.wait()
                    services.change_status(seen.id, "cancel")
                    db.session.commit()
                    outcomes.append("cancelled")
                except DomainError as refused:
                    db.session.rollback()
                    outcomes.append(str(refused))

        pressers = [threading.Thread(target=organiser_presses_cancel) for _ in range(2)]
        for presser in pressers:
            presser.start()
        for presser in pressers:
            presser.join(60)

        assert sorted(outcomes) == ["This day is already cancelled.", "cancelled"]
        db.session.expire_all()
        kinds = db.session.scalars(
            sa.select(OutboxMessage.kind).where(OutboxMessage.id > before)
        ).all()
        assert sorted(kinds) == ["event_cancelled", "event_cancelled", "waiting_day_cancelled"]
        assert db.session.get(Event, event_id).status == CANCELLED
