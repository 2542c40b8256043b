"""Reminders before a session: due on a controlled clock, queued once, sent with two
one-purpose links, "can't come" freeing the place, and never stale.

People book, are matched and answer through the real pages; the round is run at moments
given to it (never the wall clock), and mail goes to a real SMTP server.
"""

import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from surgery.bookings import services as bookings
from surgery.bookings.services import AboutYou, BookingRequest
from surgery.domain.tokens import new_form_key
from surgery.events.models import Event
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.reminders import services
from surgery.reminders.cli import remind_round
from surgery.reminders.models import Reminder
from surgery.vocabulary.models import Topic
from tests.conftest import (
    SHARED,
    book,
    count,
    csrf_from,
    manage_token,
    post_form,
    postgres_url,
)
from tests.mail_fixtures import text_of, words_of
from tests.test_invites import booking_of, cancel_day, cancel_from_manage_page, move_session
from tests.test_matching_page import accept_all, add_surgeon, ids
from tests.test_outbox import app_on, seed_bookings
from tests.test_scenarios import publish_again
from tests.two_workers import race

DAY = dt.timedelta(days=1)
SECOND = dt.timedelta(seconds=1)
LINK = re.compile(r"https?://[^/\s]+(/reminders/\d+/(?:still-coming|cannot-come)/[\w-]+)")


def remind_at(now: dt.datetime):
    """Run the round at a given moment, as a worker would: the test's own reads are ended
    first (the round starts each day afresh, and here shares the test's connection)."""
    db.session.commit()
    return remind_round(now)


def due_time(event) -> dt.datetime:
    """When the first session's reminders are due (2 days before, the default)."""
    return event.sessions[0].starts_at - 2 * DAY


def reminder_links(received) -> dict[str, str]:
    """The two answer links of a reminder email, by what they do."""
    found = {m.split("/")[3]: m for m in LINK.findall(text_of(received))}
    assert set(found) == {"still-coming", "cannot-come"}, text_of(received)
    return found


def reminders_queued() -> list[OutboxMessage]:
    db.session.expire_all()
    query = sa.select(OutboxMessage).where(OutboxMessage.kind.in_(["reminder", "surgeon_reminder"]))
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def press(client, link: str):
    """Open a reminder's link and press its only button, as the person would."""
    return post_form(client, link, follow_redirects=True)


@pytest.fixture
def full_day(client, make_event):
    """One place: Ana has it, Ben waits."""
    event = make_event(sessions=[{"kind": "surgery", "title": "Surgery space", "capacity": 1}])
    assert book(client, event, "Ana").status_code == 303
    assert book(client, event, "Ben").status_code == 303
    return event


@pytest.fixture
def told_of_booking(full_day, mailbox):
    """The day, with the booking emails sent already."""
    assert len(mailbox.deliver()) == 2
    return full_day


def test_nothing_a_second_early_then_one_reminder_at_the_time_and_never_again(full_day):
    due = due_time(full_day)

    early = remind_at(due - SECOND)
    assert (early.reminders, count(Reminder)) == (0, 0)

    on_time = remind_at(due)
    assert on_time.reminders == 1  # Ana; Ben is waiting, so not reminded
    (queued,) = reminders_queued()
    assert queued.to_address == "ana@example.org"

    assert remind_at(due).reminders == 0
    assert remind_at(due + DAY).reminders == 0
    assert len(reminders_queued()) == 1


def test_a_day_set_to_send_no_reminders_sends_none(client, make_event):
    event = make_event(reminder_days=0)
    book(client, event, "Ana")

    for hours in (48, 24, 1):
        assert remind_at(event.sessions[0].starts_at - dt.timedelta(hours=hours)).reminders == 0
    assert reminders_queued() == []


