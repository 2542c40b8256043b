"""Public pages: upcoming and past days, filters, and one day's page."""

import datetime as dt

import pytest
import sqlalchemy as sa

from surgery.database import utcnow
from surgery.events.models import CANCELLED, DRAFT, OPEN_SPACE, SURGERY, WORKSHOP
from surgery.extensions import db
from tests.conftest import book

WORKSHOP_DAY = [
    {"kind": WORKSHOP, "title": "Blogging for beginners", "capacity": 15},
    {"kind": OPEN_SPACE, "title": "Open space", "capacity": None},
]


def test_front_page_lists_upcoming_days_with_their_sessions(client, make_event):
    make_event(title="Leeds Social Media Surgery")
    page = client.get("/")
    assert page.status_code == 200
    assert "Leeds Social Media Surgery" in page.text
    assert "Surgery space" in page.text
    assert "1 surgery day" in page.text


def test_front_page_leaves_out_past_draft_and_cancelled_days(client, make_event):
    make_event(title="Long ago", days_ahead=-10)
    make_event(title="Not ready", status=DRAFT)
    make_event(title="Called off", status=CANCELLED)
    page = client.get("/").text
    assert "No surgery days match." in page
    assert "Long ago" not in page
    assert "Not ready" not in page
    assert "Called off" not in page


def test_past_page_lists_days_that_are_over(client, make_event):
    make_event(title="Long ago", days_ahead=-10)
    make_event(title="Still to come")
    page = client.get("/past")
    assert page.status_code == 200
    assert "Long ago" in page.text
    assert "Still to come" not in page.text


def test_filter_by_kind_of_session(client, make_event):
    make_event(title="Surgery only")
    make_event(title="Workshop day", sessions=WORKSHOP_DAY)
    page = client.get("/?kind=workshop").text
    assert "Workshop day" in page
    assert "Surgery only" not in page
    assert "Surgery only" in client.get(f"/?kind={SURGERY}").text


def test_filter_by_place(client, make_event):
    make_event(title="Leeds day", city="Leeds")
    make_event(title="Bradford day", city="Bradford")
    page = client.get("/?city=bradford").text
    assert "Bradford day" in page
    assert "Leeds day" not in page


def test_filter_by_date_in_local_time(client, make_event):
    make_event(title="In ten days", days_ahead=10)
    make_event(title="In twenty days", days_ahead=20)
    day = (utcnow() + dt.timedelta(days=10)).date().isoformat()
    page = client.get(f"/?day={day}").text
    assert "In ten days" in page
    assert "In twenty days" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("day=31-02-2027", "Enter a date like 2027-03-06."),
        ("kind=bogus", "Choose a kind of session from the list."),
    ],
)
def test_bad_filter_shows_a_message_and_still_lists_days(client, make_event, query, message):
    make_event(title="Leeds day")
    page = client.get(f"/?{query}")
    assert page.status_code == 200
    assert message in page.text
    assert "Leeds day" in page.text


def test_event_page_shows_places_left_and_no_booking_for_open_space(client, make_event):
    sessions = [
        {"kind": SURGERY, "title": "Surgery space", "capacity": 3},
        {"kind": OPEN_SPACE, "title": "Open space", "capacity": None},
    ]
    event = make_event(title="Leeds day", sessions=sessions)
    book(client, event, "Ann")
    page = client.get(f"/events/{event.id}")
    assert page.status_code == 200
    assert "2 places left" in page.text
    assert "No booking needed" in page.text


def test_event_page_says_full_when_no_places_are_left(client, make_event):
    event = make_event(sessions=[{"kind": SURGERY, "title": "Surgery space", "capacity": 1}])
    assert "1 place left" in client.get(f"/events/{event.id}").text
    book(client, event, "Ann")
    page = client.get(f"/events/{event.id}").text
    assert "Full – join the waiting list" in page
    assert "place left" not in page


def test_cancelled_event_page_says_so_and_offers_no_booking(client, make_event):
    event = make_event(status=CANCELLED)
    page = client.get(f"/events/{event.id}").text
    assert "This surgery day has been cancelled." in page
    assert f"/events/{event.id}/book" not in page


def test_draft_event_is_not_found(client, make_event):
    event = make_event(status=DRAFT)
    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.get(f"/events/{event.id}/book").status_code == 404


def test_unknown_event_is_not_found_with_a_plain_message(client, db_session):
    page = client.get("/events/999999")
    assert page.status_code == 404
    assert "Page not found" in page.text


def test_an_id_larger_than_any_row_is_not_found_rather_than_a_crash(client):
    for url in ("/events/99999999999999999999", "/events/2147483648/book"):
        assert client.get(url).status_code == 404


