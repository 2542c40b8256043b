"""The assignment problem behind matching.match(), solved with numpy and scipy.

Imported by match() when it first has someone to pair, never with the app: numpy and scipy
are about 45 MB of every worker's memory, and only the matching page needs them.

Attendees who asked for the same things (topics, lived experience, languages, the same
surgeon again) have the same fit with every surgeon, so they are solved as one *kind*:
fit values are worked out once per kind and surgeon, with sparse matrix products rather
than set by set in Python, and a kind takes part with no more of its people than the
places of the surgeons who can help it, since the rest of them cannot be paired anyway.

The solver is scipy's sparse LAPJV (min_weight_full_bipartite_matching) with the surgeons'
free places as the rows: each place takes one of the kinds' people or stays empty (its own
"empty" column). Places are far fewer than attendees in a big session, so this side needs
far fewer augmenting paths than one row per attendee. Costs are BASE - value, all positive,
as the sparse solver reads a zero as no edge.
"""

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from surgery.domain.matching import (
    ANY_TOPIC_VALUE,
    LANGUAGE_VALUE,
    LIVED_EXPERIENCE_VALUE,
    PAIR_VALUE,
    SAME_SURGEON_VALUE,
    TOPIC_VALUE,
    Attendee,
    Surgeon,
    slot_penalty,
)


def solve(
    kinds: Sequence[Attendee],
    sizes: Sequence[int],
    surgeons: Sequence[Surgeon],
    taken: Sequence[int],
) -> tuple[list[list[int]], list[bool]]:
    """For each kind (with sizes[k] people), the surgeon ids its people are paired with, and
    whether any surgeon passed in can help it; taken[j] of surgeons[j]'s places are locked.
    """
    rows, columns, values = fit_values(kinds, surgeons)
    helpable = np.bincount(rows, minlength=len(kinds)) > 0
    capacity = np.array([s.capacity for s in surgeons], dtype=np.int64)
    taken = np.array(taken, dtype=np.int64)
    places = np.maximum(capacity - taken, 0)
    keep = places[columns] > 0
    rows, columns, values = rows[keep], columns[keep], values[keep]
    chosen: list[list[int]] = [[] for _ in kinds]
    if len(rows):
        for kind, column in _assign(rows, columns, values, np.array(sizes), taken, places):
            chosen[kind].append(surgeons[column].id)
    return chosen, helpable.tolist()


def fit_values(kinds: Sequence[Attendee], surgeons: Sequence[Surgeon]):
    """(kind, surgeon index, fit value) for every pair that can help: matching.fit_value().

    A product of two sparse matrices, kinds × features and features × surgeons, counts what
    they share. The features are the surgeons' topics, "anything" (the one feature of a kind
    who named no topic, which every surgeon has) and the surgeons' languages; a shared topic
    counts `scale` times a shared language, so one product gives both counts.
    """
    topics = _index(t for s in surgeons for t in s.topics)
    anything = len(topics)
    languages = {
        x: anything + 1 + i for x, i in _index(x for s in surgeons for x in s.languages).items()
    }
    features = anything + 1 + len(languages)
    scale = 1 + max(len(a.languages) for a in kinds)
    kind_features = _incidence(
        (
            ([topics[t] for t in a.topics if t in topics] if a.topics else [anything])
            + [languages[x] for x in a.languages if x in languages]
            for a in kinds
        ),
        features,
        anything,
        scale,
    )
    surgeon_features = _incidence(
        (
            [topics[t] for t in s.topics] + [anything] + [languages[x] for x in s.languages]
            for s in surgeons
        ),
        features,
        anything,
        1,
    ).T
    shared = (kind_features @ surgeon_features).tocsr()
    rows = np.repeat(np.arange(len(kinds)), np.diff(shared.indptr))
    columns, counts = shared.indices.astype(np.int64), shared.data
    same_topics, same_languages = counts // scale, counts % scale
    keep = same_topics > 0  # a language in common alone does not make a pair
    rows, columns = rows[keep], columns[keep]
    same_topics, same_languages = same_topics[keep], same_languages[keep]

    named = np.array([bool(a.topics) for a in kinds])
    lived = np.array([a.wants_lived_experience for a in kinds])
    brings = np.array([s.lived_experience for s in surgeons])
    column_of = {s.id: j for j, s in enumerate(surgeons)}
    again = np.array([column_of.get(a.same_surgeon, -1) for a in kinds])
    values = (
        np.where(named[rows], TOPIC_VALUE * same_topics, ANY_TOPIC_VALUE)
        + LIVED_EXPERIENCE_VALUE * (lived[rows] & brings[columns])
        + LANGUAGE_VALUE * same_languages
        + SAME_SURGEON_VALUE * (again[rows] == columns)
    )
    return rows, columns, values


