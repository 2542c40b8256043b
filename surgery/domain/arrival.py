"""What someone needs on arrival: a quick question at the help desk, one-to-one help from a
surgeon, or the workshop or open space. Only those who need a surgeon join the floor's queue;
the others are counted."""

from collections import Counter
from collections.abc import Iterable

DESK, SURGEON, SPACE = "desk", "surgeon", "space"
NEEDS = {
    DESK: "A quick question at the help desk",
    SURGEON: "One-to-one help from a surgeon",
    SPACE: "The workshop or open space",
}


def parse(said: str | None) -> str | None:
    """A need from a form, or None for anything that is not one of them."""
    return said if said in NEEDS else None


def need_of(said: str | None, has_surgery_place: bool) -> str:
    """What someone needs now: what they (or the organiser) said, else one-to-one help for
    people booked (or waiting) on a surgery session, the workshop or open space for the rest."""
    if said in NEEDS:
        return said
    return SURGEON if has_surgery_place else SPACE


def joins_surgeon_queue(said: str | None) -> bool:
    """Whether someone with a place in a surgery session waits for a surgeon: yes unless
    they said they need something else."""
    return need_of(said, has_surgery_place=True) == SURGEON


def counted(needs: Iterable[str]) -> dict[str, int]:
    """How many people need each thing, every need present (zero when nobody)."""
    counts = Counter(needs)
    return {need: counts.get(need, 0) for need in NEEDS}
