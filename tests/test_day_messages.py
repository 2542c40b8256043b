"""Emailing a day's people: each audience gets exactly the right people, each once, read
from the mail a real SMTP server received; the preview says how many and shows the words;
only its Send button sends, and pressing it twice sends once."""

import datetime as dt
import html
import re

import sqlalchemy as sa

from surgery.audit.models import AuditEntry
from surgery.bookings.models import Booking, Registration
from surgery.domain import audit
from surgery.events.models import SURGERY, WORKSHOP
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.organise.models import DayMessage
from surgery.retention.cli import purge_round
from tests.conftest import book, confirm_form, count, csrf_from, post_form
from tests.mail_fixtures import text_of, words_of
from tests.test_checkin_states import walk_in
from tests.test_surgeons import manage_path, press, surgeon_of, volunteer

DAY = [
    {"kind": SURGERY, "title": "Morning surgery", "capacity": 10},
    {"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 1, "hour_offset": 2},
    {"kind": SURGERY, "title": "Afternoon surgery", "capacity": 10, "hour_offset": 4},
]
HIDDEN = re.compile(r"<input [^>]*type=\"hidden\"[^>]*>")
PREVIEW_FORM = re.compile(r'<form method="post" action="([^"]*/message)">(.*?)</form>', re.S)
PRIVATE_LINK = re.compile(r"https?://[^/\s]+/(bookings|volunteer)/[\w-]{20,}")


def page_of(event) -> str:
    return f"/organise/events/{event.id}/message"


def preview(client, event, audiences, subject="Room change", body="We are in room 2 now."):
    """Fill in the form and press Preview."""
    data = {"audiences": audiences, "subject": subject, "body": body, "step": "preview"}
    return post_form(client, page_of(event), data=data)


def send_from(client, previewed, step="send"):
    """Press a button of the preview page, sending its hidden fields as a browser would."""
    assert previewed.status_code == 200, previewed.text
    action, form = PREVIEW_FORM.search(previewed.text).groups()
    action = html.unescape(action)
    fields: dict[str, list[str]] = {}
    for tag in HIDDEN.findall(form):
        name = re.search(r'name="([^"]+)"', tag).group(1)
        value = re.search(r'value="([^"]*)"', tag)
        fields.setdefault(name, []).append(html.unescape(value.group(1)) if value else "")
    return client.post(action, data={**fields, "step": step})


def spoken(response) -> str:
    """A page's words on one line each run of spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def sent(client, event, audiences, **words):
    """Preview, then press Send: the day's page it went back to."""
    done = send_from(client, preview(client, event, audiences, **words))
    assert done.status_code == 303, done.text
    return done


def the_day(client, make_event, **fields):
    """Sam booked in both surgeries, waiting for the full workshop and an approved surgeon
    too; Ann has the workshop's place; Ben waits for it; Cal cancelled; Sue is an approved
    surgeon, Pat is still to be approved, Dec was declined, Wes withdrew; Wyn walked in without an email."""
    event = make_event(sessions=DAY, **fields)
    morning, workshop, afternoon = event.sessions
    book(client, event, "Ann", sessions=[workshop.id])
    book(client, event, "Sam", sessions=[morning.id, workshop.id, afternoon.id])
    book(client, event, "Ben", sessions=[workshop.id])
    book(client, event, "Cal", sessions=[morning.id])
    cal = db.session.scalars(sa.select(Booking).join(Booking.registration).where(
        Registration.name == "Cal")).one()  # fmt: skip
    day_page = f"/organise/events/{event.id}"
    confirm_form(client, day_page, f"{day_page}/bookings/{cal.id}/cancel")
    for name in ("Sam", "Sue", "Pat", "Dec"):
        volunteer(client, event, name)
    press(client, event, surgeon_of("sam@example.org"), "approve")
    press(client, event, surgeon_of("sue@example.org"), "approve")
    press(client, event, surgeon_of("dec@example.org"), "decline")
    wes = manage_path(volunteer(client, event, "Wes"))
    press(client, event, surgeon_of("wes@example.org"), "approve")
    assert confirm_form(client, wes, f"{wes}/withdraw").status_code == 303
    walk_in(client, event, "Wyn")
    return event


EVERYONE = {"ann@example.org", "sam@example.org", "ben@example.org", "sue@example.org"}
EVERYONE |= {"pat@example.org"}


def day_messages(mailbox) -> dict:
    """The organiser's messages that arrived since last time, by address, one each."""
    received = mailbox.deliver()
    ours = [r for r in received if r.message["Subject"] == "Room change"]
    by_address = {r.to: r for r in ours}
    assert len(by_address) == len(ours), "someone got it twice"
    return by_address


def test_each_audience_alone_and_together_reaches_the_right_people_once(
    organiser_client, make_event, mailbox
):
    event = the_day(organiser_client, make_event)
    mailbox.deliver()  # the bookings' and surgeons' own emails

    cases = [
        (["booked"], {"ann@example.org", "sam@example.org"}),
        (["waiting"], {"sam@example.org", "ben@example.org"}),
        (["surgeons"], {"sam@example.org", "sue@example.org"}),
        (["offered"], {"pat@example.org"}),
        (["booked", "waiting", "surgeons", "offered"], EVERYONE),
    ]
    for audiences, expected in cases:
        sent(organiser_client, event, audiences)
        got = day_messages(mailbox)
        assert set(got) == expected, audiences
        for address in ("cal@example.org", "dec@example.org", "wes@example.org"):
            assert address not in got

    assert [m.sent_count for m in db.session.scalars(sa.select(DayMessage))] == [2, 2, 2, 1, 5]


def test_the_preview_shows_the_count_and_the_email_and_sends_nothing(
    organiser_client, make_event, mailbox
):
    event = the_day(organiser_client, make_event)
    queued = count(OutboxMessage)

    previewed = preview(organiser_client, event, ["booked", "waiting"], body="Bring <b>ID</b>.")

    said = spoken(previewed)
    assert "3 people will get it. 1 person has no email address and will not get it." in said
    assert "Send to 3 people" in said
    assert "Bring <b>ID</b>." in said  # the organiser's words as text, never as markup
    assert "<b>ID</b>" not in previewed.text
    assert "A message from the organisers of this surgery day" in said
    assert "(their own private link)" in said
    assert not PRIVATE_LINK.search(previewed.text)
    assert count(OutboxMessage) == queued and count(DayMessage) == 0


def test_the_email_carries_the_words_and_the_persons_own_links(
    organiser_client, make_event, mailbox
):
    event = the_day(organiser_client, make_event)
    mailbox.deliver()

    sent(organiser_client, event, ["booked", "surgeons"], body="Line one.\n\nBring <b>ID</b>.")
    got = day_messages(mailbox)

    sam, sue = got["sam@example.org"], got["sue@example.org"]
    assert "Line one.\r\n\r\nBring <b>ID</b>." in text_of(sam)
    assert "Bring &lt;b&gt;ID&lt;/b&gt;." in text_of(sam, "html")
    assert "Leeds surgery" in words_of(sam)
    sam_links = PRIVATE_LINK.findall(text_of(sam))
    assert sam_links == ["bookings", "volunteer"]  # booked and a surgeon: both pages
    assert PRIVATE_LINK.findall(text_of(sue)) == ["volunteer"]
    booking_path = re.search(r"https?://[^/\s]+(/bookings/[\w-]+)", text_of(sam)).group(1)
    assert "Sam" in organiser_client.get(booking_path).text
    rows = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "day_message"))
    for row in rows:
        assert not PRIVATE_LINK.search(str(row.payload))


