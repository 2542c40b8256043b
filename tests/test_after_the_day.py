"""After the day: the day in numbers, and the 'what did you learn?' feedback by email.

People book, walk in and are helped through the real pages; arrival and leaving times are
set where the numbers depend on them; the email is read as a real SMTP server received it.
"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Registration
from surgery.database import utcnow
from surgery.day.models import Feedback, HelpRecord
from surgery.domain.tokens import manage_token
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.vocabulary.models import RoleTag
from tests.conftest import ORGANISER_PASSWORD, book, confirm_form, count, csrf_from, post_form
from tests.mail_fixtures import text_of
from tests.test_matching_page import (
    add_surgeon,
    attend,
    booking_of,
    flashes,
    ids,
    plain,
    surgeon_of,
)

CARER = "Carer or family member"
JOURNALIST = "Community journalist"
FEEDBACK_LINK = re.compile(r"https?://[^/\s]+(/feedback/[\w-]+)")


def registration(name: str) -> Registration:
    db.session.expire_all()
    return db.session.scalars(sa.select(Registration).where(Registration.name == name)).one()


def numbers_url(event) -> str:
    return f"/organise/events/{event.id}/numbers"


def big_counts(page: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page))


def table(page: str, table_id: str) -> list[tuple[str, int]]:
    """A chart's table: (label, number of people), in order."""
    start = page.index(f'id="{table_id}"')
    part = page[start : page.index("</table>", start)]
    rows = re.findall(r'<th scope="row">(.*?)</th><td class="num">(\d+)</td>', part)
    return [(label, int(n)) for label, n in rows]


def check_in(client, event, name: str):
    rid = registration(name).id
    url = f"/organise/events/{event.id}/checkin/{rid}/arrive"
    assert post_form(client, f"/organise/events/{event.id}/checkin", url).status_code == 303


@pytest.fixture
def day(organiser_client, client, make_event):
    """Ana (carer, Instagram) and Ben (journalist and carer, Facebook) came; Cal did not;
    Kit walked in (Facebook). Sue helped Ben; Sue was here two hours, Tom is still here
    after half an hour."""
    event = make_event()
    attend(client, event, "Ana", topics=("Instagram",), role_tags=ids(RoleTag, CARER), consent="y")
    both = ids(RoleTag, JOURNALIST, CARER)
    attend(client, event, "Ben", topics=("Facebook",), role_tags=both, consent="y")
    attend(client, event, "Cal", topics=("Facebook",))
    check_in(organiser_client, event, "Ana")
    check_in(organiser_client, event, "Ben")
    kiosk = f"/organise/events/{event.id}/kiosk"
    assert post_form(organiser_client, f"/organise/events/{event.id}", kiosk).status_code == 303
    walked_in = post_form(
        organiser_client, "/kiosk", data={"name": "Kit", "help_text": "Facebook groups"}
    )
    assert walked_in.status_code == 303
    leave = {"email": "org@example.org", "password": ORGANISER_PASSWORD}
    assert post_form(organiser_client, "/kiosk/exit", data=leave).status_code == 303

    add_surgeon(organiser_client, event, "Sue", topics=("Facebook",))
    add_surgeon(organiser_client, event, "Tom", topics=("Instagram",))
    floor = f"/organise/sessions/{event.sessions[0].id}/floor"
    post_form(organiser_client, floor, f"{floor}/surgeons/{surgeon_of('Sue').id}/here")
    pair = f"{booking_of('Ben').id}:{surgeon_of('Sue').id}"
    assert (
        post_form(organiser_client, floor, f"{floor}/start", data={"pair": pair}).status_code == 303
    )
    now = utcnow()
    sue, tom = surgeon_of("Sue"), surgeon_of("Tom")
    sue.arrived_at, sue.left_at = now - dt.timedelta(hours=3), now - dt.timedelta(hours=1)
    tom.arrived_at = now - dt.timedelta(minutes=30)
    db.session.commit()
    return event