def test_the_organiser_sets_the_days_on_the_event_form(organiser_client, make_event):
    event = make_event()
    url = f"/organise/events/{event.id}/edit"
    page = organiser_client.get(url).text
    assert 'name="reminder_days"' in page and 'value="2"' in page
    fields = {"title": event.title, "venue_name": "Library", "city": "Leeds"}
    fields |= {"timezone": "Europe/London", "reminder_days": "0"}

    saved = post_form(organiser_client, url, data=fields)
    assert saved.status_code == 303
    db.session.expire_all()
    assert db.session.get(Event, event.id).reminder_days == 0

    refused = post_form(organiser_client, url, data={**fields, "reminder_days": "99"})
    assert refused.status_code == 400 and "Enter 0 to 14 days." in refused.text


def test_the_reminder_arrives_with_both_links_and_no_token_is_queued(app, told_of_booking, mailbox):
    full_day = told_of_booking
    remind_at(due_time(full_day))
    (queued,) = reminders_queued()

    (received,) = mailbox.deliver()

    assert received.to == "ana@example.org"
    assert received.message["Subject"].startswith("Reminder: Surgery space on ")
    links = reminder_links(received)
    assert "I'm still coming" in text_of(received) and "I can't come any more" in text_of(received)
    for link in links.values():
        assert link.rsplit("/", 1)[1] not in json.dumps(queued.payload)
    assert "still coming" in text_of(received, "html")


def test_cant_come_frees_the_place_and_the_waiting_list_is_told(
    client, organiser_client, told_of_booking, mailbox
):
    full_day = told_of_booking
    remind_at(due_time(full_day))
    (reminder,) = mailbox.deliver()
    link = reminder_links(reminder)["cannot-come"]

    asking = client.get(link)
    assert asking.status_code == 200 and "Give up your place?" in asking.text
    assert booking_of("ana@example.org").status == "confirmed"  # opening it changed nothing

    done = press(client, link)

    assert "Your place is given up" in done.text
    assert booking_of("ana@example.org").status == "cancelled"
    assert booking_of("ben@example.org").status == "confirmed"
    told = mailbox.deliver_to()
    assert told["ben@example.org"].message["Subject"].startswith("A place came up:")
    assert told["ana@example.org"].message["Subject"].startswith("Cancelled:")
    page = organiser_client.get(f"/organise/events/{full_day.id}").text
    assert "0 still coming, 1 released, 0 not answered" in page
    assert "Released their place from a reminder: Ana" in page

    again = press(client, link)  # a second press changes nothing and tells nobody
    assert again.status_code == 200
    assert mailbox.deliver() == []


def test_still_coming_is_recorded_and_keeps_the_place(
    client, organiser_client, told_of_booking, mailbox
):
    full_day = told_of_booking
    remind_at(due_time(full_day))
    link = reminder_links(mailbox.deliver()[0])["still-coming"]
    page = organiser_client.get(f"/organise/events/{full_day.id}").text
    assert (
        "<td>sent, no answer</td>" in page and "0 still coming, 0 released, 1 not answered" in page
    )

    assert "Are you still coming?" in client.get(link).text
    done = press(client, link)

    assert "We have noted that you are still coming" in done.text
    assert booking_of("ana@example.org").status == "confirmed"
    assert db.session.scalars(sa.select(Reminder.answer)).one() == "coming"
    page = organiser_client.get(f"/organise/events/{full_day.id}").text
    assert "<td>still coming</td>" in page and "1 still coming, 0 released, 0 not answered" in page
    assert mailbox.deliver() == []


