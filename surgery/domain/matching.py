"""Pairing attendees with surgeons in one surgery session.

Plain data in, pairs out. Each possible pair gets a value: shared topics count most, then
lived experience and languages (BSL included) when the attendee asked for them. The whole
session is solved at once as an assignment problem over surgeon *slots* (a surgeon who can
help three people has three slots), so the result is optimal for the scoring, not greedy:

- every pair is worth PAIR_VALUE on top of its fit, so as many people as possible are
  paired before any pair is made a better fit;
- a surgeon's later slots are worth a little less (LOAD_STEP each), which spreads people
  over surgeons who fit equally well instead of piling them onto one;
- locked pairs are kept and use their surgeon's first slots;
- each attendee may also stay unpaired, so a solution always exists.

People who asked for exactly the same things are interchangeable, so they are solved as
one kind; of them, those earlier in the list (the booking queue) are paired first. The
solving, with numpy and scipy, is in matching_solver, imported when a session is first
solved and not with this module: they are about 45 MB of every worker's memory, and only
the matching page needs them.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

TOPIC_VALUE = 100
LIVED_EXPERIENCE_VALUE = 60
LANGUAGE_VALUE = 60
ANY_TOPIC_VALUE = 10  # an attendee who named no topic can be helped by anyone
# asked for the surgeon who helped them last time: worth more than one shared topic, so the
# request is honoured when that surgeon can help; capacity still limits who they take
SAME_SURGEON_VALUE = 150
PAIR_VALUE = 10_000
LOAD_STEP = 1
LOAD_STEP_CAP = 9


@dataclass(frozen=True)
class Attendee:
    """Someone waiting for help, and what they asked for."""

    id: int
    topics: frozenset[str] = frozenset()
    wants_lived_experience: bool = False
    languages: frozenset[str] = frozenset()
    same_surgeon: int | None = None  # the surgeon (here) they asked for again, if any


@dataclass(frozen=True)
class Surgeon:
    """A volunteer available for this session, and how many people they can help."""

    id: int
    topics: frozenset[str] = frozenset()
    capacity: int = 1
    lived_experience: bool = False
    languages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Pair:
    """A suggested (or locked) pair, with why it was made."""

    attendee_id: int
    surgeon_id: int
    value: int
    reasons: tuple[str, ...]
    locked: bool = False


@dataclass(frozen=True)
class Unpaired:
    """An attendee left without a surgeon, and why."""

    attendee_id: int
    reason: str


@dataclass
class Result:
    """Pairs, the unpaired, and the total value the solver reached."""

    pairs: list[Pair] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)
    total: int = 0


def fit(attendee: Attendee, surgeon: Surgeon) -> tuple[int, tuple[str, ...]] | None:
    """How well a surgeon suits an attendee, with reasons; None if they cannot help."""
    value = fit_value(attendee, surgeon)
    return None if value is None else (value, fit_reasons(attendee, surgeon))


def fit_value(attendee: Attendee, surgeon: Surgeon) -> int | None:
    """The value of fit() alone, without its reasons: cheap enough for every candidate."""
    shared = len(attendee.topics & surgeon.topics)
    if attendee.topics and not shared:
        return None
    value = TOPIC_VALUE * shared if shared else ANY_TOPIC_VALUE
    if attendee.wants_lived_experience and surgeon.lived_experience:
        value += LIVED_EXPERIENCE_VALUE
    if attendee.languages:
        value += LANGUAGE_VALUE * len(attendee.languages & surgeon.languages)
    if attendee.same_surgeon == surgeon.id:
        value += SAME_SURGEON_VALUE
    return value


def fit_reasons(attendee: Attendee, surgeon: Surgeon) -> tuple[str, ...]:
    """Why a surgeon suits an attendee, in plain English, one reason per part of fit_value()."""
    shared = sorted(attendee.topics & surgeon.topics)
    reasons = [f"both: {', '.join(shared)}"] if shared else ["can help with anything"]
    if attendee.wants_lived_experience and surgeon.lived_experience:
        reasons.append("brings lived experience, as asked")
    languages = sorted(attendee.languages & surgeon.languages)
    if languages:
        reasons.append(f"speaks {', '.join(languages)}, as asked")
    if attendee.same_surgeon == surgeon.id:
        reasons.append("helped them last time, as asked")
    return tuple(reasons)


def slot_penalty(slot: int) -> int:
    """What a surgeon's slot (0 = first person) costs, to spread the load."""
    return LOAD_STEP * min(slot, LOAD_STEP_CAP)


