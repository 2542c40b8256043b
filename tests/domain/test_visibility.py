"""What a surgeon may see of an attendee: only what the attendee agreed to share."""

import pytest

from surgery.domain.visibility import (
    Attendee,
    SurgeonView,
    first_name,
    for_surgeon,
    not_coming,
    sentence,
)

ANN = Attendee(
    name="Ann Example",
    topics=("Facebook", "Staying safe online"),
    help_text="My group page was hacked",
    role_tags=("Person with lived experience",),
    access_needs=("Step-free access", "A quiet room", "  "),
    consent_sensitive=True,
    share_with_surgeon=True,
)


def without(**changes) -> Attendee:
    """Ann with some answers changed."""
    return Attendee(**{**ANN.__dict__, **changes})


def test_with_consent_to_share_the_surgeon_sees_what_ann_told_us():
    assert for_surgeon(ANN) == SurgeonView(
        name="Ann Example",
        topics=("Facebook", "Staying safe online"),
        help_text="My group page was hacked",
        role_tags=("Person with lived experience",),
        access_needs=("Step-free access", "A quiet room"),
    )


@pytest.mark.parametrize(
    "attendee",
    [
        without(share_with_surgeon=False),
        without(consent_sensitive=False),
        without(consent_sensitive=False, share_with_surgeon=False),
    ],
)
def test_without_consent_to_share_only_a_first_name_and_topics(attendee):
    assert for_surgeon(attendee) == SurgeonView("Ann", ("Facebook", "Staying safe online"))


def test_a_nickname_stays_as_given():
    assert first_name("  Sparky ") == "Sparky"
    assert first_name("") == ""


def test_the_sentence_says_only_what_may_be_seen():
    shared = sentence(for_surgeon(ANN))
    assert shared == (
        "Ann Example would like help with Facebook, Staying safe online. "
        "In their words: My group page was hacked "
        "About them: Person with lived experience. "
        "To take part they need: Step-free access, A quiet room."
    )
    private = sentence(for_surgeon(without(share_with_surgeon=False, topics=())))
    assert private == "Ann would like help with anything."


def test_a_surgeon_told_someone_is_not_coming_sees_only_the_name_they_may_see():
    private = not_coming(for_surgeon(without(share_with_surgeon=False)))
    assert private == "Ann can no longer come, so you will not be helping them."
    shared = not_coming(for_surgeon(ANN))
    assert shared == "Ann Example can no longer come, so you will not be helping them."
    for told in (private, shared):  # what they wanted help with is no longer the surgeon's
        assert "Facebook" not in told and "hacked" not in told and "lived" not in told