def test_pressing_send_twice_sends_once(organiser_client, make_event, mailbox):
    event = the_day(organiser_client, make_event)
    mailbox.deliver()
    previewed = preview(organiser_client, event, ["booked"])

    first = send_from(organiser_client, previewed)
    second = send_from(organiser_client, previewed)

    assert first.status_code == second.status_code == 303
    page = organiser_client.get(second.headers["Location"])
    assert "This message was sent already, to 2 people. Nobody gets it twice." in spoken(page)
    assert set(day_messages(mailbox)) == {"ann@example.org", "sam@example.org"}
    assert count(DayMessage) == 1


def test_when_the_numbers_change_after_the_preview_nothing_goes_until_checked_again(
    organiser_client, make_event, mailbox
):
    event = the_day(organiser_client, make_event)
    mailbox.deliver()
    previewed = preview(organiser_client, event, ["booked"])
    book(organiser_client, event, "Dee", sessions=[event.sessions[0].id])
    mailbox.deliver()

    again = send_from(organiser_client, previewed)

    said = spoken(again)
    assert again.status_code == 200
    assert "the number of people changed from 2 to 3. Nothing was sent." in said
    assert "Send to 3 people" in said
    assert count(DayMessage) == 0
    assert send_from(organiser_client, again).status_code == 303
    assert set(day_messages(mailbox)) == {"ann@example.org", "sam@example.org", "dee@example.org"}


def test_the_days_page_lists_what_was_sent_and_the_audit_log_names_no_one(
    organiser_client, make_event, mailbox
):
    event = the_day(organiser_client, make_event)
    page = organiser_client.get(f"/organise/events/{event.id}")
    assert f'href="/organise/events/{event.id}/message"' in page.text
    assert "Email people coming to this day" in page.text

    done = sent(organiser_client, event, ["booked", "surgeons"], body="Ann, bring your laptop.")

    said = spoken(organiser_client.get(done.headers["Location"]))
    assert "Your message is on its way to 3 people." in said
    assert "Room change booked and surgeons, by Org 3" in said
    [entry] = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == audit.EMAILED_DAY)
    ).all()
    assert entry.event_id == event.id and entry.actor == "Org"
    assert "3 people emailed" in entry.detail
    assert "Ann" not in entry.detail and "laptop" not in entry.detail


