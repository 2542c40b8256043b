"""Check-in and the floor on a day of 5,000 people: the same SQL statements as for 50, a
page of people with a search that finds anyone, the floor's queue of those waiting, and
the floor worked out once per change for every screen (a screen that has it gets 304).

Days are seeded with bulk inserts (tests/crowded_day.py): two in five people here, all but
twelve of them already helped, ten surgeons.
"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Registration
from surgery.day import floor_state as floor_module
from surgery.day import live
from surgery.day.models import HelpRecord
from surgery.extensions import db
from tests.conftest import post_form
from tests.crowded_day import WAITING, seed_crowded_day
from tests.test_checkin import counts, listed
from tests.test_floor import surgeon_card, waiting
from tests.test_matching_page import plain

NOT_COUNTED = ("SAVEPOINT", "RELEASE", "ROLLBACK")
SEARCH = "khan"  # a surname: one person in twelve
FROZEN = dt.datetime(2026, 11, 30, 10, 42, tzinfo=dt.UTC)


def checkin_url(day) -> str:
    return f"/organise/events/{day.event_id}/checkin"


def floor_url(day) -> str:
    return f"/organise/sessions/{day.session_id}/floor"


def sent_by(client, url: str, **kw) -> tuple[list[tuple[str, object]], object]:
    """The SQL statements one request sends (savepoints aside), each with its parameters,
    and its answer."""
    sent: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, *_args):
        if not statement.startswith(NOT_COUNTED):
            sent.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        answer = client.get(url, **kw)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert answer.status_code in (200, 304), (url, answer.status_code)
    return sent, answer


def statements_of(client, url: str, **kw) -> tuple[list[str], object]:
    """The SQL statements one request sends (savepoints aside), and its answer."""
    sent, answer = sent_by(client, url, **kw)
    return [statement for statement, _ in sent], answer


def sent_afresh(client, url: str) -> list[tuple[str, object]]:
    """The statements (with parameters) of a page built from nothing, as the first screen
    after a change (after one request, so who is signed in is known as for any later page)."""
    client.get(url)
    live.fragments.copies.clear()
    live.states.copies.clear()
    return sent_by(client, url)[0]


def built_afresh(client, url: str) -> list[str]:
    """The statements of a page built from nothing, as the first screen after a change."""
    return [statement for statement, _ in sent_afresh(client, url)]


@pytest.fixture
def days(organiser_client, organiser):
    """A day of 50 people and a day of 5,000."""
    return {n: seed_crowded_day(n, organiser.email) for n in (50, 5000)}


def test_check_in_and_the_floor_send_the_same_statements_for_50_and_5000_people(
    organiser_client, days
):
    pages = {
        "check-in": lambda d: checkin_url(d),
        "check-in search": lambda d: f"{checkin_url(d)}?q={SEARCH}",
        "check-in live part": lambda d: f"{checkin_url(d)}/live",
        "floor": lambda d: floor_url(d),
        "floor live part": lambda d: f"{floor_url(d)}/live",
    }
    for label, url in pages.items():
        small, large = (built_afresh(organiser_client, url(days[n])) for n in (50, 5000))
        assert len(small) == len(large), (label, small, large)
        assert len(small) <= 16, label  # a fixed number, and a small one


def plan_of(statement: str, parameters) -> list[str]:
    """SQLite's plan for one statement sent with these parameters: its steps."""
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    return [row[-1] for row in plan]


def plans_of(client, url: str) -> dict[str, list[str]]:
    """SQLite's plan for each SELECT of a page built afresh: statement -> its steps."""
    return {
        statement: plan_of(statement, params)
        for statement, params in sent_afresh(client, url)
        if statement.lstrip().upper().startswith("SELECT")
    }


def test_at_5000_people_no_page_reads_a_whole_table_or_sorts_the_check_in_list(
    organiser_client, days
):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's plans; PostgreSQL plans by its statistics")
    day = days[5000]
    pages = (checkin_url(day), f"{checkin_url(day)}?q={SEARCH}", f"{floor_url(day)}/live")
    for url in pages:
        for statement, steps in plans_of(organiser_client, url).items():
            whole = [s for s in steps if re.match(r"SCAN (registration|booking|help_record)\b", s)]
            assert not whole, (url, statement, steps)  # e.g. pairings of every day, by email

    # the first page of the list is read from the index in its order, not sorted afterwards
    listing = [
        steps
        for statement, steps in plans_of(organiser_client, checkin_url(day)).items()
        if "FROM registration" in statement and "LIMIT" in statement
    ]
    assert listing and not any("TEMP B-TREE FOR ORDER BY" in s for s in listing[0]), listing


def test_check_in_lists_a_page_and_the_search_finds_anyone(organiser_client, days):
    day = days[5000]
    page = organiser_client.get(checkin_url(day)).text

    shown = listed(page)
    assert len(shown) == 50
    assert set(shown.values()) == {"Not here yet"}  # those not here come first
    assert list(shown) == sorted(shown, key=str.lower)
    assert counts(page) == {"Expected": 5000, "Arrived": 2000, "Walk-ins": 0}
    assert "50 of 5000 shown" in plain(page)
    assert day.last_name not in shown

    found = organiser_client.get(checkin_url(day), query_string={"q": day.last_name}).text
    assert listed(found) == {day.last_name: "Not here yet"}
    assert counts(found) == counts(page)  # the counts are the whole day's


