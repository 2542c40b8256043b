"""Tell me about future surgery days: double opt-in, one announcement per day, and
one-click unsubscribe (RFC 8058), read from the mail a real SMTP server received."""

import datetime as dt
import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from surgery.database import utcnow
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.retention.cli import purge_round
from surgery.subscriptions.models import Subscriber
from tests.conftest import csrf_from, post_form
from tests.test_organise import change_status
from tests.test_rate_limits import SMALL_LIMITS, limited_app

LINK = re.compile(r"https?://[^\s]+")
SENT = "If this address is not already on our list, we have emailed it a link to confirm."


def body(received) -> str:
    """The plain-text body of one email."""
    return received.message.get_body(("plain",)).get_content()


def link_in(received, path_part: str) -> str:
    """The path of the link in an email whose address holds path_part."""
    [url] = [u for u in LINK.findall(body(received)) if path_part in u]
    return urlsplit(url).path


def subscribe(client, email: str):
    """Fill in the subscribe form."""
    return post_form(client, "/subscribe", data={"email": email})


def subscribed(client, mailbox, email: str) -> None:
    """Subscribe and confirm with the emailed link, pressing its button."""
    assert SENT in subscribe(client, email).text
    [confirmation] = mailbox.deliver()
    assert confirmation.to == email
    done = post_form(client, link_in(confirmation, "/confirm/"))
    assert "You are subscribed" in done.text


def announcements(mailbox) -> list:
    """The announcements of new days that arrived since last time."""
    return [r for r in mailbox.deliver() if r.message["Subject"].startswith("New surgery day")]


def test_subscribe_confirm_announce_then_one_click_unsubscribe(
    organiser_client, make_event, mailbox, app
):
    client = organiser_client
    subscribed(client, mailbox, "sub@example.org")
    event = make_event(status="draft", title="Bradford surgery")
    says = " ".join(client.get(f"/organise/events/{event.id}").text.split())
    assert "Publishing this day emails the 1 person who asked to hear about new" in says

    change_status(client, event, "publish")
    [news] = announcements(mailbox)
    assert news.to == "sub@example.org"
    assert "Bradford surgery" in news.message["Subject"]
    assert f"/events/{event.id}" in body(news)
    stop = urlsplit(news.message["List-Unsubscribe"].strip("<>"))
    assert stop.scheme == "https" or stop.scheme == "http"
    assert news.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert stop.path == link_in(news, "/stop/")

    # a mail program's one click: a POST with no page and no CSRF token
    mail_program = app.test_client()
    clicked = mail_program.post(stop.path, data={"List-Unsubscribe": "One-Click"})
    assert clicked.status_code in (200, 204)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Subscriber)) == 0

    change_status(client, make_event(status="draft"), "publish")
    assert announcements(mailbox) == []
    assert mail_program.get(stop.path).status_code == 404  # the link is gone with them


