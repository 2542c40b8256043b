"""Consent is asked before the answers it covers; we say exactly which answers were not
kept; "Prefer not to say" is not combined with other role tags."""

import re

import pytest
import sqlalchemy as sa

from surgery.bookings.models import Registration
from surgery.events.models import SURGERY
from surgery.extensions import db
from surgery.surgeons.models import Surgeon
from surgery.vocabulary.models import RoleTag, Topic
from tests.conftest import book, count, manage_token, post_form
from tests.test_checkin import registration as person

PREFER_NOT = "Prefer not to say"
REFUSED = "“Prefer not to say” cannot be chosen with other answers about you"


def tag_ids(*names: str) -> list[int]:
    """The ids of these role tags, in the order named."""
    rows = dict(db.session.execute(sa.select(RoleTag.name, RoleTag.id)).all())
    return [rows[name] for name in names]


def position(page: str, element_id: str) -> int:
    """Where the element with this id is on the page."""
    match = re.search(rf'id="{element_id}"', page)
    assert match, element_id
    return match.start()


@pytest.mark.parametrize("path", ["/events/{id}/book", "/bookings/{token}"])
def test_consent_is_asked_before_the_questions_it_covers(client, make_event, path):
    event = make_event()
    token = manage_token(book(client, event, "Sam"))
    page = client.get(path.format(id=event.id, token=token)).text
    consent = position(page, "consent")
    for sensitive in ("role_tags", "access_needs", "access_other", "wants_lived_experience"):
        assert consent < position(page, sensitive), sensitive
    assert position(page, "topics") < consent  # not sensitive: asked first as before


def test_the_manage_page_says_exactly_which_answers_were_not_kept(client, make_event):
    event = make_event()
    token = manage_token(book(client, event, "Sam"))
    manage = f"/bookings/{token}"
    data = {
        "role_tags": tag_ids("Volunteer", "Community journalist"),
        "access_needs": ["bsl"],
        "wants_lived_experience": "y",
    }
    saved = post_form(client, manage, f"{manage}/about", data=data, follow_redirects=True)
    assert (
        "You chose not to let us keep your role tags and access needs, so we did not keep: "
        "role tags (2), access needs (1), your wish for a surgeon with lived experience."
    ) in saved.text
    sam = person("Sam")
    assert sam.role_tags == [] and sam.access_needs == [] and not sam.wants_lived_experience


def test_prefer_not_to_say_with_another_role_tag_is_refused_on_the_booking_form(client, make_event):
    event = make_event()
    refused = book(client, event, "Sam", role_tags=tag_ids(PREFER_NOT, "Volunteer"), consent="y")
    assert refused.status_code == 400
    assert REFUSED in refused.text
    assert count(Registration) == 0
    alone = book(client, event, "Sam", role_tags=tag_ids(PREFER_NOT), consent="y")
    assert alone.status_code == 303
    assert [t.name for t in person("Sam").role_tags] == [PREFER_NOT]


def test_prefer_not_to_say_with_another_role_tag_is_refused_on_the_manage_page(client, make_event):
    event = make_event()
    token = manage_token(book(client, event, "Sam", role_tags=tag_ids("Volunteer"), consent="y"))
    manage = f"/bookings/{token}"
    data = {"role_tags": tag_ids(PREFER_NOT, "Carer or family member"), "consent": "y"}
    refused = post_form(client, manage, f"{manage}/about", data=data)
    assert refused.status_code == 400
    assert REFUSED in refused.text
    assert [t.name for t in person("Sam").role_tags] == ["Volunteer"]


def test_prefer_not_to_say_with_another_role_tag_is_refused_on_the_volunteer_form(
    client, make_event
):
    event = make_event()
    surgery = next(s for s in event.sessions if s.kind == SURGERY)
    data = {
        "name": "Sue",
        "email": "sue@example.org",
        "topics": [db.session.scalar(sa.select(Topic.id).limit(1))],
        "sessions": [surgery.id],
        "capacity": "2",
        "role_tags": tag_ids(PREFER_NOT, "Volunteer"),
        "consent": "y",
    }
    refused = post_form(client, f"/events/{event.id}/volunteer", data=data)
    assert refused.status_code == 400
    assert REFUSED in refused.text
    assert count(Surgeon) == 0
