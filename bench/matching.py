"""Seconds to match big surgery sessions, next to networkx's min-cost flow on the same ones.

Builds a seeded random session of 10,000 attendees and 1,000 surgeons, then one of 40,000
attendees and the same surgeons: 500 topics, each surgeon offering 5 of them and 1 to 5
places, each attendee asking for 1 or 2 topics (so about 10 to 20 surgeons can help each of
them), some asking for lived experience or BSL and some surgeons bringing them. Then, for
each session:

1. times `surgery.domain.matching.match()` (best of --repeat runs) and checks its result:
   nobody twice, no surgeon over capacity, only surgeons who can help;
2. solves the same instance with `networkx.network_simplex`, a min-cost flow on the same
   objective built from `fit()`, `slot_penalty()` and `PAIR_VALUE` only: one unit of flow per
   attendee, to a surgeon (worth PAIR_VALUE + fit) or straight to the sink (unpaired, worth
   nothing); each surgeon reaches the sink through one arc per place, the k-th costing
   slot_penalty(k). As the penalties never fall, a flow through k places pays exactly the
   first k penalties, which is what match() counts. `--slot-edges` builds the flow as the
   tests do instead, an arc from each attendee to each of their surgeons' places (slower);
3. prints both totals and stops with an error if they differ, then the seconds and the ratio;
   exits with an error at the end if match() missed its target for any size.

    .venv/bin/python bench/matching.py [--attendees 10000 40000] [--surgeons 1000] [--profile]
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # import the app from this checkout

import networkx as nx  # noqa: E402

from surgery.domain.matching import (  # noqa: E402
    PAIR_VALUE,
    Attendee,
    Surgeon,
    fit,
    match,
    slot_penalty,
)

TARGETS = {10_000: 0.3, 40_000: 1.0}  # seconds for match(), by attendees; 1 s for other sizes


def instance(attendees: int, surgeons: int, topics: int, seed: int):
    """A seeded random session: (attendees, surgeons)."""
    rng = random.Random(seed)
    vocabulary = [f"topic {i}" for i in range(topics)]
    bsl = frozenset({"BSL"})
    volunteers = [
        Surgeon(
            id=i,
            topics=frozenset(rng.sample(vocabulary, 5)),
            capacity=rng.randint(1, 5),
            lived_experience=rng.random() < 0.3,
            languages=bsl if rng.random() < 0.05 else frozenset(),
        )
        for i in range(surgeons)
    ]
    people = [
        Attendee(
            id=100_000 + i,
            topics=frozenset(rng.sample(vocabulary, rng.randint(1, 2))),
            wants_lived_experience=rng.random() < 0.2,
            languages=bsl if rng.random() < 0.03 else frozenset(),
        )
        for i in range(attendees)
    ]
    return people, volunteers


def candidates(attendees, surgeons) -> dict[int, list[tuple[Surgeon, int]]]:
    """attendee id -> [(surgeon, fit value)], found through a topic index (no match() code)."""
    by_topic: dict[str, list[Surgeon]] = {}
    for s in surgeons:
        for topic in s.topics:
            by_topic.setdefault(topic, []).append(s)
    found = {}
    for a in attendees:
        if a.topics:
            pool = {s.id: s for t in a.topics for s in by_topic.get(t, ())}
        else:
            pool = {s.id: s for s in surgeons}  # no topic named: anyone can help
        found[a.id] = [(s, fit(a, s)[0]) for s in pool.values()]
    return found


def flow_graph(attendees, surgeons, options, slot_edges: bool) -> nx.DiGraph:
    """The session as a min-cost flow; its cost is minus the best total."""
    graph = nx.DiGraph()
    graph.add_node("source", demand=-len(attendees))
    graph.add_node("sink", demand=len(attendees))
    for s in surgeons:
        for k in range(s.capacity):
            graph.add_edge(("slot", s.id, k), "sink", capacity=1, weight=0)
            if not slot_edges:
                graph.add_edge(
                    ("surgeon", s.id), ("slot", s.id, k), capacity=1, weight=slot_penalty(k)
                )
    for a in attendees:
        node = ("attendee", a.id)
        graph.add_edge("source", node, capacity=1, weight=0)
        graph.add_edge(node, "sink", capacity=1, weight=0)  # unpaired
        for s, value in options[a.id]:
            if slot_edges:
                for k in range(s.capacity):
                    gain = PAIR_VALUE + value - slot_penalty(k)
                    graph.add_edge(node, ("slot", s.id, k), capacity=1, weight=-gain)
            else:
                graph.add_edge(node, ("surgeon", s.id), capacity=1, weight=-(PAIR_VALUE + value))
    return graph


def check(result, attendees, surgeons) -> None:
    """The result is a valid assignment; fails loudly otherwise."""
    people = {a.id: a for a in attendees}
    volunteers = {s.id: s for s in surgeons}
    seen = [p.attendee_id for p in result.pairs] + [u.attendee_id for u in result.unpaired]
    if sorted(seen) != sorted(people):
        sys.exit("FAIL: an attendee is missing or appears twice")
    for surgeon_id, count in Counter(p.surgeon_id for p in result.pairs).items():
        if count > volunteers[surgeon_id].capacity:
            sys.exit(f"FAIL: surgeon {surgeon_id} has {count} people, offered fewer")
    for p in result.pairs:
        if fit(people[p.attendee_id], volunteers[p.surgeon_id]) is None:
            sys.exit(f"FAIL: {p} pairs someone with a surgeon who cannot help")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attendees", type=int, nargs="+", default=[10_000, 40_000])
    parser.add_argument("--surgeons", type=int, default=1_000)
    parser.add_argument("--topics", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="runs of match(); the best counts")
    parser.add_argument("--slot-edges", action="store_true", help="flow with an arc per place")
    parser.add_argument("--profile", action="store_true", help="cProfile one match() run")
    args = parser.parse_args()
    missed = [size for size in args.attendees if not run(size, args)]
    if missed:
        sys.exit(f"match() missed its target for {', '.join(map(str, missed))} attendees")


def run(size: int, args) -> bool:
    """Time match() on one session and check it against networkx; True if on target."""
    attendees, surgeons = instance(size, args.surgeons, args.topics, args.seed)
    options = candidates(attendees, surgeons)
    places = sum(s.capacity for s in surgeons)
    mean = sum(map(len, options.values())) / max(len(attendees), 1)
    print(f"{len(attendees)} attendees, {len(surgeons)} surgeons with {places} places,")
    print(f"{mean:.1f} candidate surgeons per attendee on average (seed {args.seed}).")

    match(attendees[:100], surgeons)  # numpy and scipy imported before the clock starts
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = match(attendees, surgeons)
        times.append(time.perf_counter() - started)
    ours, median = min(times), sorted(times)[len(times) // 2]
    check(result, attendees, surgeons)
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(match, attendees, surgeons)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(15)
        print(out.getvalue())

    started = time.perf_counter()
    graph = flow_graph(attendees, surgeons, options, args.slot_edges)
    built = time.perf_counter() - started
    cost, _ = nx.network_simplex(graph)
    theirs = time.perf_counter() - started
    flow_total = -cost

    print()
    print(f"{'solver':<46}{'total':>12}{'seconds':>10}")
    label = f"match() (best of {args.repeat}; median {median:.3f})"
    print(f"{label:<46}{result.total:>12}{ours:>10.3f}")
    kind = "an arc per place" if args.slot_edges else "an arc per surgeon"
    label = f"networkx network_simplex, {kind}"
    print(f"{label:<46}{flow_total:>12}{theirs:>10.3f}")
    print(f"  of which building the graph ({graph.number_of_edges()} arcs): {built:.3f} s")
    print()
    print(f"{len(result.pairs)} paired, {len(result.unpaired)} unpaired.")
    if result.total != flow_total:
        sys.exit(f"FAIL: the totals differ: match() {result.total}, networkx {flow_total}")
    print("Both reach the same total.")
    print(f"Ratio networkx / match(): {theirs / ours:.0f}x")
    target = TARGETS.get(size, 1.0)
    verdict = "met" if ours < target else "MISSED"
    print(f"match() took {ours:.3f} s: target under {target} s {verdict}.")
    print(f"Load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}.")
    print()
    return ours < target


if __name__ == "__main__":
    main()
