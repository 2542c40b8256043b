"""What the organiser's dashboard says about each day: its figures, in plain English, what
needs attention, and the order the days come in.

Surgeons wanted is counted per surgery session: enough approved surgeons that the people
each can help covers everyone booked and waiting there. A surgeon not yet found is taken
to help NEW_SURGEON_HELPS people, the number the volunteer form suggests.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from surgery.domain.lifecycle import CANCELLED, DRAFT

NEW_SURGEON_HELPS = 2

# the dashboard's sections, in the order they are shown
COMING_UP, DRAFTS, PAST = "coming up", "drafts", "past and cancelled"
SECTIONS = (COMING_UP, DRAFTS, PAST)

# what needs an organiser (the pages it links to are the web layer's)
VOLUNTEERS, PAIRS, FAILED_MAIL = "volunteers", "pairs", "failed mail"


def surgeons_wanted(people: int, helped: int, each: int = NEW_SURGEON_HELPS) -> int:
    """How many more surgeons a surgery session needs: `people` booked and waiting, whom
    the approved surgeons can help `helped` of between them."""
    short = max(0, people - helped)
    return -(-short // max(1, each))


@dataclass(frozen=True)
class SessionFigures:
    """One session's numbers."""

    surgery: bool
    capacity: int | None
    booked: int = 0
    waiting: int = 0
    helped: int = 0  # people the approved surgeons who can do it can help between them
    pairs_to_accept: int = 0

    @property
    def surgeons_wanted(self) -> int:
        """More surgeons this session needs (none for a workshop or open space)."""
        return surgeons_wanted(self.booked + self.waiting, self.helped) if self.surgery else 0


@dataclass(frozen=True)
class DayFigures:
    """One day's numbers, for one row of the dashboard."""

    status: str
    starts: dt.datetime | None
    ends: dt.datetime | None
    sessions: tuple[SessionFigures, ...] = ()
    approved: int = 0
    pending: int = 0
    failed_mail: int = 0

    def section(self, now: dt.datetime) -> str:
        """Coming up (published, not over yet), a draft, or past or cancelled."""
        if self.status == CANCELLED:
            return PAST
        if self.status == DRAFT:
            return DRAFTS
        return PAST if self.ends is not None and self.ends <= now else COMING_UP

    @property
    def places(self) -> str:
        """'12 of 20 places booked · 3 waiting'."""
        limited = [s for s in self.sessions if s.capacity is not None]
        booked = sum(s.booked for s in limited)
        line = f"{booked} of {sum(s.capacity for s in limited)} places booked" if limited else ""
        unlimited = sum(s.booked for s in self.sessions if s.capacity is None)
        if unlimited or not limited:
            more = f"{unlimited} booked where places are not limited"
            line = f"{line} · {more}" if line else more
        waiting = sum(s.waiting for s in self.sessions)
        return f"{line} · {waiting} waiting" if waiting else line

    @property
    def wanted(self) -> int:
        """More surgeons the day needs, over all its surgery sessions."""
        return sum(s.surgeons_wanted for s in self.sessions)

    @property
    def surgeons(self) -> str:
        """'2 surgeons approved, 1 more wanted'; empty for a day with no surgery space."""
        if not any(s.surgery for s in self.sessions) and not self.approved:
            return ""
        approved = f"{self.approved} surgeon{'' if self.approved == 1 else 's'} approved"
        if self.wanted:
            return f"{approved}, {self.wanted} more wanted"
        return f"{approved}, enough for everyone booked" if self.approved else approved

    def attention(self, now: dt.datetime) -> tuple[tuple[str, int, str], ...]:
        """What needs an organiser, as (what, how many, in words). A day over or cancelled
        needs no volunteers approved or pairs accepted; mail that failed always matters."""
        items = []
        open_day = self.section(now) != PAST
        if open_day and self.pending:
            items.append(
                (VOLUNTEERS, self.pending, _count(self.pending, "volunteer", "to approve"))
            )
        pairs = sum(s.pairs_to_accept for s in self.sessions)
        if open_day and pairs:
            items.append((PAIRS, pairs, _count(pairs, "pair", "to accept")))
        if self.failed_mail:
            failed = self.failed_mail
            items.append((FAILED_MAIL, failed, _count(failed, "email", "not sent (failed)")))
        return tuple(items)


def _count(n: int, thing: str, what: str) -> str:
    """'1 volunteer to approve', '2 pairs to accept'."""
    return f"{n} {thing}{'' if n == 1 else 's'} {what}"


def in_order(days: Iterable[tuple[object, DayFigures]], now: dt.datetime) -> dict[str, list]:
    """Days by section: coming up soonest first; drafts soonest first, undated last; past
    and cancelled most recent first. Each day is (anything, its figures)."""
    far, long_ago = dt.datetime.max.replace(tzinfo=dt.UTC), dt.datetime.min.replace(tzinfo=dt.UTC)
    sections: dict[str, list] = {name: [] for name in SECTIONS}
    for day in days:
        sections[day[1].section(now)].append(day)
    for name in (COMING_UP, DRAFTS):
        sections[name].sort(key=lambda d: d[1].starts or far)
    sections[PAST].sort(key=lambda d: d[1].starts or long_ago, reverse=True)
    return sections
