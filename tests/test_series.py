"""Copying a day, making a series of draft days, and deleting drafts and unbooked sessions."""

import datetime as dt

import sqlalchemy as sa

from surgery.audit.models import AuditEntry
from surgery.bookings.models import Booking
from surgery.domain import audit
from surgery.domain.tokens import new_form_key
from surgery.events.models import DRAFT, PUBLISHED, SURGERY, WORKSHOP, Event, EventSession
from surgery.extensions import db
from surgery.surgeons.models import APPROVED, Surgeon
from tests.conftest import book, confirm_form, count, post_form

TWO_SESSIONS = [
    {"kind": "surgery", "title": "Surgery space", "capacity": 6},
    {"kind": WORKSHOP, "title": "Workshop", "capacity": 12, "hour_offset": 3},
]
DETAILS = {"venue_address": "1 Main St", "access_info": "Step-free entrance on the left."}


def days_titled(title: str) -> list[Event]:
    """Every day with this title, oldest first, fresh from the database."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Event).where(Event.title == title).order_by(Event.id)))


def local_times(event: Event) -> list[tuple[dt.date, dt.time, dt.time, int | None]]:
    """Each session's local date, start, end and places."""
    return [
        (event.local(s.starts_at).date(), event.local(s.starts_at).time(),
         event.local(s.ends_at).time(), s.capacity)
        for s in event.sessions
    ]  # fmt: skip


def test_copy_keeps_sessions_places_venue_and_access_but_no_bookings(organiser_client, make_event):
    event = make_event(TWO_SESSIONS, title="Leeds copy", **DETAILS)
    assert book(organiser_client, event).status_code == 303
    day = event.local(event.starts_at).date() + dt.timedelta(days=35)
    page = f"/organise/events/{event.id}/copy"
    response = post_form(organiser_client, page, data={"day": day.isoformat()})
    assert response.status_code == 303
    original, copy = days_titled("Leeds copy")
    assert copy.status == DRAFT and original.status == PUBLISHED
    assert (copy.venue_name, copy.venue_address, copy.access_info, copy.city) == (
        "Library", "1 Main St", "Step-free entrance on the left.", "Leeds",
    )  # fmt: skip
    before = local_times(original)
    assert local_times(copy) == [(day, t1, t2, places) for _, t1, t2, places in before]
    ids = [s.id for s in copy.sessions]
    booked = sa.select(sa.func.count()).select_from(Booking).where(Booking.session_id.in_(ids))
    assert db.session.scalar(booked) == 0
    shown = organiser_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Copied as a draft" in shown and "Publish" in shown


def test_a_copy_keeps_a_session_online_with_its_video_link(organiser_client, make_event):
    hybrid = {"kind": SURGERY, "title": "Surgery space", "capacity": 10, "mode": "hybrid",
              "online_url": "https://meet.example.org/leeds"}  # fmt: skip
    event = make_event([hybrid], title="Hybrid copy")
    day = event.local(event.starts_at).date() + dt.timedelta(days=28)
    page = f"/organise/events/{event.id}/copy"
    assert post_form(organiser_client, page, data={"day": day.isoformat()}).status_code == 303
    _, copy = days_titled("Hybrid copy")
    assert [(s.mode, s.online_url) for s in copy.sessions] == [
        ("hybrid", "https://meet.example.org/leeds")
    ]


def test_a_series_makes_drafts_that_keep_10am_across_the_clock_change(organiser_client, make_event):
    event = make_event(TWO_SESSIONS, title="Monthly")
    first = event.sessions[0]
    # 10am to 1pm in London on the first Saturday of March 2030 (GMT)
    first.starts_at = dt.datetime(2030, 3, 2, 10, tzinfo=dt.UTC)
    first.ends_at = dt.datetime(2030, 3, 2, 13, tzinfo=dt.UTC)
    event.sessions[1].starts_at = dt.datetime(2030, 3, 2, 14, tzinfo=dt.UTC)
    event.sessions[1].ends_at = dt.datetime(2030, 3, 2, 16, tzinfo=dt.UTC)
    db.session.commit()
    form = {"repeat": "monthly", "nth": "1", "weekday": "5", "first": "2030-04-01",
            "until": "2030-06-30", "weeks": "2"}  # fmt: skip
    response = post_form(organiser_client, f"/organise/events/{event.id}/series", data=form)
    assert response.status_code == 303
    made = days_titled("Monthly")[1:]
    assert [d.status for d in made] == [DRAFT] * 3
    assert [local_times(d)[0][:3] for d in made] == [
        (dt.date(2030, 4, 6), dt.time(10), dt.time(13)),
        (dt.date(2030, 5, 4), dt.time(10), dt.time(13)),
        (dt.date(2030, 6, 1), dt.time(10), dt.time(13)),
    ]
    assert made[0].sessions[0].starts_at == dt.datetime(2030, 4, 6, 9, tzinfo=dt.UTC)  # BST
    assert [s.capacity for s in made[2].sessions] == [6, 12]
    assert len({s.ical_uid for d in days_titled("Monthly") for s in d.sessions}) == 8
    dashboard = organiser_client.get("/organise/").get_data(as_text=True)
    assert "3 draft days made" in dashboard


