""" "Lost your link?": the same answer, and the same work, whether or not an address is known.

Asking only queues one outbox row naming the address, whatever it is, and nothing is sent
from the request. When the mail is next sent, the row is answered: the address is looked up
and gets the private link of each upcoming booking (or volunteering) it has, or nothing;
then the row is deleted, so an address that had nothing here is not kept.
"""

import logging

import sqlalchemy as sa
from flask import g

from surgery.bookings.models import Registration
from surgery.database import utcnow
from surgery.events.models import PUBLISHED, Event, EventSession
from surgery.extensions import db
from surgery.mail import notices
from surgery.mail.models import ASKED, OutboxMessage, new_message
from surgery.surgeons.models import Surgeon

LOST_BOOKING_LINK, LOST_SURGEON_LINK = "lost_booking_link", "lost_surgeon_link"
KINDS = {"booking": LOST_BOOKING_LINK, "surgeon": LOST_SURGEON_LINK}
log = logging.getLogger(__name__)


def ask(email: str, holder: str) -> None:
    """Queue a look-up of the private links of this address (the caller commits).

    The process's sender is woken once the answer has gone, whatever the address: it
    answers the look-up on its own thread, so the request does the same work either way.
    """
    now = utcnow()
    subject = "A private link was asked for"
    row = new_message(KINDS[holder], email.strip().lower(), subject, {}, now, status=ASKED)
    db.session.execute(sa.insert(OutboxMessage), [row])
    g.outbox_added = True


def answer_due(limit: int = 200) -> int:
    """Answer the look-ups waiting: queue each link found, delete the look-up; commit.

    A look-up that cannot be answered now is logged and left for the next round; it never
    stops the mail that is already queued.
    """
    waiting = sa.select(OutboxMessage.id).where(OutboxMessage.status == ASKED).limit(1)
    if db.session.scalar(waiting) is None:  # the usual case: nothing was written
        db.session.commit()
        return 0
    try:
        return _answer(limit)
    except Exception:
        log.exception("looking up lost links failed; the look-ups wait for the next round")
        db.session.rollback()
        return 0


def _answer(limit: int) -> int:
    """Queue the links each waiting look-up finds, delete the look-ups, and commit."""
    query = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.status == ASKED)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    asked = list(db.session.scalars(query))
    for request in asked:
        if request.kind == LOST_BOOKING_LINK:
            for registration in _upcoming(Registration, request.to_address):
                notices.notify_link(registration)
        else:
            for surgeon in _upcoming(Surgeon, request.to_address):
                notices.notify_surgeon_link(surgeon)
        db.session.delete(request)
    db.session.commit()
    return len(asked)


def _upcoming(model, email: str) -> list:
    """The registrations or surgeons of this address for published days not yet over."""
    days_ahead = Event.sessions.any(EventSession.ends_at >= utcnow())
    query = (
        sa.select(model)
        .join(model.event)
        .where(model.email == email, Event.status == PUBLISHED, days_ahead)
        .order_by(model.id)
    )
    return list(db.session.scalars(query))
