"""A private link is a key: only the address that owns it gets it, it points at our public
address whatever Host a request gave, and it is kept nowhere: not in the database, not in a
calendar file."""

import json
import re

import pytest
import sqlalchemy as sa

from surgery.events.models import SURGERY, WORKSHOP
from surgery.extensions import db
from surgery.mail.lost_links import KINDS
from surgery.mail.models import OutboxMessage
from surgery.vocabulary.models import Topic
from tests.conftest import (
    book,
    book_more,
    confirm_form,
    csrf_from,
    make_app,
    manage_token,
    post_form,
)
from tests.ical_lines import content_lines
from tests.mail_fixtures import has_calendar, invite_in, text_of
from tests.test_invites import move_session
from tests.test_matching_page import accept_all, add_surgeon, ids
from tests.test_surgeons import manage_path, volunteer

PUBLIC = "https://surgery.example.org"
FORGED = {"HTTP_HOST": "evil.example"}
LOST = {"booking": "/lost-link", "surgeon": "/volunteer/lost-link"}
PRIVATE_LINK = re.compile(r"/(?:bookings|volunteer)/([\w-]{32})\b")
LINK = re.compile(r"""https?://[^\s"'<>]+""")
DAY = [
    {"kind": SURGERY, "title": "Surgery space", "capacity": 10},
    {"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 1, "hour_offset": 3},
]


def signed_up(client, event, holder: str) -> str:
    """Sam books, or volunteers; the path of Sam's private link."""
    if holder == "booking":
        return f"/bookings/{manage_token(book(client, event, 'Sam'))}"
    return manage_path(volunteer(client, event, "Sam"))


def ask_for_link(client, url: str, email: str):
    """Send the lost-link form; the answer, and every SQL statement answering it ran."""
    page = client.get(url).text
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(re.sub(r"sa_savepoint_\d+", "sa_savepoint", statement))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        answer = client.post(url, data={"csrf_token": csrf_from(page), "email": email})
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return answer, statements


@pytest.mark.parametrize("holder", ["booking", "surgeon"])
def test_lost_link_answers_the_same_for_known_and_unknown_addresses(
    client, make_event, mailbox, holder
):
    event = make_event()
    path = signed_up(client, event, holder)
    mailbox.deliver()

    known, known_work = ask_for_link(client, LOST[holder], "SAM@example.org")
    unknown, unknown_work = ask_for_link(client, LOST[holder], "nobody@example.org")

    assert known.status_code == unknown.status_code == 200
    assert known.data == unknown.data
    assert "we have emailed it the private link" in known.text
    assert known_work == unknown_work  # the same queries: one INSERT into the outbox
    assert sum("INSERT INTO outbox_message" in sql for sql in known_work) == 1
    known.close(), unknown.close()
    assert mailbox.collect() == []  # nothing is sent from the request

    [received] = mailbox.deliver()
    assert received.to == "sam@example.org"
    assert path in text_of(received)
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.kind.in_(KINDS.values())))
        == 0
    )  # the look-ups are answered and gone, the unknown address with them


def test_lost_link_is_offered_where_people_look_for_it(client, make_event):
    event = make_event()
    token = manage_token(book(client, event, "Sam"))
    for page in (f"/events/{event.id}", f"/events/{event.id}/book", f"/bookings/{token}/confirmed"):
        assert 'href="/lost-link"' in client.get(page).text, page
    assert 'href="/volunteer/lost-link"' in client.get(f"/events/{event.id}/volunteer").text


@pytest.fixture
def public_address(app):
    """The site's public address is not the one tests reach it at."""
    saved = app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = PUBLIC
    yield PUBLIC
    app.config["PUBLIC_BASE_URL"] = saved


def forged_form(client, url: str, data: dict):
    """Open a page and send its form, both with a forged Host header."""
    page = client.get(url, environ_overrides=FORGED).text
    fields = {"csrf_token": csrf_from(page), **data}
    return client.post(url, data=fields, environ_overrides=FORGED)


