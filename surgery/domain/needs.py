"""The venue's needs sheet: how many people need each kind of access, per session, no names."""

from collections import Counter
from collections.abc import Iterable

from surgery.domain.access import ACCESS_NEEDS

# what a venue has to arrange in advance, in the order the sheet shows them
SHEET_NEEDS = ("step_free", "bsl", "hearing_loop", "quiet_space", "large_print")


def sheet_labels() -> list[str]:
    """The sheet's column headings in plain English."""
    return [ACCESS_NEEDS[code] for code in SHEET_NEEDS]


def count_needs(
    session_ids: Iterable[int], answers: Iterable[tuple[int, bool, list[str] | None]]
) -> dict[int, list[int]]:
    """Per session, how many people need each sheet need, in SHEET_NEEDS order.

    `answers` holds (session id, consent given, access-need codes) for each confirmed place;
    answers given without consent are not counted, and a code listed twice counts once.
    """
    counts: dict[int, Counter] = {sid: Counter() for sid in session_ids}
    for session_id, consent, codes in answers:
        if consent and session_id in counts:
            counts[session_id].update(set(codes or ()) & set(SHEET_NEEDS))
    return {sid: [c[code] for code in SHEET_NEEDS] for sid, c in counts.items()}
