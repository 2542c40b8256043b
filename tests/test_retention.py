"""Retention: a day's personal data is removed when due, on a controlled clock.

People book, are matched, checked in and helped through the real pages; the day is then
moved into the past, and the removal is run at moments given to it (never the wall clock),
so "one second early" and "on the moment" are exact.
"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from surgery.audit.models import AuditEntry
from surgery.bookings import services as bookings
from surgery.bookings.models import Booking, Registration, registration_role_tag
from surgery.bookings.services import AboutYou, BookingRequest
from surgery.database import utcnow
from surgery.day.models import Feedback
from surgery.domain import audit
from surgery.domain.retention import Periods
from surgery.domain.tokens import manage_token, new_form_key
from surgery.events.models import Event
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.matching.models import Match
from surgery.retention import services
from surgery.retention.cli import purge_round
from surgery.retention.models import DayRetention
from surgery.surgeons.models import Surgeon, surgeon_role_tag
from surgery.vocabulary.models import RoleTag
from tests.conftest import book, confirm_form, count, post_form, postgres_url
from tests.test_after_the_day import (
    CARER,
    JOURNALIST,
    big_counts,
    check_in,
    end_pairing,
    numbers_url,
    start_pairing,
    table,
)
from tests.test_matching_page import LIVED, accept_all, add_surgeon, attend, ids
from tests.test_outbox import app_on, seed_bookings
from tests.two_workers import race

DAY = dt.timedelta(days=1)
SECOND = dt.timedelta(seconds=1)
DUE_PAGE = "/organise/retention"


def people_of(event_id: int) -> list[Registration]:
    db.session.expire_all()
    query = sa.select(Registration).where(Registration.event_id == event_id)
    return list(db.session.scalars(query.order_by(Registration.id)))


def surgeons_of(event_id: int) -> list[Surgeon]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Surgeon).where(Surgeon.event_id == event_id)))


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def ends_of(event) -> dt.datetime:
    db.session.expire_all()
    return max(s.ends_at for s in db.session.get(Event, event.id).sessions)


def messages_of(emails: set[str]) -> list[OutboxMessage]:
    db.session.expire_all()
    query = sa.select(OutboxMessage).where(OutboxMessage.to_address.in_(emails))
    return list(db.session.scalars(query))


def tags_kept(event_id: int) -> int:
    """Role tag links of the day's attendees and surgeons."""
    attendees = sa.select(sa.func.count()).select_from(registration_role_tag)
    attendees = attendees.join(Registration).where(Registration.event_id == event_id)
    helpers = sa.select(sa.func.count()).select_from(surgeon_role_tag)
    helpers = helpers.join(Surgeon).where(Surgeon.event_id == event_id)
    return db.session.scalar(attendees) + db.session.scalar(helpers)


def move_into_the_past(event, days_ago: int = 3) -> None:
    """The day happened `days_ago` days ago (its sessions keep their length)."""
    for session in event.sessions:
        length = session.ends_at - session.starts_at
        session.starts_at = utcnow().replace(microsecond=0) - days_ago * DAY
        session.ends_at = session.starts_at + length
    db.session.commit()


@pytest.fixture
def past_day(app, organiser_client, make_event):
    """Ana (carer, step-free access, BSL, wants lived experience, shared with her surgeon)
    and Ben (journalist) came and were helped by Sue (lived experience) and Tom; Cal
    booked and did not come. Ana said what she learned. The day ended three days ago."""
    client = organiser_client
    event = make_event()
    add_surgeon(client, event, "Sue", role_tags=ids(RoleTag, LIVED), consent="y", bio="Blogger")
    add_surgeon(client, event, "Tom", topics=("Instagram",), languages="Urdu")
    attend(
        client, event, "Ana", topics=("Instagram",), role_tags=ids(RoleTag, CARER),
        access_needs=["step_free"], access_other="Near the door", help_text="My page",
        languages="BSL", wants_lived_experience="y", consent="y", share_with_surgeon="y",
    )  # fmt: skip
    attend(client, event, "Ben", role_tags=ids(RoleTag, JOURNALIST), consent="y")
    attend(client, event, "Cal")
    accept_all(client, event.sessions[0])
    for name in ("Ana", "Ben"):
        check_in(client, event, name)
    start_pairing(client, event, "Ben", "Sue")
    end_pairing(client, event, "Ben")
    ana = people_of(event.id)[0]
    feedback = f"/feedback/{manage_token(app.secret_key, ana.token_seed)}"
    said = post_form(client, feedback, data={"learned": "Privacy settings", "share_publicly": "y"})
    assert said.status_code == 200
    for surgeon in surgeons_of(event.id):
        surgeon.left_at = utcnow()
    db.session.commit()
    move_into_the_past(event)
    return event


