"""Rules for organiser accounts: passwords and the links emailed to choose one."""

import datetime as dt

MIN_PASSWORD_LENGTH = 10
RESET, INVITE = "reset", "invite"
# a reset is asked for by someone at their screen; an invite may wait for the weekend
LINK_LIFETIMES = {RESET: dt.timedelta(hours=1), INVITE: dt.timedelta(days=7)}


def link_expires_at(purpose: str, now: dt.datetime) -> dt.datetime:
    """When a link made now for this purpose stops working."""
    return now + LINK_LIFETIMES[purpose]


def link_is_open(expires_at: dt.datetime, now: dt.datetime) -> bool:
    """True while a link still works (a used link is deleted, so it is never asked about)."""
    return now < expires_at


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None if it will do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"The password must be at least {MIN_PASSWORD_LENGTH} characters long."
    return None