def test_a_token_for_one_answer_opens_no_other(client, told_of_booking, mailbox):
    full_day = told_of_booking
    remind_at(due_time(full_day))
    links = reminder_links(mailbox.deliver()[0])
    coming_token = links["still-coming"].rsplit("/", 1)[1]
    release_token = links["cannot-come"].rsplit("/", 1)[1]
    reminder_id = links["still-coming"].split("/")[2]

    wrong_way = f"/reminders/{reminder_id}/cannot-come/{coming_token}"
    assert client.get(wrong_way).status_code == 404
    page = client.get(links["still-coming"]).text
    posted = client.post(wrong_way, data={"csrf_token": csrf_from(page)})
    assert posted.status_code == 404
    assert client.get(f"/reminders/{reminder_id}/still-coming/{release_token}").status_code == 404
    assert (
        client.get(f"/reminders/{int(reminder_id) + 1}/cannot-come/{release_token}").status_code
        == 404
    )
    assert client.get(f"/reminders/{reminder_id}/cannot-come/x%00'").status_code in (400, 404)
    assert client.get(f"/reminders/{2**40}/still-coming/{coming_token}").status_code == 404
    assert client.get(f"/follow-up/{reminder_id}/{coming_token}").status_code == 404
    assert booking_of("ana@example.org").status == "confirmed"


def test_the_confirmation_needs_its_csrf_token(client, told_of_booking, mailbox):
    full_day = told_of_booking
    remind_at(due_time(full_day))
    link = reminder_links(mailbox.deliver()[0])["cannot-come"]

    forged = client.post(link, data={})

    assert forged.status_code == 400
    assert booking_of("ana@example.org").status == "confirmed"


def test_stale_reminders_of_a_cancelled_booking_and_a_cancelled_day_are_dropped(
    client, organiser_client, make_event, mailbox
):
    event = make_event()
    ana, _ = book(client, event, "Ana"), book(client, event, "Ben")
    mailbox.deliver()
    manage = f"/bookings/{manage_token(ana)}"
    remind_at(due_time(event))
    assert len(reminders_queued()) == 2

    cancel_from_manage_page(client, manage)
    cancel_day(organiser_client, event)
    received = mailbox.deliver()

    assert all(not m.message["Subject"].startswith("Reminder") for m in received)
    assert sorted(m.to for m in received) == ["ana@example.org", "ben@example.org"]
    assert all("Cancelled" in m.message["Subject"] for m in received)
    assert reminders_queued() == []  # dropped, never sent
    assert count(Reminder) == 0  # so a day on again reminds them afresh
    publish_again(organiser_client, event)
    assert remind_at(due_time(event)).reminders == 1  # Ben: Ana cancelled her place


def test_a_session_moved_before_its_reminder_goes_is_reminded_at_its_new_time(
    client, organiser_client, make_event, mailbox
):
    event = make_event()
    book(client, event, "Ana")
    mailbox.deliver()
    remind_at(due_time(event))
    move_session(organiser_client, event, event.sessions[0], starts="14:00", ends="16:00")

    by_subject = {m.message["Subject"].split(":")[0]: m for m in mailbox.deliver()}

    assert set(by_subject) == {"Reminder", "Changed"}
    assert "2pm to 4pm" in words_of(by_subject["Reminder"])
    assert "10am" not in words_of(by_subject["Reminder"])


def test_a_session_moved_after_its_reminder_went_gets_the_update_not_another_reminder(
    client, organiser_client, make_event, mailbox
):
    event = make_event()
    book(client, event, "Ana")
    mailbox.deliver()
    remind_at(due_time(event))
    assert [m.message["Subject"].split(":")[0] for m in mailbox.deliver()] == ["Reminder"]

    move_session(organiser_client, event, event.sessions[0], starts="14:00", ends="16:00")
    assert remind_at(due_time(event) + dt.timedelta(hours=4)).reminders == 0

    (update,) = mailbox.deliver()
    assert update.message["Subject"].startswith("Changed:")


