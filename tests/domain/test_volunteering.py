"""The life of a surgeon's offer to help: every allowed change, every refused one."""

import pytest

from surgery.domain import volunteering as v
from surgery.domain.errors import DomainError
from surgery.domain.lifecycle import CANCELLED, DRAFT, PUBLISHED, AlreadyDone


@pytest.mark.parametrize(
    ("status", "action", "day", "new", "tell"),
    [
        ("pending", "approve", PUBLISHED, "approved", ("surgeon_confirmed",)),
        ("pending", "approve", DRAFT, "approved", ("surgeon_confirmed",)),
        ("declined", "approve", PUBLISHED, "approved", ("surgeon_confirmed",)),
        ("withdrawn", "approve", PUBLISHED, "approved", ("surgeon_confirmed",)),
        ("pending", "decline", PUBLISHED, "declined", ("surgeon_declined",)),
        ("approved", "decline", PUBLISHED, "declined", ("surgeon_cancelled", "surgeon_declined")),
        ("approved", "decline", CANCELLED, "declined", ("surgeon_cancelled", "surgeon_declined")),
        ("pending", "withdraw", PUBLISHED, "withdrawn", ()),
        ("approved", "withdraw", PUBLISHED, "withdrawn", ("surgeon_cancelled",)),
        ("approved", "withdraw", CANCELLED, "withdrawn", ("surgeon_cancelled",)),
    ],
)
def test_allowed_changes_to_a_surgeon_and_what_they_are_told(status, action, day, new, tell):
    assert v.change_surgeon(status, action, day) == v.SurgeonChange(new, tell)


@pytest.mark.parametrize(
    ("status", "action", "day", "message", "already"),
    [
        ("approved", "approve", PUBLISHED, "They are approved already.", True),
        ("pending", "approve", CANCELLED, "cancelled, so nobody can be approved for it.", False),
        ("declined", "approve", CANCELLED, "cancelled, so nobody can be approved for it.", False),
        ("declined", "decline", PUBLISHED, "no longer down as a surgeon", True),
        ("withdrawn", "decline", PUBLISHED, "no longer down as a surgeon", True),
        ("declined", "withdraw", PUBLISHED, "no longer down as a surgeon", True),
        ("withdrawn", "withdraw", PUBLISHED, "no longer down as a surgeon", True),
        ("pending", "promote", PUBLISHED, "Unknown change.", False),
    ],
)
def test_refused_changes_to_a_surgeon_say_why(status, action, day, message, already):
    with pytest.raises(DomainError, match=message) as refused:
        v.change_surgeon(status, action, day)
    assert isinstance(refused.value, AlreadyDone) == already
