"""The follow-up four weeks after the day: asked only of people who chose it and came,
once, on a controlled clock; answers counted on the day's numbers and shared without names.
"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Registration
from surgery.extensions import db
from surgery.reminders.cli import remind_round
from surgery.reminders.models import FollowUp, FollowUpAnswer
from surgery.retention.cli import purge_round
from tests.conftest import ORGANISER_PASSWORD, book, count, is_ticked, post_form
from tests.mail_fixtures import text_of
from tests.test_after_the_day import check_in, numbers_url, registration
from tests.test_arrival import started
from tests.test_checkin_states import walk_in

DAY = dt.timedelta(days=1)
SECOND = dt.timedelta(seconds=1)
LINK = re.compile(r"https?://[^/\s]+(/follow-up/\d+/[\w-]+)")


def ask_at(now: dt.datetime):
    """Run the round at a given moment (the test's reads ended first, as a worker's are)."""
    db.session.commit()
    return remind_round(now)


def ends_of(event) -> dt.datetime:
    return max(s.ends_at for s in event.sessions)


def follow_up_link(received) -> str:
    match = LINK.search(text_of(received))
    assert match, text_of(received)
    return match.group(1)


@pytest.fixture
def came(client, organiser_client, make_event, mailbox):
    """Ana chose the follow-up and came; Ben came without choosing it; Cal chose it and
    did not come. Their booking emails are sent."""
    event = make_event()
    book(client, event, "Ana", follow_up="y")
    book(client, event, "Ben")
    book(client, event, "Cal", follow_up="y")
    check_in(organiser_client, event, "Ana")
    check_in(organiser_client, event, "Ben")
    mailbox.deliver()
    return event


def test_booking_offers_the_follow_up_unticked(client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.id}/book").text

    assert "Yes, ask me once, four weeks after the day" in page
    assert 'name="follow_up"' in page and not is_ticked(page, "follow_up", "y")


def test_asked_once_four_weeks_after_the_day_of_those_who_chose_it_and_came(came, mailbox):
    due = ends_of(came) + 28 * DAY

    assert ask_at(due - SECOND).follow_ups == 0
    assert ask_at(due).follow_ups == 1
    assert ask_at(due).follow_ups == 0
    assert ask_at(due + 10 * DAY).follow_ups == 0

    (received,) = mailbox.deliver()
    assert received.to == "ana@example.org"
    assert received.message["Subject"] == "Have you used what you learned? Leeds surgery"
    assert follow_up_link(received)
    assert count(FollowUp) == 1


def test_answers_are_counted_and_shared_without_names(client, organiser_client, came, mailbox):
    ask_at(ends_of(came) + 28 * DAY)
    link = follow_up_link(mailbox.deliver()[0])
    form = client.get(link)
    assert form.status_code == 200 and "Have you used what you learned?" in form.text

    answer = {"used": "a_little", "words": "I scheduled posts for our choir", "share": "y"}
    done = post_form(client, link, data=answer)

    assert "Thank you" in done.text
    again = client.post(link, data={**answer, "used": "yes"})  # the form is gone once answered
    assert "Have you used" not in again.text.split("<h1>")[1]
    (kept,) = db.session.scalars(sa.select(FollowUpAnswer)).all()
    assert (kept.used, kept.share) == ("a_little", True)
    page = organiser_client.get(numbers_url(came)).text
    assert "1 person asked (they chose to be), 1 answered." in page
    assert re.search(r'<th scope="row">A little</th><td class="num">1</td>', page)
    assert re.search(r'<th scope="row">Yes</th><td class="num">0</td>', page)
    assert "I scheduled posts for our choir" in page
    assert "Ana" not in page.split("Four weeks on")[1]


def test_an_answer_not_to_share_is_counted_but_not_listed(client, organiser_client, came, mailbox):
    ask_at(ends_of(came) + 28 * DAY)
    link = follow_up_link(mailbox.deliver()[0])

    post_form(client, link, data={"used": "yes", "words": "Private words"})

    page = organiser_client.get(numbers_url(came)).text
    assert re.search(r'<th scope="row">Yes</th><td class="num">1</td>', page)
    assert "Private words" not in page


def test_an_answer_needs_a_choice(client, came, mailbox):
    ask_at(ends_of(came) + 28 * DAY)
    link = follow_up_link(mailbox.deliver()[0])

    refused = post_form(client, link, data={"words": "Hello"})

    assert refused.status_code == 400 and "Choose yes, a little or not yet." in refused.text
    assert count(FollowUpAnswer) == 0


def test_a_wrong_or_tampered_link_opens_nothing(client, came, mailbox):
    ask_at(ends_of(came) + 28 * DAY)
    link = follow_up_link(mailbox.deliver()[0])
    follow_up_id, token = link.split("/")[2:4]

    tampered = token[:-1] + ("B" if token.endswith("A") else "A")  # never the token itself
    assert client.get(f"/follow-up/{follow_up_id}/{tampered}").status_code == 404
    assert client.get(f"/follow-up/{int(follow_up_id) + 1}/{token}").status_code == 404
    assert client.get(f"/reminders/{follow_up_id}/still-coming/{token}").status_code == 404


def test_the_counts_stay_after_the_days_personal_data_is_removed(
    client, organiser_client, came, mailbox
):
    ask_at(ends_of(came) + 28 * DAY)
    post_form(client, follow_up_link(mailbox.deliver()[0]), data={"used": "yes", "share": "y",
              "words": "Our newsletter"})  # fmt: skip
    db.session.commit()

    assert purge_round(ends_of(came) + 400 * DAY)
    db.session.expire_all()
    assert db.session.scalars(sa.select(Registration.name)).all() == ["removed"] * 3

    page = organiser_client.get(numbers_url(came)).text
    assert re.search(r'<th scope="row">Yes</th><td class="num">1</td>', page)
    assert "Our newsletter" in page


def test_a_walk_in_can_choose_the_follow_up_at_the_door(organiser_client, make_event):
    event = make_event(days_ahead=0)
    kiosk = f"/organise/events/{event.id}/kiosk"
    assert post_form(organiser_client, f"/organise/events/{event.id}", kiosk).status_code == 303
    page = organiser_client.get("/kiosk").text
    assert "Email me one question four weeks after the day" in page

    walked_in = post_form(organiser_client, "/kiosk", data={
        "name": "Kit", "help_text": "Facebook groups", "email": "kit@example.org",
        "follow_up": "y"})  # fmt: skip

    assert walked_in.status_code == 303
    assert registration("Kit").wants_follow_up
    leave = {"email": "org@example.org", "password": ORGANISER_PASSWORD}
    assert post_form(organiser_client, "/kiosk/exit", data=leave).status_code == 303


def test_the_door_can_choose_the_follow_up_for_someone_here(
    client, organiser_client, make_event, mailbox
):
    event = make_event()
    book(client, event, "Ben")
    started(event, minutes_ago=0)  # booked beforehand; the day is on now
    check_in(organiser_client, event, "Ben")
    url = f"/organise/events/{event.id}/checkin"
    ben = registration("Ben")
    page = organiser_client.get(url).text
    assert f"{url}/{ben.id}/follow-up" in page and "Ask them in four weeks" in page

    page = post_form(
        organiser_client, url, f"{url}/{ben.id}/follow-up", data={"on": "1"},
        follow_redirects=True,
    ).text  # fmt: skip

    assert registration("Ben").wants_follow_up
    assert "Ben will be asked four weeks after the day." in page
    assert "Follow-up in four weeks" in page and "No follow-up" in page
    mailbox.deliver()
    assert ask_at(ends_of(event) + 28 * DAY).follow_ups == 1
    (received,) = mailbox.deliver()
    assert received.to == "ben@example.org"


def test_the_door_can_take_the_follow_up_back(client, organiser_client, make_event):
    event = make_event()
    book(client, event, "Ana", follow_up="y")
    started(event, minutes_ago=0)
    url = f"/organise/events/{event.id}/checkin"
    ana = registration("Ana")

    page = post_form(
        organiser_client, url, f"{url}/{ana.id}/follow-up", data={"on": "0"},
        follow_redirects=True,
    ).text  # fmt: skip

    assert not registration("Ana").wants_follow_up
    assert "Ana will not be asked four weeks after the day." in page


def test_nobody_without_an_email_address_is_offered_the_follow_up(organiser_client, make_event):
    event = make_event(days_ahead=0)
    walk_in(organiser_client, event, "Gus")
    gus = registration("Gus")
    url = f"/organise/events/{event.id}/checkin"
    assert f"{url}/{gus.id}/follow-up" not in organiser_client.get(url).text

    page = post_form(
        organiser_client, url, f"{url}/{gus.id}/follow-up", data={"on": "1"},
        follow_redirects=True,
    ).text  # fmt: skip

    assert not registration("Gus").wants_follow_up
    assert "Gus has no email address to ask them at." in page


def test_the_follow_up_at_the_door_needs_the_form_key(organiser_client, make_event, client):
    event = make_event()
    book(client, event, "Ben")
    ben = registration("Ben")

    refused = organiser_client.post(
        f"/organise/events/{event.id}/checkin/{ben.id}/follow-up", data={"on": "1"}
    )

    assert refused.status_code == 400
    assert not registration("Ben").wants_follow_up
