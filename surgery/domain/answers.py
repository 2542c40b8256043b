"""What people tell us about themselves: which role tags go together, and what is not kept.

Role tags and access needs can be health data, kept only with consent. When someone
answers them without consenting, we say exactly what we did not keep, so nobody believes
an organiser knows they need step-free access when we threw that answer away.
"""

from collections.abc import Iterable
from dataclasses import dataclass

PREFER_NOT_TO_SAY = "prefer not to say"


def is_prefer_not_to_say(name: str) -> bool:
    """True for the role tag that means someone would rather not say who they are."""
    return " ".join(name.lower().replace("’", "'").split()).rstrip(".") == PREFER_NOT_TO_SAY


def role_tags_problem(names: Iterable[str]) -> str | None:
    """Why these role tags cannot go together, or None when they can."""
    names = list(names)
    refusing = [n for n in names if is_prefer_not_to_say(n)]
    if refusing and len(names) > len(refusing):
        return (
            f"“{refusing[0]}” cannot be chosen with other answers about you: "
            "untick it, or untick the others."
        )
    return None


@dataclass(frozen=True)
class Unconsented:
    """The sensitive answers someone gave without agreeing that we keep them."""

    role_tags: int = 0
    access_needs: int = 0
    access_other: bool = False
    wants_lived_experience: bool = False

    @property
    def parts(self) -> list[str]:
        """Each kind of answer not kept, in words, with how many where that helps."""
        parts = []
        if self.role_tags:
            parts.append(f"role tags ({self.role_tags})")
        if self.access_needs:
            parts.append(f"access needs ({self.access_needs})")
        if self.access_other:
            parts.append("what else you need to take part")
        if self.wants_lived_experience:
            parts.append("your wish for a surgeon with lived experience")
        return parts


def not_kept(answers: Unconsented) -> str | None:
    """The sentence telling someone which answers we did not keep; None if we kept them all."""
    parts = answers.parts
    if not parts:
        return None
    return (
        "You chose not to let us keep your role tags and access needs, so we did not keep: "
        + ", ".join(parts)
        + ". To keep them, tick the box to agree and give them again."
    )
