"""The floor honours accepted pairs, organisers pair anyone by hand, waiting-list people who
come are seen, surgeons check in with their own code, and people can ask for the same
surgeon as last time.

People book and surgeons are added through the real forms; pairs are accepted through the
matching service (which emails both, as on the real page); the floor and the door are read as
their HTML and their buttons pressed as a browser would.
"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.database import utcnow
from surgery.day.models import HelpRecord
from surgery.domain.capacity import CONFIRMED, WAITLISTED
from surgery.domain.tokens import manage_token as manage_token_of
from surgery.domain.tokens import new_form_key
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.matching import services as matching
from surgery.matching.models import ACCEPTED, Match
from surgery.surgeons.models import APPROVED, Surgeon
from tests.conftest import book, manage_token, post_form
from tests.qr_reader import read_qr
from tests.test_floor import arrived, floor_url, here, surgeon_card, waiting
from tests.test_matching_page import (
    add_surgeon,
    attend,
    booking_of,
    matching_url,
    plain,
    suggested,
    surgeon_of,
)


def accepted(event, person: str, surgeon: str) -> None:
    """Accept a pair, as the matching page does: both are emailed whom they will meet."""
    matching.accept(event.sessions[0], [(booking_of(person).id, surgeon_of(surgeon).id)])
    db.session.commit()


def outbox_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)))


def flashes(page: str) -> list[str]:
    return [plain(m) for m in re.findall(r'<p class="flash[^"]*">(.*?)</p>', page, re.S)]


def pairing(person: str, surgeon: str, started_ago: int, ended_ago: int | None = None):
    """A pairing on the floor that started (and perhaps ended) some minutes ago."""
    now = utcnow()
    record = HelpRecord(
        session_id=booking_of(person).session_id,
        booking_id=booking_of(person).id,
        surgeon_id=surgeon_of(surgeon).id,
        topics=[],
        started_at=now - dt.timedelta(minutes=started_ago),
        ended_at=None if ended_ago is None else now - dt.timedelta(minutes=ended_ago),
    )
    db.session.add(record)
    db.session.commit()
    return record


@pytest.fixture
def gareth(organiser_client, client, make_event):
    """Gareth was told he will meet Victor; Ana waits too; Victor and Fatima help with
    Facebook. Gareth has waited longest."""
    event = make_event()
    for name in ("Gareth", "Ana", "Cal", "Zoe"):
        attend(client, event, name, topics=("Facebook",))
    add_surgeon(organiser_client, event, "Fatima", topics=("Facebook",))
    add_surgeon(organiser_client, event, "Victor", topics=("Facebook",))
    accepted(event, "Gareth", "Victor")
    arrived("Gareth", 30)
    arrived("Ana", 20)
    arrived("Cal", 10)
    return event


# accepted pairs on the floor


def test_gareth_is_offered_to_victor_not_fatima(organiser_client, gareth):
    here(organiser_client, gareth, "Fatima")
    page = here(organiser_client, gareth, "Victor").text

    assert "Next: Gareth" in surgeon_card(page, "Victor")
    assert "Next: Ana" in surgeon_card(page, "Fatima")
    assert waiting(page)[0][0] == "Gareth Paired with Victor"
    assert f'value="{booking_of("Gareth").id}:{surgeon_of("Victor").id}"' in page


def test_fatima_passes_over_gareth_while_victor_is_nearly_done(organiser_client, gareth):
    here(organiser_client, gareth, "Fatima")
    here(organiser_client, gareth, "Victor")
    arrived("Zoe", 90)
    pairing("Zoe", "Fatima", started_ago=80, ended_ago=60)  # the day's average: 20 minutes
    record = pairing("Ana", "Victor", started_ago=25)  # longer than the average: free soon

    page = organiser_client.get(floor_url(gareth)).text

    assert "Next: Cal" in surgeon_card(page, "Fatima")

    record.started_at = utcnow() - dt.timedelta(minutes=5)  # Victor has only just started
    db.session.commit()
    page = organiser_client.get(floor_url(gareth)).text

    assert "Next: Gareth" in surgeon_card(page, "Fatima")


# pairing by hand


def by_hand(client, event, person: str, surgeon: str):
    """Choose a person and a surgeon in the floor's "Pair by hand" form and start them."""
    page = client.get(floor_url(event)).text
    form = page[page.index('id="by-hand-title"') :]
    assert '<label for="by-hand-booking">Person waiting</label>' in form
    data = {"booking": str(booking_of(person).id), "surgeon": str(surgeon_of(surgeon).id)}
    assert f'<option value="{data["booking"]}">{person}' in form
    assert f'<option value="{data["surgeon"]}">{surgeon}</option>' in form
    return post_form(
        client, floor_url(event), f"{floor_url(event)}/by-hand", data=data, follow_redirects=True
    )


