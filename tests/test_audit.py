"""The audit log: who looked at or took away people's data and who changed what, done
through the real pages, and the page organisers read it on."""

import datetime as dt
import html
import re

import pytest
import sqlalchemy as sa

from surgery.audit.models import AuditEntry
from surgery.auth.models import DOOR, AccountLink, Organiser
from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.domain import audit
from surgery.domain.accounts import INVITE, link_expires_at
from surgery.domain.capacity import CANCELLED, WAITLISTED
from surgery.domain.tokens import account_link_token, hash_token
from surgery.events.models import DRAFT, WORKSHOP, Event, EventSession
from surgery.extensions import db
from surgery.vocabulary.models import RoleTag, Topic
from tests.conftest import (
    ORGANISER_PASSWORD,
    book,
    confirm_form,
    count,
    post_form,
)
from tests.test_matching_page import add_surgeon, ids, surgeon_of, volunteer
from tests.test_organise import EVENT_FORM, change_status, session_form

AUDIT = "/organise/audit"
DOOR_PASSWORD = "door password one"


def entries(action: str | None = None) -> list[AuditEntry]:
    """The audit log's rows, oldest first, of one action if given."""
    db.session.expire_all()
    query = sa.select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def only(action: str) -> AuditEntry:
    """The one entry of this action."""
    found = entries(action)
    assert len(found) == 1, [(e.action, e.subject, e.detail) for e in entries()]
    return found[0]


def assert_by_org(entry: AuditEntry, organiser, event_id, subject: str, detail: str) -> None:
    """An entry made by the signed-in organiser "Org" about this row, saying this."""
    assert (entry.actor, entry.organiser_id) == ("Org", organiser.id)
    assert (entry.event_id, entry.subject, entry.detail) == (event_id, subject, detail)


def booking_of(name: str) -> Booking:
    """The one booking of the person with this name."""
    db.session.expire_all()
    query = sa.select(Booking).join(Booking.registration).where(Registration.name == name)
    return db.session.scalars(query).one()


# ------------------------------------------------------------------ looking at people's data


def test_opening_a_days_bookings_is_logged(organiser_client, organiser, make_event):
    event = make_event()
    assert organiser_client.get(f"/organise/events/{event.id}").status_code == 200
    assert_by_org(only(audit.VIEWED_BOOKINGS), organiser, event.id, "", "")


def test_opening_the_matching_page_is_logged(organiser_client, organiser, make_event):
    event = make_event()
    session = event.sessions[0]
    assert organiser_client.get(f"/organise/sessions/{session.id}/matching").status_code == 200
    assert_by_org(only(audit.VIEWED_MATCHING), organiser, event.id, f"session {session.id}", "")


def test_opening_the_floor_is_logged_but_not_its_live_refreshes(
    organiser_client, organiser, make_event
):
    event = make_event()
    floor = f"/organise/sessions/{event.sessions[0].id}/floor"
    assert organiser_client.get(floor).status_code == 200
    for _ in range(3):
        assert organiser_client.get(f"{floor}/live").status_code == 200
    subject = f"session {event.sessions[0].id}"
    assert_by_org(only(audit.VIEWED_FLOOR), organiser, event.id, subject, "")


def test_opening_a_page_again_soon_is_one_look_and_later_another(
    organiser_client, organiser, make_event
):
    """The floor reloads itself: a reload is the same look, an hour later is a new one."""
    event = make_event()
    floor = f"/organise/sessions/{event.sessions[0].id}/floor"
    for _ in range(3):
        assert organiser_client.get(floor).status_code == 200
    [first] = entries(audit.VIEWED_FLOOR)
    first.at -= dt.timedelta(minutes=audit.LOOK_AGAIN_MINUTES)
    db.session.commit()
    assert organiser_client.get(floor).status_code == 200
    assert len(entries(audit.VIEWED_FLOOR)) == 2


def test_each_download_is_recorded_even_moments_apart(organiser_client, make_event):
    event = make_event()
    for _ in range(2):
        response = organiser_client.get(f"/organise/events/{event.id}/bookings.csv?sensitive=1")
        assert response.status_code == 200
    assert len(entries(audit.DOWNLOADED_SENSITIVE)) == 2