@pytest.fixture
def later_day(client, make_event):
    """A day ten days ahead, with Zoe booked (and her answers kept)."""
    event = make_event(title="Bradford surgery")
    book(client, event, "Zoe", role_tags=ids(RoleTag, CARER), consent="y", help_text="Reels")
    return event


def test_nothing_is_removed_a_second_before_the_answers_fall_due(past_day, later_day):
    removed = purge_round(ends_of(past_day) + 30 * DAY - SECOND)

    assert removed == []
    ana = people_of(past_day.id)[0]
    assert (ana.name, ana.help_text, ana.access_needs, ana.languages) == (
        "Ana", "My page", ["step_free"], ["BSL"]
    )  # fmt: skip
    assert tags_kept(past_day.id) == 3  # Ana's, Ben's and Sue's
    assert count(DayRetention) == 0
    assert entries(audit.PURGED) == []


def test_on_the_moment_the_answers_go_and_names_stay(past_day, later_day):
    removed = purge_round(ends_of(past_day) + 30 * DAY)

    assert [(r.event_id, r.identity) for r in removed] == [(past_day.id, None)]
    assert tags_kept(past_day.id) == 0
    for person in people_of(past_day.id):
        assert person.help_text == person.access_other == ""
        assert person.access_needs == person.languages == []
        assert not (person.wants_lived_experience or person.consent_sensitive)
        assert not person.share_with_surgeon
    assert [p.name for p in people_of(past_day.id)] == ["Ana", "Ben", "Cal"]
    assert [t.name for t in people_of(past_day.id)[0].topics] == ["Instagram"]
    reasons = db.session.scalars(sa.select(Match.reasons)).all()
    assert reasons and all(r == [] for r in reasons)  # "brings lived experience" went too
    (entry,) = entries(audit.PURGED)
    assert (entry.actor, entry.event_id) == (audit.AUTOMATIC, past_day.id)
    assert entry.detail == "sensitive answers of 2 attendees, 1 surgeon"
    # the other day, not due, keeps everything
    zoe = people_of(later_day.id)[0]
    assert (zoe.name, zoe.help_text, tags_kept(later_day.id)) == ("Zoe", "Reels", 1)


def test_names_addresses_codes_and_links_go_twelve_months_after(app, client, past_day, later_day):
    ends = ends_of(past_day)
    purge_round(ends + 30 * DAY)
    before = people_of(past_day.id)
    links = [f"/bookings/{manage_token(app.secret_key, p.token_seed)}" for p in before]
    codes = [p.checkin_code for p in before] + [s.checkin_code for s in surgeons_of(past_day.id)]
    emails = {p.email for p in before} | {s.email for s in surgeons_of(past_day.id)}
    assert len(messages_of(emails)) >= 5  # bookings, pairs, the surgeons' notices
    zoe_mail = len(messages_of({"zoe@example.org"}))

    early = purge_round(ends + 365 * DAY - SECOND)  # only the later day's answers are due
    assert [(r.event_id, r.identity) for r in early] == [(later_day.id, None)]
    assert [p.name for p in people_of(past_day.id)] == ["Ana", "Ben", "Cal"]

    (removed,) = purge_round(ends + 365 * DAY)

    assert (
        removed.identity.words() == f"3 attendees, 2 surgeons, {removed.identity.messages} emails"
    )
    after = people_of(past_day.id)
    assert {(p.name, p.email) for p in after} == {("removed", None)}
    assert not set(codes) & {p.checkin_code for p in after}
    assert not set(codes) & {s.checkin_code for s in surgeons_of(past_day.id)}
    for link in links:
        assert client.get(link).status_code == 404
    for surgeon in surgeons_of(past_day.id):
        assert (surgeon.name, surgeon.bio, surgeon.languages) == ("removed", "", [])
        assert "@" not in surgeon.email
    assert messages_of(emails) == []
    bookings = sa.select(Booking.id).join(Booking.registration)
    bookings = bookings.where(Registration.event_id == past_day.id)
    assert count_where(OutboxMessage.booking_id.in_(bookings)) == 0
    feedback = db.session.scalars(sa.select(Feedback)).one()
    assert (feedback.learned, feedback.share_publicly) == ("Privacy settings", True)
    # the day not yet due is untouched, its mail too
    assert people_of(later_day.id)[0].email == "zoe@example.org"
    assert len(messages_of({"zoe@example.org"})) == zoe_mail >= 1


