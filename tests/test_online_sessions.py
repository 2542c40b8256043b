"""Online and hybrid sessions: the video link reaches only people with a confirmed place on
the session (their email, invite and booking page), never a public page or feed."""

import pytest
import sqlalchemy as sa

from surgery.domain.online import HYBRID, MAX_URL, ONLINE
from surgery.events.models import EventSession
from surgery.extensions import db
from tests.conftest import book, manage_token, post_form
from tests.mail_fixtures import invite_in, text_of
from tests.test_organise import session_form

LINK = "https://meet.example.org/room-7Q3x"
SESSIONS = [
    {"kind": "surgery", "title": "Surgery space", "capacity": 10},
    {
        "kind": "workshop",
        "title": "Online workshop",
        "capacity": 1,
        "hour_offset": 3,
        "mode": ONLINE,
        "online_url": LINK,
    },
]


def public_pages(client, event) -> dict[str, str]:
    """Every page and feed anyone may open, without a private link."""
    paths = ["/", "/past", f"/events/{event.id}", f"/events/{event.id}/book"]
    paths += [f"/events/{event.id}/book?session={s.id}" for s in event.sessions]
    paths += ["/calendar.ics", f"/events/{event.id}/calendar.ics", "/volunteer"]
    paths += ["/feed.atom", "/atom.xml", "/sitemap.xml", "/robots.txt"]
    paths += [f"/events/{event.id}/learned"]  # once the day is over
    pages = {}
    for path in paths:
        response = client.get(path)
        if response.status_code == 200:
            pages[path] = response.get_data(as_text=True)
    return pages


def test_public_pages_and_feeds_say_online_but_never_give_the_link(client, make_event):
    event = make_event(sessions=SESSIONS, venue_address="1 Main Street, Leeds")
    book(client, event, "Ann", sessions=[event.sessions[1].id])
    pages = public_pages(client, event)
    for must in ("/", f"/events/{event.id}", "/calendar.ics", f"/events/{event.id}/calendar.ics"):
        assert must in pages
    assert "Online" in pages[f"/events/{event.id}"]
    assert "LOCATION:Online" in pages[f"/events/{event.id}/calendar.ics"]
    for path, page in pages.items():
        assert "meet.example.org" not in page, path
        assert "room-7Q3x" not in page, path


def test_a_past_day_s_learned_page_and_feeds_never_give_the_link(client, make_event):
    event = make_event(sessions=SESSIONS, days_ahead=-3)
    pages = public_pages(client, event)
    assert f"/events/{event.id}/learned" in pages
    for path, page in pages.items():
        assert "meet.example.org" not in page, path
        assert "room-7Q3x" not in page, path


def test_the_confirmed_person_gets_the_link_and_the_waiting_one_does_not(
    client, make_event, mailbox
):
    event = make_event(sessions=SESSIONS)
    online = event.sessions[1]
    ann = manage_token(book(client, event, "Ann", sessions=[online.id]))
    bea = manage_token(book(client, event, "Bea", sessions=[online.id]))
    mail = mailbox.deliver_to()

    ann_mail = mail["ann@example.org"]
    assert f"Join online: {LINK}" in text_of(ann_mail)
    assert LINK in text_of(ann_mail, "html")
    invite = invite_in(ann_mail)
    assert LINK in invite.event.description.value
    assert invite.event.location.value == "Online"
    assert LINK in client.get(f"/bookings/{ann}").text

    bea_mail = mail["bea@example.org"]
    assert "meet.example.org" not in bea_mail.raw.decode("utf-8", "replace")
    assert "meet.example.org" not in client.get(f"/bookings/{bea}").text
    # a person's own feed says where, never the link
    for token in (ann, bea):
        feed = client.get(f"/bookings/{token}/calendar.ics").text
        assert "meet.example.org" not in feed