@pytest.mark.parametrize(
    ("query", "action", "other"),
    [
        ("", audit.DOWNLOADED_BOOKINGS, audit.DOWNLOADED_SENSITIVE),
        ("?sensitive=1", audit.DOWNLOADED_SENSITIVE, audit.DOWNLOADED_BOOKINGS),
    ],
)
def test_each_download_is_logged_as_what_it_held(
    organiser_client, organiser, make_event, query, action, other
):
    event = make_event()
    response = organiser_client.get(f"/organise/events/{event.id}/bookings.csv{query}")
    assert response.status_code == 200
    assert_by_org(only(action), organiser, event.id, "", "")
    assert entries(other) == []


# ------------------------------------------------------------------ days and sessions


def test_creating_a_day_is_logged(organiser_client, organiser):
    created = post_form(organiser_client, "/organise/events/new", data=EVENT_FORM)
    assert created.status_code == 303
    event = db.session.scalars(sa.select(Event)).one()
    assert_by_org(only(audit.CHANGED_EVENT), organiser, event.id, f"event {event.id}", "created")


def test_editing_a_day_logs_the_names_of_the_fields_changed(
    organiser_client, organiser, make_event
):
    event = make_event(description="", venue_address="", access_info="", organiser_email="")
    edit = f"/organise/events/{event.id}/edit"
    data = {**EVENT_FORM, "title": "Bradford surgery", "venue_name": "Library", "city": "Leeds"}
    assert post_form(organiser_client, edit, data=data).status_code == 303
    entry = only(audit.CHANGED_EVENT)
    assert_by_org(entry, organiser, event.id, f"event {event.id}", "edited; fields: title")
    assert "Bradford" not in entry.detail


def test_each_change_of_a_days_status_is_logged(organiser_client, organiser, make_event):
    event = make_event(status=DRAFT)
    for action in ("publish", "unpublish", "publish", "cancel", "publish"):
        assert change_status(organiser_client, event, action).status_code == 200
    said = [e.detail for e in entries(audit.CHANGED_EVENT)]
    assert said == ["published", "unpublished", "published", "cancelled", "published again"]
    assert {(e.actor, e.event_id, e.subject) for e in entries(audit.CHANGED_EVENT)} == {
        ("Org", event.id, f"event {event.id}")
    }


def test_adding_and_editing_a_session_is_logged(organiser_client, organiser, make_event):
    event = make_event()
    new = f"/organise/events/{event.id}/sessions/new"
    form = session_form(title="Afternoon", starts="14:00", ends="16:00")
    assert post_form(organiser_client, new, data=form).status_code == 303
    session = db.session.scalars(sa.select(EventSession).filter_by(title="Afternoon")).one()
    edit = f"/organise/events/{event.id}/sessions/{session.id}/edit"
    form = {**form, "capacity": "3", "title": "Later"}
    assert post_form(organiser_client, edit, data=form).status_code == 303
    created, edited = entries(audit.CHANGED_SESSION)
    subject = f"session {session.id}"
    assert_by_org(created, organiser, event.id, subject, "created")
    assert_by_org(edited, organiser, event.id, subject, "edited; fields: capacity, title")


def test_a_refused_change_leaves_no_entry(organiser_client, make_event):
    event = make_event(sessions=[{"kind": WORKSHOP, "title": "Workshop", "capacity": 5}])
    book(organiser_client, event, "Ann")
    book(organiser_client, event, "Bob")
    session = event.sessions[0]
    edit = f"/organise/events/{event.id}/sessions/{session.id}/edit"
    form = session_form(kind=WORKSHOP, title="Workshop", capacity="1")
    refused = post_form(organiser_client, edit, data=form)
    assert refused.status_code == 400
    assert entries(audit.CHANGED_SESSION) == []
    db.session.expire_all()
    assert db.session.get(EventSession, session.id).capacity == 5


# ------------------------------------------------------------------ bookings and surgeons


def test_an_organiser_cancelling_a_booking_is_logged(organiser_client, organiser, make_event):
    event = make_event()
    book(organiser_client, event, "Ann")
    booking = booking_of("Ann")
    page = f"/organise/events/{event.id}"
    cancel = f"{page}/bookings/{booking.id}/cancel"
    assert confirm_form(organiser_client, page, cancel).status_code == 303
    assert booking_of("Ann").status == CANCELLED
    subject = f"booking {booking.id}"
    assert_by_org(only(audit.CHANGED_BOOKING), organiser, event.id, subject, "cancelled")


def test_moving_someone_up_the_waiting_list_is_logged(organiser_client, organiser, make_event):
    event = make_event(sessions=[{"kind": WORKSHOP, "title": "Workshop", "capacity": 1}])
    for name in ("Ann", "Bob", "Cat"):
        book(organiser_client, event, name)
    cat = booking_of("Cat")
    assert cat.status == WAITLISTED
    page = f"/organise/events/{event.id}"
    moved = post_form(organiser_client, page, f"{page}/bookings/{cat.id}/move-up")
    assert moved.status_code == 303
    detail = "moved up the waiting list"
    assert_by_org(only(audit.CHANGED_BOOKING), organiser, event.id, f"booking {cat.id}", detail)


