"""A day whose organisers chose neutral wording: subjects, emails and calendars say only when.

Mail is read as a real SMTP server received it, calendars as vobject parses them and as their
content lines are (tests/ical_lines.py).
"""

from zoneinfo import ZoneInfo

import sqlalchemy as sa

from surgery.bookings.models import Booking
from surgery.events.models import SURGERY, Event
from surgery.extensions import db
from tests.conftest import book, confirm_form, is_ticked, manage_token, post_form
from tests.ical_lines import content_lines
from tests.mail_fixtures import invite_in, manage_path_in, text_of
from tests.test_feeds import entries, fetch
from tests.test_organisers_together import event_fields
from tests.test_surgeons import press, surgeon_of, volunteer

REVEALING = "Leeds mental health surgery"
FORM = {
    "title": REVEALING,
    "venue_name": "Leeds Central Library",
    "city": "Leeds",
    "timezone": "Europe/London",
}


def neutral_for(event) -> str:
    """'Drop-in session, Saturday 10am' for the day's first session, in London time."""
    local = event.sessions[0].starts_at.astimezone(ZoneInfo("Europe/London"))
    hour = local.hour % 12 or 12
    return f"Drop-in session, {local:%A} {hour}{'am' if local.hour < 12 else 'pm'}"


def assert_reveals_nothing(text: str) -> None:
    """No title, kind of session, 'surgery' or 'mental health' in the words."""
    for word in ("surgery", "mental health", "leeds", "space"):
        assert word not in text.lower(), text


def saved_event() -> Event:
    """The one event, fresh from the database."""
    db.session.expire_all()
    return db.session.scalars(sa.select(Event)).one()


def test_the_organiser_chooses_neutral_wording_on_the_event_form(organiser_client):
    created = post_form(organiser_client, "/organise/events/new", data={**FORM, "discreet": "y"})
    assert created.status_code == 303
    event = saved_event()
    assert event.discreet is True
    edit = f"/organise/events/{event.id}/edit"
    assert is_ticked(organiser_client.get(edit).text, "discreet", "y")

    assert post_form(organiser_client, edit, data=FORM).status_code == 303  # unticked
    assert saved_event().discreet is False
    assert not is_ticked(organiser_client.get(edit).text, "discreet", "y")


def test_a_discreet_day_says_only_when_in_subjects_invites_and_feeds(client, make_event, mailbox):
    event = make_event(title=REVEALING, discreet=True)
    neutral = neutral_for(event)
    token = manage_token(book(client, event, "Sam"))

    [received] = mailbox.deliver()
    assert received.message["Subject"] == neutral
    invite = invite_in(received)
    assert invite.event.summary.value == neutral
    assert_reveals_nothing(received.message["Subject"] + invite.event.summary.value)

    for url in (f"/bookings/{token}/calendar.ics", f"/events/{event.id}/calendar.ics"):
        calendar = fetch(client, url)
        [vevent] = entries(calendar).values()
        assert vevent.summary.value == neutral, url
        assert_reveals_nothing(calendar.x_wr_calname.value)
    [vevent] = entries(fetch(client, "/calendar.ics")).values()
    assert vevent.summary.value == neutral


def test_a_discreet_days_cancellation_says_only_when_too(client, make_event, mailbox):
    event = make_event(title=REVEALING, discreet=True)
    token = manage_token(book(client, event, "Sam"))
    mailbox.deliver()
    booking = db.session.scalars(sa.select(Booking)).one()
    confirm_form(client, f"/bookings/{token}", f"/bookings/{token}/cancel/{booking.id}")

    [received] = mailbox.deliver()
    assert received.message["Subject"] == neutral_for(event)
    invite = invite_in(received)
    assert invite.method == "CANCEL"
    assert invite.event.summary.value == neutral_for(event)


def test_an_ordinary_day_keeps_its_titles(client, make_event, mailbox):
    event = make_event(title=REVEALING)
    token = manage_token(book(client, event, "Sam"))

    [received] = mailbox.deliver()
    assert received.message["Subject"].startswith("Booked: Surgery space on ")
    assert invite_in(received).event.summary.value == f"Surgery space – {REVEALING}"
    calendar = fetch(client, f"/bookings/{token}/calendar.ics")
    [vevent] = entries(calendar).values()
    assert vevent.summary.value == f"Surgery space – {REVEALING}"
    [vevent] = entries(fetch(client, f"/events/{event.id}/calendar.ics")).values()
    assert vevent.summary.value == f"Surgery space – {REVEALING}"


PEER = "Mental health peer surgery"
ANXIETY = [{"kind": SURGERY, "title": "Anxiety and your phone", "capacity": 10}]
PLACE = {
    "venue_name": "Leeds Central Library",
    "venue_address": "Calverley Street",
    "access_info": "Step-free entrance on Calverley Street",
}


def peer_day(make_event, discreet: bool):
    """A day whose title and session both say what it is about."""
    return make_event(title=PEER, sessions=ANXIETY, discreet=discreet, **PLACE)