def test_someone_booked_on_another_session_of_the_day_does_not_get_the_link(
    client, make_event, mailbox
):
    event = make_event(sessions=SESSIONS)
    cal = manage_token(book(client, event, "Cal", sessions=[event.sessions[0].id]))
    [received] = mailbox.deliver()
    assert "meet.example.org" not in received.raw.decode("utf-8", "replace")
    assert "meet.example.org" not in client.get(f"/bookings/{cal}").text


def test_an_organiser_adds_a_hybrid_session_with_its_link(organiser_client, make_event):
    event = make_event(venue_address="1 Main Street, Leeds")
    url = f"/organise/events/{event.id}/sessions/new"
    data = session_form(title="Hybrid talk", mode=HYBRID, online_url=f"  {LINK}  ")
    assert post_form(organiser_client, url, data=data).status_code == 303
    added = db.session.scalars(sa.select(EventSession).where(EventSession.title == "Hybrid talk"))
    added = added.one()
    assert (added.mode, added.online_url) == (HYBRID, LINK)
    page = organiser_client.get(f"/events/{event.id}").text
    assert "In person and online" in page
    assert LINK not in page
    feed = organiser_client.get(f"/events/{event.id}/calendar.ics").text
    assert "and online" in feed and "meet.example.org" not in feed
    edit = organiser_client.get(f"/organise/events/{event.id}/sessions/{added.id}/edit").text
    assert LINK in edit


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mode": ONLINE, "online_url": ""}, "Enter the video link"),
        ({"mode": ONLINE, "online_url": "http://meet.example.org/x"}, "Enter a full https://"),
        ({"mode": ONLINE, "online_url": "javascript:alert(1)"}, "Enter a full https://"),
        ({"mode": ONLINE, "online_url": "https://"}, "Enter a full https://"),
        ({"mode": ONLINE, "online_url": 'https://a.org/"><script>'}, "Enter a full https://"),
        ({"mode": ONLINE, "online_url": "https://a.org/" + "x" * MAX_URL}, "at most 500"),
        ({"mode": "in_person", "online_url": LINK}, "Leave the video link empty"),
        ({"mode": "moon"}, "Not a valid choice"),
    ],
)
def test_a_bad_video_link_is_refused_with_a_message(organiser_client, make_event, changes, message):
    event = make_event()
    url = f"/organise/events/{event.id}/sessions/new"
    response = post_form(organiser_client, url, data=session_form(title="Talk", **changes))
    assert response.status_code == 400
    assert message in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventSession)) == 1


def test_a_new_link_is_sent_to_the_confirmed_person_only(
    client, organiser_client, make_event, mailbox
):
    event = make_event(sessions=SESSIONS)
    online = event.sessions[1]
    book(client, event, "Ann", sessions=[online.id])
    book(client, event, "Bea", sessions=[online.id])
    mailbox.deliver()
    edit = f"/organise/events/{event.id}/sessions/{online.id}/edit"
    new_link = "https://meet.example.org/new-room-9"
    data = session_form(
        kind="workshop", title="Online workshop", starts="13:00", ends="15:00", capacity="1"
    )
    data |= {"mode": ONLINE, "online_url": new_link}
    day = event.local(online.starts_at)
    data |= {"day": day.date().isoformat(), "starts": f"{day:%H:%M}"}
    data["ends"] = f"{event.local(online.ends_at):%H:%M}"
    assert post_form(organiser_client, edit, data=data).status_code == 303
    mail = mailbox.deliver_to()
    assert new_link in text_of(mail["ann@example.org"])
    assert "Video link: a new link" in text_of(mail["ann@example.org"])
    # someone waiting is never sent the link, whether or not they hear of the change
    for received in mail.values():
        if received.to != "ann@example.org":
            assert "meet.example.org" not in received.raw.decode("utf-8", "replace")
    assert LINK not in client.get(f"/events/{event.id}").text
    assert new_link not in client.get(f"/events/{event.id}").text