def test_adding_approving_and_declining_surgeons_is_logged(organiser_client, organiser, make_event):
    event = make_event()
    sue = add_surgeon(organiser_client, event, "Sue")
    volunteer(organiser_client, event, "Vic")
    volunteer(organiser_client, event, "Wyn")
    vic, wyn = surgeon_of("Vic"), surgeon_of("Wyn")
    page = f"/organise/events/{event.id}/surgeons"
    for _ in range(2):  # pressed twice: approved once, logged once
        assert post_form(organiser_client, page, f"{page}/{vic.id}/approve").status_code == 303
    assert confirm_form(organiser_client, page, f"{page}/{wyn.id}/decline").status_code == 303
    added, approved, declined = entries(audit.CHANGED_SURGEON)
    assert_by_org(added, organiser, event.id, f"surgeon {sue.id}", "added by an organiser")
    assert_by_org(approved, organiser, event.id, f"surgeon {vic.id}", "approved")
    assert_by_org(declined, organiser, event.id, f"surgeon {wyn.id}", "declined, with thanks")


# ------------------------------------------------------------------ lists of choices

VOCABULARY = "/organise/vocabulary/"


def test_each_change_to_the_lists_of_choices_is_logged(organiser_client, organiser):
    added = post_form(
        organiser_client, VOCABULARY, f"{VOCABULARY}topics/add", data={"topics-name": "Podcasts"}
    )
    assert added.status_code == 303
    topic = db.session.scalars(sa.select(Topic).filter_by(name="Podcasts")).one()
    tag = db.session.scalars(sa.select(RoleTag).order_by(RoleTag.id)).first()
    base = f"{VOCABULARY}role-tags/{tag.id}"
    renamed = {"name": "Someone new", "term_version": tag.version}
    for action, data in (
        ("rename", renamed),
        ("active", {"active": "0"}),
        ("lived-experience", {"means": "1"}),
    ):
        response = post_form(organiser_client, VOCABULARY, f"{base}/{action}", data=data)
        assert response.status_code == 303
    said = [(e.subject, e.detail) for e in entries(audit.CHANGED_VOCABULARY)]
    assert said == [
        (f"topic {topic.id}", "added"),
        (f"role tag {tag.id}", "renamed"),
        (f"role tag {tag.id}", "retired"),
        (f"role tag {tag.id}", "counts as lived experience"),
    ]
    assert {(e.actor, e.organiser_id) for e in entries()} == {("Org", organiser.id)}


# ------------------------------------------------------------------ organiser accounts


def account(email: str) -> Organiser:
    """The account with this email."""
    db.session.expire_all()
    return db.session.scalars(sa.select(Organiser).filter_by(email=email)).one()


def test_inviting_giving_and_removing_logins_is_logged(organiser_client, organiser):
    invite = {"name": "Ola", "email": "ola@example.org"}
    assert post_form(organiser_client, "/organise/organisers", data=invite).status_code == 303
    door = {"name": "Dora", "email": "dora@example.org", "password": DOOR_PASSWORD}
    assert post_form(organiser_client, "/organise/door-logins", data=door).status_code == 303
    ola, dora = account("ola@example.org"), account("dora@example.org")
    page = "/organise/door-logins"
    assert post_form(organiser_client, page, f"{page}/{dora.id}/remove").status_code == 303
    invited, created, removed = entries(audit.CHANGED_ACCOUNT)
    assert_by_org(invited, organiser, None, f"organiser {ola.id}", "organiser invited")
    detail = "door login created with a password"
    assert_by_org(created, organiser, None, f"organiser {dora.id}", detail)
    assert_by_org(removed, organiser, None, f"organiser {dora.id}", "door login removed")


def test_changing_a_password_is_logged_without_it(organiser_client, organiser):
    data = {"current": ORGANISER_PASSWORD, "password": "a new long passphrase"}
    changed = post_form(
        organiser_client, "/account/password", data={**data, "confirm": data["password"]}
    )
    assert changed.status_code == 303
    entry = only(audit.CHANGED_ACCOUNT)
    subject = f"organiser {organiser.id}"
    assert_by_org(entry, organiser, None, subject, "organiser password changed")
    assert "passphrase" not in entry.detail and "horse" not in entry.detail


