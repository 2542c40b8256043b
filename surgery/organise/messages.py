"""Messages from the organisers to a day's people: who they reach, and sending them once."""

import sqlalchemy as sa
from flask import current_app
from flask_login import current_user
from sqlalchemy.orm import joinedload

from surgery.audit import log
from surgery.bookings.models import Booking, Registration
from surgery.domain import audit
from surgery.domain import day_messages as rules
from surgery.domain.errors import DomainError, NotFound
from surgery.events.services import lock_day
from surgery.extensions import db
from surgery.mail import notices
from surgery.organise.create_once import create_once
from surgery.organise.models import DayMessage
from surgery.retention.services import done as removed
from surgery.surgeons.models import Surgeon

NOBODY_LEFT = (
    "This day's personal data has been removed, so there is nobody to email: names and "
    "email addresses are gone."
)


def places(event_id: int) -> list[rules.Place]:
    """Every way someone is at the day now: each booked or waiting person, each surgeon
    approved or offering; cancelled places and declined or withdrawn surgeons are in none."""
    bookings = db.session.execute(
        sa.select(Booking.status, Registration.id, Registration.name)
        .add_columns(Registration.email, Registration.token_seed)
        .join(Booking.registration)
        .where(Registration.event_id == event_id)
        .order_by(Registration.id, Booking.id)
    )
    found = [
        rules.Place(audience, rules.BOOKING, *row[1:])
        for row in bookings
        if (audience := rules.booking_audience(row.status))
    ]
    surgeons = db.session.execute(
        sa.select(Surgeon.status, Surgeon.id, Surgeon.name, Surgeon.email, Surgeon.token_seed)
        .where(Surgeon.event_id == event_id)
        .order_by(Surgeon.id)
    )
    found += [
        rules.Place(audience, rules.SURGEON, *row[1:])
        for row in surgeons
        if (audience := rules.surgeon_audience(row.status))
    ]
    return found


def nobody_left(event_id: int) -> bool:
    """True once the day's names and addresses have been removed."""
    return removed(event_id).identity


def who(event_id: int, audiences) -> rules.Recipients:
    """The people a message to these audiences reaches now, once each."""
    return rules.recipients(places(event_id), audiences)


def send(event_id: int, draft: rules.Draft, shown: int, key: str | None) -> tuple[DayMessage, bool]:
    """Queue the message to everyone in its audiences, under the day's lock, with its
    record; and True if it is new. The form's one-time key makes a second press find the
    first message. If the number of people is not what the preview showed, nothing goes."""
    event = lock_day(event_id)
    if event is None:
        raise NotFound()
    if nobody_left(event_id):
        raise DomainError(NOBODY_LEFT)

    def make() -> DayMessage:
        found = who(event_id, draft.audiences)
        if found.count != shown:
            raise rules.NumbersChanged(shown, found.count)
        if not found.count:
            raise rules.NobodyToEmail()
        message = DayMessage(
            event_id=event_id,
            audiences=list(draft.audiences),
            subject=draft.subject,
            body=draft.body,
            sent_count=found.count,
            without_email=found.without_email,
            organiser_id=_organiser_id(),
        )
        db.session.add(message)
        db.session.flush()
        notices.notify_day_message(event, found.people, draft.subject, draft.body)
        detail = f"{rules.people(found.count)} emailed; to: {', '.join(draft.audiences)}"
        log.record(audit.EMAILED_DAY, event_id, f"day message {message.id}", detail=detail)
        return message

    return create_once(DayMessage, key, make)


def _organiser_id() -> int | None:
    """The signed-in organiser sending it."""
    return current_user.id if current_user.is_authenticated else None


def sample(event, found: rules.Recipients, draft: rules.Draft) -> str:
    """The message's text as the first person will get it, their private links shown as
    words: the preview must not put anyone's key on the organiser's screen."""
    [row] = notices.day_message_rows(event, found.people[:1], draft.subject, draft.body)
    payload = dict(row["payload"])
    payload["manage_url"] = "(their own private link)"
    if payload.get("action"):
        payload["action"] = {"text": payload["action"]["text"], "url": "(their own private link)"}
    template = current_app.jinja_env.get_template(f"email/{notices.DAY_MESSAGE}.txt")
    return template.render(payload)


def sent_on(event_id: int) -> list[DayMessage]:
    """The messages sent to a day's people, newest first."""
    query = sa.select(DayMessage).where(DayMessage.event_id == event_id)
    query = query.options(joinedload(DayMessage.organiser))  # the page names who sent each
    return list(db.session.scalars(query.order_by(DayMessage.id.desc())))