def test_at_5000_people_arriving_and_undoing_work_from_a_search(organiser_client, days):
    day = days[5000]
    name = day.last_name
    person = db.session.scalars(sa.select(Registration).where(Registration.name == name)).one()
    search = f"{checkin_url(day)}?q={name.split()[-1]}"

    arrived = post_form(
        organiser_client, search, f"{checkin_url(day)}/{person.id}/arrive", data={"q": name}
    )
    page = organiser_client.get(arrived.headers["Location"]).text

    assert f"{name} is here." in page
    assert listed(page) == {name: "Here"}
    assert counts(page)["Arrived"] == 2001

    undone = post_form(
        organiser_client, search, f"{checkin_url(day)}/{person.id}/undo", data={"q": name}
    )
    page = organiser_client.get(undone.headers["Location"]).text

    assert listed(page) == {name: "Not here yet"}
    assert counts(page)["Arrived"] == 2000


def test_at_5000_people_the_floor_lists_who_waits_and_pairs_them(organiser_client, days):
    day = days[5000]
    page = organiser_client.get(floor_url(day)).text

    assert len(waiting(page)) == WAITING
    assert "Helped so far (1986)" in page
    # every finished pairing took 12 minutes, summed by the database to the second
    assert "12 minutes a pairing on average today" in plain(page)
    assert len(re.findall(r'<tr><th scope="row">', page)) == WAITING + 10  # the latest ten
    suggested = re.search(r'name="pair" value="(\d+):(\d+)"', page)
    assert suggested, "a free surgeon is offered someone"
    first = waiting(page)[0][0]

    page = post_form(
        organiser_client, floor_url(day), f"{floor_url(day)}/start",
        data={"pair": f"{suggested.group(1)}:{suggested.group(2)}"}, follow_redirects=True,
    ).text  # fmt: skip

    record = db.session.scalars(
        sa.select(HelpRecord).where(
            HelpRecord.session_id == day.session_id, HelpRecord.ended_at.is_(None)
        )
    ).all()
    started = next(r for r in record if r.booking_id == int(suggested.group(1)))
    assert started.surgeon_id == int(suggested.group(2))
    assert len(waiting(page)) == WAITING - 1
    surgeon = started.surgeon.name
    assert "With" in surgeon_card(page, surgeon)
    assert first.split()[0] in surgeon_card(page, surgeon)

    page = post_form(
        organiser_client, floor_url(day), f"{floor_url(day)}/{started.id}/end",
        follow_redirects=True,
    ).text  # fmt: skip

    assert "Helped so far (1987)" in page
    assert len(waiting(page)) == WAITING - 1
    assert "Free" in surgeon_card(page, surgeon)


def test_a_screen_that_has_the_floor_gets_304_and_nothing_is_worked_out(
    organiser_client, days, monkeypatch
):
    monkeypatch.setattr(live, "utcnow", lambda: FROZEN)  # in a minute that does not end
    day = days[5000]
    url = f"{floor_url(day)}/live"
    first = organiser_client.get(url)
    assert first.status_code == 200
    worked_out = []
    real = floor_module.state
    monkeypatch.setattr(floor_module, "state", lambda s: worked_out.append(s) or real(s))

    sent, again = statements_of(
        organiser_client, url, headers={"If-None-Match": first.headers["ETag"]}
    )

    assert again.status_code == 304
    assert worked_out == []
    floor_tables = ("help_record", "booking", "surgeon", "registration")
    assert not [s for s in sent if any(f"FROM {t}" in s or f"JOIN {t}" in s for t in floor_tables)]
    # another screen without the copy gets the one already worked out, the page too
    other = organiser_client.get(url)
    assert other.status_code == 200 and worked_out == []
    assert organiser_client.get(floor_url(day)).status_code == 200
    assert worked_out == []


def test_the_bookings_spreadsheet_reads_the_same_statements_for_50_and_5000_people(
    organiser_client, days
):
    sent = {}
    for n, day in days.items():
        url = f"/organise/events/{day.event_id}/bookings.csv?sensitive=1"
        organiser_client.get(url)  # who is signed in, known as for any later download
        sent[n], answer = statements_of(organiser_client, url)
        lines = answer.data.decode("utf-8-sig").splitlines()
        assert len(lines) == 1 + n  # the header, then everyone booked
        assert day.last_name in answer.data.decode("utf-8-sig")

    assert len(sent[50]) == len(sent[5000]), (sent[50], sent[5000])


def test_at_5000_people_the_floor_reads_the_pairings_of_those_waiting_by_their_bookings(
    organiser_client, days
):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's plans; PostgreSQL plans by its statistics")
    plans = plans_of(organiser_client, f"{floor_url(days[5000])}/live")
    [steps] = [
        steps
        for statement, steps in plans.items()
        if re.search(r"help_record.back_in_queue\s+FROM help_record\s+WHERE", statement)
    ]
    # the twelve waiting, by index, not the session's 2,000 pairings
    assert any("(booking_id=?)" in step for step in steps), steps