def test_joining_from_an_invite_is_logged_as_done_by_the_person(app, client, db_session):
    ola = Organiser(email="ola@example.org", name="Ola")
    ola.set_password("nobody knows this one at all")
    token = account_link_token(app.secret_key, INVITE, "seed")
    expires = link_expires_at(INVITE, utcnow())
    ola.links.append(AccountLink(purpose=INVITE, token_hash=hash_token(token), expires_at=expires))
    db_session.add(ola)
    db_session.commit()
    password = {"password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    assert post_form(client, f"/login/join/{token}", data=password).status_code == 303
    entry = only(audit.CHANGED_ACCOUNT)
    assert (entry.actor, entry.subject, entry.detail) == (
        audit.THE_PERSON,
        f"organiser {ola.id}",
        "organiser joined",
    )


# ------------------------------------------------------------------ nothing sensitive kept


def test_no_entry_holds_a_persons_name_email_answers_or_role_tags(organiser_client, make_event):
    event = make_event()
    tag = db.session.scalars(sa.select(RoleTag).order_by(RoleTag.id)).first()
    tag_name = tag.name
    book(
        organiser_client,
        event,
        "Marigoldine",
        email="marigoldine.q@example.org",
        consent="y",
        role_tags=[tag.id],
        topics=ids(Topic, "Facebook"),
        help_text="My blog password was stolen",
        access_needs=["step_free", "bsl"],
        access_other="Need a ramp at the side door",
        wants_lived_experience="y",
    )
    booking = booking_of("Marigoldine")
    page = f"/organise/events/{event.id}"
    session = event.sessions[0]
    for url in (
        page,
        f"{page}/bookings.csv",
        f"{page}/bookings.csv?sensitive=1",
        f"/organise/sessions/{session.id}/matching",
        f"/organise/sessions/{session.id}/floor",
    ):
        assert organiser_client.get(url).status_code == 200
    add_surgeon(organiser_client, event, "Rosalind", role_tags=[tag.id], consent="y")
    base = f"{VOCABULARY}role-tags/{tag.id}"
    renamed = {"name": "Peer supporter", "term_version": tag.version}
    assert (
        post_form(organiser_client, VOCABULARY, f"{base}/rename", data=renamed).status_code == 303
    )
    cancelled = confirm_form(organiser_client, page, f"{page}/bookings/{booking.id}/cancel")
    assert cancelled.status_code == 303
    assert len(entries()) >= 8
    text = " ".join(f"{e.actor} {e.action} {e.subject} {e.detail}".lower() for e in entries())
    for secret in (
        "marigoldine",
        "example.org",
        "rosalind",
        "stolen",
        "ramp",
        "step",
        "bsl",
        "facebook",
        "peer supporter",
        tag_name.lower(),
    ):
        assert secret not in text


# ------------------------------------------------------------------ the page


def entry_at(at: dt.datetime, **fields) -> AuditEntry:
    """An entry written straight to the log at a known time."""
    values = {"actor": "Org", "action": audit.VIEWED_BOOKINGS, **fields}
    row = AuditEntry(at=at, **values)
    db.session.add(row)
    return row


def shown_subjects(page: str) -> list[str]:
    """The subjects in the log's table, in order (each is "row N" in these tests)."""
    return re.findall(r'<td data-label="What">(row \d+)</td>', page)


def test_the_page_shows_entries_newest_first_and_pages_through_them(organiser_client):
    start = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    for n in range(120):
        entry_at(start + dt.timedelta(minutes=n), subject=f"row {n}")
    db.session.commit()

    first = organiser_client.get(AUDIT)
    assert first.status_code == 200
    assert shown_subjects(first.text) == [f"row {n}" for n in range(119, 69, -1)]
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    third = organiser_client.get(f"{AUDIT}?page=3")
    assert shown_subjects(third.text) == [f"row {n}" for n in range(19, -1, -1)]
    assert 'rel="prev"' in third.text and 'rel="next"' not in third.text
    beyond = organiser_client.get(f"{AUDIT}?page=4")
    assert beyond.status_code == 200
    assert "There are no entries on page 4." in beyond.text


def test_the_page_filters_by_organiser_action_day_and_dates(organiser_client, make_event):
    leeds, york = make_event(title="Leeds day"), make_event(title="York day")
    july = dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)
    entry_at(july, subject="row 1", event_id=leeds.id)
    entry_at(july, subject="row 2", event_id=york.id, actor="Ola")
    entry_at(july, subject="row 3", event_id=york.id, action=audit.CHANGED_EVENT)
    # 23:30 UTC on 1 July is half past midnight on 2 July in London
    entry_at(july.replace(hour=23, minute=30), subject="row 4")
    entry_at(july - dt.timedelta(days=3), subject="row 5")
    db.session.commit()

    def shown(query: str) -> set[str]:
        response = organiser_client.get(f"{AUDIT}?{query}")
        assert response.status_code == 200, response.text
        return set(shown_subjects(response.text))

    assert shown("") == {f"row {n}" for n in range(1, 6)}
    assert shown("actor=Ola") == {"row 2"}
    assert shown("action=changed+a+day") == {"row 3"}
    assert shown(f"event={york.id}") == {"row 2", "row 3"}
    assert shown(f"event={york.id}&actor=Org") == {"row 3"}
    assert shown("from=2026-07-02") == {"row 4"}
    assert shown("to=2026-07-01") == {"row 1", "row 2", "row 3", "row 5"}
    assert shown("from=2026-07-01&to=2026-07-01") == {"row 1", "row 2", "row 3"}
    page = organiser_client.get(AUDIT).text
    assert '<option value="changed a day">Changed a day</option>' in page
    assert f'<option value="{york.id}">York day (day {york.id})</option>' in page
    assert '<option value="Ola">Ola</option>' in page


