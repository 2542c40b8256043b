"""The organisers' matching page: suggestions with reasons, accepting, locking, pairing by hand.

People book and surgeons are added through the real forms; the page is read as its HTML,
its buttons are pressed with the values they carry, and the emails are read as a real SMTP
server received them, every invite parsed with vobject.
"""

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Booking, Registration
from surgery.events.models import SURGERY, WORKSHOP
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.matching.models import ACCEPTED, LOCKED, Match
from surgery.surgeons.models import Surgeon
from surgery.vocabulary.models import RoleTag, Topic
from tests.conftest import SHARED, book, confirm_form, count, manage_token, post_form
from tests.mail_fixtures import invite_in, text_of, words_of

ORGANISER = "leeds-surgery@example.org"
LIVED = "Lived experience of mental health difficulties"
STATUTORY = "Worker in statutory services (NHS, council)"
JOURNALIST = "Community journalist"
CARER = "Carer or family member"
TWO_SURGERIES = [
    {"kind": SURGERY, "title": "Morning surgery", "capacity": 10},
    {"kind": SURGERY, "title": "Afternoon surgery", "capacity": 10, "hour_offset": 3},
]


# people, through the real forms


def ids(model, *names: str) -> list[int]:
    """The ids of vocabulary terms, in the order named."""
    rows = {t.name: t.id for t in db.session.scalars(sa.select(model).where(model.name.in_(names)))}
    assert set(rows) == set(names), rows
    return [rows[name] for name in names]


def add_surgeon(client, event, name, topics=("Facebook",), capacity=1, sessions=None, **fields):
    """An approved surgeon, added on the organiser's form (the first session by default)."""
    data = {
        "name": name,
        "email": f"{name.lower()}@example.org",
        "topics": ids(Topic, *topics),
        "sessions": sessions or [event.sessions[0].id],
        "capacity": str(capacity),
        **fields,
    }
    added = post_form(client, f"/organise/events/{event.id}/surgeons/new", data=data)
    assert added.status_code == 303, added.text
    return surgeon_of(name)


def volunteer(client, event, name, topics=("Facebook",), sessions=None):
    """A volunteer from the public form, still waiting for an organiser."""
    data = {
        "name": name,
        "email": f"{name.lower()}@example.org",
        "topics": ids(Topic, *topics),
        "sessions": sessions or [event.sessions[0].id],
        "capacity": "3",
    }
    response = post_form(client, f"/events/{event.id}/volunteer", data=data)
    assert response.status_code == 303, response.text
    return response.headers["Location"]


def attend(client, event, name, topics=("Facebook",), session=None, **fields):
    """Book the (first) surgery session, asking for help with some topics."""
    session = session or event.sessions[0]
    booked = book(client, event, name, sessions=[session.id], topics=ids(Topic, *topics), **fields)
    assert booked.status_code == 303, booked.text
    return booked


def surgeon_of(name: str) -> Surgeon:
    db.session.expire_all()
    return db.session.scalars(sa.select(Surgeon).where(Surgeon.name == name)).one()


def booking_of(name: str) -> Booking:
    db.session.expire_all()
    query = sa.select(Booking).join(Booking.registration).where(Registration.name == name)
    return db.session.scalars(query).one()


def matches() -> dict[str, tuple[str, str]]:
    """Every stored pair: attendee name -> (surgeon name, state)."""
    db.session.expire_all()
    return {
        m.booking.registration.name: (m.surgeon.name, m.status)
        for m in db.session.scalars(sa.select(Match))
    }


# the page, as its HTML