def test_the_surgeon_is_reminded_of_whom_they_meet_as_they_may_see_them(
    client, organiser_client, make_event, mailbox
):
    event = make_event()
    facebook = ids(Topic, "Facebook")
    book(client, event, "Ana Smith", email="ana@example.org", topics=facebook,
         help_text="My charity page is hacked")  # fmt: skip
    book(client, event, "Bo Green", email="bo@example.org", topics=facebook,
         help_text="Groups for carers", **SHARED)  # fmt: skip
    add_surgeon(organiser_client, event, "Sue", topics=("Facebook",), capacity=2)
    accept_all(organiser_client, event.sessions[0])
    mailbox.deliver()

    queued = remind_at(due_time(event))
    assert (queued.reminders, queued.surgeons) == (2, 1)
    told = mailbox.deliver_to()

    to_sue = words_of(told["sue@example.org"])
    assert told["sue@example.org"].message["Subject"].startswith("Reminder: you are a surgeon")
    assert "Ana" in to_sue and "Smith" not in to_sue and "hacked" not in to_sue
    assert "Bo Green" in to_sue and "Groups for carers" in to_sue
    assert LINK.search(text_of(told["sue@example.org"])) is None
    assert "Sue" in words_of(told["ana@example.org"])  # whom Ana will meet
    assert "Nobody is paired with you yet" not in to_sue


def test_a_surgeon_paired_with_nobody_is_told_so(organiser_client, make_event, mailbox):
    event = make_event()
    add_surgeon(organiser_client, event, "Sue", topics=("Facebook",))
    mailbox.deliver()

    assert remind_at(due_time(event)).surgeons == 1

    (to_sue,) = mailbox.deliver()
    assert "Nobody is paired with you yet" in words_of(to_sue)


def test_a_discreet_days_reminder_names_no_day(client, make_event, mailbox):
    event = make_event(discreet=True, title="Mental health social media day")
    book(client, event, "Ana")
    mailbox.deliver()
    remind_at(due_time(event))

    (received,) = mailbox.deliver()

    assert "Mental health" not in received.message["Subject"]
    assert "Mental health" not in text_of(received)
    assert len(reminder_links(received)) == 2


def test_flask_remind_queues_what_is_due_at_the_moment_given(app, full_day):
    moment = due_time(full_day).isoformat()

    result = app.test_cli_runner().invoke(args=["remind", "--now", moment])

    assert result.exit_code == 0, result.output
    assert "Queued 1 reminders, 0 surgeon reminders, 0 follow-ups." in result.output
    again = app.test_cli_runner().invoke(args=["remind", "--now", moment])
    assert "Queued 0 reminders" in again.output


def test_the_mail_worker_queues_and_sends_reminders(app, client, make_event, smtp, monkeypatch):
    event = make_event(days_ahead=1)  # due already: two days before is past
    book(client, event, "Ana")
    monkeypatch.setattr("surgery.mail.cli._sleep", lambda _seconds, stopping: stopping.append(1))

    result = app.test_cli_runner().invoke(args=["mail", "worker"])

    assert result.exit_code == 0, result.output
    assert "Queued 1 reminders" in result.output
    assert [m.to_address for m in reminders_queued() if m.status == "sent"] == ["ana@example.org"]


@pytest.mark.skipif(
    postgres_url() is None,
    reason="SQLite lets one writer in at a time from BEGIN, so two workers cannot both read "
    "what is due before either locks the day: set TEST_DATABASE_URL to a PostgreSQL server",
)
def test_two_workers_at_once_queue_each_reminder_once(live_database):
    with app_on(live_database) as app:
        upgrade()
        event_id, session_id = seed_bookings(0, capacity=5)
        for name in ("ann", "ben", "cat"):
            wish = BookingRequest(name.title(), f"{name}@example.org", [session_id], AboutYou(),
                                  new_form_key())  # fmt: skip
            bookings.book(event_id, wish, app.secret_key)
            db.session.commit()
        now = db.session.get(Event, event_id).sessions[0].starts_at - 2 * DAY
        db.session.remove()
        outcomes = race(
            app, lambda: services.days_to_remind(now), lambda day: services.remind_day(day, now)
        )

        assert sorted(o.reminders for o in outcomes) == [0, 3]
        assert count(Reminder) == 3
        addresses = db.session.scalars(
            sa.select(OutboxMessage.to_address).where(OutboxMessage.kind == "reminder")
        ).all()
        assert sorted(addresses) == ["ann@example.org", "ben@example.org", "cat@example.org"]
