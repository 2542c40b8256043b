"""Check-in at the door: the list and its counts, search, arrive and undo, codes and QR codes,
the paper sheet, attendance afterwards, and the check-in-only door login.

People book through the public form; the pages are read as their HTML and the email as a
real SMTP server received it.
"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from surgery.auth.models import Organiser
from surgery.bookings.models import Registration
from surgery.database import utcnow
from surgery.day.services import door_may_open
from surgery.events.models import CANCELLED, DRAFT, PUBLISHED, Event, EventSession
from surgery.extensions import db
from tests.conftest import book, confirm_form, csrf_from, guards_from, manage_token, post_form
from tests.mail_fixtures import text_of
from tests.qr_reader import read_qr

DOOR_PASSWORD = "door volunteer password"


def registration(name: str) -> Registration:
    db.session.expire_all()
    return db.session.scalars(sa.select(Registration).where(Registration.name == name)).one()


def checkin_url(event) -> str:
    return f"/organise/events/{event.id}/checkin"


def counts(page: str) -> dict[str, int]:
    """The counts the door keeps an eye on, as shown."""
    return {k: int(v) for k, v in re.findall(r"<dt>([\w-]+)</dt><dd>(\d+)</dd>", page)}


PERSON = re.compile(
    r'<span class="person-name">(.*?)</span>\s*<span class="person-status">(.*?)</span>'
    r'\s*<span class="person-state">(.*?)</span>'
)


def listed(page: str) -> dict[str, str]:
    """The people on the check-in page: name -> Here or Not here yet (or why not)."""
    return {name: status for name, status, _ in PERSON.findall(page)}


def states(page: str) -> dict[str, str]:
    """The people on the check-in page: name -> their state (booked, waiting list...)."""
    return {name: state for name, _, state in PERSON.findall(page)}


def press(client, event, name: str, action: str, q: str = ""):
    """Press a person's Arrived or Undo button on the check-in page."""
    rid = registration(name).id
    url = f"{checkin_url(event)}/{rid}/{action}"
    return post_form(client, checkin_url(event), url, data={"q": q})


@pytest.fixture
def day(make_event, client):
    """A day with three people booked: Amira, Ben and Chloe."""
    event = make_event()
    for name in ("Chloe", "Amira", "Ben"):
        assert book(client, event, name).status_code == 303
    return event


@pytest.fixture
def today(make_event, client):
    """A day running now, the kind a door volunteer works: Amira, Ben and Chloe booked."""
    event = make_event(title="Surgery today")
    for name in ("Chloe", "Amira", "Ben"):
        assert book(client, event, name).status_code == 303
    now = utcnow()  # booked ahead; the day has now come and started an hour ago
    event.sessions[0].starts_at = now - dt.timedelta(hours=1)
    event.sessions[0].ends_at = now + dt.timedelta(hours=2)
    db.session.commit()
    return event


def test_the_page_lists_everyone_expected_with_the_counts(organiser_client, day):
    page = organiser_client.get(checkin_url(day)).text

    assert listed(page) == {"Amira": "Not here yet", "Ben": "Not here yet", "Chloe": "Not here yet"}
    assert list(listed(page)) == ["Amira", "Ben", "Chloe"]
    assert counts(page) == {"Expected": 3, "Arrived": 0, "Walk-ins": 0}


def test_a_cancelled_booking_is_not_expected(organiser_client, make_event, client):
    event = make_event()
    token = manage_token(book(client, event, "Dev"))
    confirm_form(client, f"/bookings/{token}", f"/bookings/{token}/cancel-all")
    book(client, event, "Eve")

    page = organiser_client.get(checkin_url(event)).text

    assert states(page) == {"Dev": "Cancelled", "Eve": "Booked"}
    assert listed(page) == {"Dev": "Cannot check in: see the desk", "Eve": "Not here yet"}
    assert f"/checkin/{registration('Dev').id}/arrive" not in page
    assert counts(page)["Expected"] == 1