def test_an_organiser_starts_anyone_with_any_free_surgeon_by_hand(organiser_client, gareth):
    here(organiser_client, gareth, "Fatima")
    here(organiser_client, gareth, "Victor")

    page = by_hand(organiser_client, gareth, "Cal", "Fatima").text

    record = db.session.scalars(sa.select(HelpRecord)).one()
    assert (record.booking.registration.name, record.surgeon.name) == ("Cal", "Fatima")
    assert record.by_hand
    assert "Cal is with Fatima." in flashes(page)
    assert "With Cal" in surgeon_card(page, "Fatima")


def test_a_suggestion_taken_is_not_by_hand(organiser_client, gareth):
    here(organiser_client, gareth, "Victor")
    post_form(
        organiser_client,
        floor_url(gareth),
        f"{floor_url(gareth)}/start",
        data={"pair": f"{booking_of('Gareth').id}:{surgeon_of('Victor').id}"},
    )

    assert not db.session.scalars(sa.select(HelpRecord)).one().by_hand


def test_starting_gareth_with_fatima_moves_his_pair_and_emails_nobody(organiser_client, gareth):
    here(organiser_client, gareth, "Fatima")
    before = outbox_count()

    by_hand(organiser_client, gareth, "Gareth", "Fatima")

    db.session.expire_all()
    match = db.session.scalars(sa.select(Match)).one()
    assert (match.booking.registration.name, match.surgeon.name) == ("Gareth", "Fatima")
    assert match.status == ACCEPTED
    assert match.reasons == ["paired on the day"]
    assert outbox_count() == before  # both are here: nobody is emailed on the day


def test_pairing_by_hand_refuses_someone_not_waiting_or_a_busy_surgeon(organiser_client, gareth):
    here(organiser_client, gareth, "Fatima")
    by_hand(organiser_client, gareth, "Cal", "Fatima")
    here(organiser_client, gareth, "Victor")

    data = {"booking": str(booking_of("Ana").id), "surgeon": str(surgeon_of("Fatima").id)}
    page = post_form(
        organiser_client,
        floor_url(gareth),
        f"{floor_url(gareth)}/by-hand",
        data=data,
        follow_redirects=True,
    ).text
    assert "That surgeon is not free right now." in page
    bad = post_form(
        organiser_client,
        floor_url(gareth),
        f"{floor_url(gareth)}/by-hand",
        data={"booking": "x", "surgeon": ""},
        follow_redirects=True,
    )
    assert bad.status_code == 200 and "Choose a person and a surgeon." in bad.text
    assert db.session.scalar(sa.select(sa.func.count(HelpRecord.id))) == 1


# waiting-list people who come


@pytest.fixture
def full_day(organiser_client, client, make_event):
    """One place, taken by Ana; Wes is on the waiting list; Sue helps with Facebook."""
    event = make_event(sessions=[{"kind": "surgery", "title": "Surgery space", "capacity": 1}])
    attend(client, event, "Ana", topics=("Facebook",))
    attend(client, event, "Wes", topics=("Facebook",))
    add_surgeon(organiser_client, event, "Sue", topics=("Facebook",))
    assert booking_of("Wes").status == WAITLISTED
    return event


def check_in(client, event, name: str):
    person = booking_of(name).registration
    url = f"/organise/events/{event.id}/checkin"
    return post_form(client, url, f"{url}/{person.id}/arrive", follow_redirects=True)


def test_a_waiting_list_arrival_without_a_place_queues_after_people_with_places(
    organiser_client, full_day
):
    page = check_in(organiser_client, full_day, "Wes").text

    assert "Wes is here." in flashes(page)
    wes = re.search(r'data-name="wes">(.*?)</li>', page, re.S).group(1)
    assert plain(wes).startswith("Wes Here Waiting list (position 1) Undo arrival of Wes")
    assert booking_of("Wes").status == WAITLISTED

    arrived("Wes", 30)
    arrived("Ana", 5)
    here(organiser_client, full_day, "Sue")
    page = organiser_client.get(floor_url(full_day)).text

    assert [row[0] for row in waiting(page)] == ["Ana", "Wes Waiting list, no place"]
    assert "Next: Ana" in surgeon_card(page, "Sue")


def test_a_waiting_list_arrival_takes_a_free_place_at_check_in(organiser_client, full_day):
    full_day.sessions[0].capacity = 2  # a place came free without anyone moving up
    db.session.commit()
    before = outbox_count()

    page = check_in(organiser_client, full_day, "Wes").text

    assert "Wes is here. They have a place in Surgery space now." in flashes(page)
    assert booking_of("Wes").status == CONFIRMED
    assert outbox_count() == before  # told at the door
    here(organiser_client, full_day, "Sue")
    page = organiser_client.get(floor_url(full_day)).text
    assert [row[0] for row in waiting(page)] == ["Wes"]


