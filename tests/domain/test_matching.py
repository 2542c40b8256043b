"""Pairing attendees with surgeons, without Flask or a database.

The examples pin down the rules one by one. The properties check, on many random sessions,
that every result is valid and that its total is the optimum found by methods that share
nothing with match() but the scoring (fit, slot_penalty, PAIR_VALUE): a brute-force search
over every assignment for tiny sessions, networkx's min-cost flow for bigger ones, and
scipy's dense Hungarian method on crowds of people asking for the same things (whom match()
solves as one kind each).
"""

import random
from collections import Counter

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surgery.domain.matching import (
    PAIR_VALUE,
    Attendee,
    Surgeon,
    fit,
    match,
    slot_penalty,
)

NO_SURGEONS = "no surgeons are available for this session"
ALL_FULL = "every surgeon who can help is already helping as many people as they offered"
LOCKED = ("locked by an organiser",)


def surgeon(id, *topics, capacity=1, lived=False, languages=()):
    return Surgeon(id, frozenset(topics), capacity, lived, frozenset(languages))


def attendee(id, *topics, lived=False, languages=()):
    return Attendee(id, frozenset(topics), lived, frozenset(languages))


def paired(result):
    return {p.attendee_id: p.surgeon_id for p in result.pairs}


def reasons_why_unpaired(result):
    return {u.attendee_id: u.reason for u in result.unpaired}


# --- examples ---------------------------------------------------------------------------


def test_capacity_is_never_exceeded():
    surgeons = [surgeon(1, "Facebook", capacity=2), surgeon(2, "Facebook", capacity=1)]
    attendees = [attendee(i, "Facebook") for i in range(10, 16)]
    result = match(attendees, surgeons)
    assert Counter(paired(result).values()) == {1: 2, 2: 1}
    assert len(result.unpaired) == 3
    assert set(reasons_why_unpaired(result).values()) == {ALL_FULL}


def test_a_surgeon_who_offered_nobody_is_not_used():
    result = match([attendee(10, "Facebook")], [surgeon(1, "Facebook", capacity=0)])
    assert result.pairs == []
    assert reasons_why_unpaired(result) == {10: ALL_FULL}


def test_locked_pairs_stay_and_use_their_surgeons_places():
    surgeons = [surgeon(1, "Facebook", capacity=2), surgeon(2, "Instagram", capacity=2)]
    attendees = [attendee(10, "Facebook"), attendee(11, "Facebook"), attendee(12, "Facebook")]
    # 12 is locked with a surgeon who does not share their topic: the organiser knows best
    result = match(attendees, surgeons, locked=[(10, 1), (12, 2)])
    locked = [p for p in result.pairs if p.locked]
    assert {(p.attendee_id, p.surgeon_id) for p in locked} == {(10, 1), (12, 2)}
    assert all(p.reasons == LOCKED for p in locked)
    assert paired(result) == {10: 1, 11: 1, 12: 2}
    # locked pairs count nothing towards the total, and took surgeon 1's first place
    assert result.total == PAIR_VALUE + fit(attendees[1], surgeons[0])[0] - slot_penalty(1)


def test_locks_that_fill_a_surgeon_leave_no_place_for_others():
    surgeons = [surgeon(1, "Facebook", capacity=1)]
    attendees = [attendee(10, "Facebook"), attendee(11, "Facebook"), attendee(12, "Facebook")]
    result = match(attendees, surgeons, locked=[(10, 1), (11, 1)])  # more than offered: kept
    assert paired(result) == {10: 1, 11: 1}
    assert reasons_why_unpaired(result) == {12: ALL_FULL}
    assert result.total == 0


def test_an_attendee_locked_twice_keeps_the_first_lock_only():
    surgeons = [surgeon(1, "Facebook", capacity=2), surgeon(2, "Facebook", capacity=2)]
    result = match([attendee(10, "Facebook")], surgeons, locked=[(10, 2), (10, 1)])
    assert [(p.attendee_id, p.surgeon_id, p.locked) for p in result.pairs] == [(10, 2, True)]


def test_locks_for_people_not_in_the_session_are_ignored():
    surgeons = [surgeon(1, "Facebook")]
    result = match([attendee(10, "Facebook")], surgeons, locked=[(99, 1), (10, 7)])
    assert [(p.attendee_id, p.surgeon_id, p.locked) for p in result.pairs] == [(10, 1, False)]


