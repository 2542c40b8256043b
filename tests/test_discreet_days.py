"""A day whose organisers chose neutral wording: subjects and calendar titles say only when.

Mail is read as a real SMTP server received it, calendars as vobject parses them.
"""

from zoneinfo import ZoneInfo

import sqlalchemy as sa

from surgery.bookings.models import Booking
from surgery.events.models import Event
from surgery.extensions import db
from tests.conftest import book, confirm_form, is_ticked, manage_token, post_form
from tests.mail_fixtures import invite_in
from tests.test_feeds import entries, fetch

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