def test_the_day_in_numbers(organiser_client, day):
    page = organiser_client.get(numbers_url(day)).text

    assert big_counts(page) == {
        "People helped": "0",  # Sue and Ben have started, not finished
        "Came": "3",
        "Walk-ins": "1",
        "Came for a quick question at the help desk": "0",  # all came for a surgeon
        "Came for the workshop or open space": "0",
        "Booked, not here yet": "1",  # the day is not over: Cal may still come
        "Surgeon hours": "2.5",
        "Hours of one-to-one help": "0.0",
    }
    assert table(page, "mix") == [(CARER, 2), (JOURNALIST, 1)]
    assert table(page, "topics") == [("Facebook", 1), ("Instagram", 1)]
    assert "<caption>Who came (role tags they chose to share)</caption>" in page
    assert 'class="bar bar-50"' in page


def floor_url(event) -> str:
    return f"/organise/sessions/{event.sessions[0].id}/floor"


def end_pairing(client, event, name: str, back: bool = False):
    """Press End on the floor for the person's pairing in progress (back: needs more help)."""
    record = db.session.scalars(
        sa.select(HelpRecord).where(
            HelpRecord.booking_id == booking_of(name).id, HelpRecord.ended_at.is_(None)
        )
    ).one()
    url = f"{floor_url(event)}/{record.id}/end"
    ended = post_form(client, floor_url(event), url, data={"back": "1"} if back else {})
    assert ended.status_code == 303


def start_pairing(client, event, name: str, surgeon: str):
    """Press Start on the floor for a person and a surgeon who is here."""
    url = f"{floor_url(event)}/surgeons/{surgeon_of(surgeon).id}/here"
    post_form(client, floor_url(event), url)
    pair = {"pair": f"{booking_of(name).id}:{surgeon_of(surgeon).id}"}
    started = post_form(client, floor_url(event), f"{floor_url(event)}/start", data=pair)
    assert started.status_code == 303


def test_people_helped_are_those_whose_one_to_one_finished(organiser_client, day):
    end_pairing(organiser_client, day, "Ben")  # Sue and Ben are done
    start_pairing(organiser_client, day, "Ana", "Tom")
    end_pairing(organiser_client, day, "Ana", back=True)  # cut short: Ana waits again
    start_pairing(organiser_client, day, "Kit", "Sue")  # started, still going

    page = organiser_client.get(numbers_url(day)).text

    assert big_counts(page)["People helped"] == "1"
    assert count(HelpRecord) == 3


def test_a_waiting_list_person_who_did_not_come_is_not_a_no_show(
    organiser_client, client, make_event
):
    event = make_event(sessions=[{"kind": "workshop", "title": "Blogging", "capacity": 1}])
    for name in ("Ana", "Ben", "Cal"):
        book(client, event, name)  # Ana has the place; Ben and Cal wait
    check_in(organiser_client, event, "Cal")  # Cal came anyway, hoping for a place
    now = utcnow()
    event.sessions[0].starts_at = now - dt.timedelta(hours=3)
    event.sessions[0].ends_at = now - dt.timedelta(hours=1)
    db.session.commit()

    counts = big_counts(organiser_client.get(numbers_url(event)).text)

    assert counts["Booked but did not come"] == "1"  # Ana; Ben had no place to miss
    assert counts["Came"] == "1"


def test_the_numbers_are_for_organisers(client, make_event):
    event = make_event()

    assert client.get(numbers_url(event)).headers["Location"].startswith("/login")


