"""Help that fits each person: what they need on arrival (at check-in and at the kiosk), only
those who need a surgeon queue on the floor, an honest estimated wait, and giving the places
of people not here to waiting-list people who are.

People book, check in and are paired through the real forms; times are moved on the rows
(a session started a while ago, a pairing that took ten minutes) so the figures are known.
"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.day.models import HelpRecord
from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED
from surgery.events.models import SURGERY, Event
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.vocabulary.models import Topic
from tests.conftest import book, confirm_form, post_form
from tests.test_kiosk import WORKSHOP_AND_SURGERY, start_kiosk, walk_in
from tests.test_matching_page import add_surgeon, attend, booking_of, ids, plain, surgeon_of

DESK = "A quick question at the help desk"
SURGEON = "One-to-one help from a surgeon"
SPACE = "The workshop or open space"


def checkin_url(event) -> str:
    return f"/organise/events/{event.id}/checkin"


def floor_url(event) -> str:
    return f"/organise/sessions/{event.sessions[0].id}/floor"


def person(name: str) -> Registration:
    db.session.expire_all()
    return db.session.scalars(sa.select(Registration).where(Registration.name == name)).one()


def arrive(client, event, name: str, need: str | None = None):
    """Press "Arrived" for someone on the check-in page, with what they need if chosen."""
    data = {"need": need} if need else {}
    url = f"{checkin_url(event)}/{person(name).id}/arrive"
    return post_form(client, checkin_url(event), url, data=data)


def selected_need(page: str, name: str) -> str:
    """The need chosen in someone's "Needs now" list on the check-in page."""
    rid = person(name).id
    select = re.search(rf'<select id="need-{rid}" name="need">(.*?)</select>', page, re.S)
    assert select, f"no need to choose for {name}"
    chosen = re.findall(r'<option value="\w+" selected>([^<]*)</option>', select.group(1))
    assert len(chosen) == 1
    return chosen[0]


def waiting_names(page: str) -> list[str]:
    part = page[page.index('id="waiting-title"') : page.index('id="surgeons-title"')]
    return [plain(n) for n in re.findall(r'<tr><th scope="row">(.*?)</th>', part, re.S)]


def floor_wait(page: str) -> str:
    found = re.search(r'<p class="floor-wait">(.*?)</p>', page, re.S)
    assert found, "the floor shows no wait"
    return plain(found.group(1))


def here_surgeon(client, event, name: str):
    url = f"{floor_url(event)}/surgeons/{surgeon_of(name).id}/here"
    assert post_form(client, floor_url(event), url).status_code == 303


@pytest.fixture
def day(organiser_client, client, make_event):
    """A surgery session (Ana, Ben, Cal booked) and a workshop (Wes booked)."""
    event = make_event(
        sessions=[
            {"kind": SURGERY, "title": "Surgery space", "capacity": 10},
            {"kind": "workshop", "title": "Blogging workshop", "capacity": 10},
        ]
    )
    for name in ("Ana", "Ben", "Cal"):
        attend(client, event, name)
    assert book(client, event, "Wes", sessions=[event.sessions[1].id]).status_code == 303
    return event


def test_at_check_in_only_those_who_need_a_surgeon_join_the_queue(organiser_client, day):
    page = organiser_client.get(checkin_url(day)).text
    assert selected_need(page, "Ana") == SURGEON  # booked on the surgery session
    assert selected_need(page, "Wes") == SPACE  # booked on the workshop only

    arrive(organiser_client, day, "Ana", "desk")
    arrive(organiser_client, day, "Ben", "surgeon")
    arrive(organiser_client, day, "Cal")  # the default: one-to-one help
    arrive(organiser_client, day, "Wes")

    assert [person(n).need_now for n in ("Ana", "Ben", "Cal", "Wes")] == [
        "desk",
        "surgeon",
        None,
        None,
    ]
    floor = organiser_client.get(floor_url(day)).text
    assert waiting_names(floor) == ["Ben", "Cal"]
    assert (
        "Also here: 1 for a quick question at the help desk, 1 for the workshop or open space"
        in floor_wait(floor)
    )
    numbers = plain(organiser_client.get(f"/organise/events/{day.id}/numbers").text)
    assert "Came for a quick question at the help desk 1" in numbers
    assert "Came for the workshop or open space 1" in numbers
    assert selected_need(organiser_client.get(checkin_url(day)).text, "Ana") == DESK