def test_a_forged_host_never_reaches_a_link(client, make_event, mailbox, public_address):
    event = make_event(sessions=DAY)
    sessions = [s.id for s in event.sessions]
    booked = forged_form(
        client,
        f"/events/{event.id}/book",
        {"name": "Sam", "email": "sam@example.org", "sessions": sessions},
    )
    confirmation = client.get(booked.headers["Location"], environ_overrides=FORGED).text
    [kept] = re.findall(r'class="private-link"><a href="([^"]+)"', confirmation)
    assert kept.startswith(f"{PUBLIC}/bookings/")
    vic = {"name": "Vic", "email": "vic@example.org", "capacity": "2", "sessions": sessions[:1]}
    vic["topics"] = ids(Topic, "Facebook")
    assert forged_form(client, f"/events/{event.id}/volunteer", vic).status_code == 303
    forged_form(client, "/lost-link", {"email": "sam@example.org"})
    forged_form(client, "/volunteer/lost-link", {"email": "vic@example.org"})

    mail = mailbox.deliver() + mailbox.deliver()
    assert sorted(m.to for m in mail) == ["sam@example.org"] * 3 + ["vic@example.org"] * 2
    links = []
    for received in mail:
        links += LINK.findall(text_of(received)) + LINK.findall(text_of(received, "html"))
        if has_calendar(received):
            links += [line.value for line in content_lines(invite_in(received).raw)
                      if line.name == "URL"]  # fmt: skip
    assert links and all(link.startswith(f"{PUBLIC}/") for link in links), links
    checkin = [m.payload["checkin"]["url"] for m in db.session.scalars(sa.select(OutboxMessage))
               if m.payload.get("checkin")]  # fmt: skip
    assert checkin and all(url.startswith(f"{PUBLIC}/") for url in checkin)


def test_an_untrusted_host_is_refused_when_trusted_hosts_is_set(app, client, make_event):
    event = make_event()
    app.config["TRUSTED_HOSTS"] = ["surgery.example.org"]
    try:
        refused = client.get(f"/events/{event.id}", environ_overrides=FORGED)
        allowed = client.get(
            f"/events/{event.id}", environ_overrides={"HTTP_HOST": "surgery.example.org"}
        )
    finally:
        app.config["TRUSTED_HOSTS"] = None
    assert refused.status_code == 400
    assert "Something in that request was not right" in refused.text
    assert allowed.status_code == 200


def test_trusted_hosts_and_proxies_are_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SURGERY_TRUSTED_HOSTS", "surgery.example.org, www.surgery.example.org")
    monkeypatch.setenv("SURGERY_PROXY_FIX", "1")
    app = make_app(f"sqlite:///{tmp_path / 'config.sqlite3'}")
    assert app.config["TRUSTED_HOSTS"] == ["surgery.example.org", "www.surgery.example.org"]
    client = app.test_client()
    proxy = {"HTTP_HOST": "10.0.0.5:8000"}  # the proxy reaches us at an address of its own
    via_proxy = client.get(
        "/no-such-page",
        headers={"X-Forwarded-Host": "surgery.example.org", "X-Forwarded-Proto": "https"},
        environ_overrides=proxy,
    )
    assert via_proxy.status_code == 404  # the host the visitor asked for is trusted
    forged = client.get(
        "/no-such-page", headers={"X-Forwarded-Host": "evil.example"}, environ_overrides=proxy
    )
    assert forged.status_code == 400