def count_where(condition) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(condition))


def test_the_day_in_numbers_shows_the_same_figures_after_the_removal(organiser_client, past_day):
    page = organiser_client.get(numbers_url(past_day)).text
    figures = (big_counts(page), table(page, "mix"), table(page, "topics"))
    assert figures[1] == [(CARER, 1), (JOURNALIST, 1)]
    assert figures[0]["People helped"] == "1"

    purge_round(ends_of(past_day) + 365 * DAY)

    after = organiser_client.get(numbers_url(past_day)).text
    assert (big_counts(after), table(after, "mix"), table(after, "topics")) == figures
    assert "Counted before the day’s personal data was removed" in after
    assert "Privacy settings" in after  # what Ana learned, shared without her name
    people = organiser_client.get(f"/organise/events/{past_day.id}").text
    assert "Ana" not in people and "ana@example.org" not in people
    assert people.count('<th scope="row">removed</th>') == 3
    helpers = organiser_client.get(f"/organise/events/{past_day.id}/surgeons").text
    assert "Sue" not in helpers and "sue@example.org" not in helpers
    assert helpers.count("Email address removed") == 2
    matching = organiser_client.get(f"/organise/sessions/{past_day.sessions[0].id}/matching")
    assert matching.status_code == 200 and "Ana" not in matching.text


def test_running_twice_is_a_no_op(past_day):
    now = ends_of(past_day) + 365 * DAY
    assert len(purge_round(now)) == 1
    kept = dict(db.session.get(DayRetention, past_day.id).numbers)
    codes = [p.checkin_code for p in people_of(past_day.id)]

    assert purge_round(now) == []
    assert purge_round(now + 400 * DAY) == []

    assert len(entries(audit.PURGED)) == 1
    assert [p.checkin_code for p in people_of(past_day.id)] == codes
    assert db.session.get(DayRetention, past_day.id).numbers == kept


def test_the_command_removes_what_is_due_at_the_moment_given(app, past_day, later_day):
    moment = (ends_of(past_day) + 30 * DAY).isoformat()

    result = app.test_cli_runner().invoke(args=["purge", "--now", moment])

    assert result.exit_code == 0, result.output
    assert (
        f"Day {past_day.id}: removed sensitive answers of 2 attendees, 1 surgeon." in result.output
    )
    assert "1 day with data removed." in result.output
    assert tags_kept(past_day.id) == 0
    again = app.test_cli_runner().invoke(args=["purge", "--now", moment])
    assert "0 days with data removed." in again.output
    refused = app.test_cli_runner().invoke(args=["purge", "--now", "next tuesday"])
    assert refused.exit_code == 2 and "not a date and time" in refused.output


def test_the_mail_worker_removes_what_is_due_by_the_shortened_periods(
    app, monkeypatch, past_day, later_day
):
    services.save_settings(Periods(sensitive_days=1, identity_days=2))  # the day was 3 days ago
    db.session.commit()
    monkeypatch.setattr("surgery.mail.cli._sleep", lambda _seconds, stopping: stopping.append(1))

    result = app.test_cli_runner().invoke(args=["mail", "worker"])

    assert result.exit_code == 0, result.output
    assert f"Day {past_day.id}: removed sensitive answers" in result.output
    assert {p.name for p in people_of(past_day.id)} == {"removed"}
    assert people_of(later_day.id)[0].name == "Zoe"


def test_a_worker_with_purging_switched_off_removes_nothing(app, monkeypatch, past_day):
    services.save_settings(Periods(sensitive_days=1, identity_days=2))
    db.session.commit()
    monkeypatch.setitem(app.config, "PURGE_INTERVAL_SECONDS", 0)
    monkeypatch.setattr("surgery.mail.cli._sleep", lambda _seconds, stopping: stopping.append(1))

    assert app.test_cli_runner().invoke(args=["mail", "worker"]).exit_code == 0

    assert people_of(past_day.id)[0].name == "Ana"


