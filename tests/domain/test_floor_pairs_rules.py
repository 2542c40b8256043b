"""Whom the floor offers first when people have surgeons of their own, without a database."""

import datetime as dt

from surgery.domain.floor import Waiting
from surgery.domain.floor import suggestions as plain_suggestions
from surgery.domain.floor_pairs import (
    ACCEPTED,
    SAME_SURGEON,
    Wanted,
    average_minutes,
    free_soon,
    held,
    suggestions,
)
from surgery.domain.matching import Attendee, Surgeon, fit, match

NINE = dt.datetime(2030, 5, 4, 9, 0, tzinfo=dt.UTC)
VICTOR, FATIMA, SUE = 1, 2, 3
GARETH, ANA, BEN = 10, 11, 12


def waiting(booking_id: int, minutes_after_nine: int, *topics: str, later=False) -> Waiting:
    since = NINE + dt.timedelta(minutes=minutes_after_nine)
    return Waiting(booking_id, since, Attendee(booking_id, frozenset(topics)), later=later)


def surgeon(surgeon_id: int, *topics: str, capacity=1) -> Surgeon:
    return Surgeon(surgeon_id, frozenset(topics), capacity=capacity)


def test_free_now_is_free_soon():
    assert free_soon(None, None)
    assert free_soon(None, 20)


def test_busy_is_free_soon_only_once_longer_than_the_days_average():
    assert not free_soon(10, 20)
    assert free_soon(20, 20)
    assert free_soon(35, 20)
    assert not free_soon(90, None)  # nobody has finished: nobody knows how long it takes


def test_the_average_is_of_pairings_that_finished():
    assert average_minutes([10, 20, 30]) == 20
    assert average_minutes([]) is None


def test_gareth_is_offered_to_victor_his_accepted_surgeon_not_to_fatima():
    # Gareth was told he would meet Victor; without the pair, Fatima came first for him
    queue = [waiting(GARETH, 0, "Facebook"), waiting(ANA, 5, "Facebook")]
    own = {GARETH: Wanted(VICTOR, ACCEPTED)}
    free = [surgeon(FATIMA, "Facebook"), surgeon(VICTOR, "Facebook")]

    assert plain_suggestions(free, queue) == {FATIMA: GARETH, VICTOR: ANA}
    assert suggestions(free, queue, own, {VICTOR, FATIMA}) == {VICTOR: GARETH, FATIMA: ANA}


def test_victor_sees_gareth_first_even_when_someone_waited_longer():
    queue = [waiting(ANA, 0, "Facebook"), waiting(GARETH, 30, "Facebook")]
    own = {GARETH: Wanted(VICTOR, ACCEPTED)}

    assert suggestions([surgeon(VICTOR, "Facebook")], queue, own, {VICTOR}) == {VICTOR: GARETH}


def test_other_surgeons_skip_someone_whose_own_surgeon_is_free_soon():
    queue = [waiting(GARETH, 0, "Facebook"), waiting(ANA, 10, "Facebook")]
    own = {GARETH: Wanted(VICTOR, ACCEPTED)}

    # Victor is busy but has been with someone longer than the average: Gareth waits for him
    assert suggestions([surgeon(FATIMA, "Facebook")], queue, own, {VICTOR}) == {FATIMA: ANA}


def test_someone_whose_own_surgeon_is_not_free_soon_is_offered_to_others():
    queue = [waiting(GARETH, 0, "Facebook"), waiting(ANA, 10, "Facebook")]
    own = {GARETH: Wanted(VICTOR, ACCEPTED)}

    # Victor has only just started with someone (or is not here): Gareth need not wait
    assert suggestions([surgeon(FATIMA, "Facebook")], queue, own, set()) == {FATIMA: GARETH}


def test_a_free_surgeon_passes_over_someone_kept_for_their_own_surgeon():
    queue = [waiting(GARETH, 0, "Facebook")]
    own = {GARETH: Wanted(VICTOR, ACCEPTED)}

    assert suggestions([surgeon(FATIMA, "Facebook")], queue, own, {VICTOR}) == {}
    assert suggestions([surgeon(FATIMA, "Facebook")], queue, {}, {VICTOR}) == {FATIMA: GARETH}


def test_every_accepted_pair_is_held_but_only_one_same_surgeon_request_per_surgeon():
    queue = [waiting(ANA, 0), waiting(BEN, 5), waiting(GARETH, 10), waiting(13, 15)]
    own = {
        ANA: Wanted(SUE, SAME_SURGEON),
        BEN: Wanted(SUE, SAME_SURGEON),
        GARETH: Wanted(VICTOR, ACCEPTED),
        13: Wanted(VICTOR, ACCEPTED),
    }

    assert held(queue, own, {SUE, VICTOR}) == {ANA: SUE, GARETH: VICTOR, 13: VICTOR}


def test_a_same_surgeon_request_gives_way_to_that_surgeons_accepted_pairs():
    queue = [waiting(ANA, 0), waiting(GARETH, 10)]
    own = {ANA: Wanted(VICTOR, SAME_SURGEON), GARETH: Wanted(VICTOR, ACCEPTED)}

    assert held(queue, own, {VICTOR}) == {GARETH: VICTOR}
    assert suggestions([surgeon(FATIMA), surgeon(VICTOR)], queue, own, {FATIMA, VICTOR}) == {
        VICTOR: GARETH,
        FATIMA: ANA,
    }


def test_same_surgeon_as_last_time_is_offered_to_that_surgeon_first():
    queue = [waiting(BEN, 0, "Facebook"), waiting(ANA, 5, "Facebook")]
    own = {ANA: Wanted(SUE, SAME_SURGEON)}
    free = [surgeon(SUE, "Facebook"), surgeon(FATIMA, "Facebook")]

    assert suggestions(free, queue, own, {SUE, FATIMA}) == {SUE: ANA, FATIMA: BEN}


def test_people_from_the_waiting_list_come_after_everyone_with_a_place():
    queue = [waiting(ANA, 0, "Facebook", later=True), waiting(BEN, 20, "Facebook")]

    assert suggestions([surgeon(FATIMA, "Facebook")], queue, {}, {FATIMA}) == {FATIMA: BEN}


def test_matching_honours_a_same_surgeon_request_over_a_closer_topic_fit():
    ana = Attendee(ANA, frozenset({"Facebook", "Instagram"}), same_surgeon=SUE)
    surgeons = [surgeon(SUE, "Facebook"), surgeon(FATIMA, "Facebook", "Instagram")]

    assert [(p.attendee_id, p.surgeon_id) for p in match([ana], surgeons).pairs] == [(ANA, SUE)]
    assert fit(ana, surgeons[0])[1] == ("both: Facebook", "helped them last time, as asked")


def test_matching_never_piles_same_surgeon_requests_past_capacity():
    asking = [Attendee(i, frozenset({"Facebook"}), same_surgeon=SUE) for i in (ANA, BEN, 13)]
    surgeons = [surgeon(SUE, "Facebook", capacity=2), surgeon(FATIMA, "Facebook", capacity=2)]

    pairs = match(asking, surgeons).pairs
    by_surgeon = {
        s: sorted(p.attendee_id for p in pairs if p.surgeon_id == s) for s in (SUE, FATIMA)
    }
    assert len(by_surgeon[SUE]) == 2
    assert len(by_surgeon[FATIMA]) == 1
    assert len(pairs) == 3


def test_a_same_surgeon_request_for_someone_who_cannot_help_is_not_a_pair():
    ana = Attendee(ANA, frozenset({"Tax returns"}), same_surgeon=SUE)

    assert match([ana], [surgeon(SUE, "Facebook")]).pairs == []