def test_editing_one_day_of_a_series_leaves_the_others(organiser_client, make_event):
    event = make_event(title="Series")
    form = {"repeat": "weekly", "weeks": "2", "nth": "1", "weekday": "5"}
    start = event.local(event.starts_at).date() + dt.timedelta(days=7)
    form |= {"first": start.isoformat(), "until": (start + dt.timedelta(days=14)).isoformat()}
    post_form(organiser_client, f"/organise/events/{event.id}/series", data=form)
    one, two = days_titled("Series")[1:]
    edit = f"/organise/events/{one.id}/edit"
    changed = {"title": "Series", "venue_name": "Town Hall", "city": "Leeds",
               "timezone": "Europe/London", "grace_minutes": "15", "reminder_days": "2"}  # fmt: skip
    assert post_form(organiser_client, edit, data=changed).status_code == 303
    one, two = days_titled("Series")[1:]
    assert (one.venue_name, two.venue_name, event.venue_name) == (
        "Town Hall", "Library", "Library",
    )  # fmt: skip


def test_hostile_series_is_refused_in_plain_words(organiser_client, make_event):
    event = make_event(title="Hostile")
    page = f"/organise/events/{event.id}/series"
    form = {"repeat": "weekly", "weeks": "1", "nth": "1", "weekday": "5", "first": "2030-05-01"}
    before = count(Event)
    late = post_form(organiser_client, page, data=form | {"until": "2030-04-01"})
    assert late.status_code == 400 and "The last date is before the first" in late.text
    far = post_form(organiser_client, page, data=form | {"until": "2099-12-31"})
    assert far.status_code == 400 and "at most three years" in far.text
    odd = post_form(organiser_client, page, data=form | {"until": "99999-1-1", "nth": "x"})
    assert odd.status_code == 400
    assert count(Event) == before
    many = post_form(organiser_client, page, data=form | {"until": "2032-12-31"})
    assert many.status_code == 303 and count(Event) == before + 24
    told = organiser_client.get(many.headers["Location"]).text
    assert "One series makes at most 24 days" in told


def test_deleting_a_draft_day_asks_first_and_is_logged(organiser_client, make_event):
    event = make_event(status=DRAFT, title="Draft day")
    page = f"/organise/events/{event.id}"
    asked = post_form(organiser_client, page, f"{page}/delete")
    assert "Delete Draft day?" in asked.text and count(Event) == 1  # asked, nothing deleted
    event_id = event.id
    done = confirm_form(organiser_client, page, f"{page}/delete")
    assert done.status_code == 303 and count(Event) == 0
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.event_id == event_id))
    assert [(e.action, e.detail) for e in entry][-1] == (audit.CHANGED_EVENT, "deleted")


def test_a_day_with_bookings_or_published_can_only_be_cancelled(organiser_client, make_event):
    event = make_event(title="Booked day")
    page = f"/organise/events/{event.id}"
    asked = post_form(organiser_client, page, f"{page}/delete")
    assert "Only a draft day can be deleted" in asked.text and "Yes, delete" not in asked.text
    book(organiser_client, event)
    event.status = DRAFT
    db.session.commit()
    asked = post_form(organiser_client, page, f"{page}/delete")
    assert "can only be cancelled" in asked.text
    forced = post_form(organiser_client, page, f"{page}/delete", data={"confirmed": "yes"})
    assert forced.status_code == 303 and count(Event) == 1 and count(Booking) == 1


def test_a_day_with_a_surgeon_is_not_deleted(organiser_client, make_event):
    event = make_event(status=DRAFT)
    surgeon = Surgeon(event=event, name="Sue", email="sue@example.org", status=APPROVED,
                      capacity=1, token_seed=new_form_key(), token_hash=new_form_key())  # fmt: skip
    db.session.add(surgeon)
    db.session.commit()
    page = f"/organise/events/{event.id}"
    post_form(organiser_client, page, f"{page}/delete", data={"confirmed": "yes"})
    assert count(Event) == 1


def test_an_unbooked_session_is_deleted_after_asking_and_a_booked_one_is_not(
    organiser_client, make_event
):
    event = make_event(TWO_SESSIONS)
    booked, free = event.sessions
    book(organiser_client, event, sessions=[booked.id])
    page = f"/organise/events/{event.id}"
    shown = organiser_client.get(page).text
    assert f"{page}/sessions/{free.id}/delete" in shown
    assert f"{page}/sessions/{booked.id}/delete" not in shown
    refused = organiser_client.post(
        f"{page}/sessions/{booked.id}/delete",
        data={"csrf_token": _csrf(organiser_client, page), "confirmed": "yes"},
    )
    assert refused.status_code == 303 and count(EventSession) == 2
    assert "People have booked this session" in organiser_client.get(page).text
    free_id = free.id
    done = confirm_form(organiser_client, page, f"{page}/sessions/{free_id}/delete")
    assert done.status_code == 303
    assert [s.title for s in db.session.scalars(sa.select(EventSession))] == ["Surgery space"]
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == audit.CHANGED_SESSION)
    )
    assert [e.subject for e in entry] == [f"session {free_id}"]


def test_pages_need_an_organiser_and_csrf(app, organiser_client, make_event):
    event = make_event(status=DRAFT)
    url = f"/organise/events/{event.id}/delete"
    no_token = organiser_client.post(url, data={"confirmed": "yes"})
    assert no_token.status_code == 400 and count(Event) == 1
    assert organiser_client.get("/organise/events/999999/series").status_code == 404
    stranger = app.test_client()
    assert stranger.get(f"/organise/events/{event.id}/copy").status_code in (302, 303)
    assert stranger.post(url, data={"confirmed": "yes"}).status_code in (302, 303, 400)
    assert count(Event) == 1


def _csrf(client, page: str) -> str:
    from tests.conftest import csrf_from

    return csrf_from(client.get(page).get_data(as_text=True))
