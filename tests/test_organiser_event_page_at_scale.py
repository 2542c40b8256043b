"""The organiser's event page with thousands of people: the same queries for 50 people or
5,000, counts and the mix of people for the whole day, the people a page at a time with a
search, and each row's buttons working from any page."""

import html
import re

import pytest
import sqlalchemy as sa

from surgery.audit.models import AuditEntry
from surgery.bookings.models import Booking, Registration
from surgery.domain import audit
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED
from surgery.domain.reminders import RELEASED, STILL_COMING
from surgery.events.models import SURGERY, WORKSHOP, EventSession
from surgery.extensions import db
from surgery.reminders.models import Reminder
from tests.booked_crowd import add_people, name_of, tag_names
from tests.conftest import confirm_form, post_form
from tests.test_door_at_scale import plan_of, sent_by

WORKSHOP_ONLY = [{"kind": WORKSHOP, "title": "Workshop", "capacity": 330}]
PEOPLE = 400  # 330 booked and 70 waiting: eight pages of 50


@pytest.fixture
def crowded(make_event):
    """A day whose workshop has 330 people booked and 70 waiting; its page's address."""
    event = make_event(sessions=WORKSHOP_ONLY)
    add_people(event.sessions[0], PEOPLE, places=330)
    db.session.commit()
    return f"/organise/events/{event.id}"