def test_changing_what_someone_needs_moves_them_into_or_out_of_the_queue(organiser_client, day):
    arrive(organiser_client, day, "Ana", "desk")
    arrive(organiser_client, day, "Wes")
    change = f"{checkin_url(day)}/{person('Ana').id}/need"
    post_form(organiser_client, checkin_url(day), change, data={"need": "surgeon"})
    assert person("Ana").need_now == "surgeon"
    assert waiting_names(organiser_client.get(floor_url(day)).text) == ["Ana"]

    # Wes booked only the workshop: needing a surgeon now gives him a place on the floor
    change = f"{checkin_url(day)}/{person('Wes').id}/need"
    post_form(organiser_client, checkin_url(day), change, data={"need": "surgeon"})
    wes = person("Wes")
    surgery = [b for b in wes.bookings if b.session.kind == SURGERY]
    assert [b.status for b in surgery] == [CONFIRMED]
    assert waiting_names(organiser_client.get(floor_url(day)).text) == ["Ana", "Wes"]

    for nonsense in ("", "everything", "<b>"):
        refused = post_form(organiser_client, checkin_url(day), change, data={"need": nonsense})
        assert refused.status_code == 400
    # someone not here yet has nothing to change
    change = f"{checkin_url(day)}/{person('Ben').id}/need"
    post_form(organiser_client, checkin_url(day), change, data={"need": "desk"})
    assert person("Ben").need_now is None


def test_the_kiosk_asks_what_people_need_and_only_surgeon_needers_get_a_surgeon_place(
    organiser_client, make_event
):
    event = make_event(sessions=WORKSHOP_AND_SURGERY)
    kiosk = start_kiosk(organiser_client, event)
    page = kiosk.get("/kiosk").text
    assert "What do you need now?" in page
    assert all(words in page for words in (DESK, SURGEON, SPACE))
    assert (
        "Waiting for a surgeon now: <strong>we can&#39;t say yet — no surgeons have arrived" in page
    )

    sent = walk_in(kiosk, name="Dot", need="desk")  # a quick question needs no topic
    assert sent.status_code == 303
    assert "Welcome, Dot. You are on the list: please take your question to the help desk." in (
        kiosk.get("/kiosk").text
    )
    dot = person("Dot")
    assert dot.checked_in_at is not None and dot.need_now == "desk"
    assert dot.bookings == []

    walk_in(kiosk, name="Sky", need="space")
    assert person("Sky").bookings == []

    refused = walk_in(kiosk, name="Sid", need="surgeon")
    assert refused.status_code == 400
    assert "Choose what you would like help with." in refused.text
    walk_in(kiosk, name="Sid", need="surgeon", topics=ids(Topic, "Facebook"))
    sid = person("Sid")
    assert [(b.session.kind, b.status) for b in sid.bookings] == [(SURGERY, CONFIRMED)]


def test_the_kiosk_and_the_floor_show_the_wait_from_the_days_real_pairings(
    organiser_client, client, make_event
):
    event = make_event()
    for name in ("Ana", "Ben", "Cal", "Dee", "Eve", "Fay"):
        attend(client, event, name)
    add_surgeon(organiser_client, event, "Sue")
    add_surgeon(organiser_client, event, "Tom")
    for name in ("Sue", "Tom"):
        here_surgeon(organiser_client, event, name)
    for name in ("Eve", "Fay", "Ana", "Ben", "Cal", "Dee"):
        arrive(organiser_client, event, name)
    floor = organiser_client.get(floor_url(event)).text
    # six ahead, two surgeons, 20 minutes each (the default): three rounds
    assert "for someone arriving now: about an hour." in floor_wait(floor)
    assert "(a guess until one has finished)" in floor_wait(floor)

    # Eve and Fay were helped for 10 and 20 minutes: the day's average is 15
    now = utcnow()
    session = event.sessions[0]
    for name, minutes in (("Eve", 10), ("Fay", 20)):
        db.session.add(
            HelpRecord(session_id=session.id, booking_id=booking_of(name).id,
                       surgeon_id=surgeon_of("Tom").id, topics=[],
                       started_at=now - dt.timedelta(minutes=60),
                       ended_at=now - dt.timedelta(minutes=60 - minutes))
        )  # fmt: skip
    # Sue has been with Ana for 5 minutes; Tom is free; Ben, Cal and Dee wait
    start = f"{floor_url(event)}/start"
    pair = f"{booking_of('Ana').id}:{surgeon_of('Sue').id}"
    assert (
        post_form(organiser_client, floor_url(event), start, data={"pair": pair}).status_code == 303
    )
    record = db.session.scalars(sa.select(HelpRecord).where(HelpRecord.ended_at.is_(None))).one()
    record.started_at = utcnow() - dt.timedelta(minutes=5, seconds=10)
    db.session.commit()

    floor = organiser_client.get(floor_url(event)).text
    assert waiting_names(floor) == ["Ben", "Cal", "Dee"]
    # Tom free now, Sue in 10: Ben at 0 (Tom), Cal at 10 (Sue), Dee at 15 (Tom): a
    # newcomer starts at 25
    line = floor_wait(floor)
    assert "for someone arriving now: about 25 minutes." in line
    assert "3 waiting, 2 surgeons here, 15 minutes a pairing on average today" in line

    kiosk = start_kiosk(organiser_client, event)
    assert (
        "Waiting for a surgeon now: <strong>about 25 minutes</strong>" in kiosk.get("/kiosk").text
    )
    walk_in(kiosk, name="Gus", topics=ids(Topic, "Facebook"))
    assert (
        "a surgeon will be with you soon. Your wait: about 25 minutes." in kiosk.get("/kiosk").text
    )
    assert (
        "Waiting for a surgeon now: <strong>about 30 minutes</strong>" in kiosk.get("/kiosk").text
    )


