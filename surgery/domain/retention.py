"""How long people's data is kept after a day, and what falls due when.

Two stages, each counted from the end of the day's last session:
- sensitive answers (role tags such as lived experience, access needs, what someone wants
  help with, languages, a request for someone with lived experience) go first;
- names, email addresses, check-in codes and private links go later.
The day's numbers are kept for good, as counts computed before anything goes, and what
people learned is kept without their names.

An organiser may shorten either period, never lengthen it past the default: the defaults
are the longest an information-governance lead would accept. Each period is at least one
day, so the last corrections after a day (attendance marked the next morning, a pairing
ended late) still count; "remove personal data now" is there for anything faster.
"""

import datetime as dt
from dataclasses import dataclass

from surgery.domain.asking import WhatHappens, nothing_to_do, people
from surgery.domain.errors import DomainError

SENSITIVE, IDENTITY = "sensitive", "identity"
STAGES = (SENSITIVE, IDENTITY)
SHORTEST_DAYS = 1

WHAT_GOES = {
    SENSITIVE: "role tags (such as lived experience), access needs, what people want help "
    "with, languages and requests for someone with lived experience",
    IDENTITY: "names, email addresses, check-in codes and private links",
}


@dataclass(frozen=True)
class Periods:
    """Days after the day's end before each kind of data is removed."""

    sensitive_days: int = 30
    identity_days: int = 365


DEFAULTS = Periods()


class TooLong(DomainError):
    """A period asked for is outside what the rules allow."""


def problems(periods: Periods, defaults: Periods = DEFAULTS) -> dict[str, str]:
    """What is wrong with the periods asked for, by field name; empty when they may be kept."""
    found = {}
    for name, longest in (
        ("sensitive_days", defaults.sensitive_days),
        ("identity_days", defaults.identity_days),
    ):
        days = getattr(periods, name)
        if days < SHORTEST_DAYS:
            found[name] = f"Keep it at least {SHORTEST_DAYS} day after the day."
        elif days > longest:
            found[name] = f"It can be shortened, not lengthened: at most {longest} days."
    if not found and periods.identity_days < periods.sensitive_days:
        found["identity_days"] = (
            "Names and email addresses go with or after sensitive answers: at least "
            f"{periods.sensitive_days} days."
        )
    return found


def checked(periods: Periods, defaults: Periods = DEFAULTS) -> Periods:
    """The periods, or TooLong with the first problem found."""
    found = problems(periods, defaults)
    if found:
        raise TooLong(next(iter(found.values())))
    return periods


@dataclass(frozen=True)
class Due:
    """When each stage of a day falls due (UTC)."""

    sensitive_at: dt.datetime
    identity_at: dt.datetime

    def at(self, stage: str) -> dt.datetime:
        """When the stage falls due."""
        return self.sensitive_at if stage == SENSITIVE else self.identity_at


def due(day_ends_at: dt.datetime, periods: Periods) -> Due:
    """When a day's sensitive answers and its names fall due for removal."""
    return Due(
        day_ends_at + dt.timedelta(days=periods.sensitive_days),
        day_ends_at + dt.timedelta(days=periods.identity_days),
    )


@dataclass(frozen=True)
class Done:
    """Which stages of a day have been removed already."""

    sensitive: bool = False
    identity: bool = False


def stages_due(day_ends_at: dt.datetime, periods: Periods, now: dt.datetime, done: Done):
    """The stages to remove now, in order; names never go before sensitive answers."""
    when = due(day_ends_at, periods)
    stages = []
    if not done.sensitive and now >= when.sensitive_at:
        stages.append(SENSITIVE)
    if not done.identity and now >= when.identity_at:
        if SENSITIVE not in stages and not done.sensitive:
            stages.append(SENSITIVE)
        stages.append(IDENTITY)
    return tuple(stages)


def stages_now(day_ends_at: dt.datetime, now: dt.datetime, done: Done) -> tuple[str, ...]:
    """What 'remove personal data now' removes: every stage left, once the day is over."""
    if now < day_ends_at:
        raise DomainError("This day is not over yet: its personal data is still needed.")
    return tuple(s for s in STAGES if not getattr(done, s))


def days(n: int) -> str:
    """'1 day', '30 days'."""
    return f"{n} day{'' if n == 1 else 's'}"


def period_words(n: int) -> str:
    """A period in plain words: '30 days', '12 months' for 365."""
    if n == 365:
        return "12 months"
    return days(n)


def removing_now(
    title: str, over: bool, done: Done, attendees: int, surgeons: int, emails: int
) -> WhatHappens:
    """What 'remove personal data now' will do to a day, said before it is done."""
    question = f"Remove the personal data of {title} now?"
    if not over:
        return nothing_to_do(question, "this day is not over yet, so its data is still needed.")
    if done.sensitive and done.identity:
        return nothing_to_do(question, "this day's personal data has already been removed.")
    who = f"{people(attendees)} who booked or walked in and {surgeons} surgeon"
    who += "" if surgeons == 1 else "s"
    lines = []
    if not done.sensitive:
        lines.append(f"The sensitive answers of {who} will be removed: {WHAT_GOES[SENSITIVE]}.")
    lines += [
        f"The names, email addresses and check-in codes of {who} will be removed. Their names "
        "will show as “removed”, and their private links and check-in codes will stop working.",
        f"The day’s {emails} email{'' if emails == 1 else 's'} in the outbox will be deleted.",
        "The day’s numbers are kept, as they are now, and what people learned is kept "
        "without their names.",
        "This cannot be undone.",
    ]
    return WhatHappens(question, tuple(lines), frozenset(), "Yes, remove it now")