def test_surgeons_not_passed_in_are_never_used():
    # surgeon 2 would fit best but is not available for this session
    surgeons = [surgeon(1, "Facebook"), surgeon(3, "Blogging")]
    attendees = [attendee(10, "Facebook", "Instagram"), attendee(11, "Instagram")]
    result = match(attendees, surgeons, locked=[(11, 2)])  # a lock with them is dropped too
    assert paired(result) == {10: 1}
    assert reasons_why_unpaired(result) == {
        11: "no surgeon available for this session can help with Instagram"
    }


@pytest.mark.parametrize("order", [(10, 11), (11, 10)])
def test_lived_experience_goes_to_who_asked_for_it(order):
    surgeons = [
        surgeon(1, "Facebook", capacity=1, lived=True),
        surgeon(2, "Facebook", capacity=1),
    ]
    people = {10: attendee(10, "Facebook"), 11: attendee(11, "Facebook", lived=True)}
    result = match([people[i] for i in order], surgeons)
    assert paired(result) == {11: 1, 10: 2}
    assert dict((p.attendee_id, p.reasons) for p in result.pairs)[11] == (
        "both: Facebook",
        "brings lived experience, as asked",
    )


def test_lived_experience_is_honoured_even_at_some_cost_to_load():
    # the surgeon with lived experience already helps someone; still the better fit
    surgeons = [surgeon(1, "Facebook", capacity=3, lived=True), surgeon(2, "Facebook", capacity=3)]
    attendees = [attendee(10, "Facebook"), attendee(11, "Facebook", lived=True)]
    assert paired(match(attendees, surgeons, locked=[(10, 1)])) == {10: 1, 11: 1}


def test_sharing_more_topics_counts_more_than_lived_experience():
    surgeons = [
        surgeon(1, "Facebook", capacity=1, lived=True),
        surgeon(2, "Facebook", "Blogging", capacity=1),
    ]
    result = match([attendee(10, "Facebook", "Blogging", lived=True)], surgeons)
    assert paired(result) == {10: 2}


@pytest.mark.parametrize("order", [(10, 11), (11, 10)])
def test_bsl_goes_to_who_asked_for_it(order):
    surgeons = [surgeon(1, "Instagram", languages=["BSL"]), surgeon(2, "Instagram")]
    people = {10: attendee(10, "Instagram"), 11: attendee(11, "Instagram", languages=["BSL"])}
    result = match([people[i] for i in order], surgeons)
    assert paired(result) == {11: 1, 10: 2}
    assert dict((p.attendee_id, p.reasons) for p in result.pairs)[11] == (
        "both: Instagram",
        "speaks BSL, as asked",
    )


def test_a_language_is_honoured_when_possible_and_pairing_comes_first():
    # one Welsh speaker with one place: better to pair both than to give one their language
    surgeons = [surgeon(1, "Blogging", languages=["Welsh"]), surgeon(2, "Facebook")]
    attendees = [
        attendee(10, "Blogging", languages=["Welsh"]),
        attendee(11, "Blogging", "Facebook", languages=["Welsh"]),
    ]
    assert paired(match(attendees, surgeons)) == {10: 1, 11: 2}


def test_load_is_spread_over_equally_good_surgeons():
    surgeons = [surgeon(1, "Facebook", capacity=3), surgeon(2, "Facebook", capacity=3)]
    result = match([attendee(10, "Facebook"), attendee(11, "Facebook")], surgeons)
    assert sorted(paired(result).values()) == [1, 2]
    assert result.total == 2 * (PAIR_VALUE + fit(attendee(10, "Facebook"), surgeons[0])[0])


def test_load_is_spread_evenly_over_many_places():
    surgeons = [surgeon(i, "Facebook", capacity=5) for i in (1, 2, 3)]
    result = match([attendee(i, "Facebook") for i in range(10, 16)], surgeons)
    assert sorted(Counter(paired(result).values()).values()) == [2, 2, 2]


def test_each_pair_says_why():
    surgeons = [
        surgeon(1, "Facebook", "Online safety and privacy", "Blogging", lived=True),
        surgeon(2, "Instagram", languages=["BSL", "Welsh"]),
    ]
    attendees = [
        attendee(10, "Online safety and privacy", "Facebook", "Newsletters", lived=True),
        attendee(11, "Instagram", languages=["Welsh", "BSL", "Polish"]),
    ]
    result = match(attendees, surgeons)
    assert {p.attendee_id: p.reasons for p in result.pairs} == {
        10: ("both: Facebook, Online safety and privacy", "brings lived experience, as asked"),
        11: ("both: Instagram", "speaks BSL, Welsh, as asked"),
    }
    assert {p.attendee_id: p.value for p in result.pairs} == {10: 260, 11: 220}
    assert result.total == 2 * PAIR_VALUE + 260 + 220


