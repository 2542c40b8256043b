"""Mail says what is true when it is sent: whom a surgeon will help (only what the person
lets them see now), whom an attendee will meet, words that agree with the invite attached,
and the same ORGANIZER in the invite and in the person's own calendar feed.

Every test reads the mail a real SMTP server received (tests/mail_fixtures.py).
"""

from surgery.domain.errors import DomainError
from surgery.mail import outbox
from surgery.mail.notices import BOOKING_MATCHED, CANCELLED, EVENT_CANCELLED, SURGEON_MATCHED
from surgery.mail.notices import CONFIRMED as BOOKED
from surgery.vocabulary.models import RoleTag, Topic
from tests.conftest import SHARED, manage_token, post_form
from tests.mail_fixtures import invite_in, text_of, words_of
from tests.test_feeds import entries, fetch
from tests.test_invites import cancel_day, cancel_from_manage_page
from tests.test_invites_now import messages, send_again
from tests.test_matching_page import (
    ORGANISER,
    accept_all,
    add_surgeon,
    attend,
    ids,
    mail_by_person,
    organiser_action,
)
from tests.test_scenarios import publish_again
from tests.test_surgeon_sees import ANN, JOURNALIST, PRIVATE

SUE, ANNS = "sue@example.org", "ann@example.org"
SHARING = "In their words: Our choir page was hacked"


def ann_books(client, event) -> str:
    """Ann Jones books, telling us everything and sharing it with her surgeon; her token."""
    fields = {**ANN, "role_tags": ids(RoleTag, JOURNALIST), "consent": "y", **SHARED}
    return manage_token(attend(client, event, "Ann Jones", **fields))


def ann_keeps_nothing(client, token: str) -> None:
    """Ann, on her private page, withdraws her consent and clears her own words."""
    data = {"topics": ids(Topic, "Facebook"), "help_text": ""}  # the consent box unticked
    saved = post_form(client, f"/bookings/{token}", f"/bookings/{token}/about", data=data)
    assert saved.status_code == 303


def the(kind: str, to: str) -> int:
    """The id of the first outbox message of this kind to this address."""
    rows = [m for m in messages() if m.kind == kind and m.to_address == to]
    return rows[0].id


def assert_nothing_private(received) -> None:
    """Only Ann's first name and topics: no words, tags or needs she no longer shares."""
    for where, words in (
        ("text", text_of(received)),
        ("html", text_of(received, "html")),
        ("invite", invite_in(received).event.description.value),
    ):
        assert "Ann would like help with Facebook." in words, where
        for private in PRIVATE:
            assert private not in words, (where, private)


