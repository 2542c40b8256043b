"""The live surgery floor: who waits, surgeons here and free or busy, who should go next,
pairings started and ended with one tap, and two organisers' screens in step.

People book and surgeons are added through the real forms; arrival times are set on the
registrations so the waiting order is known.
"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Registration
from surgery.database import utcnow
from surgery.day.models import HelpRecord
from surgery.extensions import db
from tests.conftest import ORGANISER_PASSWORD, SHARED, confirm_form, count, post_form
from tests.test_matching_page import add_surgeon, attend, booking_of, plain, surgeon_of


def floor_url(event) -> str:
    return f"/organise/sessions/{event.sessions[0].id}/floor"


def arrived(name: str, minutes_ago: int) -> None:
    """Someone checked in some minutes ago."""
    person = db.session.scalars(sa.select(Registration).where(Registration.name == name)).one()
    person.checked_in_at = utcnow() - dt.timedelta(minutes=minutes_ago)
    db.session.commit()


def waiting(page: str) -> list[tuple[str, str, str]]:
    """The waiting table, in order: (name, minutes waiting, wants help with)."""
    part = page[page.index('id="waiting-title"') : page.index('id="surgeons-title"')]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', part, re.S)
    return [
        (plain(name), *[plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)])
        for name, cells in rows
    ]


def surgeon_card(page: str, name: str) -> str:
    """The text of a present surgeon's card."""
    match = re.search(rf'<li class="surgeon-card[^"]*">\s*<h3>{name}</h3>(.*?)</li>', page, re.S)
    assert match, f"{name} is not shown as here"
    return plain(match.group(1))


def press(client, event, action: str, **fields):
    """Press a button on the floor page ("Gone" asks first, and is confirmed)."""
    url = f"{floor_url(event)}/{action}"
    send = confirm_form if action.endswith("/gone") else post_form
    return send(client, floor_url(event), url, data=fields, follow_redirects=True)


def start_pair(client, event, person: str, surgeon: str):
    return press(client, event, "start", pair=f"{booking_of(person).id}:{surgeon_of(surgeon).id}")


@pytest.fixture
def floor(organiser_client, client, make_event):
    """Ana (Instagram), Ben and Cal (Facebook) here for 30, 20 and 10 minutes; Dee booked
    but not here; surgeons Sue (Facebook) and Tom (Instagram), not yet marked here."""
    event = make_event()
    attend(client, event, "Ana", topics=("Instagram",))
    # Ben agreed his surgeon may see what he wrote
    attend(client, event, "Ben", topics=("Facebook",), help_text="Set up a page", **SHARED)
    attend(client, event, "Cal", topics=("Facebook",))
    attend(client, event, "Dee", topics=("Facebook",))
    for name, minutes in (("Ana", 30), ("Ben", 20), ("Cal", 10)):
        arrived(name, minutes)
    add_surgeon(organiser_client, event, "Sue", topics=("Facebook",))
    add_surgeon(organiser_client, event, "Tom", topics=("Instagram",))
    return event


def here(client, event, surgeon: str):
    return press(client, event, f"surgeons/{surgeon_of(surgeon).id}/here")


def test_the_waiting_list_is_longest_first_with_what_people_want(organiser_client, floor):
    page = organiser_client.get(floor_url(floor)).text

    assert waiting(page) == [
        ("Ana", "30 min", "Instagram"),
        ("Ben", "20 min", "Facebook: “Set up a page”"),
        ("Cal", "10 min", "Facebook"),
    ]
    assert "Waiting (3)" in page
    assert "No surgeons marked as here yet." in page


def test_surgeons_are_marked_here_and_gone(organiser_client, floor):
    page = here(organiser_client, floor, "Sue").text

    assert surgeon_of("Sue").arrived_at is not None
    assert "Surgeons here (1)" in page
    assert surgeon_card(page, "Sue").startswith("Helps with Facebook Free")

    page = press(organiser_client, floor, f"surgeons/{surgeon_of('Sue').id}/gone").text

    assert surgeon_of("Sue").left_at is not None
    assert "Surgeons here (0)" in page
    assert "Sue (gone)" in plain(page)


def test_a_free_surgeon_is_offered_the_longest_waiting_person_they_can_help(
    organiser_client, floor
):
    here(organiser_client, floor, "Sue")
    page = here(organiser_client, floor, "Tom").text

    assert "Next: Ben (Facebook: “Set up a page”), waiting 20 min" in surgeon_card(page, "Sue")
    assert "Next: Ana (Instagram), waiting 30 min" in surgeon_card(page, "Tom")
    assert f'value="{booking_of("Ben").id}:{surgeon_of("Sue").id}"' in page


def test_starting_and_ending_a_pairing_is_recorded(organiser_client, floor):
    here(organiser_client, floor, "Sue")

    page = start_pair(organiser_client, floor, "Ben", "Sue").text

    record = db.session.scalars(sa.select(HelpRecord)).one()
    assert (record.booking.registration.name, record.surgeon.name) == ("Ben", "Sue")
    assert record.topics == ["Facebook"]
    assert record.ended_at is None
    assert [row[0] for row in waiting(page)] == ["Ana", "Cal"]
    assert "With Ben for 0 min" in surgeon_card(page, "Sue")

    record.started_at = utcnow() - dt.timedelta(minutes=25)
    db.session.commit()
    page = press(organiser_client, floor, f"{record.id}/end").text

    db.session.expire_all()
    assert 25 <= (record.ended_at - record.started_at).total_seconds() / 60 < 26
    assert "Next: Cal (Facebook), waiting 10 min" in surgeon_card(page, "Sue")
    assert "Helped so far (1)" in page
    assert "Ben Sue Facebook 25" in plain(page[page.index('id="done-title"') :])
    assert [row[0] for row in waiting(page)] == ["Ana", "Cal"]  # Ben does not come back


