"""The organiser's bookings spreadsheet (sensitive answers only when asked) and the
venue's needs sheet (counts, no names)."""

import csv
import datetime as dt
import io
import re

import sqlalchemy as sa

from surgery.bookings.models import Registration
from surgery.domain.capacity import CANCELLED
from surgery.events.models import WORKSHOP
from surgery.extensions import db
from surgery.vocabulary.models import RoleTag, Topic
from tests.conftest import book

SECRETS = ("Volunteer", "I lost my blog password", "Step-free access", "Need a ramp at the door")
TWO_SESSIONS = [
    {"kind": WORKSHOP, "title": "Workshop", "capacity": 1},
    {"kind": WORKSHOP, "title": "Afternoon", "capacity": 5, "hour_offset": 3},
]


def ids(model, *names: str) -> list[int]:
    """Vocabulary ids by name."""
    return list(db.session.scalars(sa.select(model.id).where(model.name.in_(names))))


def registration(name: str) -> Registration:
    """A person's registration, fresh from the database."""
    db.session.expire_all()
    return db.session.scalars(sa.select(Registration).where(Registration.name == name)).one()


def download(client, event, sensitive: bool = False):
    """The bookings spreadsheet as Excel reads it: the raw bytes and the parsed rows."""
    url = f"/organise/events/{event.id}/bookings.csv" + ("?sensitive=1" if sensitive else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.data, list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def ann_and_bob(client, event):
    """Ann books with every sensitive answer and consent, checks in at 10:05 local time
    as a walk-in; Bob, named like a formula, waits."""
    book(
        client,
        event,
        "Ann",
        topics=ids(Topic, "Online safety and privacy"),
        languages="Urdu, bsl",
        consent="y",
        role_tags=ids(RoleTag, "Volunteer"),
        help_text="I lost my blog password",
        access_needs=["step_free"],
        access_other="Need a ramp at the door",
        wants_lived_experience="y",
    )
    book(client, event, "=HYPERLINK(1)", email="bob@example.org")
    ann = registration("Ann")
    ann.is_walk_in = True
    ann.checked_in_at = event.sessions[0].starts_at + dt.timedelta(minutes=5)
    db.session.commit()


def local(event, moment) -> str:
    """A UTC time as the sheet shows it, at the day's place."""
    return event.local(moment).strftime("%Y-%m-%d %H:%M")


def expected_rows(event, sensitive: bool) -> list[list[str]]:
    """Ann's and Bob's rows as the organiser should read them."""
    ann, bob = registration("Ann"), registration("=HYPERLINK(1)")
    starts = local(event, event.sessions[0].starts_at)
    rows = [
        ["Ann", "ann@example.org", "Workshop", starts, "Workshop", "Booked", "",
         "Online safety and privacy", "Urdu; BSL", "Yes", local(event, ann.checked_in_at),
         local(event, ann.bookings[0].created_at)],
        ["'=HYPERLINK(1)", "bob@example.org", "Workshop", starts, "Workshop", "Waiting list",
         "1", "", "", "", "", local(event, bob.bookings[0].created_at)],
    ]  # fmt: skip
    if sensitive:
        rows[0] += [
            "Volunteer", "I lost my blog password", "Step-free access",
            "Need a ramp at the door", "Yes",
        ]  # fmt: skip
        rows[1] += ["", "", "", "", ""]
    return rows


HEADER = [
    "Name", "Email", "Session", "Starts", "Kind", "State", "Waiting position", "Topics",
    "Languages", "Walk-in", "Checked in", "Booked at",
]  # fmt: skip
SENSITIVE_HEADER = [
    "Role tags", "Help wanted", "Access needs", "Other access needs",
    "Wants someone with lived experience",
]  # fmt: skip


def test_the_plain_download_leaves_every_sensitive_answer_out(organiser_client, make_event):
    event = make_event(sessions=TWO_SESSIONS[:1])
    ann_and_bob(organiser_client, event)

    raw, rows = download(organiser_client, event)

    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the file as UTF-8
    assert raw.count(b"\r\n") == 3
    assert rows == [HEADER, *expected_rows(event, sensitive=False)]
    text = raw.decode("utf-8-sig")
    assert not [secret for secret in SECRETS if secret in text]


def test_asked_for_the_download_has_the_sensitive_answers(organiser_client, make_event):
    event = make_event(sessions=TWO_SESSIONS[:1])
    ann_and_bob(organiser_client, event)

    raw, rows = download(organiser_client, event, sensitive=True)

    assert raw.startswith(b"\xef\xbb\xbf")
    assert rows == [HEADER + SENSITIVE_HEADER, *expected_rows(event, sensitive=True)]


def test_the_download_goes_session_by_session_with_topics_in_the_vocabulary_s_order(
    organiser_client, make_event
):
    event = make_event(sessions=TWO_SESSIONS)
    workshop, afternoon = (s.id for s in event.sessions)
    # chosen against the vocabulary's order: the sheet lists them in its order
    book(organiser_client, event, "Cat", sessions=[afternoon, workshop],
         topics=ids(Topic, "Instagram", "Blogging"))  # fmt: skip
    book(organiser_client, event, "Dan", sessions=[afternoon, workshop])  # waits for Workshop
    book(organiser_client, event, "Eve", sessions=[afternoon])
    registration("Eve").bookings[0].status = CANCELLED  # cancelled: not in the sheet
    db.session.commit()

    _, rows = download(organiser_client, event)

    listed = [(row[0], row[2], row[5], row[6], row[7]) for row in rows[1:]]
    assert listed == [
        ("Cat", "Workshop", "Booked", "", "Blogging; Instagram"),
        ("Dan", "Workshop", "Waiting list", "1", ""),
        ("Cat", "Afternoon", "Booked", "", "Blogging; Instagram"),
        ("Dan", "Afternoon", "Booked", "", ""),
    ]


def test_the_event_page_offers_both_downloads_and_the_needs_sheet(organiser_client, make_event):
    event = make_event()
    page = organiser_client.get(f"/organise/events/{event.id}").text
    base = f"/organise/events/{event.id}"
    assert f'href="{base}/bookings.csv">Download bookings (no sensitive answers)</a>' in page
    assert (
        f'href="{base}/bookings.csv?sensitive=1">Download bookings with sensitive answers</a>'
        in page
    )
    assert f'href="{base}/needs">Access needs for the venue</a>' in page


def needs_cells(page: str) -> dict[str, list[str]]:
    """The needs sheet's rows: session title to its counts."""
    found = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", page, re.S):
        title = row.split(" <span")[0]
        found[title] = re.findall(r'<td class="num">(\d+)</td>', row)
    return found


def test_the_needs_sheet_counts_confirmed_consenting_people_and_names_nobody(
    organiser_client, make_event
):
    event = make_event(sessions=TWO_SESSIONS)
    morning, afternoon = (s.id for s in event.sessions)
    needs = {"consent": "y", "access_needs": ["step_free", "bsl"]}
    book(organiser_client, event, "Zebedee", sessions=[morning, afternoon], **needs)
    book(organiser_client, event, "Quillon", sessions=[morning], **needs)  # waiting: not counted
    book(organiser_client, event, "Marigoldine", sessions=[afternoon], access_needs=["bsl"])
    book(organiser_client, event, "Thaddeus", sessions=[afternoon], consent="y",
         access_needs=["large_print", "quiet_space", "hearing_loop", "step_free"])  # fmt: skip
    book(organiser_client, event, "Evangelina", sessions=[afternoon], **needs)
    evangelina = registration("Evangelina")
    evangelina.bookings[0].status = CANCELLED  # cancelled: not counted
    db.session.commit()
    # answers without consent are not kept; any left behind are still not counted
    registration("Marigoldine").access_needs = ["bsl"]
    db.session.commit()

    response = organiser_client.get(f"/organise/events/{event.id}/needs")

    assert response.status_code == 200
    assert needs_cells(response.text) == {
        "Workshop": ["1", "1", "0", "0", "0"],
        "Afternoon": ["2", "1", "1", "1", "1"],
    }
    people = db.session.scalars(sa.select(Registration)).all()
    assert len(people) == 5
    for person in people:
        assert person.name not in response.text
        assert person.email not in response.text


def test_only_organisers_see_the_needs_sheet_and_downloads(client, make_event):
    event = make_event()
    for url in (f"/organise/events/{event.id}/needs", f"/organise/events/{event.id}/bookings.csv"):
        assert client.get(url).status_code in (302, 303)
