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

The solver is scipy's sparse LAPJV (min_weight_full_bipartite_matching) on costs
BASE - value, which are all positive, as the sparse solver treats zero as no edge.
numpy and scipy are imported when a session is first solved, not with this module: they
are about 45 MB of every worker's memory, and only the matching page needs them.
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
    available); an attendee locked more than once keeps their first lock.
    """
    by_id = {s.id: s for s in surgeons}
    result, used = _keep_locked(attendees, by_id, locked)
    locked_ids = {p.attendee_id for p in result.pairs}
    free = [a for a in attendees if a.id not in locked_ids]
    slots = _slots(surgeons, used)
    candidates = _candidates(free, surgeons)
    chosen = _solve(free, slots, candidates)
    for attendee in free:
        surgeon_id = chosen.get(attendee.id)
        if surgeon_id is None:
            reason = _why_unpaired(attendee, bool(surgeons), bool(candidates[attendee.id]))
            result.unpaired.append(Unpaired(attendee.id, reason))
            continue
        value = candidates[attendee.id][surgeon_id]
        reasons = fit_reasons(attendee, by_id[surgeon_id])
        result.pairs.append(Pair(attendee.id, surgeon_id, value, reasons))
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


def _slots(surgeons: Sequence[Surgeon], used: dict[int, int]) -> list[tuple[int, int]]:
    """(surgeon id, slot number) for every place a surgeon still has."""
    return [(s.id, k) for s in surgeons for k in range(used.get(s.id, 0), s.capacity)]


def _candidates(attendees, surgeons) -> dict[int, dict[int, int]]:
    """For each attendee, the surgeons who can help and the fit value (via a topic index)."""
    by_topic: dict[str, list[Surgeon]] = defaultdict(list)
    for surgeon in surgeons:
        for topic in surgeon.topics:
            by_topic[topic].append(surgeon)
    found: dict[int, dict[int, int]] = {}
    for attendee in attendees:
        if attendee.topics:
            pool = {s.id: s for t in attendee.topics for s in by_topic.get(t, ())}
        else:
            pool = {s.id: s for s in surgeons}
        found[attendee.id] = {sid: fit_value(attendee, s) for sid, s in pool.items()}
    return found


def _solve(attendees, slots, candidates) -> dict[int, int]:
    """Solve the assignment; return attendee id -> surgeon id for those paired.

    Rows are attendees; columns are the surgeons' free slots, then one "unpaired" column per
    attendee. Each (attendee, surgeon) candidate is spread over that surgeon's slots with
    numpy rather than edge by edge in Python.
    """
    if not attendees or not slots:
        return {}
    import numpy as np  # here, not at the top: see the docstring
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    index: dict[int, int] = {}
    slot_surgeon = np.array([index.setdefault(sid, len(index)) for sid, _ in slots])
    by_surgeon = np.argsort(slot_surgeon, kind="stable")  # columns, each surgeon's together
    slot_count = np.bincount(slot_surgeon, minlength=len(index))
    first = np.cumsum(slot_count) - slot_count  # where each surgeon starts in by_surgeon
    penalty = np.array([slot_penalty(k) for _, k in slots], dtype=np.int64)

    rows, surgeon_of, values = [], [], []
    for row, attendee in enumerate(attendees):
        for surgeon_id, value in candidates[attendee.id].items():
            if surgeon_id in index:
                rows.append(row)
                surgeon_of.append(index[surgeon_id])
                values.append(value)
    top = PAIR_VALUE + max(
        (v for options in candidates.values() for v in options.values()), default=0
    )
    base = top + 1  # every cost positive: the sparse solver reads a zero as "no edge"

    # one edge per (candidate, free slot of its surgeon), in slot order within each candidate
    surgeon_of = np.array(surgeon_of, dtype=np.int64)
    repeat = slot_count[surgeon_of]
    edge_rows = np.repeat(np.array(rows, dtype=np.int64), repeat)
    edge_values = np.repeat(np.array(values, dtype=np.int64), repeat)
    group_start = np.repeat(np.cumsum(repeat) - repeat, repeat)
    edge_columns = by_surgeon[
        np.repeat(first[surgeon_of], repeat) + np.arange(len(edge_rows)) - group_start
    ]
    edge_costs = base - (PAIR_VALUE + edge_values - penalty[edge_columns])

    n, dummy = len(attendees), len(slots)
    graph = csr_matrix(
        (
            np.concatenate((edge_costs, np.full(n, base))).astype(np.float64),
            (
                np.concatenate((edge_rows, np.arange(n))),
                np.concatenate((edge_columns, dummy + np.arange(n))),  # staying unpaired
            ),
        ),
        shape=(n, dummy + n),
    )
    _, assigned = min_weight_full_bipartite_matching(graph)
    return {
        attendees[row].id: slots[column][0] for row, column in enumerate(assigned) if column < dummy
    }


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
