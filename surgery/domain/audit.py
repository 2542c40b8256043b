"""What the audit log records: who looked at or took away sensitive data, and who changed what.

An entry names the action, the day, the kind and id of the row, and which fields changed;
never the values of sensitive answers, so reading the log reveals nothing about anyone.
"""

import datetime as dt
from dataclasses import dataclass

# looking at or taking away people's data
VIEWED_BOOKINGS = "viewed bookings"
DOWNLOADED_BOOKINGS = "downloaded bookings"
DOWNLOADED_SENSITIVE = "downloaded bookings with sensitive answers"
VIEWED_MATCHING = "viewed matching"
VIEWED_FLOOR = "viewed the floor"
VIEWED_DUE = "viewed data due for removal"
# changes
CHANGED_EVENT = "changed a day"
CHANGED_SESSION = "changed a session"
CHANGED_BOOKING = "changed a booking"
CHANGED_SURGEON = "changed a surgeon"
CHANGED_VOCABULARY = "changed a list of choices"
CHANGED_ACCOUNT = "changed an organiser account"
CHANGED_RETENTION = "changed how long data is kept"
CHANGED_RESOURCE = "changed shared resources"
EMAILED_DAY = "emailed a day's people"
# removal
ERASED_PERSON = "erased a person"
REMOVED_PERSONAL_DATA = "removed personal data"
PURGED = "removed data when due"
WITHDREW_CONSENT = "withdrew consent"

VIEWS = (
    VIEWED_BOOKINGS,
    DOWNLOADED_BOOKINGS,
    DOWNLOADED_SENSITIVE,
    VIEWED_MATCHING,
    VIEWED_FLOOR,
    VIEWED_DUE,
)
CHANGES = (
    CHANGED_EVENT,
    CHANGED_SESSION,
    CHANGED_BOOKING,
    CHANGED_SURGEON,
    CHANGED_VOCABULARY,
    CHANGED_ACCOUNT,
    CHANGED_RETENTION,
    CHANGED_RESOURCE,
    EMAILED_DAY,
)
REMOVALS = (ERASED_PERSON, REMOVED_PERSONAL_DATA, PURGED, WITHDREW_CONSENT)
ACTIONS = VIEWS + CHANGES + REMOVALS

# opening a page again within this time is the same look: the floor and the day's page
# reload themselves, and an entry per reload would bury the log (and write on every read)
LOOK_AGAIN_MINUTES = 15
PAGE_LOOKS = (VIEWED_BOOKINGS, VIEWED_MATCHING, VIEWED_FLOOR, VIEWED_DUE)

# who did it, when it was not a signed-in organiser
THE_PERSON = "the person themselves"
AUTOMATIC = "automatic removal"

# the longest detail kept: a list of field names, never what was in them
DETAIL_LIMIT = 500


def worth_recording(action: str, last_at: dt.datetime | None, now: dt.datetime) -> bool:
    """True unless the same organiser opened the same page a moment ago: a download is
    recorded every time, a page once per look."""
    if action not in PAGE_LOOKS or last_at is None:
        return True
    return now - last_at >= dt.timedelta(minutes=LOOK_AGAIN_MINUTES)


@dataclass(frozen=True)
class Entry:
    """One line of the log, as it will be stored."""

    action: str
    actor: str
    event_id: int | None = None
    subject: str = ""
    detail: str = ""


def entry(action: str, actor: str, event_id=None, subject: str = "", fields=(), detail="") -> Entry:
    """An entry for an action, its detail the names of the fields changed (not their values).

    An action the log does not know is a programming error, refused loudly.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action: {action!r}")
    named = ", ".join(sorted(set(fields)))
    said = "; ".join(part for part in (detail, f"fields: {named}" if named else "") if part)
    return Entry(action, actor[:120], event_id, subject[:80], said[:DETAIL_LIMIT])
