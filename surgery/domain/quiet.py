"""When the web process's mail sender may start: once requests have paused, or it has
waited long enough.

Sending is work (an email's QR code image, its calendar, a talk with the mail server) done
in the same process, and on the same processors, as answering people. In a burst of
bookings it would slow every answer for mail that can go a few seconds later; so the sender
waits for a pause in the requests, and never longer than its limit, so mail still goes
when requests never pause.
"""


def seconds_to_wait(now: float, woken_at: float, last_request_at: float, pause: float,
                    longest: float) -> float:  # fmt: skip
    """How long the sender should wait before sending (0: send now).

    All times are seconds on one clock: `woken_at` when it was asked to send,
    `last_request_at` when the latest request began; `pause` is how long requests must
    have stopped for, `longest` the most it waits from being asked.
    """
    until_pause = last_request_at + pause - now
    until_limit = woken_at + longest - now
    return max(0.0, min(until_pause, until_limit))