def plain(html: str) -> str:
    """Text with tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


@dataclass
class Row:
    """One row of a table on the matching page."""

    name: str  # the attendee
    cells: list[str]  # the text of each cell after the attendee's
    html: str


def matching_url(session) -> str:
    return f"/organise/sessions/{session.id}/matching"


def section(page: str, heading: str) -> str:
    """The part of the page under an <h2>, up to the next one."""
    start = page.index(f"<h2>{heading}</h2>")
    end = page.find("<h2>", start + 1)
    return page[start : end if end != -1 else len(page)]


def rows(page: str, heading: str) -> dict[str, Row]:
    """The rows of the table under a heading, by attendee name."""
    found = {}
    for html in re.findall(r"<tr>(.*?)</tr>", section(page, heading), re.S):
        head = re.search(r'<th scope="row"><strong>(.*?)</strong>', html)
        if head is None:
            continue  # the header row
        cells = [plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]
        found[head.group(1)] = Row(head.group(1), cells, html)
    return found


def suggested(page: str) -> dict[str, tuple[str, str]]:
    """Suggested pairs: attendee -> (surgeon, why)."""
    return {
        name: (row.cells[0], row.cells[1]) for name, row in rows(page, "Suggested pairs").items()
    }


def fixed(page: str) -> dict[str, tuple[str, str, str]]:
    """Fixed pairs: attendee -> (surgeon, why, state)."""
    return {name: tuple(row.cells[:3]) for name, row in rows(page, "Fixed pairs").items()}


def unpaired(page: str) -> dict[str, str]:
    """People left unpaired: attendee -> why."""
    return {name: row.cells[0] for name, row in rows(page, "Not paired").items()}


def forms_in(html: str) -> list[tuple[str, str, dict[str, list[str]]]]:
    """Each form: (action, button text, hidden fields other than the CSRF token).

    A name may repeat (one "pair" per suggestion), so each maps to every value sent.
    """
    found = []
    for action, body in re.findall(
        r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', html, re.S
    ):
        button = re.search(r"<button[^>]*>(.*?)</button>", body, re.S)
        hidden: dict[str, list[str]] = {}
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', body):
            if name != "csrf_token":
                hidden.setdefault(name, []).append(value)
        found.append((action, plain(button.group(1)) if button else "", hidden))
    return found


def press(client, session, html: str, label: str):
    """Press the button whose text starts with label, in part of the matching page."""
    chosen = [f for f in forms_in(html) if f[1].startswith(label)]
    assert len(chosen) == 1, [f[1] for f in forms_in(html)]
    action, _, fields = chosen[0]
    send = confirm_form if len(fields.get("pair", [])) > 1 else post_form  # many: asks first
    response = send(client, matching_url(session), action, data=fields)
    assert response.status_code == 303, response.status_code
    assert response.headers["Location"] == matching_url(session)
    return client.get(matching_url(session)).text


def accept_all(client, session) -> str:
    page = client.get(matching_url(session)).text
    return press(client, session, section(page, "Suggested pairs"), "Accept all")


def press_in_row(client, session, heading: str, name: str, label: str) -> str:
    page = client.get(matching_url(session)).text
    return press(client, session, rows(page, heading)[name].html, label)


def pair_by_hand(client, session, attendee: str, surgeon: str) -> str:
    """Choose a surgeon for an attendee in their row's list, and press "Pair by hand"."""
    page = client.get(matching_url(session)).text
    label = re.search(rf'<label for="reassign-(\d+)"[^>]*>Surgeon for {attendee}</label>', page)
    assert label, f"no list for {attendee}"
    select = re.search(
        rf'<select id="reassign-{label.group(1)}" name="pair">(.*?)</select>', page, re.S
    ).group(1)
    options = dict(
        (plain(text), value)
        for value, text in re.findall(r'<option value="([^"]+)"[^>]*>(.*?)</option>', select)
    )
    [value] = [v for text, v in options.items() if text.startswith(f"{surgeon} (")]
    response = post_form(
        client, matching_url(session), f"{matching_url(session)}/lock", data={"pair": value}
    )
    assert response.status_code == 303
    return client.get(matching_url(session)).text


def flashes(page: str) -> list[str]:
    return [plain(m) for m in re.findall(r'<p class="flash[^"]*">(.*?)</p>', page, re.S)]


def mail_by_person(mailbox) -> dict[str, list]:
    """The new messages, by recipient."""
    found: dict[str, list] = {}
    for received in mailbox.deliver():
        found.setdefault(received.to, []).append(received)
    return found


# suggestions and why


def test_suggestions_say_why_and_the_unpaired_say_why_not(organiser_client, make_event):
    client = organiser_client
    event = make_event()
    session = event.sessions[0]
    add_surgeon(client, event, "Sue", topics=("Facebook", "Online safety and privacy"), capacity=1)
    attend(client, event, "Ann", topics=("Facebook", "Online safety and privacy"))
    attend(client, event, "Ben", topics=("Facebook",))
    attend(client, event, "Cat", topics=("Video",))

    page = client.get(matching_url(session)).text
    assert "3 people booked, 1 surgeon confirmed." in plain(page)
    assert suggested(page) == {"Ann": ("Sue", "both: Facebook, Online safety and privacy")}
    assert unpaired(page) == {
        "Ben": "Every surgeon who can help is already helping as many people as they offered",
        "Cat": "No surgeon available for this session can help with Video",
    }
    assert "No pairs fixed yet." in page
    # what each person asked for is on the page
    assert "Ann : Facebook, Online safety and privacy" in plain(section(page, "Suggested pairs"))
    # nothing is stored or sent until the organiser decides
    assert count(Match) == 0