def test_the_next_page_keeps_the_filters(organiser_client):
    july = dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)
    for n in range(60):
        entry_at(july, subject=f"row {n}", actor="Ola" if n % 2 else "Org")
    db.session.commit()
    first = organiser_client.get(f"{AUDIT}?actor=Ola").text
    assert len(shown_subjects(first)) == 30
    assert 'rel="next"' not in first
    first = organiser_client.get(f"{AUDIT}?action=viewed+bookings&from=bad").text
    link = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert link, "no link to the next page"
    assert "action=viewed+bookings" in link.group(1) and "page=2" in link.group(1)
    assert "from=" not in link.group(1)  # a filter that could not be read is not kept
    second = organiser_client.get(html.unescape(link.group(1))).text
    assert len(shown_subjects(second)) == 10


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-99-99", "Enter a date like 2027-03-06."),
        ("to=not-a-date", "Enter a date like 2027-03-06."),
        ("from=99999-01-01", "Enter a date like 2027-03-06."),
        ("from=1066-10-14", "Enter a date between 2000 and 2100"),
        ("from=2026-06-02&to=2026-06-01", "The end date is before the start date."),
        ("action=deleted+everything", "Choose an action from the list."),
        ("actor=Nobody+at+all", "Choose an organiser from the list."),
        ("event=99999999999999", "Choose a day from the list."),
        ("event=-1", "Choose a day from the list."),
        ("event=%E2%91%A0", "Choose a day from the list."),
        ("page=-1", "That is not a page number"),
        ("page=0", "That is not a page number"),
        ("page=99999999999999", "That is not a page number"),
        ("page=1e9", "That is not a page number"),
    ],
)
def test_a_filter_that_cannot_be_used_is_said_never_an_error_page(organiser_client, query, message):
    entry_at(dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC), subject="row 1")
    db.session.commit()
    response = organiser_client.get(f"{AUDIT}?{query}")
    assert response.status_code == 400
    assert message in response.text
    assert shown_subjects(response.text) == ["row 1"]  # the rest of the page still works


def test_a_nul_byte_in_a_filter_is_refused_plainly(organiser_client):
    response = organiser_client.get(f"{AUDIT}?actor=Org%00")
    assert response.status_code == 400
    assert "That could not be read" in response.text


def test_the_page_far_beyond_the_end_is_empty_not_an_error(organiser_client):
    response = organiser_client.get(f"{AUDIT}?page=2147483647")
    assert response.status_code == 200
    assert "There are no entries on page 2147483647." in response.text


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_a_door_login_cannot_read_the_log(client, db_session):
    dora = Organiser(email="dora@example.org", name="Dora", role=DOOR)
    dora.set_password(DOOR_PASSWORD)
    db_session.add(dora)
    db_session.commit()
    signed_in = post_form(client, "/login", data={"email": dora.email, "password": DOOR_PASSWORD})
    assert signed_in.status_code == 303
    assert client.get(AUDIT).status_code == 403


def test_organisers_find_the_log_from_their_pages(organiser_client):
    dashboard = organiser_client.get("/organise/").text
    assert f'href="{AUDIT}"' in dashboard
    assert count(AuditEntry) == 0