def test_unconfirmed_addresses_get_nothing_and_are_removed_after_a_week(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    subscribe(client, "maybe@example.org")
    [confirmation] = mailbox.deliver()
    assert "Confirm" in confirmation.message["Subject"]
    assert confirmation.message["List-Unsubscribe"] is None

    change_status(client, make_event(status="draft"), "publish")
    assert announcements(mailbox) == []

    purge_round(utcnow() + dt.timedelta(days=6))
    assert db.session.scalar(sa.select(Subscriber.email)) == "maybe@example.org"
    purge_round(utcnow() + dt.timedelta(days=8))
    db.session.expire_all()
    assert db.session.scalar(sa.select(Subscriber.email)) is None


def test_the_answer_is_the_same_for_any_address(client, mailbox):
    subscribed(client, mailbox, "known@example.org")
    again = subscribe(client, "known@example.org")
    unknown = subscribe(client, "stranger@example.org")
    strip = re.compile(r'name="csrf_token"[^>]*>')
    assert again.status_code == unknown.status_code == 200
    assert strip.sub("", again.text) == strip.sub("", unknown.text)
    # the confirmed address is sent nothing more; the new one its link
    assert [r.to for r in mailbox.deliver()] == ["stranger@example.org"]


def test_resubscribing_after_unsubscribing_asks_again(organiser_client, make_event, mailbox):
    client = organiser_client
    subscribed(client, mailbox, "back@example.org")
    change_status(client, make_event(status="draft"), "publish")
    [news] = announcements(mailbox)
    old_stop = link_in(news, "/stop/")
    done = post_form(client, old_stop)  # the page's button, with its CSRF token
    assert "You will get no more of these emails" in done.text

    subscribed(client, mailbox, "back@example.org")
    assert client.get(old_stop).status_code == 404  # old links open nothing
    change_status(client, make_event(status="draft"), "publish")
    assert [r.to for r in announcements(mailbox)] == ["back@example.org"]


def test_opening_the_unsubscribe_link_changes_nothing(organiser_client, make_event, mailbox, app):
    client = organiser_client
    subscribed(client, mailbox, "keep@example.org")
    change_status(client, make_event(status="draft"), "publish")
    [news] = announcements(mailbox)
    stop = link_in(news, "/stop/")
    page = client.get(stop)
    assert page.status_code == 200 and "Yes, stop these emails" in page.text
    # a POST without the one-click body needs the page's CSRF token
    assert app.test_client().post(stop, data={}).status_code == 400
    assert client.head(stop).status_code == 200
    assert db.session.scalar(sa.select(Subscriber.email)) == "keep@example.org"
    change_status(client, make_event(status="draft"), "publish")
    assert len(announcements(mailbox)) == 1


def test_a_day_is_announced_once_whatever_happens_to_it(organiser_client, make_event, mailbox):
    client = organiser_client
    subscribed(client, mailbox, "once@example.org")
    event = make_event(status="draft")
    change_status(client, event, "publish")
    assert len(announcements(mailbox)) == 1
    change_status(client, event, "unpublish")
    page = client.get(f"/organise/events/{event.id}").text  # a draft again: nobody to tell
    assert "Publish" in page and "who asked to hear about new surgery days" not in page
    change_status(client, event, "publish")
    change_status(client, event, "cancel")
    change_status(client, event, "publish")
    assert announcements(mailbox) == []
    kinds = sa.select(OutboxMessage.kind).where(OutboxMessage.kind == "day_announcement")
    assert len(db.session.scalars(kinds).all()) == 1


def test_a_confirmation_link_only_confirms_on_its_button(client, mailbox):
    subscribe(client, "look@example.org")
    [confirmation] = mailbox.deliver()
    confirm = link_in(confirmation, "/confirm/")
    assert "Confirm your subscription" in client.get(confirm).text
    assert db.session.scalar(sa.select(Subscriber.confirmed_at)) is None
    wrong = confirm.rsplit("/", 1)[0] + "/" + "x" * 32
    assert client.get(wrong).status_code == 404
    stop_with_confirm_token = confirm.replace("/confirm/", "/stop/")
    assert client.get(stop_with_confirm_token).status_code == 404


def test_hostile_input_is_refused_cleanly(client, mailbox):
    for typed in ("a\x00b@example.org", "x" * 100_000 + "@example.org", "not an address"):
        page = post_form(client, "/subscribe", data={"email": typed})
        assert page.status_code == 400
    assert client.get("/subscribe/1/stop/%00").status_code in (400, 404)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Subscriber)) == 0
    assert mailbox.deliver() == []


def test_front_page_and_privacy_page_link_to_the_form(client):
    for page in ("/", "/privacy"):
        assert 'href="/subscribe"' in client.get(page).text


def test_the_form_is_rate_limited_like_other_public_forms(database_url, db_session):
    app, _prefix = limited_app(database_url, "memory", **SMALL_LIMITS)
    client = app.test_client()
    answers = []
    for number in range(4):
        page = client.get("/subscribe")
        fields = {"csrf_token": csrf_from(page.text), "email": f"s{number}@example.org"}
        answers.append(client.post("/subscribe", data=fields).status_code)
    assert answers == [200, 200, 200, 429]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Subscriber)) == 3


def test_an_announcement_queued_before_unsubscribing_is_not_sent(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    subscribed(client, mailbox, "gone@example.org")
    change_status(client, make_event(status="draft"), "publish")
    db.session.execute(sa.delete(Subscriber))  # as the unsubscribe link does, before sending
    db.session.commit()
    assert announcements(mailbox) == []
    left = sa.select(OutboxMessage.id).where(OutboxMessage.kind == "day_announcement")
    assert db.session.scalars(left).all() == []  # dropped, not kept as failed