def match(
    attendees: Sequence[Attendee],
    surgeons: Sequence[Surgeon],
    locked: Iterable[tuple[int, int]] = (),
) -> Result:
    """The best pairs for a session; locked (attendee_id, surgeon_id) pairs stay as they are.

    A lock whose attendee or surgeon is not passed in is ignored (that surgeon is not
    available); an attendee locked more than once keeps their first lock. Of attendees who
    asked for exactly the same things, those earlier in the list are paired first.
    """
    by_id = {s.id: s for s in surgeons}
    result, used = _keep_locked(attendees, by_id, locked)
    locked_ids = {p.attendee_id for p in result.pairs}
    free = [a for a in attendees if a.id not in locked_ids]
    chosen, helpable = _solve(free, surgeons, used)
    for attendee in free:
        surgeon_id = chosen.get(attendee.id)
        if surgeon_id is None:
            reason = _why_unpaired(attendee, bool(surgeons), helpable[attendee.id])
            result.unpaired.append(Unpaired(attendee.id, reason))
            continue
        surgeon = by_id[surgeon_id]
        value = fit_value(attendee, surgeon)
        result.pairs.append(Pair(attendee.id, surgeon_id, value, fit_reasons(attendee, surgeon)))
    result.total = total_value(result.pairs, used)
    return result


def _keep_locked(attendees, surgeons_by_id, locked) -> tuple[Result, dict[int, int]]:
    """Locked pairs go first; return them and how many slots each surgeon has used."""
    result, used = Result(), defaultdict(int)
    waiting = {a.id for a in attendees}
    for attendee_id, surgeon_id in locked:
        if attendee_id in waiting and surgeon_id in surgeons_by_id:
            waiting.discard(attendee_id)
            result.pairs.append(Pair(attendee_id, surgeon_id, 0, ("locked by an organiser",), True))
            used[surgeon_id] += 1
    return result, used


def _kind(attendee: Attendee) -> tuple:
    """Everything fit_value() reads of an attendee: people alike in it are interchangeable."""
    return (
        attendee.topics,
        attendee.wants_lived_experience,
        attendee.languages,
        attendee.same_surgeon,
    )


def _solve(attendees, surgeons, used) -> tuple[dict[int, int], dict[int, bool]]:
    """attendee id -> surgeon id for those paired, and attendee id -> can anyone help them."""
    if not attendees or not surgeons:
        return {}, {a.id: False for a in attendees}
    from surgery.domain import matching_solver  # here, not at the top: see its docstring

    alike: dict[tuple, list[Attendee]] = {}
    for attendee in attendees:
        alike.setdefault(_kind(attendee), []).append(attendee)
    people = list(alike.values())
    taken = [used.get(s.id, 0) for s in surgeons]
    chosen, helpable = matching_solver.solve(
        [group[0] for group in people], [len(group) for group in people], surgeons, taken
    )
    paired, can_help = {}, {}
    for group, surgeon_ids, anyone in zip(people, chosen, helpable, strict=True):
        paired.update(zip((a.id for a in group), surgeon_ids, strict=False))
        can_help.update((a.id, anyone) for a in group)
    return paired, can_help


def total_value(pairs: Iterable[Pair], used_by_locks: dict[int, int]) -> int:
    """The objective: PAIR_VALUE plus fit for each new pair, less its slot's penalty."""
    counts = dict(used_by_locks)
    total = 0
    for pair in (p for p in pairs if not p.locked):
        slot = counts.get(pair.surgeon_id, 0)
        counts[pair.surgeon_id] = slot + 1
        total += PAIR_VALUE + pair.value - slot_penalty(slot)
    return total


def _why_unpaired(attendee: Attendee, any_surgeons: bool, any_candidates: bool) -> str:
    """Plain English: nobody can help with their topics, or everyone who can is full."""
    if not any_surgeons:
        return "no surgeons are available for this session"
    if not any_candidates:
        topics = ", ".join(sorted(attendee.topics))
        return f"no surgeon available for this session can help with {topics}"
    return "every surgeon who can help is already helping as many people as they offered"