def test_search_by_name_narrows_the_list(organiser_client, day):
    page = organiser_client.get(checkin_url(day), query_string={"q": "  mir "}).text

    assert listed(page) == {"Amira": "Not here yet"}
    assert 'value="  mir "' in page  # the search box keeps what was typed


def test_search_treats_like_wildcards_as_plain_characters(organiser_client, day, client):
    book(client, day, "50%Off")

    assert listed(organiser_client.get(checkin_url(day), query_string={"q": "%"}).text) == {
        "50%Off": "Not here yet"
    }
    assert listed(organiser_client.get(checkin_url(day), query_string={"q": "_"}).text) == {}
    nobody = organiser_client.get(checkin_url(day), query_string={"q": "Zed"}).text
    assert listed(nobody) == {}
    assert "Nobody called “Zed”" in nobody


def test_arrive_and_undo_change_the_person_and_the_counts(organiser_client, day):
    arrived = press(organiser_client, day, "Ben", "arrive")

    assert arrived.status_code == 303
    assert registration("Ben").checked_in_at is not None
    page = organiser_client.get(arrived.headers["Location"]).text
    assert "Ben is here." in page
    assert listed(page)["Ben"] == "Here"
    assert counts(page) == {"Expected": 3, "Arrived": 1, "Walk-ins": 0}

    undone = press(organiser_client, day, "Ben", "undo")

    assert registration("Ben").checked_in_at is None
    page = organiser_client.get(undone.headers["Location"]).text
    assert "Ben is no longer marked as here." in page
    assert listed(page)["Ben"] == "Not here yet"
    assert counts(page)["Arrived"] == 0


def test_pressing_arrived_keeps_the_search(organiser_client, day):
    arrived = press(organiser_client, day, "Amira", "arrive", q="ami")

    assert arrived.headers["Location"].endswith("?q=ami")


def test_someone_of_another_day_cannot_be_checked_in_here(organiser_client, day, make_event):
    other = make_event(title="Bradford surgery")
    url = f"{checkin_url(other)}/{registration('Ben').id}/arrive"

    assert post_form(organiser_client, checkin_url(other), url).status_code == 404
    assert registration("Ben").checked_in_at is None


def test_a_typed_code_checks_in_however_it_is_typed(organiser_client, day):
    code = registration("Chloe").checkin_code
    typed = f" {code[:4].lower()} {code[4:].lower()} "

    done = post_form(
        organiser_client, checkin_url(day), f"{checkin_url(day)}/code", data={"code": typed}
    )

    assert registration("Chloe").checked_in_at is not None
    assert "Chloe is here." in organiser_client.get(done.headers["Location"]).text


def test_a_wrong_code_says_so_and_checks_nobody_in(organiser_client, day):
    done = post_form(
        organiser_client, checkin_url(day), f"{checkin_url(day)}/code", data={"code": "ZZZZ2222"}
    )

    page = organiser_client.get(done.headers["Location"]).text
    assert "No booking for this day has that code." in page
    assert counts(page)["Arrived"] == 0


def test_a_code_of_another_day_is_refused(organiser_client, day, make_event):
    other = make_event(title="Bradford surgery")
    code = registration("Ben").checkin_code

    done = post_form(
        organiser_client, checkin_url(other), f"{checkin_url(other)}/code", data={"code": code}
    )

    assert (
        "No booking for this day has that code."
        in organiser_client.get(done.headers["Location"]).text
    )
    assert registration("Ben").checked_in_at is None


def test_scanning_the_qr_address_shows_the_person_and_one_tap_checks_in(organiser_client, day):
    code = registration("Amira").checkin_code
    scan_url = f"/organise/checkin/{code}"

    scanned = organiser_client.get(scan_url)

    assert scanned.status_code == 200
    assert "Amira" in scanned.text
    assert registration("Amira").checked_in_at is None  # opening a link changes nothing
    action = f"/organise/events/{day.id}/checkin/{registration('Amira').id}/arrive"
    tapped = post_form(organiser_client, scan_url, action)
    assert tapped.status_code == 303
    assert registration("Amira").checked_in_at is not None
    assert "Already marked as here" in organiser_client.get(scan_url).text
    assert organiser_client.get("/organise/checkin/NOTACODE").status_code == 404