def test_each_unpaired_attendee_says_why():
    surgeons = [surgeon(1, "Facebook", capacity=1)]
    attendees = [
        attendee(10, "Facebook"),
        attendee(11, "Facebook"),
        attendee(12, "Newsletters", "Blogging"),
    ]
    result = match(attendees, surgeons)
    (second,) = {10, 11} - set(paired(result))  # one of the two who asked for Facebook
    assert reasons_why_unpaired(result) == {
        second: ALL_FULL,
        12: "no surgeon available for this session can help with Blogging, Newsletters",
    }


def test_nobody_is_paired_when_no_surgeon_is_available():
    result = match([attendee(10, "Facebook"), attendee(11)], [])
    assert result.pairs == []
    assert reasons_why_unpaired(result) == {10: NO_SURGEONS, 11: NO_SURGEONS}
    assert result.total == 0


def test_an_attendee_with_no_topics_can_be_paired_with_anyone():
    result = match([attendee(10)], [surgeon(1, "Instagram")])
    assert [(p.attendee_id, p.surgeon_id, p.reasons) for p in result.pairs] == [
        (10, 1, ("can help with anything",))
    ]
    result = match([attendee(10, languages=["BSL"])], [surgeon(1), surgeon(2, languages=["BSL"])])
    assert paired(result) == {10: 2}


def test_an_attendee_with_no_topics_does_not_take_a_place_someone_needs():
    surgeons = [surgeon(1, "Facebook"), surgeon(2, "Blogging")]
    result = match([attendee(10), attendee(11, "Facebook")], surgeons)
    assert paired(result) == {10: 2, 11: 1}


@pytest.mark.parametrize(
    ("attendees", "surgeons"),
    [([], []), ([], [surgeon(1, "Facebook", capacity=3)])],
)
def test_empty_session(attendees, surgeons):
    result = match(attendees, surgeons, locked=[(10, 1)])
    assert (result.pairs, result.unpaired, result.total) == ([], [], 0)


# --- independent optima -------------------------------------------------------------------


def effective_locks(attendees, surgeons, locked):
    """The locks match() must keep: attendee and surgeon present, an attendee's first only."""
    attendee_ids, surgeon_ids, kept = {a.id for a in attendees}, {s.id for s in surgeons}, {}
    for attendee_id, surgeon_id in locked:
        if attendee_id in attendee_ids and surgeon_id in surgeon_ids:
            kept.setdefault(attendee_id, surgeon_id)
    return kept


def brute_force_optimum(attendees, surgeons, locked):
    """Try every assignment of the unlocked attendees (or none) to a surgeon who can help."""
    locks = effective_locks(attendees, surgeons, locked)
    used = Counter(locks.values())
    free = [a for a in attendees if a.id not in locks]
    options = [[(s, f[0]) for s in surgeons if (f := fit(a, s)) is not None] for a in free]

    def best(i):
        if i == len(free):
            return 0
        found = best(i + 1)  # this attendee stays unpaired
        for s, value in options[i]:
            if used[s.id] < s.capacity:
                gain = PAIR_VALUE + value - slot_penalty(used[s.id])
                used[s.id] += 1
                found = max(found, gain + best(i + 1))
                used[s.id] -= 1
        return found

    return best(0)


def min_cost_flow_optimum(attendees, surgeons, locked):
    """The same objective as a min-cost flow: one unit per attendee, to a slot or to nobody."""
    locks = effective_locks(attendees, surgeons, locked)
    used = Counter(locks.values())
    free = [a for a in attendees if a.id not in locks]
    graph = nx.DiGraph()
    graph.add_node("source", demand=-len(free))
    graph.add_node("sink", demand=len(free))
    for s in surgeons:
        for k in range(used[s.id], s.capacity):
            graph.add_edge(("slot", s.id, k), "sink", capacity=1, weight=0)
    for a in free:
        graph.add_edge("source", ("attendee", a.id), capacity=1, weight=0)
        graph.add_edge(("attendee", a.id), "sink", capacity=1, weight=0)  # unpaired
        for s in surgeons:
            if (f := fit(a, s)) is not None:
                for k in range(used[s.id], s.capacity):
                    gain = PAIR_VALUE + f[0] - slot_penalty(k)
                    graph.add_edge(("attendee", a.id), ("slot", s.id, k), capacity=1, weight=-gain)
    cost, _ = nx.network_simplex(graph)
    return -cost