def test_an_organiser_shortens_the_periods_and_cannot_lengthen_them(organiser_client):
    url = f"{DUE_PAGE}/settings"
    page = organiser_client.get(url).text
    assert 'value="30"' in page and 'value="365"' in page

    saved = post_form(organiser_client, url, data={"sensitive_days": "7", "identity_days": "90"})

    assert saved.status_code == 303
    assert services.settings() == Periods(7, 90)
    (entry,) = entries(audit.CHANGED_RETENTION)
    assert entry.actor == "Org" and entry.detail == "fields: identity_days, sensitive_days"
    privacy = organiser_client.get("/privacy").text
    assert "Removed 7 days after the day" in privacy
    assert "Removed 90 days after the day" in privacy

    for sent, says in (
        ({"sensitive_days": "31", "identity_days": "90"}, "at most 30 days"),
        ({"sensitive_days": "7", "identity_days": "400"}, "at most 365 days"),
        ({"sensitive_days": "0", "identity_days": "90"}, "at least 1 day"),
        ({"sensitive_days": "20", "identity_days": "10"}, "at least 20 days"),
        ({"sensitive_days": "seven", "identity_days": ""}, "Enter a number of days"),
        ({"sensitive_days": "9" * 40, "identity_days": "90"}, "at most 30 days"),
    ):
        refused = post_form(organiser_client, url, data=sent)
        assert refused.status_code == 400 and says in refused.text
    assert services.settings() == Periods(7, 90)
    assert len(entries(audit.CHANGED_RETENTION)) == 1


def test_the_privacy_page_says_the_defaults_and_every_form_links_to_it(
    app, client, make_event, past_day
):
    privacy = client.get("/privacy").text
    assert "Removed 30 days after the day" in privacy
    assert "Removed 12 months after the day" in privacy
    assert "the surgeon matched with you only if you said they may" in privacy
    assert "Kept for good, as counts" in privacy
    event = make_event()
    ana = people_of(past_day.id)[0]
    forms = [
        f"/events/{event.id}/book",
        f"/events/{event.id}/volunteer",
        f"/feedback/{manage_token(app.secret_key, ana.token_seed)}",
    ]
    for url in forms:
        assert 'href="/privacy">how we look after your data</a>' in client.get(url).text, url


def test_the_kiosk_links_to_the_privacy_page_and_lets_it_open(organiser_client, make_event):
    event = make_event(days_ahead=0)
    kiosk = f"/organise/events/{event.id}/kiosk"
    assert post_form(organiser_client, f"/organise/events/{event.id}", kiosk).status_code == 303

    assert 'href="/privacy"' in organiser_client.get("/kiosk").text
    assert organiser_client.get("/privacy").status_code == 200
    assert organiser_client.get(f"/events/{event.id}").status_code == 302  # still a kiosk


def test_the_due_page_lists_each_day_with_its_dates(organiser_client, past_day, later_day):
    page = organiser_client.get(DUE_PAGE).text

    rows = re.findall(r"<tr>\s*<th scope=\"row\"><a [^>]*>(.*?)</a>(.*?)</tr>", page, re.S)
    assert [title for title, _ in rows] == ["Leeds surgery", "Bradford surgery"]
    ends = past_day.local(ends_of(past_day))
    leeds = rows[0][1]
    assert "3 attendees, 2 surgeons" in leeds
    assert f"Due {format_day(ends + 30 * DAY)}" in leeds
    assert f"Due {format_day(ends + 365 * DAY)}" in leeds
    assert "Remove personal data now" in leeds
    assert "Not over yet" in rows[1][1]
    assert len(entries(audit.VIEWED_DUE)) == 1

    purge_round(ends_of(past_day) + 30 * DAY)
    leeds = organiser_client.get(DUE_PAGE).text
    assert "Removed" in leeds
    purge_round(ends_of(past_day) + 365 * DAY)
    assert "Leeds surgery" not in organiser_client.get(DUE_PAGE).text


def format_day(moment) -> str:
    from surgery.templating import format_day as day

    return day(moment)