# surgeons at the door


def test_a_surgeon_checks_in_with_their_typed_code(organiser_client, gareth):
    code = surgeon_of("Victor").checkin_code
    url = f"/organise/events/{gareth.id}/checkin"

    page = post_form(
        organiser_client, url, f"{url}/code", data={"code": code.lower()}, follow_redirects=True
    ).text

    assert "Victor (surgeon) is here." in flashes(page)
    assert surgeon_of("Victor").arrived_at is not None
    assert "Next: Gareth" in surgeon_card(organiser_client.get(floor_url(gareth)).text, "Victor")


def test_a_surgeon_checks_in_by_scanning_their_qr_code(organiser_client, client, gareth):
    victor = surgeon_of("Victor")
    scan = organiser_client.get(f"/organise/checkin/{victor.checkin_code}").text
    assert "<h1>Victor</h1>" in scan and "Surgeon" in scan
    action = re.search(r'<form method="post" action="([^"]+/surgeons/\d+/arrive)"', scan).group(1)

    post_form(organiser_client, f"/organise/checkin/{victor.checkin_code}", action)

    assert surgeon_of("Victor").arrived_at is not None
    again = organiser_client.get(f"/organise/checkin/{victor.checkin_code}").text
    assert "Already marked as here." in again


def test_a_surgeons_own_page_shows_their_code_and_qr(client, gareth):
    victor = surgeon_of("Victor")
    token = manage_token_of(client.application.secret_key, victor.token_seed)
    page = client.get(f"/volunteer/{token}").text

    assert victor.checkin_code in page
    qr = client.get(f"/volunteer/{token}/checkin-qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert read_qr(qr.data, ".svg") == [
        f"http://127.0.0.1:5000/organise/checkin/{victor.checkin_code}"
    ]


def test_a_surgeon_not_confirmed_cannot_check_in_by_code(organiser_client, gareth):
    victor = surgeon_of("Victor")
    victor.status = "withdrawn"
    db.session.commit()

    scan = organiser_client.get(f"/organise/checkin/{victor.checkin_code}").text

    assert "is not confirmed for this day" in scan
    assert "<form method" not in scan.split("</h1>", 1)[1]


# the same surgeon as last time


def helped_before(old, name: str, surgeon: Surgeon) -> None:
    """Someone helped by this surgeon at an earlier surgery."""
    # the same email, the name written differently: people are known by their email
    person = Registration(event=old, name=f"{name} B.", email=f"{name.lower()}@example.org")
    person.token_seed, person.token_hash = name, new_form_key()
    person.bookings.append(Booking(session=old.sessions[0], status=CONFIRMED))
    db.session.add(person)
    db.session.flush()
    start = old.sessions[0].starts_at
    db.session.add(
        HelpRecord(
            session_id=old.sessions[0].id,
            booking_id=person.bookings[0].id,
            surgeon_id=surgeon.id,
            started_at=start,
            ended_at=start + dt.timedelta(minutes=20),
        )
    )
    db.session.commit()


@pytest.fixture
def last_time(make_event):
    """Ana was helped by Sue (then signed up as Susan, with the same email) at an earlier
    surgery."""
    old = make_event(days_ahead=-30)
    sue = Surgeon(event=old, name="Susan", email="sue@example.org", status=APPROVED)
    sue.token_seed, sue.token_hash = "t", new_form_key()
    db.session.add(sue)
    db.session.flush()
    helped_before(old, "Ana", sue)
    old.sue = sue
    return old


@pytest.fixture
def today(organiser_client, client, make_event, last_time):
    """Today Ana and Bea book; Sue and Tom volunteer again."""
    event = make_event()
    ana = book(client, event, "Ana", topics=[])
    attend(client, event, "Bea", topics=("Facebook",))
    add_surgeon(organiser_client, event, "Sue", topics=("Facebook",))
    add_surgeon(organiser_client, event, "Tom", topics=("Facebook",))
    event.ana_token = manage_token(ana)
    return event


def person(name: str, event) -> Registration:
    db.session.expire_all()
    query = sa.select(Registration).where(Registration.name == name)
    return db.session.scalars(query.where(Registration.event_id == event.id)).one()