def front_page_statements(client, url: str = "/") -> tuple[int, str]:
    """(SQL statements, page) of one request for a page (the front page unless told);
    BEGIN, COMMIT and savepoints (the test's own transaction) not counted."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if statement.split()[0].upper() not in {
            "BEGIN",
            "COMMIT",
            "ROLLBACK",
            "SAVEPOINT",
            "RELEASE",
        }:
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = client.get(url).text
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return len(statements), page


def test_front_page_reads_fifty_days_in_the_statements_of_five(client, make_event):
    for n in range(5):
        make_event(title=f"Day {n}", days_ahead=n + 1, sessions=WORKSHOP_DAY)
    book(client, make_event(title="Booked day", days_ahead=9))
    five, page = front_page_statements(client)
    assert "6 surgery days" in page and "9 places left" in page and "No booking needed" in page
    for n in range(5, 49):
        make_event(title=f"Day {n}", days_ahead=n + 10, sessions=WORKSHOP_DAY)
    fifty, page = front_page_statements(client)
    assert "Showing 1–12 of 50 surgery days" in page and "9 places left" in page
    assert "Day 48" not in page  # a page at a time: the last page has it
    last_page_statements, last_page = front_page_statements(client, "/?page=5")
    assert "Showing 49–50 of 50 surgery days" in last_page and "Day 48" in last_page
    assert fifty == five == last_page_statements == 4  # count, days, sessions, places


def test_front_page_words_follow_bookings_and_moved_sessions(client, make_event):
    # the words for times and places are worked out once per process and kept: a new
    # booking or a moved session must still show on the very next visit
    event = make_event(title="Changing day", sessions=WORKSHOP_DAY)
    first = client.get("/").text
    assert "10am to 12pm: Blogging for beginners" in first and "15 places left" in first
    book(client, event)
    assert "14 places left" in client.get("/").text
    workshop = event.sessions[0]
    workshop.starts_at += dt.timedelta(minutes=30)
    workshop.ends_at += dt.timedelta(minutes=30)
    db.session.commit()
    moved = client.get("/").text
    assert "10:30am to 12:30pm: Blogging for beginners" in moved and "14 places left" in moved


def test_day_page_reads_the_day_with_its_sessions_in_one_statement(client, make_event):
    event = make_event(title="Workshop day", sessions=WORKSHOP_DAY)
    book(client, event)
    url = f"/events/{event.id}"
    db.session.expunge_all()  # as a fresh request finds it: nothing loaded yet
    statements, page = front_page_statements(client, url)
    assert "Workshop day" in page and "14 places left" in page and "No booking needed" in page
    assert statements == 2  # the day with its sessions; their places


def test_past_page_filtered_and_unfiltered_alike(client, make_event):
    make_event(title="Leeds long ago", days_ahead=-10)
    make_event(title="York long ago", days_ahead=-12, city="York")
    everything = client.get("/past").text
    assert "Leeds long ago" in everything and "York long ago" in everything
    york = client.get("/past?city=York").text
    assert "York long ago" in york and "Leeds long ago" not in york


def thirty_days(make_event):
    """Thirty upcoming days, Day 01 soonest; every third in Bradford, the rest in Leeds."""
    for n in range(1, 31):
        make_event(title=f"Day {n:02}", days_ahead=n, city="Bradford" if n % 3 == 0 else "Leeds")


def test_front_page_shows_twelve_days_a_page_soonest_first(client, make_event):
    thirty_days(make_event)
    first = client.get("/").text
    assert "Showing 1–12 of 30 surgery days" in first
    assert all(f"Day {n:02}" in first for n in range(1, 13))
    assert "Day 13" not in first and "Earlier surgery days" not in first
    assert 'href="/?page=2" rel="next">More surgery days' in first
    last = client.get("/?page=3").text
    assert "Showing 25–30 of 30 surgery days" in last
    assert all(f"Day {n:02}" in last for n in range(25, 31)) and "Day 24" not in last
    assert "More surgery days" not in last
    assert 'href="/?page=2" rel="prev">Earlier surgery days' in last


def test_front_page_links_keep_the_filters(client, make_event):
    thirty_days(make_event)
    make_event(title="Workshop in Leeds", days_ahead=40, sessions=WORKSHOP_DAY)
    page = client.get("/?city=Leeds").text
    assert "Showing 1–12 of 21 surgery days" in page and "Day 03" not in page
    assert 'href="/?page=2&amp;city=Leeds" rel="next"' in page
    second = client.get("/?page=2&city=Leeds").text
    assert "Showing 13–21 of 21 surgery days" in second and "Workshop in Leeds" in second
    assert 'href="/?page=1&amp;city=Leeds" rel="prev"' in second
    assert "1 surgery day" in client.get(f"/?page=2&kind={WORKSHOP}&city=Leeds").text


@pytest.mark.parametrize(
    ("asked", "showing"),
    [
        ("0", "1–12"),
        ("-1", "1–12"),
        ("two", "1–12"),
        ("", "1–12"),
        ("٣", "1–12"),  # a digit, but not one anybody types in an address
        ("4", "25–30"),
        ("99999999999999999999999", "25–30"),
    ],
)
def test_a_bad_page_number_gives_the_first_or_last_page(client, make_event, asked, showing):
    thirty_days(make_event)
    page = client.get("/", query_string={"page": asked})
    assert page.status_code == 200
    assert f"Showing {showing} of 30 surgery days" in page.text


def test_past_page_is_paged_too_most_recent_first(client, make_event):
    for n in range(1, 15):
        make_event(title=f"Past day {n:02}", days_ahead=-n)
    first = client.get("/past").text
    assert "Showing 1–12 of 14 surgery days" in first and "Past day 01" in first
    assert "Past day 13" not in first and 'href="/past?page=2" rel="next">Older' in first
    second = client.get("/past?page=2").text
    assert "Past day 14" in second and "Past day 12" not in second
    assert 'rel="prev">More recent surgery days' in second


def test_feed_and_sitemap_list_every_upcoming_day_not_a_page(client, make_event):
    thirty_days(make_event)
    assert client.get("/feed.atom").text.count("<entry>") == 30
    assert client.get("/sitemap.xml").text.count("/events/") == 30
