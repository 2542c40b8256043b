"""Publishing a day for the first time emails its subscribers, so the button asks first."""

import pytest
import sqlalchemy as sa

from surgery.domain.errors import DomainError
from surgery.domain.lifecycle import PUBLISH
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.organise import services
from surgery.subscriptions.services import ANNOUNCE_KIND
from tests.conftest import post_form, say_yes
from tests.test_matching_page import plain
from tests.test_organise import change_status
from tests.test_subscriptions import announcements, subscribe, subscribed


def press_publish(client, event):
    """Press Publish on the day's page."""
    page = f"/organise/events/{event.id}"
    return post_form(client, page, f"{page}/status", data={"action": PUBLISH})


def status_of(event) -> str:
    """The day's status as the database holds it."""
    db.session.expire_all()
    return event.status


def queued_announcements() -> int:
    """Announcements of new days in the outbox."""
    query = sa.select(sa.func.count()).where(OutboxMessage.kind == ANNOUNCE_KIND)
    return db.session.scalar(query)


def test_the_page_asks_first_and_says_how_many_subscribers_are_emailed(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    subscribed(client, mailbox, "one@example.org")
    subscribed(client, mailbox, "two@example.org")
    subscribe(client, "never-confirmed@example.org")
    mailbox.deliver()
    event = make_event(status="draft", title="Bradford surgery")

    asked = press_publish(client, event)
    assert asked.status_code == 200
    says = plain(asked.text)
    assert "Publish this day and tell its subscribers?" in says
    assert "2 people who asked to hear about new surgery days will be emailed" in says
    assert "In all, 2 people will be emailed." in says
    # nothing happened yet: still a draft, nobody emailed, even going back
    assert status_of(event) == "draft"
    assert client.get(f"/organise/events/{event.id}").status_code == 200
    assert queued_announcements() == 0 and announcements(mailbox) == []

    done = say_yes(client, asked)
    assert done.status_code == 303
    assert status_of(event) == "published"
    assert sorted(r.to for r in announcements(mailbox)) == ["one@example.org", "two@example.org"]


def test_pressing_yes_twice_emails_each_subscriber_once(organiser_client, make_event, mailbox):
    client = organiser_client
    subscribed(client, mailbox, "once@example.org")
    event = make_event(status="draft")
    asked = press_publish(client, event)
    assert say_yes(client, asked).status_code == 303
    again = say_yes(client, asked)  # the same button, pressed again
    assert again.status_code == 303
    assert "This day is already published." in client.get(again.headers["Location"]).text
    assert queued_announcements() == 1
    assert [r.to for r in announcements(mailbox)] == ["once@example.org"]


def test_with_nobody_to_email_publish_goes_straight_through(organiser_client, make_event, mailbox):
    client = organiser_client
    subscribe(client, "unconfirmed@example.org")  # not confirmed: never emailed
    mailbox.deliver()
    event = make_event(status="draft")
    pressed = press_publish(client, event)
    assert pressed.status_code == 303
    assert pressed.headers["Location"] == f"/organise/events/{event.id}"
    assert status_of(event) == "published"
    assert announcements(mailbox) == []


def test_a_day_already_announced_publishes_again_without_asking(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    subscribed(client, mailbox, "sub@example.org")
    event = make_event(status="draft")
    say_yes(client, press_publish(client, event))
    announcements(mailbox)
    unpublished = post_form(
        client, f"/organise/events/{event.id}", f"/organise/events/{event.id}/status",
        data={"action": "unpublish"},
    )  # fmt: skip
    assert unpublished.status_code == 303 and status_of(event) == "draft"
    assert press_publish(client, event).status_code == 303  # told once already: not asked
    assert status_of(event) == "published"
    assert announcements(mailbox) == []


def test_a_publish_not_asked_about_emails_nobody(organiser_client, make_event, mailbox):
    """A subscriber confirmed between the page and the press: the unasked publish is
    refused rather than emailing someone the organiser was not told of."""
    subscribed(organiser_client, mailbox, "late@example.org")
    event = make_event(status="draft")
    with pytest.raises(DomainError, match="has changed since the page was opened"):
        services.change_status(event.id, PUBLISH, asked=False)
    db.session.rollback()
    assert status_of(event) == "draft"
    assert queued_announcements() == 0


def test_publishing_again_a_day_never_announced_says_its_subscribers_are_told(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    subscribed(client, mailbox, "sub@example.org")
    event = make_event(status="draft")
    change_status(client, event, "cancel")  # cancelled while still a draft
    asks = f"/organise/events/{event.id}/publish-again"
    says = plain(client.get(asks).text)
    assert "1 person will be emailed:" in says
    assert "1 person who asked to hear about new surgery days" in says
    post_form(client, asks)
    assert status_of(event) == "published"
    assert [r.to for r in announcements(mailbox)] == ["sub@example.org"]