def test_only_someone_helped_before_is_offered_the_same_surgeon(client, today):
    page = client.get(f"/bookings/{today.ana_token}").text
    assert "I&#39;d like the same surgeon as last time" in page or (
        "I'd like the same surgeon as last time" in page
    )
    bea = book(client, today, "Bea2")
    assert "same surgeon as last time" not in client.get(f"/bookings/{manage_token(bea)}").text


def ask_for_sue(client, event):
    url = f"/bookings/{event.ana_token}"
    post_form(client, url, f"{url}/same-surgeon", data={"same_surgeon": "y"})
    assert person("Ana", event).wants_same_surgeon


def test_matching_pairs_ana_with_sue_again(organiser_client, client, today):
    ask_for_sue(client, today)

    page = organiser_client.get(matching_url(today.sessions[0])).text

    assert suggested(page)["Ana"][0] == "Sue"
    assert "helped them last time, as asked" in suggested(page)["Ana"][1]


def test_the_floor_offers_ana_to_sue_when_sue_is_free(organiser_client, client, today):
    ask_for_sue(client, today)
    arrived("Bea", 30)
    arrived("Ana", 10)
    here(organiser_client, today, "Sue")
    page = here(organiser_client, today, "Tom").text

    assert "Next: Ana" in surgeon_card(page, "Sue")
    assert "Next: Bea" in surgeon_card(page, "Tom")
    assert "Ana Asked again for Sue" in [row[0] for row in waiting(page)]


def test_the_door_ticks_same_surgeon_for_someone_helped_before(organiser_client, today):
    url = f"/organise/events/{today.id}/checkin"
    page = organiser_client.get(url).text
    ana = person("Ana", today)
    assert f"{url}/{ana.id}/same-surgeon" in page
    assert f"{url}/{person('Bea', today).id}/same-surgeon" not in page

    page = post_form(
        organiser_client,
        url,
        f"{url}/{ana.id}/same-surgeon",
        data={"on": "1"},
        follow_redirects=True,
    ).text

    assert person("Ana", today).wants_same_surgeon
    assert "Ana asks for the same surgeon as last time." in flashes(page)


def test_nobody_helped_before_can_be_ticked_for_the_same_surgeon(organiser_client, today):
    bea = person("Bea", today)
    url = f"/organise/events/{today.id}/checkin"

    page = post_form(
        organiser_client,
        url,
        f"{url}/{bea.id}/same-surgeon",
        data={"on": "1"},
        follow_redirects=True,
    ).text

    assert not person("Bea", today).wants_same_surgeon
    assert "They have not been helped by a surgeon on an earlier day." in page


def test_one_request_for_sue_is_held_not_everyone_who_asks(
    organiser_client, client, today, last_time
):
    """Cal was helped by Sue before too and asks again: while Sue is busy but nearly done,
    only Ana, first in line of those asking, waits for her; Tom is offered Cal."""
    helped_before(last_time, "Cal", last_time.sue)
    ask_for_sue(client, today)
    cal = book(client, today, "Cal", topics=[])
    url = f"/bookings/{manage_token(cal)}"
    post_form(client, url, f"{url}/same-surgeon", data={"same_surgeon": "y"})
    attend(client, today, "Dan", topics=("Facebook",))
    for name, minutes in (("Ana", 40), ("Cal", 30), ("Bea", 10), ("Dan", 90)):
        arrived(name, minutes)
    here(organiser_client, today, "Sue")
    here(organiser_client, today, "Tom")
    pairing("Dan", "Tom", started_ago=85, ended_ago=65)  # the day's average: 20 minutes
    pairing("Dan", "Sue", started_ago=30)  # Sue is nearly done

    page = organiser_client.get(floor_url(today)).text

    assert "Next: Cal" in surgeon_card(page, "Tom")


# the floor page's cost


def statements_of(client, url: str) -> int:
    """SQL statements of one request (after a warm-up), transactions aside."""
    client.get(url)
    said: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        said.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return sum(
        s.split()[0].upper() not in {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}
        for s in said
    )


def test_pairs_and_requests_add_no_queries_per_person(organiser_client, client, today, last_time):
    ask_for_sue(client, today)
    accepted(today, "Bea", "Tom")
    arrived("Ana", 10)
    arrived("Bea", 5)
    here(organiser_client, today, "Sue")
    few = statements_of(organiser_client, floor_url(today))

    for n in range(6):
        name = f"Extra{n}"
        helped_before(last_time, name, last_time.sue)
        booked = book(client, today, name, topics=[])
        url = f"/bookings/{manage_token(booked)}"
        post_form(client, url, f"{url}/same-surgeon", data={"same_surgeon": "y"})
        arrived(name, 20 + n)
    page = organiser_client.get(floor_url(today)).text
    assert len(waiting(page)) == 8

    assert statements_of(organiser_client, floor_url(today)) == few
