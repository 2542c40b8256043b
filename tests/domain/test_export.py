"""What goes into the bookings spreadsheet: columns, order, sensitive ones only when asked."""

import csv
import io

from surgery.domain import export
from surgery.domain.capacity import CONFIRMED, WAITLISTED

PLAIN = [
    "Name", "Email", "Session", "Starts", "Kind", "State", "Waiting position", "Topics",
    "Languages", "Walk-in", "Checked in", "Booked at",
]  # fmt: skip
SENSITIVE = [
    "Role tags", "Help wanted", "Access needs", "Other access needs",
    "Wants someone with lived experience",
]  # fmt: skip


def a_row(**changes) -> export.ExportRow:
    """A booking in words with every column filled."""
    values = {field: field for _, field, _ in export.COLUMNS}
    return export.ExportRow(**{**values, **changes})


def test_without_asking_the_sensitive_columns_are_left_out():
    assert export.header(sensitive=False) == PLAIN
    assert export.cells(a_row(), sensitive=False) == [
        "name", "email", "session", "starts", "kind", "state", "waiting_position", "topics",
        "languages", "walk_in", "checked_in", "booked_at",
    ]  # fmt: skip


def test_asked_for_the_sensitive_columns_come_last():
    assert export.header(sensitive=True) == PLAIN + SENSITIVE
    cells = export.cells(a_row(), sensitive=True)
    assert cells[-5:] == [
        "role_tags", "help_wanted", "access_needs", "access_other", "lived_experience",
    ]  # fmt: skip


def test_formula_like_cells_are_defused():
    for text in ("=SUM(A1)", "+1", "-1", "@me", "\tx"):
        assert export.defuse(text) == "'" + text
    assert export.defuse("Ann") == "Ann"
    assert export.cells(a_row(help_wanted="=HYPERLINK(1)"), sensitive=True)[13] == "'=HYPERLINK(1)"


def test_states_in_words():
    assert export.state_words(CONFIRMED) == "Booked"
    assert export.state_words(WAITLISTED) == "Waiting list"


def test_the_file_has_a_byte_order_mark_and_crlf_rows():
    text = export.to_csv([a_row(name="Zoë")], sensitive=False)
    assert text.startswith("\ufeffName,")
    assert text.count("\r\n") == 2
    assert "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1][0] == "Zoë"