@pytest.mark.parametrize(
    ("person", "surgeon", "message"),
    [
        ("Ben", "Tom", "That surgeon is not free right now."),  # Tom is not here
        ("Dee", "Sue", "That person is not waiting any more."),  # Dee has not come
        ("Cal", "Sue", "That person is not waiting any more."),  # Cal is with Sue's colleague
        ("Ana", "Max", "That surgeon is not free right now."),  # Max is busy with Cal
    ],
)
def test_a_pairing_that_cannot_start_says_why(organiser_client, floor, person, surgeon, message):
    add_surgeon(organiser_client, floor, "Max", topics=("Facebook", "Instagram"))
    here(organiser_client, floor, "Sue")
    here(organiser_client, floor, "Max")
    start_pair(organiser_client, floor, "Cal", "Max")

    page = start_pair(organiser_client, floor, person, surgeon).text

    assert message in page
    assert count(HelpRecord) == 1


def test_a_surgeon_who_leaves_ends_their_pairing_and_the_person_waits_again(
    organiser_client, floor
):
    here(organiser_client, floor, "Sue")
    start_pair(organiser_client, floor, "Ben", "Sue")
    record = db.session.scalars(sa.select(HelpRecord)).one()
    record.started_at = utcnow() - dt.timedelta(minutes=15)  # Ben waited 5 minutes before
    db.session.commit()

    page = press(organiser_client, floor, f"surgeons/{surgeon_of('Sue').id}/gone").text

    db.session.expire_all()
    record = db.session.scalars(sa.select(HelpRecord)).one()
    assert record.ended_at is not None and record.back_in_queue
    assert "Ben is waiting again. The time they waited before still counts." in plain(page)
    # the 15 minutes with Sue do not count as waiting; the 5 before do: Ben has waited 5
    # minutes in all, less than Cal (10), who goes first
    assert waiting(page) == [
        ("Ana", "30 min", "Instagram"),
        ("Cal", "10 min", "Facebook"),
        ("Ben", "5 min", "Facebook: “Set up a page”"),
    ]
    assert "Ben Back in the queue Sue Facebook 15" in plain(page[page.index('id="done-title"') :])


def test_someone_who_needs_more_help_goes_back_into_the_queue(organiser_client, floor):
    here(organiser_client, floor, "Sue")
    start_pair(organiser_client, floor, "Ben", "Sue")
    record = db.session.scalars(sa.select(HelpRecord)).one()

    page = press(organiser_client, floor, f"{record.id}/end", back="1").text

    assert "Ben is waiting again. The time they waited before still counts." in plain(page)
    assert [row[0] for row in waiting(page)] == ["Ana", "Ben", "Cal"]
    assert "Next: Ben" in surgeon_card(page, "Sue")
    page = start_pair(organiser_client, floor, "Ben", "Sue").text  # a second go
    assert "With Ben" in surgeon_card(page, "Sue")
    assert count(HelpRecord) == 2


def test_needs_more_help_after_another_screen_finished_says_nothing_false(organiser_client, floor):
    here(organiser_client, floor, "Sue")
    start_pair(organiser_client, floor, "Ben", "Sue")
    record = db.session.scalars(sa.select(HelpRecord)).one()
    press(organiser_client, floor, f"{record.id}/end")  # one screen: Finished

    page = press(organiser_client, floor, f"{record.id}/end", back="1").text  # the other

    assert "is waiting again" not in page
    assert [row[0] for row in waiting(page)] == ["Ana", "Cal"]


def test_two_screens_see_the_same_floor(app, organiser_client, floor):
    other = app.test_client()
    signed_in = post_form(
        other, "/login", data={"email": "org@example.org", "password": ORGANISER_PASSWORD}
    )
    assert signed_in.status_code == 303
    live = f"{floor_url(floor)}/live"
    here(organiser_client, floor, "Sue")

    start_pair(other, floor, "Ben", "Sue")

    first, second = organiser_client.get(live), other.get(live)
    assert first.status_code == second.status_code == 200
    assert "With Ben" in surgeon_card(first.text, "Sue")
    assert [row[0] for row in waiting(second.text)] == ["Ana", "Cal"]
    assert plain(first.text) == plain(second.text)
    assert "<html" not in first.text  # just the part that changes

    press(organiser_client, floor, f"{db.session.scalars(sa.select(HelpRecord.id)).one()}/end")

    assert "Next: Cal" in surgeon_card(other.get(live).text, "Sue")


def test_the_floor_reloads_itself_without_javascript(organiser_client, floor):
    page = organiser_client.get(floor_url(floor)).text

    assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', page)
    assert f'data-live-url="{floor_url(floor)}/live"' in page


def test_the_floor_needs_a_login(organiser_client, floor):
    assert post_form(organiser_client, floor_url(floor), "/logout").status_code == 303

    for url in (floor_url(floor), f"{floor_url(floor)}/live"):
        assert organiser_client.get(url).headers["Location"].startswith("/login"), url