def test_a_discreet_day_is_not_named_by_the_subject(organiser_client, make_event, mailbox):
    event = the_day(organiser_client, make_event, title="Mind and Mood surgery", discreet=True)
    mailbox.deliver()

    refused = preview(organiser_client, event, ["booked"], subject="Mind and Mood SURGERY: room")
    assert refused.status_code == 400
    assert "This day is discreet, so the subject must not name it" in spoken(refused)

    sent(organiser_client, event, ["booked"])
    got = day_messages(mailbox)
    assert set(got) == {"ann@example.org", "sam@example.org"}
    for received in got.values():
        assert "Mind and Mood" not in received.message["Subject"]
        assert "Mind and Mood" not in words_of(received)


def test_hostile_input_is_a_clear_error_not_a_crash(organiser_client, make_event):
    event = make_event()
    cases = [
        ({"subject": "Room\r\nBcc: everyone@example.org"}, "The subject must be one line"),
        ({"subject": "x" * 151}, "Keep the subject under 150 characters."),
        ({"body": "x" * 5001}, "Keep the message under 5000 characters."),
        ({"audiences": []}, "Choose who should get it."),
        ({"audiences": ["everyone"]}, "not a valid choice"),
        ({"body": "   "}, "Enter a message."),
    ]
    for change, error in cases:
        data = {"audiences": ["booked"], "subject": "Hello", "body": "Hi", **change}
        answer = post_form(organiser_client, page_of(event), data={**data, "step": "preview"})
        assert answer.status_code == 400, change
        assert error in spoken(answer), change
    nul = post_form(organiser_client, page_of(event), data={"subject": "a\x00b", "body": "x"})
    assert nul.status_code == 400
    assert organiser_client.get("/organise/events/999999/message").status_code == 404
    tampered = post_form(
        organiser_client, page_of(event),
        data={"audiences": ["booked"], "subject": "Hi", "body": "Hi", "step": "send",
              "shown": "99999999999", "create_key": "not-a-key"},
    )  # fmt: skip
    assert tampered.status_code == 200 and "Nobody will get it." in spoken(tampered)
    assert count(DayMessage) == 0


def test_control_characters_are_taken_out_of_the_message(organiser_client, make_event, mailbox):
    event = make_event()
    book(organiser_client, event, "Ann")
    mailbox.deliver()

    sent(organiser_client, event, ["booked"], body="Bring\x1b[31m ID\x07.\r\nThanks")

    [ann] = day_messages(mailbox).values()
    assert "Bring[31m ID.\r\nThanks" in text_of(ann)
    assert db.session.scalar(sa.select(DayMessage.body)) == "Bring[31m ID.\nThanks"


def test_a_day_whose_personal_data_was_removed_has_nobody_to_email(
    organiser_client, make_event, mailbox
):
    event = make_event()
    book(organiser_client, event, "Ann")
    purge_round(max(s.ends_at for s in event.sessions) + dt.timedelta(days=400))

    page = organiser_client.get(page_of(event))

    assert "personal data has been removed, so there is nobody to email" in spoken(page)
    assert 'name="step"' not in page.text


def test_the_pages_need_an_organiser_and_a_csrf_token(client, organiser_client, make_event):
    event = make_event()
    page = organiser_client.get(page_of(event))
    assert page.status_code == 200 and csrf_from(page.text)
    data = {"audiences": ["booked"], "subject": "Hi", "body": "Hi", "step": "preview"}
    assert organiser_client.post(page_of(event), data=data).status_code == 400
    organiser_client.post("/logout", data={"csrf_token": csrf_from(page.text)})
    data["csrf_token"] = csrf_from(client.get("/login").text)
    for answer in (client.get(page_of(event)), client.post(page_of(event), data=data)):
        assert answer.status_code in (302, 303)
        assert "/login" in answer.headers["Location"]


def test_removing_a_day_s_names_removes_the_words_of_its_messages(
    organiser_client, make_event, mailbox
):
    event = make_event()
    book(organiser_client, event, "Ann")
    sent(organiser_client, event, ["booked"], subject="Ann, your table", body="Ann sits by Bo.")
    purge_round(max(s.ends_at for s in event.sessions) + dt.timedelta(days=400))

    kept = db.session.scalars(sa.select(DayMessage).where(DayMessage.event_id == event.id)).one()
    assert (kept.subject, kept.body, kept.sent_count) == (
        "(removed with the day’s personal data)", "", 1,
    )  # fmt: skip
    shown = organiser_client.get(f"/organise/events/{event.id}").text
    assert "Ann, your table" not in shown and "removed with the day" in html.unescape(shown)