def _index(names) -> dict[str, int]:
    """Each distinct name's position, in sorted order so the result never depends on hashing."""
    return {name: i for i, name in enumerate(sorted(set(names)))}


def _incidence(rows, width: int, last_topic: int, scale: int) -> csr_array:
    """A sparse matrix with a row per list of feature columns: topics weigh scale, languages 1."""
    indices, lengths = [], []
    for row in rows:
        indices += row
        lengths.append(len(row))
    indices = np.array(indices, dtype=np.int64)
    data = np.where(indices <= last_topic, scale, 1)
    indptr = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))
    return csr_array((data, indices, indptr), shape=(len(lengths), width))


def _assign(rows, columns, values, sizes, taken, places):
    """Solve the session; yield (kind, surgeon index) for each place taken, in place order.

    The matrix has one row per person taking part (a kind's first few) and one per place's
    "empty" choice, one column per place; scipy solves it from the smaller side, the places.
    All of a kind's people have the same row: the places of its surgeons, each at that
    surgeon's fit less the place's penalty.
    """
    first_place = np.cumsum(places) - places  # each surgeon's places are together
    penalty = np.array(
        [
            slot_penalty(k)
            for t, n in zip(taken.tolist(), places.tolist(), strict=True)
            for k in range(t, t + n)
        ],
        dtype=np.int64,
    )
    # a kind takes part with no more people than its surgeons have places
    reach = np.bincount(rows, weights=places[columns], minlength=len(sizes)).astype(np.int64)
    people = np.minimum(sizes, reach)

    # one kind's row: its (surgeon, place) entries; rows come sorted, so a kind's are together
    width = places[columns]
    start = np.repeat(np.cumsum(width) - width, width)
    place = np.repeat(first_place[columns], width) + np.arange(width.sum()) - start
    gain = np.repeat(PAIR_VALUE + values, width) - penalty[place]
    kind_length = np.bincount(rows, weights=width, minlength=len(sizes)).astype(np.int64)
    kind_start = np.cumsum(kind_length) - kind_length

    kind_of = np.repeat(np.arange(len(sizes)), people)  # one row per person taking part
    length = kind_length[kind_of]
    total, empty = int(length.sum()), len(penalty)
    offset = np.arange(total) - np.repeat(np.cumsum(length) - length, length)
    entry = np.repeat(kind_start[kind_of], length) + offset

    base = int(gain.max()) + 1
    indptr = np.concatenate(([0], np.cumsum(length), total + 1 + np.arange(empty)))
    graph = csr_array(
        (
            np.concatenate((base - gain[entry], np.full(empty, base))).astype(np.float64),
            np.concatenate((place[entry], np.arange(empty))),
            indptr,
        ),
        shape=(len(kind_of) + empty, empty),
    )
    people_rows, their_places = min_weight_full_bipartite_matching(graph)
    surgeon_of_place = np.repeat(np.arange(len(places)), places)
    order = np.argsort(their_places, kind="stable")
    for row, column in zip(people_rows[order].tolist(), their_places[order].tolist(), strict=True):
        if row < len(kind_of):
            yield int(kind_of[row]), int(surgeon_of_place[column])