def heading_for(event) -> str:
    """'Your drop-in session on Saturday 5 December, 10am', in London time."""
    local = event.sessions[0].starts_at.astimezone(ZoneInfo("Europe/London"))
    hour = local.hour % 12 or 12
    clock = f"{hour}{'am' if local.hour < 12 else 'pm'}"
    return f"Your drop-in session on {local:%A} {local.day} {local:%B}, {clock}"


def bodies(received) -> dict[str, str]:
    """The text and HTML bodies as they arrived."""
    return {"text": text_of(received), "html": text_of(received, "html")}


def calendar_words(received) -> dict[str, str]:
    """SUMMARY, DESCRIPTION and LOCATION of the invite, read by vobject and, unparsed, as
    its content lines."""
    invite = invite_in(received)
    lines = {line.name: line.value for line in content_lines(invite.raw)}
    parsed = {name: invite.event.contents[name.lower()][0].value for name in ("SUMMARY",
              "DESCRIPTION", "LOCATION")}  # fmt: skip
    return {**{f"raw {k}": lines.get(k, "") for k in parsed}, **parsed}


def assert_names_nothing(words: dict[str, str]) -> None:
    """Neither the day's title, its session's, nor 'mental health' anywhere in them."""
    for where, text in words.items():
        for name in (PEER, "Anxiety and your phone", "mental health", "anxiety"):
            assert name.lower() not in text.lower(), (where, text)


def test_a_discreet_days_email_and_invite_say_when_and_where_but_not_what(
    client, make_event, mailbox
):
    event = peer_day(make_event, discreet=True)
    token = manage_token(book(client, event, "Sam"))

    [received] = mailbox.deliver()
    assert_names_nothing({**bodies(received), **calendar_words(received)})
    for where, body in bodies(received).items():
        assert heading_for(event) in body, where
        assert "Leeds Central Library, Calverley Street" in body, where  # to get there
        assert "Step-free entrance on Calverley Street" in body, where
    assert manage_path_in(received) == f"/bookings/{token}"  # the private link stays
    calendar = calendar_words(received)
    assert calendar["SUMMARY"] == neutral_for(event)
    assert calendar["LOCATION"] == "Leeds Central Library, Calverley Street"
    assert calendar["DESCRIPTION"] == (
        "Drop-in session\n\nAccess: Step-free entrance on Calverley Street"
    )


def test_an_ordinary_days_email_and_invite_still_name_the_day_and_session(
    client, make_event, mailbox
):
    event = peer_day(make_event, discreet=False)
    book(client, event, "Sam")

    [received] = mailbox.deliver()
    for where, text in {**bodies(received), **calendar_words(received)}.items():
        if "LOCATION" not in where:
            assert PEER in text, where
            assert "Anxiety and your phone" in text, where
    assert heading_for(event) not in text_of(received)


def test_a_discreet_days_cancellation_email_names_nothing_either(client, make_event, mailbox):
    event = peer_day(make_event, discreet=True)
    token = manage_token(book(client, event, "Sam"))
    mailbox.deliver()
    booking = db.session.scalars(sa.select(Booking)).one()
    confirm_form(client, f"/bookings/{token}", f"/bookings/{token}/cancel/{booking.id}")

    [received] = mailbox.deliver()
    assert invite_in(received).method == "CANCEL"
    assert_names_nothing({**bodies(received), **calendar_words(received)})
    assert heading_for(event) in text_of(received)


def test_a_discreet_days_link_sent_again_names_nothing(client, make_event, mailbox):
    event = peer_day(make_event, discreet=True)
    book(client, event, "Sam")
    mailbox.deliver()

    assert book(client, event, "Sam").status_code == 200  # this address has a booking
    [received] = mailbox.deliver()
    assert_names_nothing({"subject": received.message["Subject"], **bodies(received)})
    assert heading_for(event) in text_of(received)


def test_a_surgeon_on_a_discreet_day_is_told_when_but_not_what(
    organiser_client, make_event, mailbox
):
    event = peer_day(make_event, discreet=True)
    volunteer(organiser_client, event, "Sue")
    [thanks] = mailbox.deliver()
    assert_names_nothing({"subject": thanks.message["Subject"], **bodies(thanks)})

    press(organiser_client, event, surgeon_of("sue@example.org"), "approve")
    [invited] = mailbox.deliver()
    assert_names_nothing({**bodies(invited), **calendar_words(invited)})
    assert heading_for(event) in text_of(invited)


def test_renaming_a_discreet_day_tells_people_what_changed_without_its_names(
    organiser_client, make_event, mailbox
):
    event = peer_day(make_event, discreet=True)
    book(organiser_client, event, "Sam")
    mailbox.deliver()
    renamed = event_fields(
        event, title="Mental health and wellbeing surgery", venue_name="Town Hall", discreet="y"
    )
    url = f"/organise/events/{event.id}/edit"

    assert post_form(organiser_client, url, data=renamed).status_code == 303

    [update] = mailbox.deliver()
    assert "Venue: Leeds Central Library → Town Hall" in text_of(update)
    assert_names_nothing({**bodies(update), **calendar_words(update)})
    assert "wellbeing" not in text_of(update).lower()
