"""The organiser's dashboard: each day's figures, what needs attention, and its cost."""

import contextlib
import re

import pytest
import sqlalchemy as sa

from surgery.events.models import SURGERY, WORKSHOP
from surgery.extensions import db
from surgery.mail.outbox import send_due
from tests.conftest import book, csrf_from
from tests.smtp import SmtpServer
from tests.test_matching_page import (
    add_surgeon,
    attend,
    matching_url,
    organiser_action,
    pair_by_hand,
    plain,
    press_in_row,
    volunteer,
)
from tests.test_outbox import outbox, sending_to

DAY = [
    {"kind": SURGERY, "title": "Surgery space", "capacity": 2},
    {"kind": WORKSHOP, "title": "Blogging", "capacity": 3, "hour_offset": 2},
]


def row_of(client, title: str) -> str:
    """The dashboard's row for a day, as plain text."""
    page = client.get("/organise/")
    assert page.status_code == 200
    [row] = [r for r in re.findall(r"<tr>(.*?)</tr>", page.text, re.S) if f">{title}</a>" in r]
    return plain(row)


def links_in(client, title: str) -> dict[str, str]:
    """The links of a day's "Needs attention" cell: words -> where they lead."""
    page = client.get("/organise/").text
    [row] = [r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if f">{title}</a>" in r]
    cell = row[row.index('data-label="Needs attention"') :]
    return {plain(words): href.replace("&amp;", "&") for href, words in re.findall(
        r'<a href="([^"]+)">(.*?)</a>', cell)}  # fmt: skip


def test_the_figures_are_what_was_booked_waited_for_and_volunteered(organiser_client, make_event):
    client = organiser_client
    event = make_event(sessions=DAY, title="Bradford surgery")
    surgery, workshop = event.sessions
    for name in ("Ann", "Bo", "Cy"):  # two places, so Cy waits
        attend(client, event, name, session=surgery)
    assert book(client, event, "Di", sessions=[workshop.id]).status_code == 303
    add_surgeon(client, event, "Sue", capacity=1)

    row = row_of(client, "Bradford surgery")
    assert "3 of 5 places booked · 1 waiting" in row
    # three people in the surgery space, help for one: two more, each helping two, is one
    assert "1 surgeon approved, 1 more wanted" in row
    assert "Nothing" in row  # nothing needs attention

    volunteer(client, event, "Vic")  # offers to help 3
    assert links_in(client, "Bradford surgery") == {
        "1 volunteer to approve": f"/organise/events/{event.id}/surgeons"
    }
    organiser_action(client, event, "Vic", "approve")
    row = row_of(client, "Bradford surgery")
    assert "2 surgeons approved, enough for everyone booked" in row
    assert "volunteer" not in row


def test_a_pair_to_accept_links_to_its_matching_page_until_accepted(organiser_client, make_event):
    client = organiser_client
    event = make_event(title="Leeds surgery")
    surgery = event.sessions[0]
    attend(client, event, "Ann")
    add_surgeon(client, event, "Sue")
    pair_by_hand(client, surgery, "Ann", "Sue")

    assert links_in(client, "Leeds surgery") == {
        "1 pair to accept in Surgery space": matching_url(surgery)
    }
    press_in_row(client, surgery, "Fixed pairs", "Ann", "Accept")
    assert links_in(client, "Leeds surgery") == {}
    assert "pair" not in row_of(client, "Leeds surgery")


@pytest.fixture
def smtp_down(app, monkeypatch):
    """Mail goes to an SMTP server that is not running, and is given up on at once."""
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 1)
    server = SmtpServer()
    with sending_to(app, server.port):
        yield server


def test_failed_mail_is_shown_with_the_day_it_was_about_until_sent_again(
    organiser_client, make_event, smtp_down
):
    client = organiser_client
    failing = make_event(title="York surgery")
    fine = make_event(title="Hull surgery")
    book(client, failing, "Ann")
    book(client, failing, "Bo")
    send_due()
    assert {m.status for m in outbox()} == {"failed"}
    book(client, fine, "Cy")  # queued, not failed

    links = links_in(client, "York surgery")
    assert links == {
        "2 emails not sent (failed)": f"/organise/outbox/?status=failed&day={failing.id}"
    }
    assert links_in(client, "Hull surgery") == {}
    shown = client.get(links["2 emails not sent (failed)"]).text
    assert "ann@example.org" in shown and "bo@example.org" in shown
    assert "cy@example.org" not in shown and "Showing mail about" in shown

    for message in outbox()[:2]:
        resend = f"/organise/outbox/{message.id}/resend"
        client.post(resend, data={"csrf_token": _csrf(client)})
    assert links_in(client, "York surgery") == {}


def _csrf(client) -> str:
    """A CSRF token from the outbox page, as its Send again buttons carry."""
    return csrf_from(client.get("/organise/outbox/").text)


def test_days_come_soonest_first_then_drafts_then_past_and_cancelled(organiser_client, make_event):
    make_event(title="Past day", days_ahead=-10)
    make_event(title="Next month", days_ahead=30)
    make_event(title="A draft", status="draft", days_ahead=5)
    make_event(title="Cancelled day", status="cancelled", days_ahead=3)
    make_event(title="Next week", days_ahead=7)
    page = organiser_client.get("/organise/").text
    order = [">Coming up", ">Next week<", ">Next month<", ">Drafts", ">A draft<",
             ">Past and cancelled", ">Cancelled day<", ">Past day<"]  # fmt: skip
    places = [page.index(words) for words in order]
    assert places == sorted(places)


def test_the_dashboard_needs_a_signed_in_organiser(client, make_event):
    make_event(title="Secret day")
    response = client.get("/organise/")
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    assert "Secret day" not in client.get("/organise/", follow_redirects=True).text


@contextlib.contextmanager
def statements() -> list:
    """Every SQL statement sent meanwhile."""
    sent = []

    def count(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def test_the_dashboard_costs_the_same_statements_for_2_days_as_for_20(organiser_client, make_event):
    client = organiser_client

    def add_days(first: int, last: int) -> None:
        for i in range(first, last):
            event = make_event(title=f"Day {i}", days_ahead=5 + i)
            attend(client, event, f"Person{i}")
            volunteer(client, event, f"Helper{i}")

    add_days(0, 2)
    with statements() as with_two:
        assert "Day 1" in client.get("/organise/").text
    add_days(2, 20)
    with statements() as with_twenty:
        page = client.get("/organise/").text
    assert "Day 19" in page
    assert len(with_twenty) == len(with_two), with_twenty


def test_a_bad_day_in_the_outbox_link_is_no_filter(organiser_client):
    for day in ("abc", "-1", "0", "99999999999999999999", "9" * 5000):
        page = organiser_client.get("/organise/outbox/", query_string={"day": day})
        assert page.status_code == 200
        assert "Showing mail about" not in page.text
    nul = organiser_client.get("/organise/outbox/", query_string={"day": "1\x00"})
    assert nul.status_code == 400  # refused at the door, as every NUL byte is
