"""No form field, header or address makes an error page of ours: NUL bytes, broken UTF-8,
far-off dates, huge ids, repeated fields, bodies that are not forms or are too big, and
line breaks in names (which must never reach an email's headers). Nothing is half-saved.

Runs on SQLite and PostgreSQL (PostgreSQL refuses NUL in text, SQLite does not).
"""

import re

import pytest
import sqlalchemy as sa

from surgery.auth.models import Organiser
from surgery.bookings.models import Booking, Registration
from surgery.events.models import Event, EventSession
from surgery.extensions import db
from surgery.surgeons.models import Surgeon
from tests.conftest import book, confirm_form, count, csrf_from, manage_token, post_form
from tests.mail_fixtures import text_of
from tests.test_matching_page import add_surgeon

INJECTED = "Eve\nX-Injected: yes"
NEVER_SENT = ["\x00", "%00"]


def booking_fields(event, name="Sam", **extra) -> dict:
    """A booking form that would be accepted."""
    return {
        "name": name,
        "email": f"{name.lower()}@example.org",
        "sessions": [event.sessions[0].id],
        **extra,
    }


def assert_refused_page(response, status: int) -> None:
    """A page of ours with the status, saying what happened in plain words."""
    assert response.status_code == status, response.status_code
    assert response.mimetype == "text/html"
    assert "<h1>" in response.text and "Traceback" not in response.text


@pytest.mark.parametrize(
    "query",
    ["city=%00", "city=Leeds%00", "kind=%00", "day=2027%0003-06", "city=%ff", "q=%C3%28"],
)
def test_nul_or_broken_utf8_in_an_address_is_a_clear_400(client, make_event, query):
    make_event()
    response = client.get(f"/?{query}")
    assert_refused_page(response, 400)
    assert "could not be read" in response.text


def test_nul_in_a_path_is_a_clear_400(client, make_event):
    response = client.get("/bookings/abc%00def")
    assert_refused_page(response, 400)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_a_far_off_day_in_the_filter_is_a_message_not_an_error(client, make_event, day):
    make_event()
    response = client.get(f"/?day={day}")
    assert response.status_code == 200
    assert "Enter a date between 2000 and 2100" in response.text


def test_nul_in_the_sign_in_email_saves_nothing_and_says_why(client, organiser):
    response = post_form(client, "/login", data={"email": "org@example.org\x00", "password": "x"})
    assert_refused_page(response, 400)
    assert "Organiser sign in" not in response.text.split("<main", 1)[1].split("</h1>")[0]


def test_nul_in_a_booking_saves_nothing(client, make_event):
    event = make_event()
    response = post_form(
        client, f"/events/{event.id}/book", data=booking_fields(event, help_text="hi\x00there")
    )
    assert_refused_page(response, 400)
    assert count(Registration) == 0 and count(Booking) == 0


def test_broken_utf8_in_a_form_saves_nothing(client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.id}/book")
    body = (
        f"csrf_token={csrf_from(page.text)}&sessions={event.sessions[0].id}"
        "&name=Sam%ff&email=sam%40example.org"
    )
    response = client.post(
        f"/events/{event.id}/book",
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert_refused_page(response, 400)
    assert count(Registration) == 0


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/json", '{"name": "Sam"}'),
        ("text/plain", "name=Sam"),
        ("application/xml", "<name>Sam</name>"),
    ],
)
def test_a_body_that_is_not_a_form_is_a_clear_400(client, make_event, content_type, body):
    event = make_event()
    response = client.post(f"/events/{event.id}/book", data=body, content_type=content_type)
    assert_refused_page(response, 400)
    assert "not sent the way our forms send things" in response.text
    assert count(Registration) == 0


def test_a_body_too_big_is_a_clear_413(app, client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.id}/book")
    fields = booking_fields(event, csrf_token=csrf_from(page.text))
    fields["help_text"] = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(f"/events/{event.id}/book", data=fields)
    assert_refused_page(response, 413)
    assert "too much to send at once" in response.text
    assert count(Registration) == 0


