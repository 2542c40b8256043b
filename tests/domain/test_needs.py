"""The venue's needs sheet: counts per session, only answers given with consent."""

from surgery.domain import needs


def test_counts_each_need_per_session_in_sheet_order():
    answers = [
        (1, True, ["step_free", "bsl"]),
        (1, True, ["step_free", "breaks"]),
        (2, True, ["large_print", "quiet_space", "hearing_loop"]),
    ]
    assert needs.count_needs([1, 2], answers) == {1: [2, 1, 0, 0, 0], 2: [0, 0, 1, 1, 1]}


def test_answers_without_consent_are_not_counted():
    assert needs.count_needs([1], [(1, False, ["bsl"])]) == {1: [0, 0, 0, 0, 0]}


def test_a_session_nobody_needs_anything_for_shows_zeros_and_odd_answers_are_ignored():
    answers = [(1, True, None), (1, True, ["bsl", "bsl"]), (9, True, ["bsl"])]
    assert needs.count_needs([1, 3], answers) == {1: [0, 1, 0, 0, 0], 3: [0, 0, 0, 0, 0]}


def test_the_sheet_labels_follow_the_access_needs_wording():
    assert needs.sheet_labels() == [
        "Step-free access", "BSL interpreter", "Hearing loop", "A quiet space", "Large print",
    ]  # fmt: skip