def test_the_wait_says_no_wait_when_a_surgeon_is_free_and_nobody_waits(
    organiser_client, client, make_event
):
    event = make_event()
    attend(client, event, "Ana")
    add_surgeon(organiser_client, event, "Sue")
    here_surgeon(organiser_client, event, "Sue")
    assert "arriving now: no wait." in floor_wait(organiser_client.get(floor_url(event)).text)
    arrive(organiser_client, event, "Ana", "desk")  # a quick question: not in the queue
    assert "arriving now: no wait." in floor_wait(organiser_client.get(floor_url(event)).text)
    arrive(organiser_client, event, "Ana")
    assert "arriving now: no wait." in floor_wait(organiser_client.get(floor_url(event)).text)


# giving the places of people not here to people waiting here


@pytest.fixture
def full_day(organiser_client, client, make_event):
    """Two places: Ana and Ben have them; Cal, Dee and Eve wait in that order. Ana, Cal and
    Eve are here; Ben and Dee are not. The session started 10 minutes ago."""
    event = make_event(sessions=[{"kind": SURGERY, "title": "Surgery space", "capacity": 2}])
    for name in ("Ana", "Ben", "Cal", "Dee", "Eve"):
        attend(client, event, name)
    for name in ("Ana", "Cal", "Eve"):
        arrive(organiser_client, event, name)
    started(event, minutes_ago=10)
    return event


def started(event, minutes_ago: int) -> None:
    session = db.session.get(Event, event.id).sessions[0]
    session.starts_at = utcnow() - dt.timedelta(minutes=minutes_ago)
    session.ends_at = session.starts_at + dt.timedelta(hours=2)
    db.session.commit()


def statuses() -> dict[str, str]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Registration.name, Booking.status).join(Booking.registration)
    )
    return dict(rows.all())


def told() -> set[tuple[str, str]]:
    rows = db.session.execute(sa.select(OutboxMessage.kind, OutboxMessage.to_address))
    return {(kind, to) for kind, to in rows if kind in ("booking_released", "booking_promoted")}


def give_places_url(event) -> str:
    return f"/organise/events/{event.id}/sessions/{event.sessions[0].id}/give-places"


def test_places_cannot_be_given_away_before_the_grace_period_ends(organiser_client, full_day):
    before = statuses()
    page = plain(organiser_client.get(checkin_url(full_day)).text)
    assert "Surgery space: 2 on the waiting list are here; 1 with a place has not arrived." in page
    assert "can be given away from" in page and "15 minutes after the start" in page
    assert "Give their places to people waiting here" not in page

    sent = confirm_form(
        organiser_client, checkin_url(full_day), give_places_url(full_day), follow_redirects=True
    )
    assert "People have 15 minutes after the start to arrive." in sent.text
    assert statuses() == before
    assert told() == set()


def test_no_places_are_offered_once_everyone_with_a_place_is_here(organiser_client, full_day):
    started(full_day, minutes_ago=20)
    offered = plain(organiser_client.get(checkin_url(full_day)).text)
    assert "2 on the waiting list are here; 1 with a place has not arrived." in offered

    arrive(organiser_client, full_day, "Ben")
    page = plain(organiser_client.get(checkin_url(full_day)).text)

    assert "on the waiting list are here" not in page
    assert "Give their places to people waiting here" not in page


