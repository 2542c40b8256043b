"""The life of a surgeon's offer to help: approved, declined or withdrawn, and who is told.

As in surgery.domain.lifecycle, a change is asked for from the state the surgeon is in now
(read under the day's lock); a refused one raises in plain words, an allowed one returns the
new state and what the surgeon is told, in order.
"""

from dataclasses import dataclass

from surgery.domain.errors import DomainError
from surgery.domain.lifecycle import CANCELLED, AlreadyDone

PENDING, APPROVED, DECLINED, WITHDRAWN = "pending", "approved", "declined", "withdrawn"
APPROVE, DECLINE, WITHDRAW = "approve", "decline", "withdraw"
# what the surgeon is told (the kinds of surgery.mail.notices)
SURGEON_CONFIRMED, SURGEON_CANCELLED = "surgeon_confirmed", "surgeon_cancelled"
SURGEON_DECLINED = "surgeon_declined"


@dataclass(frozen=True)
class SurgeonChange:
    """A surgeon's new status and the notices they get, in order (invites first)."""

    status: str
    tell: tuple[str, ...] = ()


def change_surgeon(status: str, action: str, day: str) -> SurgeonChange:
    """Approve, decline or withdraw a surgeon in this status, on a day in this status."""
    if action == APPROVE:
        if status == APPROVED:
            raise AlreadyDone("They are approved already.")
        if day == CANCELLED:  # an invite would put the day back in their calendar
            raise DomainError("This surgery day is cancelled, so nobody can be approved for it.")
        return SurgeonChange(APPROVED, (SURGEON_CONFIRMED,))
    if action in (DECLINE, WITHDRAW):
        if status in (DECLINED, WITHDRAWN):
            raise AlreadyDone("They are no longer down as a surgeon for this day.")
        # an approved surgeon's invites are cancelled; a declined one is thanked
        cancelled = (SURGEON_CANCELLED,) if status == APPROVED else ()
        if action == DECLINE:
            return SurgeonChange(DECLINED, (*cancelled, SURGEON_DECLINED))
        return SurgeonChange(WITHDRAWN, cancelled)
    raise DomainError("Unknown change.")