def a_day_of_everything(client, event, mailbox) -> set[str]:
    """Bookings, a waiting list, changes, surgeons, a pair, lost links, all mail sent; return
    every private token handed out, by redirect or by email."""
    surgery, workshop = event.sessions
    add_surgeon(client, event, "Sue")
    vic = manage_path(volunteer(client, event, "Vic", sessions=[surgery.id]))
    ann = manage_token(book(client, event, "Ann", sessions=[surgery.id]))
    ben = manage_token(book(client, event, "Ben", sessions=[surgery.id]))
    book_more(client, ann, [workshop.id])
    book_more(client, ben, [workshop.id])  # waiting
    book(client, event, "Mallory", email="ann@example.org")  # changes nothing
    manage = f"/bookings/{ann}"
    post_form(client, manage, f"{manage}/about", data={"help_text": "Blogs"})
    cancels = re.findall(r'action="(/bookings/[^"]+/cancel/\d+)"', client.get(manage).text)
    confirm_form(client, manage, cancels[-1])  # Ann leaves the workshop: Ben moves up
    accept_all(client, surgery)
    post_form(client, "/lost-link", data={"email": "ben@example.org"})
    post_form(client, "/volunteer/lost-link", data={"email": "sue@example.org"})
    mail = []
    for _ in range(5):  # as the worker does: send until a round finds nothing new
        found = mailbox.deliver()
        if mail and not found:
            break
        mail += found
    tokens = {ann, ben, vic.rsplit("/", 1)[1]}
    for received in mail:
        tokens.update(PRIVATE_LINK.findall(text_of(received)))
    assert len(tokens) == 4  # Ann, Ben, Vic and Sue (whose link only ever went by email)
    return tokens


def test_no_table_holds_a_private_token(organiser_client, make_event, mailbox):
    event = make_event(sessions=DAY)
    tokens = a_day_of_everything(organiser_client, event, mailbox)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) > 10
    scanned = 0
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).mappings():
            for column, value in row.items():
                if isinstance(value, str | dict | list):
                    text = value if isinstance(value, str) else json.dumps(value)
                    scanned += 1
                    for token in tokens:
                        assert token not in text, f"{table.name}.{column} holds a private token"
    assert scanned > 100


def test_no_calendar_the_app_writes_holds_a_private_token(organiser_client, make_event, mailbox):
    client = organiser_client
    event = make_event(sessions=DAY)
    tokens = a_day_of_everything(client, event, mailbox)
    ann = next(t for t in tokens if client.get(f"/bookings/{t}").status_code == 200)
    calendars = {
        "all days": client.get("/calendar.ics").data,
        "the day": client.get(f"/events/{event.id}/calendar.ics").data,
        "a private feed": client.get(f"/bookings/{ann}/calendar.ics").data,
    }
    move_session(client, event, event.sessions[0], starts="14:00", ends="16:00")  # new invites
    invites = [invite_in(m) for m in mailbox.deliver() if has_calendar(m)]
    assert len(invites) >= 3  # Ann, Ben and Sue
    calendars |= {f"invite {n}": invite.raw for n, invite in enumerate(invites)}
    event_page = f"http://127.0.0.1:5000/events/{event.id}"
    for name, raw in calendars.items():
        lines = content_lines(raw)
        text = "\n".join(line.value for line in lines)
        for token in tokens:
            assert token not in text, name
        urls = [line.value for line in lines if line.name == "URL"]
        assert urls and set(urls) <= {event_page}, (name, urls)


def test_look_ups_waiting_are_not_messages_on_the_outbox_page(organiser_client, make_event):
    make_event()
    ask_for_link(organiser_client, LOST["booking"], "someone.else@example.org")
    asked = db.session.scalars(sa.select(OutboxMessage)).one()

    page = organiser_client.get("/organise/outbox/")
    assert "someone.else@example.org" not in page.text  # an address typed by anyone

    token = csrf_from(page.text)
    resent = organiser_client.post(
        f"/organise/outbox/{asked.id}/resend", data={"csrf_token": token}
    )
    assert resent.status_code == 404
    assert db.session.get(OutboxMessage, asked.id).status == "asked"


def test_a_look_up_that_fails_never_stops_the_mail(client, make_event, mailbox, monkeypatch):
    from surgery.mail import lost_links

    event = make_event()
    book(client, event, "Sam")
    ask_for_link(client, LOST["booking"], "sam@example.org")

    def broken(_limit):
        raise RuntimeError("the look-up failed")

    monkeypatch.setattr(lost_links, "_answer", broken)
    [confirmation] = mailbox.deliver()  # the booking's own mail still goes
    assert confirmation.to == "sam@example.org"
    waiting = sa.select(OutboxMessage.status).where(OutboxMessage.kind.in_(KINDS.values()))
    assert db.session.scalars(waiting).all() == ["asked"]  # kept for the next round