def test_a_scanner_typing_the_whole_address_into_the_code_box_checks_in(organiser_client, day):
    code = registration("Ben").checkin_code
    typed = f"http://127.0.0.1:5000/organise/checkin/{code}"

    post_form(organiser_client, checkin_url(day), f"{checkin_url(day)}/code", {"code": typed})

    assert registration("Ben").checked_in_at is not None


def test_the_confirmation_email_and_manage_page_carry_the_code(mailbox, client, make_event):
    event = make_event()
    token = manage_token(book(client, event, "Farah"))
    code = registration("Farah").checkin_code

    mail = mailbox.deliver_to()["farah@example.org"]

    assert f"Your check-in code for the day: {code}" in text_of(mail)
    images = [p for p in mail.message.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1
    address = f"http://127.0.0.1:5000/organise/checkin/{code}"  # PUBLIC_BASE_URL's
    assert read_qr(images[0].get_payload(decode=True), ".png") == [address]
    assert "cid:checkin-qr" in text_of(mail, "html")

    manage = client.get(f"/bookings/{token}").text
    assert code in manage
    assert f'src="/bookings/{token}/checkin-qr.svg"' in manage
    svg = client.get(f"/bookings/{token}/checkin-qr.svg")
    assert svg.status_code == 200
    assert svg.mimetype == "image/svg+xml"
    assert read_qr(svg.data, ".svg") == [address]
    assert client.get(f"/bookings/{token[:-2]}xx/checkin-qr.svg").status_code == 404


def test_the_sign_in_sheet_lists_people_with_their_codes(organiser_client, day):
    sheet = organiser_client.get(f"/organise/events/{day.id}/sign-in-sheet").text

    for name in ("Amira", "Ben", "Chloe"):
        code = registration(name).checkin_code
        assert re.search(rf'<th scope="row">{name}</th><td>{code}</td>', sheet)


def test_attendance_afterwards_sets_exactly_the_ticked_people(organiser_client, day):
    press(organiser_client, day, "Chloe", "arrive")  # marked at the door, but did not stay
    url = f"/organise/events/{day.id}/attendance"
    ticked = [registration("Amira").id, registration("Ben").id]
    shown = [registration(n).id for n in ("Amira", "Ben", "Chloe")]

    saved = post_form(organiser_client, url, data={"shown": shown, "arrived": ticked})

    assert saved.status_code == 303
    assert "Attendance saved: 2 came." in organiser_client.get(url).text
    came = {n for n in ("Amira", "Ben", "Chloe") if registration(n).checked_in_at}
    assert came == {"Amira", "Ben"}
    page = organiser_client.get(url).text
    assert f'value="{registration("Amira").id}" checked' in page
    assert f'value="{registration("Chloe").id}" checked' not in page


@pytest.fixture
def door_client(organiser_client):
    """The organiser makes a door login, signs out and hands the laptop to Dora, who signs in."""
    made = post_form(
        organiser_client,
        "/organise/door-logins",
        data={"name": "Dora", "email": "dora@example.org", "password": DOOR_PASSWORD},
    )
    assert made.status_code == 303
    assert (
        "Dora can now sign in to check people in."
        in organiser_client.get(made.headers["Location"]).text
    )
    assert post_form(organiser_client, "/organise/", "/logout").status_code == 303
    signed_in = post_form(
        organiser_client, "/login", data={"email": "dora@example.org", "password": DOOR_PASSWORD}
    )
    assert signed_in.status_code == 303, signed_in.text
    assert signed_in.headers["Location"] == "/organise/checkin"
    return organiser_client


def test_a_door_login_can_check_people_in(door_client, today):
    assert today.title in door_client.get("/organise/checkin").text
    assert listed(door_client.get(checkin_url(today)).text)

    press(door_client, today, "Ben", "arrive")
    assert registration("Ben").checked_in_at is not None
    scan_url = f"/organise/checkin/{registration('Amira').checkin_code}"
    assert "Amira" in door_client.get(scan_url).text
    press(door_client, today, "Amira", "arrive")
    assert registration("Amira").checked_in_at is not None
    assert door_client.get(f"/organise/events/{today.id}/sign-in-sheet").status_code == 200


def test_a_door_login_sees_nothing_else(door_client, today):
    surgery = today.sessions[0]
    for url in (
        "/organise/",
        f"/organise/events/{today.id}",
        f"/organise/sessions/{surgery.id}/matching",
        f"/organise/sessions/{surgery.id}/floor",
        f"/organise/events/{today.id}/numbers",
        f"/organise/events/{today.id}/bookings.csv",
        "/organise/outbox/",
        "/organise/door-logins",
    ):
        assert door_client.get(url).status_code == 403, url


def test_a_door_login_cannot_make_door_logins_or_start_a_kiosk(door_client, today):
    data = {"name": "Mal", "email": "mal@example.org", "password": DOOR_PASSWORD}

    made = post_form(door_client, checkin_url(today), "/organise/door-logins", data=data)
    kiosk = post_form(door_client, checkin_url(today), f"/organise/events/{today.id}/kiosk")

    assert made.status_code == 403
    assert kiosk.status_code == 403
    assert door_client.get(checkin_url(today)).status_code == 200  # still signed in, no kiosk
    assert post_form(door_client, checkin_url(today), "/logout").status_code == 303
    refused = post_form(door_client, "/login", data={"email": "mal@example.org", **data})
    assert refused.status_code == 400


def test_a_door_login_sees_only_published_days_near_the_day(door_client, today, make_event, client):
    later = make_event(title="Next month's surgery", days_ahead=30)
    draft = make_event(title="Not ready yet", status=DRAFT, days_ahead=0)
    draft.sessions[0].starts_at, draft.sessions[0].ends_at = (
        today.sessions[0].starts_at,
        (today.sessions[0].ends_at),
    )
    db.session.commit()
    assert book(client, later, "Lena").status_code == 303

    yesterday = make_event(title="Yesterday evening")
    ended = utcnow() - dt.timedelta(hours=20)
    yesterday.sessions[0].starts_at = ended - dt.timedelta(hours=2)
    yesterday.sessions[0].ends_at = ended
    db.session.commit()

    listed_days = door_client.get("/organise/checkin").text
    assert "Surgery today" in listed_days
    assert "Yesterday evening" in listed_days  # for corrections the morning after
    assert door_client.get(checkin_url(yesterday)).status_code == 200
    assert "Next month" not in listed_days and "Not ready yet" not in listed_days
    for event in (later, draft):
        for url in (checkin_url(event), f"/organise/events/{event.id}/sign-in-sheet"):
            assert door_client.get(url).status_code == 404, url
    assert (
        door_client.get(f"/organise/checkin/{registration('Lena').checkin_code}").status_code == 404
    )
    arrive = f"{checkin_url(later)}/{registration('Lena').id}/arrive"
    assert post_form(door_client, checkin_url(today), arrive).status_code == 404
    assert registration("Lena").checked_in_at is None


def test_organisers_can_check_in_for_any_day(organiser_client, make_event, client):
    draft = make_event(title="Not ready yet", status=DRAFT)
    later = make_event(title="Next month's surgery", days_ahead=30)
    assert book(client, later, "Lena").status_code == 303

    assert organiser_client.get(checkin_url(draft)).status_code == 200
    assert "Lena" in listed(organiser_client.get(checkin_url(later)).text)


def test_a_removed_door_login_is_signed_out_and_cannot_sign_in(app, organiser_client, today):
    made = post_form(
        organiser_client,
        "/organise/door-logins",
        data={"name": "Dora", "email": "dora@example.org", "password": DOOR_PASSWORD},
    )
    assert made.status_code == 303
    tablet = app.test_client()
    signed_in = post_form(
        tablet, "/login", data={"email": "dora@example.org", "password": DOOR_PASSWORD}
    )
    assert signed_in.status_code == 303
    assert tablet.get(checkin_url(today)).status_code == 200

    page = organiser_client.get("/organise/door-logins").text
    assert '<th scope="row">Dora</th>' in page
    dora = db.session.scalars(sa.select(Organiser).where(Organiser.email == "dora@example.org"))
    removed = post_form(
        organiser_client, "/organise/door-logins", f"/organise/door-logins/{dora.one().id}/remove"
    )

    assert removed.status_code == 303
    page = organiser_client.get(removed.headers["Location"]).text
    assert "Dora’s door login is removed. It no longer signs in." in page
    assert "No door logins yet." in page
    assert tablet.get(checkin_url(today)).headers["Location"].startswith("/login")
    again = post_form(
        tablet, "/login", data={"email": "dora@example.org", "password": DOOR_PASSWORD}
    )
    assert again.status_code == 400
    assert "That email and password do not match" in again.text


def test_only_door_logins_can_be_removed(organiser_client, organiser):
    page = "/organise/door-logins"
    gone = post_form(organiser_client, page, f"/organise/door-logins/{organiser.id}/remove")

    assert gone.status_code == 404
    assert db.session.get(Organiser, organiser.id) is not None


def test_check_in_needs_a_login(client, day):
    for url in ("/organise/checkin", checkin_url(day), f"/organise/events/{day.id}/sign-in-sheet"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login")
    code = registration("Ben").checkin_code
    assert client.get(f"/organise/checkin/{code}").status_code == 302
    assert registration("Ben").checked_in_at is None


def test_saving_attendance_leaves_people_who_arrived_meanwhile_checked_in(organiser_client, day):
    url = f"/organise/events/{day.id}/attendance"
    shown = [registration("Amira").id]  # the form was opened before Ben arrived
    press(organiser_client, day, "Ben", "arrive")

    post_form(organiser_client, url, data={"shown": shown, "arrived": shown})

    assert registration("Ben").checked_in_at is not None
    assert registration("Amira").checked_in_at is not None


def test_attendance_changes_only_the_boxes_that_were_changed(organiser_client, day):
    url = f"/organise/events/{day.id}/attendance"
    press(organiser_client, day, "Chloe", "arrive")
    page = organiser_client.get(url).text  # Amira and Ben not yet here, Chloe here
    press(organiser_client, day, "Ben", "arrive")  # at the door, while the form is open
    press(organiser_client, day, "Chloe", "undo")  # marked by mistake, undone at the door
    shown = [registration(n).id for n in ("Amira", "Ben", "Chloe")]
    data = {**guards_from(page), "csrf_token": csrf_from(page)}

    saved = organiser_client.post(
        url, data={**data, "shown": shown, "arrived": [registration("Amira").id, shown[2]]}
    )

    assert saved.status_code == 303
    assert "Attendance saved: 2 came." in organiser_client.get(url).text
    came = {n for n in ("Amira", "Ben", "Chloe") if registration(n).checked_in_at}
    assert came == {"Amira", "Ben"}  # Ben's box was left as shown; so was Chloe's


@pytest.mark.parametrize(
    ("starts_in", "status", "opens"),
    [
        (dt.timedelta(hours=20), PUBLISHED, True),  # tomorrow morning: print the sheet tonight
        (dt.timedelta(hours=30), PUBLISHED, False),
        (-dt.timedelta(hours=22), PUBLISHED, True),  # ended 20 hours ago: late corrections
        (-dt.timedelta(days=3), PUBLISHED, False),
        (dt.timedelta(hours=1), DRAFT, False),
        (dt.timedelta(hours=1), CANCELLED, False),
    ],
)
def test_when_a_door_login_may_open_a_day(starts_in, status, opens):
    now = utcnow()
    session = EventSession(
        starts_at=now + starts_in, ends_at=now + starts_in + dt.timedelta(hours=2)
    )
    event = Event(status=status, sessions=[session])

    assert door_may_open(event, now) is opens


def test_a_day_without_sessions_is_not_opened_by_a_door_login():
    assert door_may_open(Event(status=PUBLISHED, sessions=[]), utcnow()) is False