def statements_of(client, url: str) -> list[str]:
    """The SQL statements one request sends (BEGIN, COMMIT and ROLLBACK aside)."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        sent.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return [s for s in sent if s.split()[0].upper() not in {"BEGIN", "COMMIT", "ROLLBACK"}]


def names_on(page: str) -> list[str]:
    """The people listed on a page, in order."""
    return re.findall(r'<th scope="row">(Person \d+)</th>', page)


def waiting_numbers(page: str) -> list[int]:
    """The waiting-list numbers shown on a page, in order."""
    return [int(n) for n in re.findall(r'<td class="num">(\d+)</td>\s*<th scope="row">', page)]


def action_of(page: str, name: str, label: str) -> str:
    """The address a row's button posts to, found by the person's row and the button."""
    row = re.search(rf'<th scope="row">{name}</th>.*?</tr>', page, re.S)
    assert row, name
    button = rf'<form method="post" action="([^"]+)"[^>]*>(?:(?!</form>).)*>{label}<'
    form = re.search(button, row.group(0), re.S)
    assert form, label
    return html.unescape(form.group(1))


def test_the_queries_are_the_same_for_50_people_and_5000(organiser_client, make_event):
    small = make_event(sessions=WORKSHOP_ONLY)
    large = make_event(sessions=[{"kind": WORKSHOP, "title": "Workshop", "capacity": 4000}])
    add_people(small.sessions[0], 50, places=40)
    add_people(large.sessions[0], 5000, places=4000)
    db.session.commit()
    asked = ["", "?page=3", "?q=person+0004", "?page=9999"]
    counts = {}
    for event in (small, large):
        page = f"/organise/events/{event.id}"
        organiser_client.get(page)  # the look is logged once, not on every reload
        counts[event.id] = [len(statements_of(organiser_client, page + a)) for a in asked]
    assert counts[small.id] == counts[large.id]

    page = organiser_client.get(f"/organise/events/{large.id}").text
    assert "4000 of 4000 places booked · 1000 waiting" in page
    assert len(names_on(page)) == 50
    assert "1 to 50 of 5000, page 1 of 100." in page


def test_the_first_page_the_next_and_back(organiser_client, crowded):
    first = organiser_client.get(crowded).text
    assert names_on(first) == [name_of(n) for n in range(50)]
    assert "1 to 50 of 400, page 1 of 8." in first
    assert "Previous page" not in first
    next_page = re.search(r'<a href="([^"]+)" rel="next">Next page</a>', first).group(1)
    assert html.unescape(next_page) == f"{crowded}?page=2"

    second = organiser_client.get(html.unescape(next_page)).text
    assert names_on(second) == [name_of(n) for n in range(50, 100)]
    assert re.search(r'<a href="[^"]+" rel="prev">Previous page</a>', second)
    last = organiser_client.get(f"{crowded}?page=8").text
    assert names_on(last) == [name_of(n) for n in range(350, 400)]
    assert "Next page" not in last


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("0", 1), ("-1", 1), ("abc", 1), ("", 1), ("2.5", 1), ("9", 8), ("99999999999999999999", 8)],
)
def test_a_page_number_that_is_no_page_gives_the_first_or_the_last(
    organiser_client, crowded, asked, shown
):
    answer = organiser_client.get(f"{crowded}?page={asked}")
    assert answer.status_code == 200
    assert f"page {shown} of 8." in answer.text


def test_a_search_finds_someone_from_page_seven_wherever_their_name_or_email_matches(
    organiser_client, crowded
):
    assert name_of(321) in names_on(organiser_client.get(f"{crowded}?page=7").text)
    for typed in ("PERSON 00321", "person00321@example", "00321 person"):
        found = organiser_client.get(crowded, query_string={"q": typed}).text
        assert names_on(found) == [name_of(321)], typed
        assert "1 to 1 of 1 matching" in found
    nobody = organiser_client.get(crowded, query_string={"q": "nobody-at-all"}).text
    assert names_on(nobody) == []
    assert "Nobody booked or waiting matches that." in nobody


def test_the_waiting_list_keeps_its_numbers_across_pages_and_searches(organiser_client, crowded):
    seventh = organiser_client.get(f"{crowded}?page=7").text
    assert "Booked: Workshop" in seventh and "Waiting list: Workshop" in seventh
    assert waiting_numbers(seventh) == list(range(1, 21))  # people 330 to 349
    eighth = organiser_client.get(f"{crowded}?page=8").text
    assert "Booked: Workshop" not in eighth
    assert waiting_numbers(eighth) == list(range(21, 71))
    found = organiser_client.get(crowded, query_string={"q": name_of(360)}).text
    assert waiting_numbers(found) == [31]


def test_counts_and_the_mix_are_of_the_whole_day(organiser_client, crowded, make_event):
    first_tag, second_tag = tag_names()
    gone = db.session.scalars(sa.select(Booking).where(Booking.queue_key.in_([1, 400]))).all()
    for booking in gone:  # person 0 chose both tags; cancelled, they are not counted
        booking.status = CANCELLED
    db.session.commit()
    page = organiser_client.get(crowded).text
    assert "329 of 330 places booked · 69 waiting" in page
    # every third of people 1 to 398 chose the first tag, every fifth the second
    third = sum(1 for n in range(1, 399) if n % 3 == 0)
    fifth = sum(1 for n in range(1, 399) if n % 5 == 0)
    assert re.search(rf'<th scope="row">{first_tag}</th><td class="num">{third}</td>', page)
    assert re.search(rf'<th scope="row">{second_tag}</th><td class="num">{fifth}</td>', page)
    assert "1 to 50 of 398, page 1 of 8." in page


def test_each_look_at_the_people_is_logged(organiser_client, crowded):
    organiser_client.get(f"{crowded}?page=4")
    db.session.expire_all()
    looks = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == audit.VIEWED_BOOKINGS)
    ).all()
    assert len(looks) == 1


def booking_of(name: str) -> Booking:
    """The booking of the person so named, read again."""
    db.session.expire_all()
    query = sa.select(Booking).join(Booking.registration).where(Registration.name == name)
    return db.session.scalars(query).one()


def test_moving_up_from_a_later_page_comes_back_to_it(organiser_client, crowded):
    page = f"{crowded}?page=8"
    mover = name_of(371)  # 42nd on the waiting list
    action = action_of(organiser_client.get(page).text, mover, "Move up")
    assert action.endswith("/move-up?page=8")
    moved = post_form(organiser_client, page, action)
    assert moved.status_code == 303 and moved.headers["Location"] == page
    shown = organiser_client.get(page).text
    assert f"{mover} moved up the waiting list." in shown
    assert names_on(shown).index(mover) < names_on(shown).index(name_of(370))
    assert booking_of(mover).queue_key < booking_of(name_of(370)).queue_key


def test_cancelling_from_a_later_page_gives_the_place_to_the_first_waiting(
    organiser_client, crowded
):
    page = f"{crowded}?page=7"
    leaving = name_of(305)
    action = action_of(organiser_client.get(page).text, leaving, "Cancel booking")
    done = confirm_form(organiser_client, page, action)
    assert done.status_code == 303 and done.headers["Location"] == page
    shown = organiser_client.get(page).text
    assert f"Moved up from the waiting list: {name_of(330)}" in shown
    assert (booking_of(leaving).status, booking_of(name_of(330)).status) == (CANCELLED, CONFIRMED)
    assert booking_of(name_of(331)).status == WAITLISTED
    assert "330 of 330 places booked · 69 waiting" in shown


def test_erasing_from_a_search_comes_back_to_it(organiser_client, crowded):
    page = f"{crowded}?q=person+00333"
    action = action_of(organiser_client.get(page).text, name_of(333), "Erase")
    done = confirm_form(organiser_client, page, action)
    assert done.status_code == 303
    assert done.headers["Location"] == f"{crowded}?q=person+00333"
    shown = organiser_client.get(done.headers["Location"]).text
    assert f"{name_of(333)} is erased." in shown
    assert names_on(shown) == []
    db.session.expire_all()
    gone = sa.select(Registration).where(Registration.name == name_of(333))
    assert db.session.scalars(gone).first() is None


def test_a_session_filter_lists_only_its_people(organiser_client, make_event):
    event = make_event(
        sessions=[
            {"kind": SURGERY, "title": "Surgery space", "capacity": 10},
            {"kind": WORKSHOP, "title": "Workshop", "capacity": 60, "hour_offset": 3},
        ]
    )
    surgery, workshop = event.sessions
    add_people(workshop, 70, places=60)
    db.session.commit()
    page = f"/organise/events/{event.id}"
    everyone = organiser_client.get(page).text
    assert "Surgery space</option>" in everyone and "Every session" in everyone
    nobody = organiser_client.get(page, query_string={"session": surgery.id}).text
    assert names_on(nobody) == [] and "Nobody booked or waiting matches that." in nobody
    only = organiser_client.get(page, query_string={"session": workshop.id, "page": "2"}).text
    assert names_on(only) == [name_of(n) for n in range(50, 70)]
    odd = organiser_client.get(page, query_string={"session": "x\u00e9", "q": "z" * 5000})
    assert odd.status_code == 200


def test_a_pages_reminder_answers_are_read_by_its_bookings_not_from_the_whole_day(
    organiser_client, crowded
):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's plans; PostgreSQL plans by its statistics")
    # everyone reminded, half of them answered
    day = db.session.execute(sa.select(Booking.id, EventSession.event_id).join(Booking.session))
    answers = [STILL_COMING, None, RELEASED, None]
    db.session.execute(
        sa.insert(Reminder),
        [
            {"event_id": event_id, "booking_id": booking_id, "answer": answers[n % 4]}
            for n, (booking_id, event_id) in enumerate(day)
        ],
    )
    db.session.commit()

    sent, _ = sent_by(organiser_client, f"{crowded}?page=7")

    [(statement, parameters)] = [
        (s, p) for s, p in sent if re.match(r"SELECT reminder.booking_id, reminder.answer\b", s)
    ]
    plan = plan_of(statement, parameters)
    assert any("(booking_id=?)" in step for step in plan), plan  # the page's 50, by index