def test_a_field_sent_twice_is_an_error_and_saves_nothing(client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.id}/book")
    body = (
        f"csrf_token={csrf_from(page.text)}&sessions={event.sessions[0].id}"
        "&name=Sam&name=Eve&email=sam%40example.org"
    )
    response = client.post(
        f"/events/{event.id}/book", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "This was sent more than once" in response.text
    assert count(Registration) == 0


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2101-01-01", "1999-12-31"])
def test_a_session_on_a_far_off_day_is_refused_and_not_saved(organiser_client, make_event, day):
    event = make_event()
    before = count(EventSession)
    response = post_form(
        organiser_client,
        f"/organise/events/{event.id}/sessions/new",
        data={"kind": "workshop", "title": "Far", "day": day, "starts": "10:00", "ends": "11:00",
              "capacity": "5"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Enter a date between 2000 and 2100" in response.text
    assert count(EventSession) == before


@pytest.mark.parametrize("value", ["99999999999:1", "1:99999999999", "٣:١", "²:1", "-1:2", ":"])
def test_ids_no_row_can_have_are_refused_on_the_floor_and_matching(
    organiser_client, make_event, value
):
    event = make_event()
    session = event.sessions[0]
    page = organiser_client.get(f"/organise/sessions/{session.id}/floor")
    token = csrf_from(page.text)
    for action in ("floor/start", "matching/accept", "matching/lock"):
        response = organiser_client.post(
            f"/organise/sessions/{session.id}/{action}", data={"csrf_token": token, "pair": value}
        )
        assert response.status_code in (400, 404), (action, response.status_code)


def test_huge_ids_on_the_attendance_sheet_change_nothing(organiser_client, client, make_event):
    event = make_event()
    book(client, event, "Sam")
    response = post_form(
        organiser_client,
        f"/organise/events/{event.id}/attendance",
        data={"shown": ["99999999999", "٣"], "arrived": ["99999999999"]},
    )
    assert response.status_code == 303
    sam = db.session.scalars(sa.select(Registration)).one()
    db.session.refresh(sam)
    assert sam.checked_in_at is None


@pytest.mark.parametrize(
    "headers",
    [
        {"Cookie": "session=\x01garbage; remember_token=%00"},
        {"Accept-Language": "\x00"},
        {"X-Forwarded-For": "not-an-address, %00"},
        {"Referer": "http://evil.example/%00"},
        {"If-Modified-Since": "yesterday at noon"},
        {"Content-Type": "multipart/form-data"},  # no boundary
    ],
)
def test_odd_headers_are_never_an_error(client, make_event, headers):
    event = make_event()
    for url in ("/", f"/events/{event.id}", "/static/css/site.css", "/login"):
        with client.get(url, headers=headers) as response:
            assert response.status_code in (200, 304, 400), (url, response.status_code)
    response = client.post("/login", data={"email": "a"}, headers=headers)
    assert response.status_code == 400


def test_a_line_break_in_a_name_adds_no_header_to_the_email(client, make_event, mailbox):
    event = make_event()
    booked = post_form(
        client,
        f"/events/{event.id}/book",
        data=booking_fields(event, name=INJECTED, email="eve@example.org"),
    )
    manage_token(booked)
    stored = db.session.scalars(sa.select(Registration)).one()
    assert stored.name == "Eve X-Injected: yes"

    [received] = mailbox.deliver()
    head = received.raw.split(b"\r\n\r\n", 1)[0]
    assert b"\nX-Injected" not in received.raw
    assert received.message["X-Injected"] is None
    assert re.search(rb"^To: .*Eve X-Injected: yes.*<eve@example.org>\r?$", head, re.M), head
    assert "Eve X-Injected: yes" in text_of(received)


def test_a_line_break_stored_before_cleaning_still_adds_no_header(client, make_event, mailbox):
    event = make_event(title="Leeds\r\nBcc: everyone@example.org")
    token = manage_token(book(client, event, "Sam"))
    mailbox.deliver()
    stored = db.session.scalars(sa.select(Registration)).one()
    stored.name = INJECTED  # as if saved before names were cleaned
    db.session.commit()
    cancelled = confirm_form(client, f"/bookings/{token}", f"/bookings/{token}/cancel-all")
    assert cancelled.status_code == 303

    [received] = mailbox.deliver()
    head = received.raw.split(b"\r\n\r\n", 1)[0]
    assert received.message["X-Injected"] is None and received.message["Bcc"] is None
    assert b"\nX-Injected" not in head and b"\nBcc" not in head
    assert b"Eve X-Injected: yes" in head


@pytest.mark.parametrize(
    "name, stored",
    [
        ("Eve\nX-Injected: yes", "Eve X-Injected: yes"),
        ("Eve\r\nBcc: all@example.org", "Eve  Bcc: all@example.org"),
        ("Eve\u2028Mallory", "Eve Mallory"),
        ("Eve\x1b[31mRed", "Eve[31mRed"),
        ("Eve\x07\x08", "Eve"),
    ],
)
def test_names_are_stored_on_one_line_without_control_characters(
    organiser_client, client, make_event, name, stored
):
    event = make_event()
    fields = booking_fields(event, name, email="eve@example.org")
    manage_token(post_form(client, f"/events/{event.id}/book", data=fields))
    add_surgeon(organiser_client, event, "Ola")
    post_form(
        organiser_client,
        "/organise/door-logins",
        data={"name": name, "email": "door@example.org", "password": "a long password"},
    )
    assert db.session.scalars(sa.select(Registration.name)).one() == stored
    door = db.session.scalars(sa.select(Organiser).where(Organiser.email == "door@example.org"))
    assert door.one().name == stored


def test_several_lines_keep_their_breaks_but_lose_other_control_characters(client, make_event):
    event = make_event()
    fields = booking_fields(event, help_text="Line one\r\nLine two\x0b\x1bthree", consent="y")
    manage_token(post_form(client, f"/events/{event.id}/book", data=fields))
    assert db.session.scalars(sa.select(Registration.help_text)).one() == (
        "Line one\nLine two\nthree"
    )


ODD_VALUES = ["", "²", "-1", "99999999999999999999", "9999-12-31", "0001-01-01", "١٢", "x" * 300]


def every_post_rule(app):
    """(endpoint, rule) for each rule that takes a POST, but signing out and kiosk mode."""
    skip = {"auth.logout", "kiosk.start", "kiosk.page", "kiosk.leave"}
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.endpoint not in skip:
            yield rule


def test_no_form_field_on_any_page_makes_an_error(app, organiser_client, client, make_event):
    """Every POST address with odd values in every field it has and a few it has not."""
    event = make_event()
    token = manage_token(book(client, event, "Sam"))
    registration = db.session.scalars(sa.select(Registration)).one()
    add_surgeon(organiser_client, event, "Ola")
    values = {
        "event_id": event.id,
        "session_id": event.sessions[0].id,
        "booking_id": db.session.scalars(sa.select(Booking.id)).first(),
        "registration_id": registration.id,
        "surgeon_id": db.session.scalars(sa.select(Surgeon.id)).first(),
        "token": token,
        "kind": "topics",
    }
    csrf = csrf_from(organiser_client.get("/organise/").text)
    names = {"pair", "shown", "arrived", "action", "back", "active", "means", "q", "status"}
    for rule in every_post_rule(app):
        url = rule.build({a: values.get(a, 1) for a in rule.arguments}, append_unknown=False)[1]
        page = organiser_client.get(url) if "GET" in rule.methods else None
        fields = set(names)
        if page is not None and page.status_code == 200:
            fields |= set(re.findall(r'name="([\w-]+)"', page.text)) - {"csrf_token"}
        for value in ODD_VALUES:
            data = {name: value for name in fields}
            response = organiser_client.post(url, data={**data, "csrf_token": csrf})
            assert response.status_code < 500, (url, value, response.status_code)
        assert db.session.get(Event, event.id) is not None


ODD_QUERY = (
    "q=%C2%B2&status=x&session=99999999999999&day=9999-12-31&kind=%E2%80%AE&city=%20"
    "&next=//evil.example&event_id=-1"
)


def test_no_address_with_odd_query_values_makes_an_error(app, organiser_client, client, make_event):
    """Every GET address, with odd values for every query argument the app reads."""
    event = make_event()
    token = manage_token(book(client, event, "Sam"))
    values = {"event_id": event.id, "session_id": event.sessions[0].id, "token": token}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        args = {a: values.get(a, "x" if a in ("code", "kind") else 1) for a in rule.arguments}
        url = rule.build(args, append_unknown=False)[1]
        response = organiser_client.get(f"{url}?{ODD_QUERY}")
        assert response.status_code < 500, (url, response.status_code)


@pytest.mark.parametrize(
    "next_url", ["//evil.example", "/%5Cevil.example", "/%5C%5Cevil.example", "/%09/evil.example"]
)
def test_signing_in_never_leads_off_the_site(client, organiser, next_url):
    signed_in = post_form(
        client,
        f"/login?next={next_url}",
        data={"email": organiser.email, "password": "correct horse battery"},
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["Location"] == "/organise/"