def test_pages_about_retention_are_for_organisers(app, past_day):
    client = app.test_client()  # nobody signed in on this device
    for url in (DUE_PAGE, f"{DUE_PAGE}/settings"):
        assert client.get(url).headers["Location"].startswith("/login")
    remove = client.post(f"/organise/events/{past_day.id}/remove-personal-data")
    assert remove.status_code == 400  # no CSRF token, let alone a signed-in organiser
    assert people_of(past_day.id)[0].name == "Ana"


def test_removing_a_past_day_now_says_what_goes_first(organiser_client, past_day):
    url = f"/organise/events/{past_day.id}/remove-personal-data"
    asked = post_form(organiser_client, DUE_PAGE, url)

    assert asked.status_code == 200
    text = asked.text
    assert "Remove the personal data of Leeds surgery now?" in text
    assert "The sensitive answers of 3 people who booked or walked in and 2 surgeons" in text
    assert "Nobody will be emailed." in text
    assert people_of(past_day.id)[0].name == "Ana"  # asking changed nothing

    done = confirm_form(organiser_client, DUE_PAGE, url, follow_redirects=True)

    assert "Removed from Leeds surgery: sensitive answers of 2 attendees" in done.text
    assert {p.name for p in people_of(past_day.id)} == {"removed"}
    assert tags_kept(past_day.id) == 0
    (entry,) = entries(audit.REMOVED_PERSONAL_DATA)
    assert entry.actor == "Org" and "Ana" not in entry.detail
    assert purge_round(ends_of(past_day) + 400 * DAY) == []  # nothing left for the worker
    again = post_form(organiser_client, f"/organise/events/{past_day.id}/numbers", url)
    assert "already been removed" in again.text


def test_a_day_not_over_yet_cannot_have_its_data_removed(organiser_client, later_day):
    url = f"/organise/events/{later_day.id}/remove-personal-data"
    asked = post_form(organiser_client, DUE_PAGE, url)

    assert "this day is not over yet" in asked.text
    assert 'name="confirmed"' not in asked.text
    forced = post_form(
        organiser_client, DUE_PAGE, url, data={"confirmed": "yes"}, follow_redirects=True
    )
    assert "This day is not over yet" in forced.text
    assert people_of(later_day.id)[0].name == "Zoe"
    assert entries(audit.REMOVED_PERSONAL_DATA) == []


@pytest.mark.skipif(
    postgres_url() is None,
    reason="SQLite lets one writer in at a time from BEGIN, so two workers cannot both read "
    "what is due before either locks the day: set TEST_DATABASE_URL to a PostgreSQL server",
)
def test_two_workers_at_once_remove_each_day_once(live_database):
    with app_on(live_database) as app:
        upgrade()
        event_id, session_id = seed_bookings(0, capacity=5)
        tag = db.session.scalars(sa.select(RoleTag.id)).first()
        for name in ("ann", "ben", "cat"):
            about = AboutYou(role_tag_ids=[tag], help_text="Reels", consent=True)
            wish = BookingRequest(
                name.title(), f"{name}@example.org", [session_id], about, new_form_key()
            )
            bookings.book(event_id, wish, app.secret_key)
            db.session.commit()
        now = max(s.ends_at for s in db.session.get(Event, event_id).sessions) + 365 * DAY
        db.session.remove()

        outcomes = race(
            app, lambda: services.days_due(now), lambda day: services.purge_day(day, now)
        )

        assert sorted(outcome is None for outcome in outcomes) == [False, True]
        (entry,) = entries(audit.PURGED)
        assert entry.detail.startswith("sensitive answers of 3 attendees, 0 surgeons; names")
        people = people_of(event_id)
        assert {(p.name, p.email, p.help_text) for p in people} == {("removed", None, "")}
        assert tags_kept(event_id) == 0
        assert messages_of({"ann@example.org", "ben@example.org", "cat@example.org"}) == []


def test_a_removal_that_fails_does_not_stop_the_mail_worker(app, monkeypatch):
    def broken(now=None):
        raise RuntimeError("database went away")

    monkeypatch.setattr("surgery.mail.cli.purge_round", broken)
    monkeypatch.setattr("surgery.mail.cli._sleep", lambda _seconds, stopping: stopping.append(1))

    result = app.test_cli_runner().invoke(args=["mail", "worker"])

    assert result.exit_code == 0, result.output
    assert "Mail worker stopped." in result.output
    assert "Removing personal data failed; it will be tried again." in result.output
