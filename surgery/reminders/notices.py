"""The reminder and follow-up emails, queued through the outbox like every notice.

Their links are stored as seeds and written out when the email is (surgery.links), and a
reminder goes only while its place stands when its turn comes (surgery.mail.outbox).
"""

import time

from surgery.database import utcnow
from surgery.mail import links, outbox
from surgery.mail.notices import Recipient, _message
from surgery.mail.outbox import ONLY_WHILE_ON
from surgery.mail.wording import FOLLOW_UP, REMINDER, SURGEON_REMINDER

# said instead of whom a surgeon will meet, when nobody is paired with them when it is sent
NOBODY_YET = "Nobody is paired with you yet: the organisers will pair you with people on the day."


def reminder_seed(registration, reminder) -> str:
    """What a reminder's two tokens are made from: the person's seed and this reminder."""
    return f"{registration.token_seed}:reminder:{reminder.id}"


def follow_up_seed(follow_up) -> str:
    """What a follow-up's token is made from."""
    return f"{follow_up.seed}:follow-up:{follow_up.id}"


def queue_reminders(pairs) -> None:
    """One reminder for each (booking, reminder): the session, whom they meet, and the two
    answers."""
    now, stamp = utcnow(), int(time.time() * 1000)
    rows = []
    for booking, reminder in pairs:
        registration = booking.registration
        recipient = Recipient(
            registration.email, registration.name, links.private_link(registration)
        )
        about = ("booking", booking)
        row = _message(REMINDER, recipient, booking.session, about, now, stamp, lines=True)
        row["payload"][ONLY_WHILE_ON] = {"reminder": reminder.id}
        row["payload"]["answers"] = {
            "id": reminder.id,
            "seed": reminder_seed(registration, reminder),
        }
        rows.append(row)
    outbox.add(rows)


def queue_surgeon_reminders(pairs) -> None:
    """One reminder for each surgeon's slot, naming whom they will meet as they may see
    them (written when it is sent: surgery.mail.current)."""
    now, stamp = utcnow(), int(time.time() * 1000)
    rows = []
    for slot, reminder in pairs:
        surgeon = slot.surgeon
        recipient = Recipient(surgeon.email, surgeon.name, links.private_link(surgeon, "surgeon"))
        about = ("slot", slot)
        row = _message(SURGEON_REMINDER, recipient, slot.session, about, now, stamp, lines=True)
        row["payload"][ONLY_WHILE_ON] = {"reminder": reminder.id}
        row["payload"]["no_lines"] = NOBODY_YET
        rows.append(row)
    outbox.add(rows)


def queue_follow_ups(event, pairs) -> None:
    """The follow-up question for each (registration, follow_up) of a day."""
    now, stamp = utcnow(), int(time.time() * 1000)
    rows = []
    for registration, follow_up in pairs:
        recipient = Recipient(registration.email, registration.name, None)
        row = _message(FOLLOW_UP, recipient, None, None, now, stamp, event=event)
        row["payload"]["follow_up"] = {"id": follow_up.id, "seed": follow_up_seed(follow_up)}
        rows.append(row)
    outbox.add(rows)
