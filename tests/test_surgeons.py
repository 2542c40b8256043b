"""Surgeons: the public volunteer form, the private manage link, and the organisers' pages.

Everything goes through the pages as a person would use them; emails are read as a real
SMTP server received them, and every invite is parsed with vobject.
"""

import re

import pytest
import sqlalchemy as sa

from surgery.events.models import DRAFT, SURGERY, WORKSHOP
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from surgery.matching.models import Match
from surgery.surgeons.models import (
    APPROVED,
    DECLINED,
    PENDING,
    WITHDRAWN,
    Surgeon,
    SurgeonSession,
)
from surgery.vocabulary.models import RoleTag, Topic
from tests.conftest import (
    book,
    confirm_form,
    count,
    csrf_from,
    is_ticked,
    manage_token,
    post_form,
)
from tests.mail_fixtures import has_calendar, invite_in, text_of

ORGANISER = "leeds-surgery@example.org"
SITE = "surgery@example.org"  # the tests' site address, from PUBLIC_BASE_URL (an IP address)
LIVED = "Lived experience of mental health difficulties"
TWO_SURGERIES = [
    {"kind": SURGERY, "title": "Morning surgery", "capacity": 10},
    {"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 10, "hour_offset": 2},
    {"kind": SURGERY, "title": "Afternoon surgery", "capacity": 10, "hour_offset": 4},
]
SURGEON_LINK = re.compile(r"https?://[^/\s]+(/volunteer/[\w-]+)")


# helpers


def ids(model, *names: str) -> list[int]:
    """The ids of vocabulary terms, in the order named."""
    rows = {t.name: t.id for t in db.session.scalars(sa.select(model).where(model.name.in_(names)))}
    assert set(rows) == set(names), rows
    return [rows[name] for name in names]


def surgeries(event) -> list:
    """The event's surgery sessions, in order."""
    return [s for s in event.sessions if s.kind == SURGERY]


def volunteer(client, event, name="Sue", **fields):
    """Send the public volunteer form (Facebook, the first surgery, two people by default)."""
    data = {
        "name": name,
        "email": f"{name.lower()}@example.org",
        "topics": ids(Topic, "Facebook"),
        "sessions": [surgeries(event)[0].id],
        "capacity": "2",
        **fields,
    }
    return post_form(client, f"/events/{event.id}/volunteer", data=data)


def manage_path(response) -> str:
    """The manage page a successful volunteering redirected to."""
    assert response.status_code == 303, response.text
    location = response.headers["Location"]
    assert re.fullmatch(r"/volunteer/[\w-]{20,}", location), location
    return location


def surgeon_of(email: str) -> Surgeon:
    """The one surgeon with this email, fresh from the database."""
    db.session.expire_all()
    return db.session.scalars(sa.select(Surgeon).where(Surgeon.email == email)).one()


def field_error(page: str, field: str) -> str:
    """The error message shown next to a field, or '' if none."""
    match = re.search(rf'id="{field}-error">(.*?)</p>', page, re.S)
    if not match:
        return ""
    return match.group(1).replace('<span class="visually-hidden">Error:</span>', "").strip()


def surgeons_page(event) -> str:
    return f"/organise/events/{event.id}/surgeons"


def press(client, event, surgeon: Surgeon, action: str):
    """Press Approve or Decline for a surgeon on the organiser's surgeons page."""
    page = surgeons_page(event)
    url = f"{page}/{surgeon.id}/{action}"
    assert f'action="{url}"' in client.get(page).text, f"no {action} button"
    return (confirm_form if action == "decline" else post_form)(client, page, url)


def link_in(text: str) -> str:
    """The path of the surgeon's private link in a text."""
    match = SURGEON_LINK.search(text)
    assert match, text
    return match.group(1)


def row_of(page: str, name: str) -> str:
    """The table row of the organiser's surgeons page that starts with this name."""
    match = re.search(rf'<tr>\s*<th scope="row">{re.escape(name)}<.*?</tr>', page, re.S)
    assert match, f"no row for {name}"
    return match.group(0)


def plain(html: str) -> str:
    """Page text with tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# the volunteer form


def test_the_event_page_invites_people_to_volunteer(client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.id}").text
    assert f'href="/events/{event.id}/volunteer"' in page
    form = client.get(f"/events/{event.id}/volunteer")
    assert form.status_code == 200
    assert "Volunteer as a surgeon" in form.text
    assert is_ticked(form.text, "sessions", event.sessions[0].id)  # the only surgery


def test_volunteering_opens_the_manage_page_and_sends_thanks(client, make_event, mailbox):
    event = make_event(organiser_email=ORGANISER, sessions=TWO_SURGERIES)
    morning, afternoon = surgeries(event)
    response = volunteer(
        client,
        event,
        "Sue",
        topics=ids(Topic, "Facebook", "Online safety and privacy"),
        sessions=[morning.id, afternoon.id],
        capacity="3",
        bio="I run the Facebook page of a food bank.",
        languages="bsl, urdu",
    )
    path = manage_path(response)

    page = client.get(path).text
    assert "Thank you for volunteering. An organiser will be in touch soon." in page
    assert "Your volunteering" in page
    assert "Waiting for an organiser to confirm." in page
    assert 'value="BSL, Urdu"' in page
    assert is_ticked(page, "sessions", morning.id) and is_ticked(page, "sessions", afternoon.id)

    sue = surgeon_of("sue@example.org")
    assert sue.status == PENDING
    assert sue.name == "Sue"
    assert sue.capacity == 3
    assert sue.languages == ["BSL", "Urdu"]
    assert [t.name for t in sue.topics] == ["Facebook", "Online safety and privacy"]
    assert sue.session_ids == {morning.id, afternoon.id}
    assert sue.added_by_organiser is False

    # the thanks arrive over SMTP, with the private link and no invite yet
    [received] = mailbox.deliver()
    assert received.to == "sue@example.org"
    assert received.mail_from == SITE  # the site sends; replies go to the day's organiser
    assert received.message["Reply-To"].addresses[0].addr_spec == ORGANISER
    assert received.message["Subject"] == "Thank you for volunteering: Leeds surgery"
    assert not has_calendar(received)
    body = text_of(received)
    assert "Hello Sue" in body
    assert "An organiser will confirm soon" in body
    assert link_in(body) == path


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter your name."),
        ({"email": ""}, "email", "Enter your email address, so we can send your invites."),
        ({"email": "sue.example.org"}, "email", "Enter an email address like name@example.org."),
        ({"topics": []}, "topics", "Choose at least one thing you can help with."),
        ({"sessions": []}, "sessions", "Choose at least one surgery session you can do."),
        ({"capacity": "0"}, "capacity", "Enter how many people you can help, from 1 to 10."),
        ({"capacity": "11"}, "capacity", "Enter a number from 1 to 10."),
        ({"capacity": "lots"}, "capacity", "Enter how many people you can help, from 1 to 10."),
        ({"capacity": ""}, "capacity", "Enter how many people you can help, from 1 to 10."),
    ],
)
def test_bad_volunteering_shows_the_message_by_the_field_keeps_answers_and_saves_nothing(
    client, make_event, changes, field, message
):
    event = make_event()
    fields = {
        "name": "Sue",
        "email": "sue@example.org",
        "bio": "I run a food bank's page.",
        "languages": "BSL",
        "capacity": "3",
        **changes,
    }
    response = volunteer(client, event, **fields)
    page = response.text
    assert response.status_code == 400
    assert "Error: Volunteer as a surgeon" in page  # the page title says so first
    assert "Please check these and try again" in page
    assert field_error(page, field) == message
    others = {"name", "email", "topics", "sessions", "capacity"} - {field}
    assert all(field_error(page, other) == "" for other in others)
    # what was typed or ticked is still there
    assert f'value="{fields["name"]}"' in page
    assert f'value="{fields["email"]}"' in page
    assert f'value="{fields["capacity"]}"' in page
    assert "I run a food bank&#39;s page." in page
    assert 'value="BSL"' in page
    if field != "topics":
        assert is_ticked(page, "topics", ids(Topic, "Facebook")[0])
    assert count(Surgeon) == 0
    assert count(SurgeonSession) == 0
    assert count(OutboxMessage) == 0


def test_a_session_that_is_not_a_surgery_is_refused(client, make_event):
    event = make_event(sessions=TWO_SURGERIES)
    workshop = next(s for s in event.sessions if s.kind == WORKSHOP)
    other_day = make_event(title="Bradford surgery")
    for session in (workshop, other_day.sessions[0]):
        response = volunteer(client, event, sessions=[session.id])
        assert response.status_code == 400
        assert "is not a valid choice" in field_error(response.text, "sessions")
    assert count(Surgeon) == 0


def test_post_without_csrf_token_is_refused_and_saves_nothing(client, make_event):
    event = make_event()
    data = {
        "name": "Sue",
        "email": "sue@example.org",
        "topics": ids(Topic, "Facebook"),
        "sessions": [event.sessions[0].id],
        "capacity": "2",
    }
    response = client.post(f"/events/{event.id}/volunteer", data=data)
    assert response.status_code == 400
    assert "This form could not be accepted" in response.text
    assert count(Surgeon) == 0
    assert count(OutboxMessage) == 0


def test_same_email_again_changes_nothing_and_the_owner_gets_their_link(
    client, make_event, mailbox
):
    event = make_event()
    path = manage_path(volunteer(client, event, "Sue", bio="I run a food bank page"))
    assert [r.to for r in mailbox.deliver()] == ["sue@example.org"]  # the thank-you
    again = volunteer(client, event, "Susan", email="SUE@Example.org", capacity="5")
    assert again.status_code == 200
    assert "This email address has already volunteered for this day" in again.text
    assert "We have emailed the private link" in again.text
    for secret in (path, "Sue", "food bank"):
        assert secret not in again.text
    assert count(Surgeon) == 1
    sue = surgeon_of("sue@example.org")
    assert (sue.name, sue.capacity) == ("Sue", 2)
    [received] = mailbox.deliver()
    assert received.to == "sue@example.org"
    assert received.message["Subject"].startswith("Your volunteer link: Leeds surgery on ")
    assert link_in(text_of(received)) == path


def test_a_double_clicked_submit_makes_one_volunteer(client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.id}/volunteer").text
    form_key = re.search(r'name="form_key" type="hidden" value="([^"]+)"', page).group(1)
    data = {
        "csrf_token": csrf_from(page),
        "form_key": form_key,
        "name": "Sue",
        "email": "sue@example.org",
        "topics": ids(Topic, "Facebook"),
        "sessions": [event.sessions[0].id],
        "capacity": "2",
    }
    first = client.post(f"/events/{event.id}/volunteer", data=data)
    second = client.post(f"/events/{event.id}/volunteer", data=data)
    assert manage_path(first) == manage_path(second)
    assert count(Surgeon) == 1


def test_role_tags_are_kept_only_with_consent(organiser_client, make_event):
    event = make_event()
    lived = ids(RoleTag, LIVED)
    manage_path(volunteer(organiser_client, event, "Ann", role_tags=lived))
    manage_path(volunteer(organiser_client, event, "Bob", role_tags=lived, consent="y"))

    ann, bob = surgeon_of("ann@example.org"), surgeon_of("bob@example.org")
    assert (ann.role_tags, ann.consent_sensitive, ann.lived_experience) == ([], False, False)
    assert [t.name for t in bob.role_tags] == [LIVED]
    assert (bob.consent_sensitive, bob.lived_experience) == (True, True)

    page = organiser_client.get(surgeons_page(event)).text
    assert LIVED not in row_of(page, "Ann")
    assert LIVED in row_of(page, "Bob")


@pytest.mark.parametrize("status", [DRAFT, "cancelled"])
def test_a_day_that_is_not_published_takes_no_volunteers(client, make_event, status):
    event = make_event(status=status)
    published = make_event(title="Another day")
    url = f"/events/{event.id}/volunteer"
    assert client.get(url).status_code == 404
    data = {
        "name": "Sue",
        "email": "sue@example.org",
        "topics": ids(Topic, "Facebook"),
        "sessions": [event.sessions[0].id],
        "capacity": "2",
    }
    response = post_form(client, f"/events/{published.id}/volunteer", url, data=data)
    assert response.status_code == 404
    assert count(Surgeon) == 0
    assert client.get("/events/999999/volunteer").status_code == 404


# the private manage link


def test_a_surgeon_changes_their_sessions_and_topics(client, make_event):
    event = make_event(sessions=TWO_SURGERIES)
    morning, afternoon = surgeries(event)
    path = manage_path(volunteer(client, event, "Sue", sessions=[morning.id]))
    page = client.get(path).text
    assert is_ticked(page, "sessions", morning.id)
    assert not is_ticked(page, "sessions", afternoon.id)
    assert is_ticked(page, "topics", ids(Topic, "Facebook")[0])

    changes = {
        "name": "Sue Smith",
        "sessions": [afternoon.id],
        "topics": ids(Topic, "Instagram", "Video"),
        "capacity": "4",
        "languages": "Welsh",
    }
    saved = post_form(client, path, data=changes)
    assert saved.status_code == 303
    assert saved.headers["Location"] == path
    page = client.get(path).text
    assert "Your changes are saved." in page
    assert is_ticked(page, "sessions", afternoon.id)
    assert not is_ticked(page, "sessions", morning.id)
    assert not is_ticked(page, "topics", ids(Topic, "Facebook")[0])

    sue = surgeon_of("sue@example.org")
    assert sue.name == "Sue Smith"
    assert sue.session_ids == {afternoon.id}
    assert [t.name for t in sue.topics] == ["Instagram", "Video"]
    assert (sue.capacity, sue.languages) == (4, ["Welsh"])


def test_a_bad_change_on_the_manage_page_is_refused_and_changes_nothing(client, make_event):
    event = make_event()
    path = manage_path(volunteer(client, event, "Sue"))
    response = post_form(
        client,
        path,
        data={"name": "Sue", "sessions": [], "topics": ids(Topic, "Video"), "capacity": "11"},
    )
    assert response.status_code == 400
    assert field_error(response.text, "sessions") == (
        "Choose at least one surgery session you can do."
    )
    assert field_error(response.text, "capacity") == "Enter a number from 1 to 10."
    sue = surgeon_of("sue@example.org")
    assert sue.capacity == 2
    assert [t.name for t in sue.topics] == ["Facebook"]
    assert sue.session_ids == {event.sessions[0].id}


def test_an_approved_surgeon_changing_sessions_gets_a_cancel_and_a_new_invite(
    organiser_client, make_event, mailbox
):
    event = make_event(organiser_email=ORGANISER, sessions=TWO_SURGERIES)
    morning, afternoon = surgeries(event)
    path = manage_path(volunteer(organiser_client, event, "Sue", sessions=[morning.id]))
    press(organiser_client, event, surgeon_of("sue@example.org"), "approve")
    mailbox.deliver()
    old_uid = surgeon_of("sue@example.org").availability[0].ical_uid

    fields = {"name": "Sue", "sessions": [afternoon.id], "topics": ids(Topic, "Facebook")}
    assert post_form(organiser_client, path, data={**fields, "capacity": "2"}).status_code == 303
    invites = {invite_in(r).method: invite_in(r) for r in mailbox.deliver()}
    assert set(invites) == {"CANCEL", "REQUEST"}
    cancel, request = invites["CANCEL"], invites["REQUEST"]
    assert (cancel.uid, cancel.sequence, cancel.starts) == (old_uid, 1, morning.starts_at)
    assert cancel.status == "CANCELLED"
    new_slot = surgeon_of("sue@example.org").availability[0]
    assert new_slot.session_id == afternoon.id
    assert (request.uid, request.sequence, request.starts) == (
        new_slot.ical_uid,
        0,
        afternoon.starts_at,
    )
    assert request.uid != old_uid


def test_a_pending_surgeon_changing_sessions_gets_no_invites(client, make_event, mailbox):
    event = make_event(sessions=TWO_SURGERIES)
    morning, afternoon = surgeries(event)
    path = manage_path(volunteer(client, event, "Sue", sessions=[morning.id]))
    mailbox.deliver()  # the thank-you
    fields = {"name": "Sue", "sessions": [afternoon.id], "topics": ids(Topic, "Facebook")}
    assert post_form(client, path, data={**fields, "capacity": "2"}).status_code == 303
    assert mailbox.deliver() == []


def test_a_tampered_or_unknown_link_is_not_found(client, make_event):
    event = make_event()
    path = manage_path(volunteer(client, event, "Sue"))
    token = path.rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(f"/volunteer/{tampered}").status_code == 404
    assert client.get("/volunteer/nonsense").status_code == 404
    withdraw = post_form(client, path, f"/volunteer/{tampered}/withdraw")
    assert withdraw.status_code == 404
    # an attendee's private link is not a surgeon's
    attendee = manage_token(book(client, event, "Ann"))
    assert client.get(f"/volunteer/{attendee}").status_code == 404
    assert surgeon_of("sue@example.org").status == PENDING


def test_withdrawing_cancels_the_invites_and_frees_the_attendees(
    organiser_client, make_event, mailbox
):
    event = make_event(organiser_email=ORGANISER, sessions=TWO_SURGERIES)
    morning, afternoon = surgeries(event)
    client = organiser_client
    path = manage_path(volunteer(client, event, "Sue", sessions=[morning.id, afternoon.id]))
    press(client, event, surgeon_of("sue@example.org"), "approve")
    book(client, event, "Ann", sessions=[morning.id], topics=ids(Topic, "Facebook"))
    sue = surgeon_of("sue@example.org")
    invites = [invite_in(r) for r in mailbox.deliver() if r.to == sue.email and has_calendar(r)]
    first = {invite.uid: invite for invite in invites}
    assert set(first) == {slot.ical_uid for slot in sue.availability}

    # the organiser pairs Ann with Sue, then Sue can no longer come
    matching = f"/organise/sessions/{morning.id}/matching"
    ann_booking = re.search(r'name="pair" value="(\d+):', client.get(matching).text).group(1)
    locked = post_form(
        client, matching, f"{matching}/lock", data={"pair": f"{ann_booking}:{sue.id}"}
    )
    assert locked.status_code == 303
    assert count(Match) == 1

    page = client.get(path).text
    assert "Withdraw from this day" in page
    withdrawn = confirm_form(client, path, f"{path}/withdraw")
    assert withdrawn.status_code == 303
    page = client.get(path).text
    assert "You have withdrawn. Thank you for letting us know." in page
    assert "Save changes" not in page

    sue = surgeon_of("sue@example.org")
    assert sue.status == WITHDRAWN
    assert count(Match) == 0
    mail = mailbox.deliver()
    assert {r.to for r in mail} == {"sue@example.org"}
    cancels = {invite_in(r).uid: invite_in(r) for r in mail}
    assert set(cancels) == set(first)
    for uid, cancel in cancels.items():
        assert (cancel.method, cancel.status) == ("CANCEL", "CANCELLED")
        assert cancel.sequence == first[uid].sequence + 1
        assert cancel.starts == first[uid].starts

    # Ann waits for another surgeon; Sue is not offered any more
    matching_page = plain(client.get(matching).text)
    assert "No surgeons are available for this session" in matching_page
    assert "Sue" not in matching_page
    # a withdrawn surgeon cannot change their answers
    fields = {"name": "Sue", "sessions": [morning.id], "topics": ids(Topic, "Facebook")}
    late = client.post(path, data={**fields, "capacity": "2", "csrf_token": csrf_from(page)})
    assert late.status_code == 400
    assert surgeon_of("sue@example.org").status == WITHDRAWN


def test_a_pending_surgeon_withdrawing_gets_no_cancellations(client, make_event, mailbox):
    event = make_event()
    path = manage_path(volunteer(client, event, "Sue"))
    mailbox.deliver()
    assert confirm_form(client, path, f"{path}/withdraw").status_code == 303
    assert surgeon_of("sue@example.org").status == WITHDRAWN
    assert mailbox.deliver() == []


def test_a_surgeon_who_withdrew_can_volunteer_again(organiser_client, make_event, mailbox):
    event = make_event(organiser_email=ORGANISER)
    client = organiser_client
    path = manage_path(volunteer(client, event, "Sue"))
    press(client, event, surgeon_of("sue@example.org"), "approve")
    sent = [invite_in(r) for r in mailbox.deliver() if has_calendar(r)]
    confirm_form(client, path, f"{path}/withdraw")
    sent += [invite_in(r) for r in mailbox.deliver() if has_calendar(r)]
    assert [i.method for i in sent] == ["REQUEST", "CANCEL"]

    again = manage_path(volunteer(client, event, "Sue", capacity="1"))
    assert "Waiting for an organiser to confirm." in client.get(again).text
    sue = surgeon_of("sue@example.org")
    assert (sue.status, sue.capacity, count(Surgeon)) == (PENDING, 1, 1)
    press(client, event, sue, "approve")
    [request] = [invite_in(r) for r in mailbox.deliver() if has_calendar(r)]
    assert request.method == "REQUEST"
    assert request.uid == sent[0].uid
    assert request.sequence > sent[1].sequence  # newer than the cancellation


# organisers


def test_every_surgeon_page_for_organisers_needs_sign_in(client, make_event):
    event = make_event()
    manage_path(volunteer(client, event, "Sue"))
    sue = surgeon_of("sue@example.org")
    page = surgeons_page(event)
    for url in (page, f"{page}/new"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next="), url
    public = f"/events/{event.id}/volunteer"
    for url in (f"{page}/{sue.id}/approve", f"{page}/{sue.id}/decline", f"{page}/new"):
        data = {
            "name": "Bob",
            "email": "bob@example.org",
            "topics": ids(Topic, "Facebook"),
            "sessions": [event.sessions[0].id],
            "capacity": "2",
        }
        response = post_form(client, public, url, data=data)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url
    assert surgeon_of("sue@example.org").status == PENDING
    assert count(Surgeon) == 1


def test_approving_sends_an_invite_for_each_session(organiser_client, make_event, mailbox):
    event = make_event(
        organiser_email=ORGANISER,
        sessions=TWO_SURGERIES,
        venue_name="Leeds Central Library",
        venue_address="Calverley Street, Leeds",
    )
    morning, afternoon = surgeries(event)
    client = organiser_client
    path = manage_path(volunteer(client, event, "Sue", sessions=[morning.id, afternoon.id]))
    assert len(mailbox.deliver()) == 1  # the thank-you

    page = client.get(surgeons_page(event)).text
    assert "Pending" in row_of(page, "Sue")
    approved = press(client, event, surgeon_of("sue@example.org"), "approve")
    assert approved.status_code == 303
    page = client.get(surgeons_page(event)).text
    assert "Sue approved; their invites are on the way." in page
    assert "Approved" in row_of(page, "Sue")
    assert surgeon_of("sue@example.org").status == APPROVED

    mail = mailbox.deliver()
    assert [r.to for r in mail] == ["sue@example.org"] * 2
    slots = {s.session_id: s for s in surgeon_of("sue@example.org").availability}
    by_start = {}
    for received in mail:
        invite = invite_in(received)
        assert invite.method == "REQUEST"
        assert invite.status == "CONFIRMED"
        assert invite.sequence == 0
        assert invite.event.organizer.value.lower() == f"mailto:{SITE}"  # as it sends
        assert invite.event.attendee.value.lower() == "mailto:sue@example.org"
        assert invite.event.attendee.params["CN"] == ["Sue"]
        assert invite.event.location.value == "Leeds Central Library, Calverley Street, Leeds"
        assert link_in(text_of(received)) == path
        assert SURGEON_LINK.search(invite.raw.decode()) is None
        assert received.message["Subject"].startswith("You are a surgeon: ")
        assert "You are confirmed as a surgeon for this session." in text_of(received)
        by_start[invite.starts] = invite
    assert set(by_start) == {morning.starts_at, afternoon.starts_at}
    assert by_start[morning.starts_at].uid == slots[morning.id].ical_uid
    assert by_start[afternoon.starts_at].uid == slots[afternoon.id].ical_uid
    assert slots[morning.id].ical_uid != slots[afternoon.id].ical_uid

    # the link in the invite opens the surgeon's page, now confirmed
    assert "Confirmed. Your invites are in your email." in client.get(path).text
    # approving twice sends nothing more
    post_form(
        client,
        surgeons_page(event),
        f"{surgeons_page(event)}/{slots[morning.id].surgeon_id}/approve",
    )
    assert mailbox.deliver() == []


def test_declining_sends_thanks_and_no_invite(organiser_client, make_event, mailbox):
    event = make_event(organiser_email=ORGANISER)
    path = manage_path(volunteer(organiser_client, event, "Sue"))
    mailbox.deliver()
    declined = press(organiser_client, event, surgeon_of("sue@example.org"), "decline")
    assert declined.status_code == 303
    page = organiser_client.get(surgeons_page(event)).text
    assert "Sue declined, with thanks." in page
    assert "Declined" in row_of(page, "Sue")
    assert surgeon_of("sue@example.org").status == DECLINED

    [received] = mailbox.deliver()
    assert received.to == "sue@example.org"
    assert received.message["Subject"] == "Thank you for volunteering: Leeds surgery"
    assert not has_calendar(received)
    assert "The organisers have enough surgeons for this day" in text_of(received)
    assert "The organisers have enough surgeons this time." in organiser_client.get(path).text


def test_declining_an_approved_surgeon_cancels_their_invite(organiser_client, make_event, mailbox):
    event = make_event(organiser_email=ORGANISER)
    manage_path(volunteer(organiser_client, event, "Sue"))
    press(organiser_client, event, surgeon_of("sue@example.org"), "approve")
    request = invite_in(next(r for r in mailbox.deliver() if has_calendar(r)))
    press(organiser_client, event, surgeon_of("sue@example.org"), "decline")
    mail = mailbox.deliver()
    assert [r.to for r in mail] == ["sue@example.org"] * 2
    [cancel] = [invite_in(r) for r in mail if has_calendar(r)]
    assert (cancel.method, cancel.uid, cancel.sequence) == ("CANCEL", request.uid, 1)


def test_approving_again_after_declining_sends_a_newer_invite(
    organiser_client, make_event, mailbox
):
    event = make_event(organiser_email=ORGANISER)
    manage_path(volunteer(organiser_client, event, "Sue"))
    sue = surgeon_of("sue@example.org")
    sent = []
    for action in ("approve", "decline", "approve"):
        press(organiser_client, event, sue, action)
        sent += [invite_in(r) for r in mailbox.deliver() if has_calendar(r)]
    assert [i.method for i in sent] == ["REQUEST", "CANCEL", "REQUEST"]
    assert len({i.uid for i in sent}) == 1
    assert [i.sequence for i in sent] == [0, 1, 2]  # each newer than the last
    assert surgeon_of("sue@example.org").status == APPROVED


def test_organiser_adds_a_surgeon_who_is_approved_with_invites(
    organiser_client, make_event, mailbox
):
    event = make_event(organiser_email=ORGANISER, sessions=TWO_SURGERIES)
    morning, afternoon = surgeries(event)
    page = surgeons_page(event)
    assert f'href="{page}/new"' in organiser_client.get(page).text
    data = {
        "name": "Raj",
        "email": "Raj@Example.org",
        "topics": ids(Topic, "Websites", "Video"),
        "sessions": [morning.id, afternoon.id],
        "capacity": "1",
        "languages": "Punjabi",
    }
    added = post_form(organiser_client, f"{page}/new", data=data)
    assert added.status_code == 303
    assert added.headers["Location"] == page
    listing = organiser_client.get(page).text
    assert "Raj added." in listing
    assert "Approved" in row_of(listing, "Raj")
    assert "2 sessions, up to 1 person each" in row_of(listing, "Raj")

    raj = surgeon_of("raj@example.org")
    assert (raj.status, raj.added_by_organiser, raj.languages) == (APPROVED, True, ["Punjabi"])
    mail = mailbox.deliver()
    assert [r.to for r in mail] == ["raj@example.org"] * 2  # no "thank you for volunteering"
    invites = [invite_in(r) for r in mail]
    assert {i.method for i in invites} == {"REQUEST"}
    assert {i.uid for i in invites} == {s.ical_uid for s in raj.availability}
    assert {i.starts for i in invites} == {morning.starts_at, afternoon.starts_at}
    # Raj's own link works
    path = link_in(text_of(mail[0]))
    assert "Confirmed. Your invites are in your email." in organiser_client.get(path).text


def test_organiser_adding_a_surgeon_with_bad_input_sees_why(organiser_client, make_event):
    event = make_event()
    url = f"{surgeons_page(event)}/new"
    data = {"name": "", "email": "raj", "topics": [], "sessions": [], "capacity": "0"}
    response = post_form(organiser_client, url, data=data)
    assert response.status_code == 400
    page = response.text
    assert field_error(page, "name") == "Enter your name."
    assert field_error(page, "email") == "Enter an email address like name@example.org."
    assert field_error(page, "topics") == "Choose at least one thing you can help with."
    assert field_error(page, "sessions") == "Choose at least one surgery session you can do."
    assert field_error(page, "capacity") == "Enter how many people you can help, from 1 to 10."
    assert count(Surgeon) == 0


def test_organiser_can_add_a_surgeon_before_the_day_is_published(organiser_client, make_event):
    event = make_event(status=DRAFT)
    url = f"{surgeons_page(event)}/new"
    data = {
        "name": "Raj",
        "email": "raj@example.org",
        "topics": ids(Topic, "Websites"),
        "sessions": [event.sessions[0].id],
        "capacity": "2",
    }
    assert post_form(organiser_client, url, data=data).status_code == 303
    assert surgeon_of("raj@example.org").status == APPROVED


def test_surgeons_of_another_event_cannot_be_approved_there(organiser_client, make_event):
    event = make_event()
    other = make_event(title="Bradford surgery")
    manage_path(volunteer(organiser_client, other, "Sue"))
    sue = surgeon_of("sue@example.org")
    page = surgeons_page(event)
    for action in ("approve", "decline"):
        response = post_form(organiser_client, page, f"{page}/{sue.id}/{action}")
        assert response.status_code == 404
    assert organiser_client.get("/organise/events/999999/surgeons").status_code == 404
    assert surgeon_of("sue@example.org").status == PENDING


def test_organisers_see_who_came_before_as_an_attendee_or_a_surgeon(organiser_client, make_event):
    client = organiser_client
    earlier = make_event(title="Bradford surgery", days_ahead=5)
    today = make_event(title="Leeds surgery", days_ahead=30)
    book(client, earlier, "Ann", email="ann@example.org")
    manage_path(volunteer(client, earlier, "Bob"))
    manage_path(volunteer(client, today, "Ann", email="Ann@Example.org"))
    manage_path(volunteer(client, today, "Bob"))
    manage_path(volunteer(client, today, "Cat"))

    page = client.get(surgeons_page(today)).text
    assert "Came as an attendee: Bradford surgery." in plain(row_of(page, "Ann"))
    assert "Volunteered: Bradford surgery." in plain(row_of(page, "Bob"))
    assert "Came as an attendee" not in row_of(page, "Bob")
    assert "First time" in row_of(page, "Cat")
    # newest first
    assert page.index(">Cat<") < page.index(">Bob<") < page.index(">Ann<")