def test_after_the_grace_period_places_go_to_people_waiting_here_in_one_step(
    organiser_client, full_day
):
    started(full_day, minutes_ago=20)
    page = organiser_client.get(checkin_url(full_day)).text
    assert "Give their places to people waiting here" in page

    asked = post_form(organiser_client, checkin_url(full_day), give_places_url(full_day))
    said = plain(asked.text)
    assert "Give places in Surgery space to people waiting here?" in said
    assert "1 place: Cal gets it, and will be emailed." in said
    assert "1 person who has not arrived (Ben) loses their place" in said
    assert "In all, 2 people will be emailed." in said
    assert statuses()["Ben"] == CONFIRMED  # asking changes nothing

    done = confirm_form(
        organiser_client, checkin_url(full_day), give_places_url(full_day), follow_redirects=True
    )
    assert "1 place in Surgery space given to people waiting here." in done.text
    # Dee is not here, so she keeps her place in the queue; Eve is next for a place
    assert statuses() == {
        "Ana": CONFIRMED,
        "Ben": CANCELLED,
        "Cal": CONFIRMED,
        "Dee": WAITLISTED,
        "Eve": WAITLISTED,
    }
    assert told() == {
        ("booking_released", "ben@example.org"),
        ("booking_promoted", "cal@example.org"),
    }
    # Eve came without a place: she queues after the people with places
    floor_queue = waiting_names(organiser_client.get(floor_url(full_day)).text)
    assert floor_queue == ["Ana", "Cal", "Eve Waiting list, no place"]


def test_the_last_to_book_lose_their_places_first_and_only_as_many_as_wait_here(
    organiser_client, client, make_event
):
    event = make_event(sessions=[{"kind": SURGERY, "title": "Surgery space", "capacity": 3}])
    for name in ("Ana", "Ben", "Bea", "Cal", "Dee"):  # Cal and Dee wait
        attend(client, event, name)
    for name in ("Ana", "Cal"):
        arrive(organiser_client, event, name)
    started(event, minutes_ago=16)
    confirm_form(organiser_client, checkin_url(event), give_places_url(event))
    assert statuses() == {
        "Ana": CONFIRMED,
        "Ben": CONFIRMED,  # booked before Bea
        "Bea": CANCELLED,
        "Cal": CONFIRMED,
        "Dee": WAITLISTED,
    }


def test_the_grace_period_is_set_per_day_on_the_event_form(organiser_client, full_day):
    edit = f"/organise/events/{full_day.id}/edit"
    data = {"title": "Leeds surgery", "venue_name": "Library", "city": "Leeds",
            "timezone": "Europe/London", "grace_minutes": "30"}  # fmt: skip
    assert post_form(organiser_client, edit, data=data).status_code == 303
    assert db.session.get(Event, full_day.id).grace_minutes == 30
    started(full_day, minutes_ago=20)  # past 15 minutes, not yet 30
    sent = confirm_form(
        organiser_client, checkin_url(full_day), give_places_url(full_day), follow_redirects=True
    )
    assert "People have 30 minutes after the start to arrive." in sent.text
    assert statuses()["Ben"] == CONFIRMED
    refused = post_form(organiser_client, edit, data={**data, "grace_minutes": "-5"})
    assert refused.status_code == 400


def test_another_days_people_and_sessions_are_not_found(organiser_client, full_day, make_event):
    other = make_event(title="Bradford surgery")
    ana = person("Ana").id
    need = f"/organise/events/{other.id}/checkin/{ana}/need"
    assert (
        post_form(organiser_client, checkin_url(full_day), need, data={"need": "desk"}).status_code
        == 404
    )
    give = f"/organise/events/{other.id}/sessions/{full_day.sessions[0].id}/give-places"
    assert post_form(organiser_client, checkin_url(full_day), give).status_code == 404
    assert organiser_client.get(give_places_url(full_day)).status_code == 405
    assert person("Ana").need_now is None


def test_someone_waiting_for_a_surgeon_place_keeps_their_place_in_the_queue(
    organiser_client, full_day
):
    assert selected_need(organiser_client.get(checkin_url(full_day)).text, "Cal") == SURGEON
    change = f"{checkin_url(full_day)}/{person('Cal').id}/need"
    post_form(organiser_client, checkin_url(full_day), change, data={"need": "surgeon"})
    assert person("Cal").need_now == "surgeon"
    assert statuses()["Cal"] == WAITLISTED  # no jumping the waiting list
    floor = organiser_client.get(floor_url(full_day)).text
    assert "Also here: 0 for a quick question at the help desk, 0 for the workshop" in floor