def test_the_event_page_links_each_surgery_session_to_its_matching(organiser_client, make_event):
    sessions = [
        {"kind": SURGERY, "title": "Surgery space", "capacity": 10},
        {"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 10, "hour_offset": 3},
    ]
    event = make_event(sessions=sessions)
    surgery, workshop = event.sessions
    page = organiser_client.get(f"/organise/events/{event.id}").text
    assert f'href="{matching_url(surgery)}"' in page
    assert matching_url(workshop) not in page


def test_no_surgeons_yet_is_said_plainly(organiser_client, make_event):
    event = make_event()
    attend(organiser_client, event, "Ann")
    page = organiser_client.get(matching_url(event.sessions[0])).text
    assert "No new suggestions." in page
    assert unpaired(page) == {"Ann": "No surgeons are available for this session"}


def test_lived_experience_follows_the_role_tag_flag_not_its_name(organiser_client, make_event):
    client = organiser_client
    event = make_event()
    vocabulary = "/organise/vocabulary/"
    lived, carer = ids(RoleTag, LIVED, "Carer or family member")
    rename = f"{vocabulary}role-tags/{lived}/rename"
    renamed = {"name": "Peer supporter", "term_version": 1}
    assert post_form(client, vocabulary, rename, data=renamed).status_code == 303
    add_surgeon(client, event, "Lee", role_tags=[lived], consent="y")
    add_surgeon(client, event, "Cy", role_tags=[carer], consent="y")
    attend(client, event, "Ann", wants_lived_experience="y", consent="y")

    page = client.get(matching_url(event.sessions[0])).text
    assert suggested(page) == {"Ann": ("Lee", "both: Facebook; brings lived experience, as asked")}

    # the organiser says carers bring it too, and that the renamed tag does not
    flag = f"{vocabulary}role-tags/{{}}/lived-experience"
    marked = post_form(client, vocabulary, flag.format(carer), data={"means": "1"})
    assert marked.status_code == 303
    post_form(client, vocabulary, flag.format(lived), data={"means": "0"})
    shown = plain(client.get(vocabulary).text)
    assert (
        "Carer or family member Yes Yes Retire Carer or family member Not lived experience" in shown
    )
    assert "Peer supporter Yes No Retire Peer supporter Counts as lived experience" in shown

    page = client.get(matching_url(event.sessions[0])).text
    assert suggested(page) == {"Ann": ("Cy", "both: Facebook; brings lived experience, as asked")}


def test_lived_experience_and_bsl_are_honoured(organiser_client, make_event):
    client = organiser_client
    event = make_event()
    lived = ids(RoleTag, LIVED)
    add_surgeon(client, event, "Bea", capacity=2, languages="bsl")
    add_surgeon(client, event, "Lee", capacity=2, role_tags=lived, consent="y")
    # a lived-experience tag without consent is not kept, so it is not matched on
    add_surgeon(client, event, "Nia", capacity=2, role_tags=lived)
    attend(client, event, "Ann", wants_lived_experience="y", consent="y")
    attend(client, event, "Ben", languages="BSL")
    attend(client, event, "Cat", wants_lived_experience="y", consent="y")
    attend(client, event, "Dan", languages="bsl, Urdu")

    page = client.get(matching_url(event.sessions[0])).text
    assert suggested(page) == {
        "Ann": ("Lee", "both: Facebook; brings lived experience, as asked"),
        "Ben": ("Bea", "both: Facebook; speaks BSL, as asked"),
        "Cat": ("Lee", "both: Facebook; brings lived experience, as asked"),
        "Dan": ("Bea", "both: Facebook; speaks BSL, as asked"),
    }
    rows_shown = rows(page, "Suggested pairs")
    assert "would like someone with lived experience" in plain(rows_shown["Ann"].html)
    assert "languages: BSL" in plain(rows_shown["Ben"].html)
    assert "languages: BSL, Urdu" in plain(rows_shown["Dan"].html)


def test_a_wish_for_lived_experience_is_kept_only_with_consent(organiser_client, make_event):
    event = make_event()
    attend(organiser_client, event, "Eve", wants_lived_experience="y")

    eve = db.session.scalars(sa.select(Registration).where(Registration.name == "Eve")).one()
    assert eve.wants_lived_experience is False


def test_load_is_spread_over_surgeons_who_fit_equally(organiser_client, make_event):
    client = organiser_client
    event = make_event()
    for name in ("Sue", "Raj", "Lee"):
        add_surgeon(client, event, name, capacity=3)
    for name in ("Ann", "Ben", "Cat"):
        attend(client, event, name)
    page = client.get(matching_url(event.sessions[0])).text
    assert sorted(s for s, _ in suggested(page).values()) == ["Lee", "Raj", "Sue"]


def organiser_action(client, event, surgeon_name: str, action: str) -> None:
    """Approve or decline a volunteer from the organiser's surgeons page."""
    page = f"/organise/events/{event.id}/surgeons"
    url = f"{page}/{surgeon_of(surgeon_name).id}/{action}"
    send = confirm_form if action == "decline" else post_form
    assert send(client, page, url).status_code == 303


def test_pending_declined_withdrawn_and_other_session_surgeons_are_not_used(
    organiser_client, make_event
):
    client = organiser_client
    event = make_event(sessions=TWO_SURGERIES)
    morning, afternoon = event.sessions
    volunteer(client, event, "Pam")  # still waiting for an organiser
    volunteer(client, event, "Dee")
    organiser_action(client, event, "Dee", "decline")
    wes_link = volunteer(client, event, "Wes")
    organiser_action(client, event, "Wes", "approve")
    assert confirm_form(client, wes_link, f"{wes_link}/withdraw").status_code == 303
    add_surgeon(client, event, "Aft", capacity=3, sessions=[afternoon.id])
    attend(client, event, "Ann", session=morning)

    url = matching_url(morning)
    page = client.get(url).text
    assert "1 person booked, 0 surgeons confirmed." in plain(page)
    assert unpaired(page) == {"Ann": "No surgeons are available for this session"}
    for name in ("Pam", "Dee", "Wes", "Aft"):
        assert name not in plain(page)

    # nor can they be chosen by sending their ids anyway
    ann = booking_of("Ann").id
    for name in ("Pam", "Dee", "Wes", "Aft"):
        surgeon = surgeon_of(name).id
        for action in ("lock", "accept"):
            response = post_form(client, url, f"{url}/{action}", data={"pair": f"{ann}:{surgeon}"})
            assert response.status_code == 303
            assert flashes(client.get(url).text) == [
                "That surgeon is not available for this session."
            ]
    assert count(Match) == 0

    # the afternoon surgeon is used in the afternoon
    attend(client, event, "Ben", session=afternoon)
    assert suggested(client.get(matching_url(afternoon)).text) == {"Ben": ("Aft", "both: Facebook")}


# accepting, and what people are told


def test_accept_all_tells_each_attendee_and_surgeon_with_updated_invites(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER, title="Leeds surgery")
    session = event.sessions[0]
    add_surgeon(
        client,
        event,
        "Sue",
        topics=("Facebook", "Instagram"),
        capacity=2,
        bio="I run the Facebook page of a food bank.",
    )
    add_surgeon(client, event, "Raj", topics=("Websites",), capacity=1)
    attend(
        client, event, "Ann", topics=("Facebook",), help_text="Start a page for our choir", **SHARED
    )
    attend(client, event, "Ben", topics=("Instagram",))
    attend(client, event, "Cat", topics=("Websites",))
    before = mail_by_person(mailbox)
    booked = {
        name: invite_in(before[f"{name.lower()}@example.org"][0]) for name in ("Ann", "Ben", "Cat")
    }
    confirmed = {
        name: invite_in(before[f"{name.lower()}@example.org"][0]) for name in ("Sue", "Raj")
    }

    page = client.get(matching_url(session)).text
    assert "Accept all 3 suggestions and tell everyone" in plain(page)
    page = accept_all(client, session)
    assert "3 pairs accepted." in flashes(page)
    assert "No new suggestions." in page
    assert fixed(page) == {
        "Ann": ("Sue", "both: Facebook", "Accepted, both told"),
        "Ben": ("Sue", "both: Instagram", "Accepted, both told"),
        "Cat": ("Raj", "both: Websites", "Accepted, both told"),
    }
    assert matches() == {
        "Ann": ("Sue", ACCEPTED),
        "Ben": ("Sue", ACCEPTED),
        "Cat": ("Raj", ACCEPTED),
    }
    assert all(m.accepted_at is not None for m in db.session.scalars(sa.select(Match)))

    mail = mail_by_person(mailbox)
    assert sorted(mail) == [f"{n}@example.org" for n in ("ann", "ben", "cat", "raj", "sue")]
    assert all(len(messages) == 1 for messages in mail.values())

    # each attendee: the same calendar entry as their booking, newer, naming their surgeon
    for name, surgeon in (("Ann", "Sue"), ("Ben", "Sue"), ("Cat", "Raj")):
        [received] = mail[f"{name.lower()}@example.org"]
        invite = invite_in(received)
        assert invite.method == "REQUEST"
        assert invite.uid == booked[name].uid == booking_of(name).ical_uid
        assert invite.sequence > booked[name].sequence
        assert invite.status == "CONFIRMED"
        assert invite.starts == session.starts_at
        assert received.message["Subject"].startswith("Your surgeon: Surgery space on ")
        assert f"You will meet {surgeon}, who can help with" in invite.event.description.value
        for body in (text_of(received), text_of(received, "html")):
            assert f"You will meet {surgeon}, who can help with" in body
    ann = text_of(mail["ann@example.org"][0])
    assert "You will meet Sue, who can help with Facebook, Instagram." in ann
    assert "About Sue: I run the Facebook page of a food bank." in ann

    # each surgeon: the same calendar entry as their confirmation, newer, saying who and what
    for surgeon, people in (("Sue", ("Ann", "Ben")), ("Raj", ("Cat",))):
        [received] = mail[f"{surgeon.lower()}@example.org"]
        invite = invite_in(received)
        slot = surgeon_of(surgeon).availability[0]
        assert invite.method == "REQUEST"
        assert invite.uid == confirmed[surgeon].uid == slot.ical_uid
        assert invite.sequence > confirmed[surgeon].sequence
        assert received.message["Subject"].startswith("Who you will help: Surgery space on ")
        description = invite.event.description.value
        for person in people:
            assert f"{person} would like help with" in description
            assert f"{person} would like help with" in text_of(received)
    sue = text_of(mail["sue@example.org"][0])
    assert "Ann would like help with Facebook. In their words: Start a page for our choir" in sue
    assert "Ben would like help with Instagram." in sue
    assert "Cat" not in words_of(mail["sue@example.org"][0])

    # accepting again tells nobody twice
    response = post_form(
        client,
        matching_url(session),
        f"{matching_url(session)}/accept",
        data={"pair": f"{booking_of('Ann').id}:{surgeon_of('Sue').id}"},
    )
    assert response.status_code == 303
    assert mailbox.deliver() == []


def test_what_a_surgeon_sees_follows_each_attendees_consent(organiser_client, make_event, mailbox):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    add_surgeon(client, event, "Sue", capacity=3, role_tags=ids(RoleTag, LIVED), consent="y")
    # consented to organisers seeing it, not to their surgeon
    attend(
        client,
        event,
        "Ann",
        role_tags=ids(RoleTag, STATUTORY),
        access_needs=["quiet_space"],
        access_other="A chair with arms",
        consent="y",
    )
    # consented, and ticked that their surgeon may see it
    attend(
        client,
        event,
        "Ben",
        role_tags=ids(RoleTag, JOURNALIST),
        access_needs=["step_free"],
        access_other="Bring my own keyboard",
        consent="y",
        share_with_surgeon="y",
    )
    # ticked sharing without consenting: nothing is kept, nothing is shared
    attend(
        client,
        event,
        "Cat",
        role_tags=ids(RoleTag, CARER),
        access_needs=["large_print"],
        share_with_surgeon="y",
    )
    mailbox.deliver()
    accept_all(client, event.sessions[0])
    mail = mail_by_person(mailbox)
    received = mail["sue@example.org"][0]
    description = invite_in(received).event.description.value
    for seen in (text_of(received), text_of(received, "html"), description):
        assert "Ann would like help with Facebook." in seen
        assert "Ben would like help with Facebook." in seen
        assert "Cat would like help with Facebook." in seen
        assert "About them: Community journalist." in seen
        assert "To take part they need: Step-free access, Bring my own keyboard." in seen
        for private in (STATUTORY, "quiet space", "A chair with arms", CARER, "Large print"):
            assert private not in seen
        assert seen.count("About them") == 1
        assert seen.count("To take part they need") == 1
    # Ben's answers are his own line, not Ann's
    ben_line = next(line for line in text_of(received).splitlines() if line.startswith("Ben "))
    assert "Community journalist" in ben_line
    # the attendees are not told anything about their surgeon's health
    assert all("lived experience" not in text_of(m[0]).lower() for m in mail.values())


def test_accept_one_tells_only_that_pair(organiser_client, make_event, mailbox):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    session = event.sessions[0]
    add_surgeon(client, event, "Sue", topics=("Facebook",), capacity=2)
    add_surgeon(client, event, "Raj", topics=("Instagram",), capacity=1)
    attend(client, event, "Ann", topics=("Facebook",))
    attend(client, event, "Ben", topics=("Instagram",))
    mailbox.deliver()

    page = press_in_row(client, session, "Suggested pairs", "Ann", "Accept")
    assert "1 pair accepted." in flashes(page)
    assert fixed(page) == {"Ann": ("Sue", "both: Facebook", "Accepted, both told")}
    assert suggested(page) == {"Ben": ("Raj", "both: Instagram")}
    assert matches() == {"Ann": ("Sue", ACCEPTED)}
    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ann@example.org", "sue@example.org"]
    first = invite_in(mail["sue@example.org"][0])

    # a later pair with the same surgeon: her update lists everyone so far
    attend(client, event, "Cat", topics=("Facebook",))
    mailbox.deliver()
    page = press_in_row(client, session, "Suggested pairs", "Cat", "Accept")
    assert suggested(page) == {"Ben": ("Raj", "both: Instagram")}
    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["cat@example.org", "sue@example.org"]
    received = mail["sue@example.org"][0]
    update = invite_in(received)
    assert update.uid == first.uid
    assert update.sequence == first.sequence + 1
    assert "Ann would like help with Facebook." in text_of(received)
    assert "Cat would like help with Facebook." in text_of(received)


# locking, unlocking and pairing by hand


def test_a_locked_pair_stays_when_matching_runs_again_until_unlocked(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event()
    session = event.sessions[0]
    add_surgeon(client, event, "Sue", topics=("Facebook", "Instagram"), capacity=2)
    add_surgeon(client, event, "Raj", topics=("Facebook",), capacity=2)
    attend(client, event, "Ann", topics=("Facebook", "Instagram"))
    attend(client, event, "Ben", topics=("Facebook",))
    mailbox.deliver()
    page = client.get(matching_url(session)).text
    assert suggested(page)["Ann"] == ("Sue", "both: Facebook, Instagram")

    # lock the suggestion as it is
    page = press_in_row(client, session, "Suggested pairs", "Ann", "Lock")
    assert "Pair locked." in flashes(page)
    assert fixed(page) == {"Ann": ("Sue", "both: Facebook, Instagram", "Locked")}
    assert "Ann" not in suggested(page)
    assert matches() == {"Ann": ("Sue", LOCKED)}

    # Ann is paired with Raj by hand instead; running matching again keeps that
    page = pair_by_hand(client, session, "Ann", "Raj")
    assert fixed(page) == {"Ann": ("Raj", "both: Facebook", "Locked")}
    assert matches() == {"Ann": ("Raj", LOCKED)}
    for _ in range(2):
        again = client.get(matching_url(session)).text
        assert fixed(again) == {"Ann": ("Raj", "both: Facebook", "Locked")}
        assert "Ann" not in suggested(again)
        assert "Ben" in suggested(again)
    assert mailbox.deliver() == []  # locking tells nobody

    page = press_in_row(client, session, "Fixed pairs", "Ann", "Unlock")
    assert "Pair unlocked." in flashes(page)
    assert "No pairs fixed yet." in page
    assert suggested(page)["Ann"] == ("Sue", "both: Facebook, Instagram")
    assert count(Match) == 0


def test_swapping_two_attendees_by_hand_then_accepting(organiser_client, make_event, mailbox):
    client = organiser_client
    event = make_event(organiser_email=ORGANISER)
    session = event.sessions[0]
    add_surgeon(client, event, "Sue", topics=("Facebook", "Instagram"), capacity=1)
    add_surgeon(client, event, "Raj", topics=("Instagram", "Video"), capacity=1)
    attend(client, event, "Ann", topics=("Facebook", "Instagram"))
    attend(client, event, "Ben", topics=("Instagram", "Video"))
    mailbox.deliver()
    page = client.get(matching_url(session)).text
    assert suggested(page) == {
        "Ann": ("Sue", "both: Facebook, Instagram"),
        "Ben": ("Raj", "both: Instagram, Video"),
    }

    # the organiser knows better: Ann goes to Raj, so Ben waits for Sue's place
    page = pair_by_hand(client, session, "Ann", "Raj")
    assert fixed(page) == {"Ann": ("Raj", "both: Instagram", "Locked")}
    assert suggested(page) == {"Ben": ("Sue", "both: Instagram")}
    page = pair_by_hand(client, session, "Ben", "Sue")
    assert fixed(page) == {
        "Ann": ("Raj", "both: Instagram", "Locked"),
        "Ben": ("Sue", "both: Instagram", "Locked"),
    }
    assert "No new suggestions." in page

    for name in ("Ann", "Ben"):
        page = press_in_row(client, session, "Fixed pairs", name, "Accept")
    assert matches() == {"Ann": ("Raj", ACCEPTED), "Ben": ("Sue", ACCEPTED)}
    mail = mail_by_person(mailbox)
    assert "You will meet Raj" in text_of(mail["ann@example.org"][0])
    assert "You will meet Sue" in text_of(mail["ben@example.org"][0])
    assert "Ann would like help with" in text_of(mail["raj@example.org"][0])
    assert "Ben would like help with" in text_of(mail["sue@example.org"][0])


def test_pairing_by_hand_with_a_surgeon_who_cannot_help_says_so(organiser_client, make_event):
    client = organiser_client
    event = make_event()
    session = event.sessions[0]
    add_surgeon(client, event, "Sue", topics=("Facebook",), capacity=1)
    attend(client, event, "Cat", topics=("Video",))
    page = client.get(matching_url(session)).text
    assert "Cat" in unpaired(page)
    page = pair_by_hand(client, session, "Cat", "Sue")
    assert fixed(page) == {"Cat": ("Sue", "chosen by an organiser", "Locked")}
    assert unpaired(page) == {}


def test_a_surgeon_is_never_given_more_people_than_they_offered(organiser_client, make_event):
    client = organiser_client
    event = make_event()
    session = event.sessions[0]
    add_surgeon(client, event, "Sue", capacity=1)
    add_surgeon(client, event, "Raj", capacity=1)
    attend(client, event, "Ann")
    attend(client, event, "Ben")
    pair_by_hand(client, session, "Ann", "Sue")
    page = pair_by_hand(client, session, "Ben", "Sue")
    assert flashes(page) == ["Sue is already helping 1, as many as they offered."]
    assert matches() == {"Ann": ("Sue", LOCKED)}
    assert fixed(page) == {"Ann": ("Sue", "both: Facebook", "Locked")}
    assert suggested(page) == {"Ben": ("Raj", "both: Facebook")}
    assert "Sue (1/1)" in plain(section(page, "Suggested pairs"))

    # accepting a pair beyond her capacity is refused the same way, and tells nobody
    url = matching_url(session)
    ben, sue = booking_of("Ben").id, surgeon_of("Sue").id
    post_form(client, url, f"{url}/accept", data={"pair": f"{ben}:{sue}"})
    assert flashes(client.get(url).text) == ["Sue is already helping 1, as many as they offered."]
    assert matches() == {"Ann": ("Sue", LOCKED)}


def test_accepting_many_pairs_is_all_or_nothing(organiser_client, make_event, mailbox):
    client = organiser_client
    event = make_event()
    session = event.sessions[0]
    add_surgeon(client, event, "Sue", capacity=1)
    attend(client, event, "Ann")
    attend(client, event, "Ben")
    mailbox.deliver()
    url = matching_url(session)
    sue = surgeon_of("Sue").id
    pairs = [f"{booking_of(name).id}:{sue}" for name in ("Ann", "Ben")]
    confirm_form(client, url, f"{url}/accept", data={"pair": pairs})
    assert flashes(client.get(url).text) == ["Sue is already helping 1, as many as they offered."]
    assert count(Match) == 0
    assert mailbox.deliver() == []


def test_an_accepted_pair_stays(organiser_client, make_event, mailbox):
    client = organiser_client
    event = make_event()
    session = event.sessions[0]
    add_surgeon(client, event, "Sue", capacity=1)
    add_surgeon(client, event, "Raj", capacity=1)
    attend(client, event, "Ann")
    mailbox.deliver()
    pair_by_hand(client, session, "Ann", "Sue")
    page = press_in_row(client, session, "Fixed pairs", "Ann", "Accept")
    queued = count(OutboxMessage)
    row = rows(page, "Fixed pairs")["Ann"]
    assert not [f for f in forms_in(row.html) if f[1].startswith(("Unlock", "Pair by hand"))]

    url = matching_url(session)
    match = db.session.scalars(sa.select(Match)).one()
    post_form(client, url, f"{url}/{match.id}/unlock")
    assert flashes(client.get(url).text) == [
        "This pair was accepted and both people were told; it stays."
    ]
    raj = surgeon_of("Raj").id
    post_form(client, url, f"{url}/lock", data={"pair": f"{booking_of('Ann').id}:{raj}"})
    assert flashes(client.get(url).text) == [
        "This pair was accepted and both people were told; it stays."
    ]
    assert matches() == {"Ann": ("Sue", ACCEPTED)}
    assert count(OutboxMessage) == queued  # the refusals told nobody
    assert mail_by_person(mailbox).keys() == {"ann@example.org", "sue@example.org"}


def test_an_attendee_who_cancels_frees_their_surgeons_place(organiser_client, make_event, mailbox):
    client = organiser_client
    event = make_event()
    session = event.sessions[0]
    add_surgeon(client, event, "Sue", capacity=1)
    ann = manage_token(attend(client, event, "Ann"))
    accept_all(client, session)
    mailbox.deliver()

    manage = f"/bookings/{ann}"
    cancel = re.search(r'action="(/bookings/[^"]+/cancel/\d+)"', client.get(manage).text).group(1)
    assert confirm_form(client, manage, cancel).status_code == 303
    attend(client, event, "Ben")
    mailbox.deliver()

    page = client.get(matching_url(session)).text
    assert "Ann" not in plain(page)
    assert suggested(page) == {"Ben": ("Sue", "both: Facebook")}
    assert "Sue (1/1)" in plain(section(page, "Suggested pairs"))  # Ben only
    page = accept_all(client, session)
    assert "1 pair accepted." in flashes(page)
    mail = mail_by_person(mailbox)
    assert sorted(mail) == ["ben@example.org", "sue@example.org"]
    told = text_of(mail["sue@example.org"][0])
    assert "Ben would like help with Facebook." in told
    assert "Ann" not in words_of(mail["sue@example.org"][0])


# bad requests and who may see the page


@pytest.mark.parametrize(
    "pair",
    ["", "abc", "12", "12:", ":3", "1:x", "-1:2", "1:2:3", "1 :2", "²:1", None],
)
@pytest.mark.parametrize("action", ["accept", "lock"])
def test_bad_pair_values_are_a_bad_request(organiser_client, make_event, action, pair):
    event = make_event()
    add_surgeon(organiser_client, event, "Sue")
    attend(organiser_client, event, "Ann")
    url = matching_url(event.sessions[0])
    response = post_form(
        organiser_client, url, f"{url}/{action}", data={} if pair is None else {"pair": pair}
    )
    assert response.status_code == 400
    assert count(Match) == 0


def test_locking_two_pairs_at_once_is_a_bad_request(organiser_client, make_event):
    event = make_event()
    sue = add_surgeon(organiser_client, event, "Sue", capacity=2)
    attend(organiser_client, event, "Ann")
    attend(organiser_client, event, "Ben")
    url = matching_url(event.sessions[0])
    pairs = [f"{booking_of(name).id}:{sue.id}" for name in ("Ann", "Ben")]
    response = post_form(organiser_client, url, f"{url}/lock", data={"pair": pairs})
    assert response.status_code == 400
    assert count(Match) == 0


def test_pairs_from_another_session_are_refused(organiser_client, make_event):
    client = organiser_client
    event = make_event(sessions=TWO_SURGERIES)
    morning, afternoon = event.sessions
    sue = add_surgeon(client, event, "Sue", capacity=2, sessions=[morning.id, afternoon.id])
    attend(client, event, "Ann", session=afternoon)
    url = matching_url(morning)
    for action in ("lock", "accept"):
        post_form(client, url, f"{url}/{action}", data={"pair": f"{booking_of('Ann').id}:{sue.id}"})
        assert flashes(client.get(url).text) == ["That person is not booked on this session."]
    # nor can a pair of the afternoon be unlocked from the morning's page
    pair_by_hand(client, afternoon, "Ann", "Sue")
    match = db.session.scalars(sa.select(Match)).one()
    post_form(client, url, f"{url}/{match.id}/unlock")
    assert flashes(client.get(url).text) == ["That pair no longer exists."]
    assert matches() == {"Ann": ("Sue", LOCKED)}


def test_only_surgery_sessions_have_a_matching_page(organiser_client, make_event):
    sessions = [{"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 10}]
    workshop = make_event(sessions=sessions).sessions[0]
    surgery = make_event().sessions[0]
    for session_id in (workshop.id, 999999):
        url = f"/organise/sessions/{session_id}/matching"
        assert organiser_client.get(url).status_code == 404
        for action in ("accept", "lock", "1/unlock"):
            response = post_form(
                organiser_client, matching_url(surgery), f"{url}/{action}", data={"pair": "1:1"}
            )
            assert response.status_code == 404, action


def test_every_matching_page_needs_sign_in(client, make_event):
    event = make_event()
    session = event.sessions[0]
    attend(client, event, "Ann")
    url = matching_url(session)
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    public = f"/events/{event.id}/volunteer"
    for action in ("accept", "lock", "1/unlock"):
        response = post_form(
            client, public, f"{url}/{action}", data={"pair": f"{booking_of('Ann').id}:1"}
        )
        assert response.status_code == 302, action
        assert response.headers["Location"].startswith("/login"), action
    assert count(Match) == 0
