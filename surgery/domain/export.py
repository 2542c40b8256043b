"""What goes into the organiser's bookings spreadsheet: columns, order, and which are sensitive.

Sensitive answers (role tags, help wanted, access needs, the lived-experience wish) are
special-category data, so they are left out unless the organiser asks for them.
"""

import csv
import io
from dataclasses import dataclass

from surgery.domain.capacity import CANCELLED, CONFIRMED, WAITLISTED

STATE_WORDS = {CONFIRMED: "Booked", WAITLISTED: "Waiting list", CANCELLED: "Cancelled"}


@dataclass(frozen=True)
class ExportRow:
    """One booking, already in words: what a spreadsheet cell may hold."""

    name: str
    email: str
    session: str
    starts: str
    kind: str
    state: str
    waiting_position: str
    topics: str
    languages: str
    walk_in: str
    checked_in: str
    booked_at: str
    role_tags: str = ""
    help_wanted: str = ""
    access_needs: str = ""
    access_other: str = ""
    lived_experience: str = ""


# (header, field, sensitive), in the order the spreadsheet shows them
COLUMNS = (
    ("Name", "name", False),
    ("Email", "email", False),
    ("Session", "session", False),
    ("Starts", "starts", False),
    ("Kind", "kind", False),
    ("State", "state", False),
    ("Waiting position", "waiting_position", False),
    ("Topics", "topics", False),
    ("Languages", "languages", False),
    ("Walk-in", "walk_in", False),
    ("Checked in", "checked_in", False),
    ("Booked at", "booked_at", False),
    ("Role tags", "role_tags", True),
    ("Help wanted", "help_wanted", True),
    ("Access needs", "access_needs", True),
    ("Other access needs", "access_other", True),
    ("Wants someone with lived experience", "lived_experience", True),
)


def state_words(status: str) -> str:
    """A booking's status as the organiser reads it."""
    return STATE_WORDS.get(status, status.capitalize())


def columns(sensitive: bool) -> list[tuple[str, str, bool]]:
    """The columns of the export, the sensitive ones only when asked for."""
    return [c for c in COLUMNS if sensitive or not c[2]]


def header(sensitive: bool) -> list[str]:
    """The spreadsheet's first row."""
    return [title for title, _, _ in columns(sensitive)]


def cells(row: ExportRow, sensitive: bool) -> list[str]:
    """One row's cells in column order, formula-like text defused."""
    return [defuse(getattr(row, field)) for _, field, _ in columns(sensitive)]


def defuse(cell: str) -> str:
    """Stop a spreadsheet from running text that starts like a formula."""
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def yes(flag: bool) -> str:
    """A yes-or-no answer as a cell: "Yes", or empty for no."""
    return "Yes" if flag else ""


def to_csv(rows: list[ExportRow], sensitive: bool) -> str:
    """The whole spreadsheet as Excel opens it cleanly: a UTF-8 byte-order mark, CRLF rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header(sensitive))
    writer.writerows(cells(row, sensitive) for row in rows)
    return "\ufeff" + out.getvalue()
