"""Consent can be withdrawn from the manage page: the sensitive answers go at once, from
every page and download; sharing with a surgeon can be stopped on its own."""

import json

import sqlalchemy as sa

from surgery.audit.models import AuditEntry
from surgery.domain import audit
from surgery.domain.tokens import manage_token as token_for
from surgery.extensions import db
from surgery.personal.forget import has_answers
from surgery.vocabulary.models import RoleTag
from tests.conftest import confirm_form, post_form
from tests.test_matching_page import accept_all, add_surgeon, mail_by_person, surgeon_of
from tests.test_personal_data import (
    ACCESS,
    EMAIL,
    HELP,
    LANGUAGE,
    NAME,
    SECRET,
    book_everything,
    registration_named,
)

LIVED = "Lived experience of mental health difficulties"


def entries(action: str) -> list[AuditEntry]:
    """The audit entries of one action."""
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def test_withdrawing_consent_deletes_the_answers_everywhere_at_once(organiser_client, make_event):
    client = organiser_client
    event = make_event()
    token = book_everything(client, event)
    manage = f"/bookings/{token}"
    organiser_page = f"/organise/events/{event.id}"
    csv_url = f"{organiser_page}/bookings.csv?sensitive=1"
    assert HELP in client.get(organiser_page).text and LIVED in client.get(organiser_page).text
    assert ACCESS in client.get(csv_url).text

    page = client.get(manage).text
    assert "Stop keeping what I told you about myself" in page
    assert "lived experience of mental health difficulties" in page
    asked = post_form(client, manage, f"{manage}/withdraw-consent").get_data(as_text=True)
    assert "Stop keeping what you told us about yourself?" in asked
    for kind in ("role tags", "access needs", "want help with", "languages", "lived experience"):
        assert kind in asked, kind
    assert "Nobody will be emailed." in asked
    assert registration_named(NAME).consent_sensitive  # asking changed nothing

    done = confirm_form(client, manage, f"{manage}/withdraw-consent")
    assert done.status_code == 303
    person = registration_named(NAME)
    assert not has_answers(person)
    assert (person.role_tags, person.access_needs, person.access_other) == ([], [], "")
    assert (person.help_text, person.languages, person.consent_at) == ("", [], None)
    assert not person.share_with_surgeon and not person.wants_lived_experience
    assert [b.status for b in person.bookings] == ["confirmed"]  # the place stays

    page = client.get(manage).text
    assert "We have deleted your answers about you and your access needs." in page
    assert "We keep no answers about you or your access needs." in page
    assert HELP not in page and ACCESS not in page
    for shown in (client.get(organiser_page).text, client.get(csv_url).text):
        for answer in (HELP, ACCESS, LIVED, LANGUAGE):
            assert answer not in shown, answer
    assert NAME in client.get(organiser_page).text  # still booked, only the answers went

    [entry] = entries(audit.WITHDREW_CONSENT)
    assert (entry.actor, entry.subject) == (audit.THE_PERSON, f"registration {person.id}")
    assert "role_tags" in entry.detail and "access_other" in entry.detail
    for value in (HELP, ACCESS, LIVED, LANGUAGE, NAME, EMAIL):
        assert value not in f"{entry.subject} {entry.detail}"


def test_stopping_sharing_hides_the_answers_from_the_surgeon_only(
    organiser_client, make_event, mailbox
):
    client = organiser_client
    event = make_event()
    sue = add_surgeon(client, event, "Sue")
    token = book_everything(client, event)
    manage = f"/bookings/{token}"
    assert "Stop sharing with my surgeon" in client.get(manage).text

    assert post_form(client, manage, f"{manage}/stop-sharing").status_code == 303
    person = registration_named(NAME)
    assert not person.share_with_surgeon
    assert person.consent_sensitive and person.help_text == HELP  # still kept
    page = client.get(manage).text
    assert "Your surgeon will no longer see your answers" in page
    assert "Stop sharing with my surgeon" not in page

    mailbox.deliver()
    accept_all(client, event.sessions[0])
    told = mail_by_person(mailbox)["sue@example.org"][0].raw.decode()
    assert "Zephyrine would like help with Facebook." in told.replace("=\r\n", "")
    assert HELP not in told and LIVED not in told and "Quillfeather" not in told
    sue_view = client.get(f"/volunteer/{token_for(SECRET, sue.token_seed)}/your-data.json")
    helping = json.loads(sue_view.get_data(as_text=True))["sessions"][0]["helping"]
    assert helping == [{"name": "Zephyrine", "topics": ["Facebook"]}]

    [entry] = entries(audit.CHANGED_BOOKING)
    assert entry.actor == audit.THE_PERSON and "share_with_surgeon" in entry.detail


def test_a_surgeon_withdrawing_consent_loses_their_role_tags(organiser_client, make_event):
    client = organiser_client
    event = make_event()
    lived = db.session.scalars(sa.select(RoleTag.id).where(RoleTag.name == LIVED)).one()
    sue = add_surgeon(client, event, "Sue", role_tags=[lived], consent="y")
    assert [t.name for t in sue.role_tags] == [LIVED]
    manage = f"/volunteer/{token_for(SECRET, sue.token_seed)}"
    assert "Stop keeping what I told you about myself" in client.get(manage).text

    asked = post_form(client, manage, f"{manage}/withdraw-consent").get_data(as_text=True)
    assert "role tags, such as lived experience" in asked
    assert confirm_form(client, manage, f"{manage}/withdraw-consent").status_code == 303
    sue = surgeon_of("Sue")
    assert sue.role_tags == [] and not sue.consent_sensitive
    assert sue.status == "approved"  # still down as a surgeon
    assert "We have deleted your answers about you." in client.get(manage).text
    [entry] = entries(audit.WITHDREW_CONSENT)
    assert entry.subject == f"surgeon {sue.id}" and LIVED not in entry.detail