def check_valid(result, attendees, surgeons, locked):
    """Everything a result must be, whatever the instance."""
    by_id = {a.id: a for a in attendees}
    surgeons_by_id = {s.id: s for s in surgeons}
    locks = effective_locks(attendees, surgeons, locked)
    seen = [p.attendee_id for p in result.pairs] + [u.attendee_id for u in result.unpaired]
    assert sorted(seen) == sorted(by_id), "every attendee exactly once"
    assert {p.attendee_id: p.surgeon_id for p in result.pairs if p.locked} == locks
    assert all(p.reasons == LOCKED for p in result.pairs if p.locked)

    load, total = Counter(locks.values()), 0
    for p in (p for p in result.pairs if not p.locked):
        s = surgeons_by_id[p.surgeon_id]  # only surgeons passed in
        assert load[s.id] < s.capacity, "capacity"
        value, reasons = fit(by_id[p.attendee_id], s)  # only someone who can help
        assert (p.value, p.reasons) == (value, reasons)
        total += PAIR_VALUE + value - slot_penalty(load[s.id])
        load[s.id] += 1
    assert result.total == total

    for u in result.unpaired:
        a = by_id[u.attendee_id]
        able = [s for s in surgeons if fit(a, s) is not None]
        if not surgeons:
            assert u.reason == NO_SURGEONS
        elif not able:
            assert u.reason.startswith("no surgeon available for this session can help with")
        else:
            assert u.reason == ALL_FULL
            assert all(load[s.id] >= s.capacity for s in able)


TOPICS = ["Facebook", "Instagram", "Blogging", "Newsletters", "Online safety and privacy"]
LANGUAGES = ["BSL", "Welsh"]


@st.composite
def sessions(draw, max_attendees, max_surgeons, capacities, topics=3):
    """Attendees, the surgeons available, and locks (some with people not in the session)."""
    vocabulary = st.frozensets(st.sampled_from(TOPICS[:topics]), max_size=2)
    languages = st.frozensets(st.sampled_from(LANGUAGES), max_size=2)
    every_surgeon = [
        Surgeon(id, draw(vocabulary), draw(capacities), draw(st.booleans()), draw(languages))
        for id in range(1, draw(st.integers(0, max_surgeons)) + 1)
    ]
    attendees = [
        Attendee(id, draw(vocabulary), draw(st.booleans()), draw(languages))
        for id in range(100, 100 + draw(st.integers(0, max_attendees)))
    ]
    available = [s for s in every_surgeon if draw(st.booleans()) or draw(st.booleans())]
    people = [a.id for a in attendees] + [999]
    surgeon_ids = [s.id for s in every_surgeon] + [99]
    locked = draw(
        st.lists(st.tuples(st.sampled_from(people), st.sampled_from(surgeon_ids)), max_size=3)
    )
    return attendees, available, locked


@settings(max_examples=200, deadline=None)
@given(sessions(max_attendees=6, max_surgeons=3, capacities=st.integers(1, 3)))
def test_total_is_the_brute_force_optimum_on_tiny_sessions(session):
    attendees, surgeons, locked = session
    result = match(attendees, surgeons, locked)
    check_valid(result, attendees, surgeons, locked)
    assert result.total == brute_force_optimum(attendees, surgeons, locked)


@settings(max_examples=120, deadline=None)
@given(sessions(max_attendees=25, max_surgeons=8, capacities=st.integers(0, 5), topics=len(TOPICS)))
def test_total_is_the_min_cost_flow_optimum(session):
    attendees, surgeons, locked = session
    result = match(attendees, surgeons, locked)
    check_valid(result, attendees, surgeons, locked)
    assert result.total == min_cost_flow_optimum(attendees, surgeons, locked)


def test_the_two_independent_methods_agree_with_each_other():
    surgeons = [surgeon(1, "Facebook", capacity=2, lived=True), surgeon(2, "Facebook", "Blogging")]
    attendees = [attendee(10, "Facebook", lived=True), attendee(11, "Blogging"), attendee(12)]
    for locked in ([], [(12, 1)]):
        expected = brute_force_optimum(attendees, surgeons, locked)
        assert expected == min_cost_flow_optimum(attendees, surgeons, locked)
        assert match(attendees, surgeons, locked).total == expected


# --- many people asking for the same things -------------------------------------------------


