"""When to try sending a message again."""

import datetime as dt

FIRST_WAIT = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=2)


def next_attempt(attempts: int, now: dt.datetime) -> dt.datetime:
    """Wait twice as long after each failure (30s, 1m, 2m…), never more than two hours."""
    doublings = min(max(attempts - 1, 0), 20)  # 2**20 waits pass the cap; more would overflow
    wait = min(FIRST_WAIT * 2**doublings, LONGEST_WAIT)
    return now + wait


def gives_up(attempts: int, max_attempts: int) -> bool:
    """True once a message has failed as often as we allow."""
    return attempts >= max_attempts