def test_send_again_after_consent_is_withdrawn_shows_the_surgeon_only_what_is_allowed_now(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    add_surgeon(client, event, "Sue")
    token = ann_books(client, event)
    mailbox.deliver()
    accept_all(client, event.sessions[0])
    [told] = mail_by_person(mailbox)[SUE]
    assert SHARING in text_of(told)

    ann_keeps_nothing(client, token)
    mailbox.deliver()
    send_again(client, the(SURGEON_MATCHED, SUE))
    [again] = mailbox.deliver()

    assert again.to == SUE
    assert_nothing_private(again)


def test_a_delayed_email_shows_the_surgeon_only_what_is_allowed_when_it_goes(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    add_surgeon(client, event, "Sue")
    token = ann_books(client, event)
    mailbox.deliver()
    accept_all(client, event.sessions[0])  # queued, not yet sent
    ann_keeps_nothing(client, token)

    [told] = mail_by_person(mailbox)[SUE]

    assert_nothing_private(told)


def test_an_attendee_is_told_of_the_surgeon_they_will_meet_as_things_are_when_it_goes(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    add_surgeon(client, event, "Sue", bio="Twenty years at the Yorkshire Post")
    ann_books(client, event)
    mailbox.deliver()
    accept_all(client, event.sessions[0])
    [told] = mail_by_person(mailbox)[ANNS]
    assert "Twenty years at the Yorkshire Post" in words_of(told)

    organiser_action(client, event, "Sue", "decline")  # the pair falls through
    mailbox.deliver()
    send_again(client, the(BOOKING_MATCHED, ANNS))
    [again] = mailbox.deliver()

    assert invite_in(again).method == "REQUEST"  # her place stands, with nobody to meet yet
    assert "You will meet" not in words_of(again)
    assert "Yorkshire Post" not in words_of(again)


# the words agree with the invite they carry, however late they go


def test_send_again_on_a_cancellation_of_a_day_now_on_again_says_it_is_on(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    attend(client, event, "Ann")
    cancel_day(client, event)
    publish_again(client, event)
    mailbox.deliver()

    send_again(client, the(EVENT_CANCELLED, ANNS))
    [again] = mailbox.deliver()

    assert invite_in(again).method == "REQUEST"
    words = words_of(again)
    assert "The details below are up to date, and the invite updates your calendar." in words
    assert "cancelled" not in words
    assert "takes it out of your calendar" not in words
    # the subject names the message that was sent again, as the outbox lists it
    assert again.message["Subject"].startswith("Cancelled:")


def test_send_again_on_a_booking_once_the_day_is_cancelled_says_it_is_cancelled(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    attend(client, event, "Ann")
    cancel_day(client, event)
    mailbox.deliver()

    send_again(client, the(BOOKED, ANNS))
    [again] = mailbox.deliver()

    assert invite_in(again).method == "CANCEL"
    words = words_of(again)
    assert "We are sorry: this surgery day is cancelled." in words
    assert "Your place is booked" not in words
    assert "check-in code" not in words


def test_a_late_retry_of_a_cancelled_place_says_so_over_its_cancelling_invite(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    token = ann_books(client, event)
    cancel_from_manage_page(client, f"/bookings/{token}")

    mail = mailbox.deliver()  # the booking and its cancellation, both sent now

    assert [invite_in(m).method for m in mail] == ["CANCEL", "CANCEL"]
    booked = words_of(mail[0])
    assert "Your place is cancelled. The invite takes it out of your calendar." in booked
    assert "Your place is booked" not in booked
    assert db_kinds() == [BOOKED, CANCELLED]


def db_kinds() -> list[str]:
    """The kinds of the outbox's messages, oldest first."""
    return [m.kind for m in messages()]


def test_a_surgeons_words_follow_the_day_cancelled_and_on_again(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    add_surgeon(client, event, "Sue")
    confirmed = messages()[-1].id
    cancel_day(client, event)
    mailbox.deliver()

    send_again(client, confirmed)
    [off] = mailbox.deliver()

    assert invite_in(off).method == "CANCEL"
    assert "We are sorry: this surgery day is cancelled." in words_of(off)
    assert "You are confirmed as a surgeon" not in words_of(off)

    publish_again(client, event)
    mailbox.deliver()
    cancelled = [m.id for m in messages() if m.subject.startswith("Cancelled:")][0]
    send_again(client, cancelled)
    [on] = mailbox.deliver()

    assert invite_in(on).method == "REQUEST"
    assert "Something about this session has changed." in words_of(on)
    assert "cancelled" not in words_of(on)


# one organiser for one entry, in the invite and in the feed


def test_the_feed_names_the_same_organiser_as_the_invite_for_the_same_uid(
    app, client, make_event, mailbox
):
    event = make_event(organiser_email=ORGANISER)  # the day's organiser, not the site
    token = manage_token(attend(client, event, "Ann"))
    [received] = mailbox.deliver()
    invite = invite_in(received)

    [entry] = entries(fetch(client, f"/bookings/{token}/calendar.ics")).values()

    assert entry.uid.value == invite.uid
    sender = app.config["MAIL_DEFAULT_SENDER"]
    assert entry.organizer.value.lower() == invite.event.organizer.value.lower()
    assert entry.organizer.value.lower() == f"mailto:{sender}"


# "Send again" goes through the request edge


def test_a_refused_resend_keeps_nothing_and_says_why(organiser_client, make_event, monkeypatch):
    event = make_event(organiser_email=ORGANISER)
    attend(organiser_client, event, "Ann")
    message = messages()[0]
    status = message.status

    def refused(row):
        """Queue it again, then find a rule says no."""
        row.status, row.attempts = "failed", 99
        raise DomainError("That message cannot be sent again now.")

    monkeypatch.setattr(outbox, "resend", refused)
    page = "/organise/outbox/"
    response = post_form(organiser_client, page, f"{page}{message.id}/resend")

    assert response.status_code == 303
    assert "That message cannot be sent again now." in organiser_client.get(page).text
    row = messages()[0]
    assert (row.status, row.attempts) == (status, 0)