def assignment_optimum(attendees, surgeons, locked):
    """The same objective by scipy's dense Hungarian method, one column per free place."""
    from scipy.optimize import linear_sum_assignment

    locks = effective_locks(attendees, surgeons, locked)
    used = Counter(locks.values())
    free = [a for a in attendees if a.id not in locks]
    places = [(s, k) for s in surgeons for k in range(used[s.id], s.capacity)]
    if not free or not places:
        return 0
    gains = [[0] * (len(places) + len(free)) for _ in free]  # the last columns: unpaired
    for row, a in enumerate(free):
        for column, (s, k) in enumerate(places):
            f = fit(a, s)
            gains[row][column] = None if f is None else PAIR_VALUE + f[0] - slot_penalty(k)
    cost = [[float("inf") if g is None else -g for g in row] for row in gains]
    rows, columns = linear_sum_assignment(cost)
    return -int(sum(cost[r][c] for r, c in zip(rows, columns, strict=True)))


def crowd(seed):
    """A seeded session where dozens of people share a handful of requests."""
    rng = random.Random(seed)
    topics = TOPICS[:3]

    def some(options, most):
        return frozenset(rng.sample(options, rng.randint(0, most)))

    surgeons = [
        Surgeon(i, some(topics, 2), rng.randint(0, 5), rng.random() < 0.4, some(LANGUAGES, 1))
        for i in range(1, rng.randint(2, 7) + 1)
    ]
    kinds = [
        (some(topics + ["Newsletters"], 2), rng.random() < 0.4, some(LANGUAGES, 2))
        for _ in range(rng.randint(1, 5))
    ]
    attendees = []
    for id in range(100, 100 + rng.randint(10, 60)):
        wanted, lived, languages = rng.choice(kinds)
        again = rng.choice([None, None, None, rng.randint(1, 8)])
        attendees.append(Attendee(id, wanted, lived, languages, again))
    locked = [(rng.choice(attendees).id, rng.randint(1, 8)) for _ in range(rng.randint(0, 4))]
    return attendees, surgeons, locked


@pytest.mark.parametrize("seed", range(12))
def test_people_asking_alike_reach_the_optimum_of_independent_solvers(seed):
    attendees, surgeons, locked = crowd(seed)
    result = match(attendees, surgeons, locked)
    check_valid(result, attendees, surgeons, locked)
    assert result.total == assignment_optimum(attendees, surgeons, locked)
    assert result.total == min_cost_flow_optimum(attendees, surgeons, locked)
    assert match(attendees, surgeons, locked) == result  # the same pairs every time


def test_of_people_asking_alike_those_earlier_in_the_list_are_paired_first():
    surgeons = [surgeon(1, "Facebook", capacity=2), surgeon(2, "Facebook", lived=True)]
    attendees = [attendee(i, "Facebook") for i in (15, 11, 14, 10, 13)]
    result = match(attendees, surgeons, locked=[(14, 2)])
    assert paired(result) == {14: 2, 15: 1, 11: 1}
    assert reasons_why_unpaired(result) == {10: ALL_FULL, 13: ALL_FULL}
    assert [u.attendee_id for u in result.unpaired] == [10, 13]  # in the order given


def test_a_crowd_larger_than_every_place_fills_each_place_once():
    surgeons = [surgeon(1, "Facebook", capacity=3), surgeon(2, "Facebook", "Blogging", lived=True)]
    attendees = [attendee(i, "Facebook") for i in range(100, 400)]
    attendees.append(attendee(99, "Blogging", lived=True))
    result = match(attendees, surgeons)
    assert Counter(paired(result).values()) == {1: 3, 2: 1}
    assert paired(result)[99] == 2  # the better fit for surgeon 2's one place
    assert len(result.unpaired) == 297
    assert result.total == assignment_optimum(attendees, surgeons, [])


@pytest.mark.parametrize("seed", range(6))
def test_fit_values_worked_out_together_are_fit_value_for_each_pair(seed):
    from surgery.domain.matching_solver import fit_values

    attendees, surgeons, _ = crowd(seed)
    attendees.append(Attendee(1, frozenset({"Knitting"}), True, frozenset({"BSL"})))
    rows, columns, values = fit_values(attendees, surgeons)
    found = {(int(r), int(c)): int(v) for r, c, v in zip(rows, columns, values, strict=True)}
    expected = {
        (r, c): f[0]
        for r, a in enumerate(attendees)
        for c, s in enumerate(surgeons)
        if (f := fit(a, s)) is not None
    }
    assert found == expected
