"""Access needs a person can tell us about, in plain English."""

ACCESS_NEEDS = {
    "step_free": "Step-free access",
    "bsl": "BSL interpreter",
    "hearing_loop": "Hearing loop",
    "quiet_space": "A quiet space",
    "large_print": "Large print",
    "support_worker": "A support worker coming with me",
    "breaks": "Regular breaks",
}


def labels(codes: list[str]) -> list[str]:
    """Plain-English labels for stored codes, skipping any no longer offered."""
    return [ACCESS_NEEDS[c] for c in codes if c in ACCESS_NEEDS]
