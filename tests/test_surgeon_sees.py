"""What a surgeon sees of the person they help, in their email, their invite and on the floor:
a first name and the topics chosen, and the rest only with the person's consent to share."""

import pytest

from surgery.vocabulary.models import RoleTag
from tests.conftest import SHARED, post_form
from tests.mail_fixtures import invite_in, text_of
from tests.test_floor import arrived, floor_url, surgeon_card
from tests.test_matching_page import (
    JOURNALIST,
    ORGANISER,
    accept_all,
    add_surgeon,
    attend,
    ids,
    mail_by_person,
    surgeon_of,
)

ANN = {
    "email": "ann@example.org",
    "help_text": "Our choir page was hacked",
    "access_needs": ["step_free"],
    "access_other": "A chair with arms",
}
PRIVATE = (
    "Jones",
    "Our choir page was hacked",
    JOURNALIST,
    "Step-free access",
    "A chair with arms",
)


def ann_books(client, event, shared: bool) -> None:
    """Ann Jones books, telling us everything and agreeing to keep it; sharing it or not."""
    fields = {**ANN, "role_tags": ids(RoleTag, JOURNALIST), "consent": "y"}
    if shared:
        fields.update(SHARED)
    attend(client, event, "Ann Jones", **fields)


@pytest.mark.parametrize("shared", [False, True], ids=["not shared", "shared"])
def test_the_surgeons_email_and_invite_follow_consent(
    organiser_client, make_event, mailbox, shared
):
    event = make_event(organiser_email=ORGANISER)
    add_surgeon(organiser_client, event, "Sue")
    ann_books(organiser_client, event, shared)
    mailbox.deliver()
    accept_all(organiser_client, event.sessions[0])
    [received] = mail_by_person(mailbox)["sue@example.org"]
    seen = {
        "text": text_of(received),
        "html": text_of(received, "html"),
        "invite": invite_in(received).event.description.value,
    }
    for where, words in seen.items():
        if shared:
            assert "Ann Jones would like help with Facebook." in words, where
            assert "In their words: Our choir page was hacked" in words, where
            assert f"About them: {JOURNALIST}." in words, where
            assert "To take part they need: Step-free access, A chair with arms." in words, where
        else:
            assert "Ann would like help with Facebook." in words, where
            for private in PRIVATE:
                assert private not in words, (where, private)


@pytest.mark.parametrize("shared", [False, True], ids=["not shared", "shared"])
def test_the_floor_card_follows_consent(organiser_client, make_event, shared):
    event = make_event()
    add_surgeon(organiser_client, event, "Sue")
    ann_books(organiser_client, event, shared)
    arrived("Ann Jones", 5)
    floor = floor_url(event)
    here = f"{floor}/surgeons/{surgeon_of('Sue').id}/here"
    page = post_form(organiser_client, floor, here, follow_redirects=True).text
    card = surgeon_card(page, "Sue")
    if shared:
        assert (
            "Next: Ann Jones (Facebook: “Our choir page was hacked”. "
            f"About them: {JOURNALIST}. "
            "To take part they need: Step-free access, A chair with arms), waiting 5 min"
        ) in card
    else:
        assert "Next: Ann (Facebook), waiting 5 min" in card
        for private in PRIVATE:
            assert private not in card, private
