"""Which role tags go together, and saying exactly which answers were not kept."""

import pytest

from surgery.domain.answers import Unconsented, is_prefer_not_to_say, not_kept, role_tags_problem


@pytest.mark.parametrize(
    "name", ["Prefer not to say", "prefer  not to say.", " PREFER NOT TO SAY "]
)
def test_the_prefer_not_to_say_tag_is_found_by_its_name(name):
    assert is_prefer_not_to_say(name)


def test_other_tags_are_not_prefer_not_to_say():
    assert not is_prefer_not_to_say("Volunteer")
    assert not is_prefer_not_to_say("Prefer not to say what I do")


def test_prefer_not_to_say_cannot_go_with_other_role_tags():
    assert role_tags_problem(["Prefer not to say", "Volunteer"]) == (
        "“Prefer not to say” cannot be chosen with other answers about you: "
        "untick it, or untick the others."
    )


@pytest.mark.parametrize(
    "names", [[], ["Prefer not to say"], ["Volunteer", "Carer or family member"]]
)
def test_prefer_not_to_say_alone_or_other_tags_together_are_fine(names):
    assert role_tags_problem(names) is None


def test_the_answers_not_kept_are_named_and_counted():
    said = not_kept(Unconsented(role_tags=2, access_needs=1))
    assert said == (
        "You chose not to let us keep your role tags and access needs, so we did not keep: "
        "role tags (2), access needs (1). To keep them, tick the box to agree and give them again."
    )


def test_every_kind_of_answer_not_kept_is_named():
    said = not_kept(Unconsented(0, 0, access_other=True, wants_lived_experience=True))
    assert "what else you need to take part" in said
    assert "your wish for a surgeon with lived experience" in said
    assert "role tags" not in said.split(":", 1)[1]


def test_nothing_is_said_when_nothing_was_dropped():
    assert not_kept(Unconsented()) is None