def test_people_who_came_are_asked_what_they_learned(organiser_client, day, mailbox):
    mailbox.deliver()  # the booking confirmations
    confirm_form(organiser_client, numbers_url(day), f"/organise/events/{day.id}/feedback-requests")

    asked = db.session.scalars(
        sa.select(OutboxMessage.to_address).where(OutboxMessage.kind == "feedback_request")
    ).all()
    assert sorted(asked) == ["ana@example.org", "ben@example.org"]  # Kit gave no email
    mail = mailbox.deliver_to()
    assert set(mail) == {"ana@example.org", "ben@example.org"}
    assert mail["ana@example.org"].message["Subject"] == f"What did you learn at {day.title}?"
    link = FEEDBACK_LINK.search(text_of(mail["ana@example.org"]))
    assert link

    page = organiser_client.get(link.group(1))
    assert page.status_code == 200
    assert "What did you learn?" in page.text
    sent = post_form(
        organiser_client,
        link.group(1),
        data={"learned": "How to make my page private", "share_publicly": "y"},
    )
    assert sent.status_code == 200
    assert "Thank you" in sent.text
    feedback = db.session.scalars(sa.select(Feedback)).one()
    assert (feedback.registration.name, feedback.learned) == ("Ana", "How to make my page private")
    assert feedback.share_publicly

    # pressing again asks nobody twice: the page says so, and offers only a way back
    ask = f"/organise/events/{day.id}/feedback-requests"
    again = post_form(organiser_client, numbers_url(day), ask)
    assert again.status_code == 200
    assert "everyone who came and gave an email address has been asked already" in again.text
    assert 'name="confirmed"' not in again.text
    sure = {"csrf_token": csrf_from(again.text), "confirmed": "yes"}  # pressed on an old page
    again = organiser_client.post(ask, data=sure)
    assert flashes(organiser_client.get(again.headers["Location"]).text) == [
        "Nobody new to ask: everyone who came and gave an email has been asked."
    ]
    assert mailbox.deliver_to() == {}

    # Cal is marked as come afterwards, from the paper sheet: only Cal is asked now
    check_in(organiser_client, day, "Cal")
    page = organiser_client.get(
        confirm_form(organiser_client, numbers_url(day), ask).headers["Location"]
    )
    assert flashes(page.text) == ["Asked 1 person what they learned."]
    assert "3 people have been sent the link." in page.text
    assert set(mailbox.deliver_to()) == {"cal@example.org"}
    asked = db.session.scalars(
        sa.select(OutboxMessage.to_address).where(OutboxMessage.kind == "feedback_request")
    ).all()
    assert sorted(asked) == ["ana@example.org", "ben@example.org", "cal@example.org"]


def test_once_the_day_is_over_those_who_did_not_come_are_no_shows(organiser_client, day):
    now = utcnow()
    for session in day.sessions:  # the day ended an hour ago
        session.starts_at, session.ends_at = (
            now - dt.timedelta(hours=4),
            now - dt.timedelta(hours=1),
        )
    db.session.commit()

    counts = big_counts(organiser_client.get(numbers_url(day)).text)

    assert counts["Booked but did not come"] == "1"
    assert "Booked, not here yet" not in counts


def feedback_link(app, name: str) -> str:
    """The feedback link of a person, as the email would carry it."""
    return f"/feedback/{manage_token(app.secret_key, registration(name).token_seed)}"


def test_shared_answers_appear_without_names_and_unshared_do_not(app, organiser_client, day):
    post_form(organiser_client, feedback_link(app, "Ana"), data={"learned": "Privacy settings"})
    post_form(
        organiser_client,
        feedback_link(app, "Ben"),
        data={"learned": "Scheduling posts", "share_publicly": "y"},
    )

    page = organiser_client.get(numbers_url(day)).text
    learned = page[page.index("What people learned") :]

    assert "<blockquote>Scheduling posts</blockquote>" in learned
    assert "Privacy settings" not in page
    assert "Ben" not in plain(learned)


def test_an_empty_answer_is_refused(app, organiser_client, day):
    sent = post_form(organiser_client, feedback_link(app, "Ana"), data={"learned": "  "})

    assert sent.status_code == 400
    assert "Write a few words, or close this page." in sent.text
    assert count(Feedback) == 0


def test_someone_who_did_not_come_cannot_give_feedback(app, client, day):
    assert client.get(feedback_link(app, "Cal")).status_code == 404
    assert client.get("/feedback/not-a-real-token").status_code == 404
