"""What we tell people when their booking changes, queued in the same transaction.

Each message is stored as plain data (who, what kind of notice, its words, and the booking
or surgeon slot it is about) so that queuing a thousand updates is one quick INSERT; the
email and its calendar are written when it is sent, from that booking or slot as it is then
(see surgery.mail.current), and the QR code image is made then too. What each kind says is
in surgery.mail.wording; the links a message carries, in surgery.mail.links.
"""

import time
from dataclasses import dataclass

from flask import current_app

from surgery.bookings.models import Booking
from surgery.database import utcnow
from surgery.domain import invites, visibility
from surgery.domain.discreet import shown_titles, titled
from surgery.domain.ical import CANCEL
from surgery.mail import links, outbox, wording
from surgery.mail.current import when
from surgery.mail.models import new_message
from surgery.mail.wording import (
    BOOKING_LINK,
    BOOKING_MATCHED,
    BOOKING_UNMATCHED,
    CONFIRMED,
    EVENT_RESTORED,
    FEEDBACK_REQUEST,
    OTHERWISE,
    PROMOTED,
    SURGEON_LINK,
    SURGEON_MATCHED,
    SURGEON_UNMATCHED,
    UPDATED,
    WORDING,
    surgeon_not_coming,
)
from surgery.templating import format_day

# kinds that callers name beside the functions that queue them
CANCELLED, EVENT_CANCELLED = wording.CANCELLED, wording.EVENT_CANCELLED
SURGEON_CONFIRMED, SURGEON_CANCELLED = wording.SURGEON_CONFIRMED, wording.SURGEON_CANCELLED
SURGEON_RECEIVED, SURGEON_UPDATED = wording.SURGEON_RECEIVED, wording.SURGEON_UPDATED
RELEASED = wording.RELEASED

# messages that carry the person's check-in code (while their place stands when it is sent)
WITH_CHECKIN = {CONFIRMED, PROMOTED, UPDATED, EVENT_RESTORED, BOOKING_MATCHED, BOOKING_UNMATCHED}
# ...and its QR code as an image too, made when the message is sent; updates, which may go
# to a thousand people at once, carry the code as text only
WITH_QR_IMAGE = {CONFIRMED, PROMOTED, BOOKING_MATCHED}


def notify(
    kind: str,
    bookings: list[Booking],
    position: int | None = None,
    positions=None,
    notes: list[str] = (),
) -> None:
    """Queue one message of this kind for each booking whose person gave an email; a
    waiting-list position is given for all, or for each booking by its id; notes (what
    changed) are said in the email only."""
    now, stamp = utcnow(), int(time.time() * 1000)
    rows = [
        _with_checkin(
            kind,
            b.registration,
            _message(
                kind,
                Recipient(
                    b.registration.email, b.registration.name, links.private_link(b.registration)
                ),
                b.session,
                ("booking", b),
                now,
                stamp,
                notes,
                position=positions[b.id] if positions else position,
            ),
        )
        for b in bookings
        if b.registration.email
    ]
    outbox.add(rows)


def _with_checkin(kind: str, registration, row: dict) -> dict:
    """Add the person's check-in code (shown as text, and as a QR code made when the email
    is written) to messages that need it."""
    if kind in WITH_CHECKIN:
        row["payload"]["checkin"] = links.checkin(registration, kind in WITH_QR_IMAGE)
    return row


def notify_feedback(event, registrations) -> None:
    """Ask each person who came what they learned, with a link to answer."""
    now, stamp = utcnow(), int(time.time() * 1000)
    rows = []
    for registration in registrations:
        recipient = Recipient(registration.email, registration.name, None)
        row = _message(FEEDBACK_REQUEST, recipient, None, None, now, stamp, event=event)
        row["payload"]["action"] = links.feedback_action(registration)
        rows.append(row)
    outbox.add(rows)


def notify_surgeon(kind: str, surgeon, slots=None) -> None:
    """Tell a surgeon about their volunteering: once, or once per session slot given."""
    now, stamp = utcnow(), int(time.time() * 1000)
    recipient = Recipient(surgeon.email, surgeon.name, links.private_link(surgeon, "surgeon"))
    if slots is None:
        rows = [_message(kind, recipient, None, None, now, stamp, event=surgeon.event)]
    else:
        rows = [
            _message(kind, recipient, slot.session, ("slot", slot), now, stamp) for slot in slots
        ]
    outbox.add(rows)


def notify_matched_attendee(booking, surgeon) -> None:
    """Tell an attendee who their surgeon is, with an updated invite."""
    registration = booking.registration
    if not registration.email:
        return
    recipient = Recipient(registration.email, registration.name, links.private_link(registration))
    now, stamp = utcnow(), int(time.time() * 1000)
    about = ("booking", booking)
    row = _message(BOOKING_MATCHED, recipient, booking.session, about, now, stamp, lines=True)
    outbox.add([_with_checkin(BOOKING_MATCHED, registration, row)])


def notify_matched_surgeon(surgeon, slot, bookings) -> None:
    """Tell a surgeon whom they will help, showing only what each person agreed to share."""
    _tell_surgeon(SURGEON_MATCHED, surgeon, slot, bookings)


def notify_surgeon_slot(kind: str, surgeon, slot, bookings, notes=()) -> None:
    """A surgeon's session moved, or its day is cancelled or on again: a newer invite, still
    listing whom they will help; notes say what changed."""
    _tell_surgeon(kind, surgeon, slot, bookings, notes)


def notify_unmatched_surgeon(surgeon, slot, gone, bookings) -> None:
    """Tell a surgeon that someone they were to help is not coming, and who still is."""
    notes = [visibility.not_coming(gone.seen_by_surgeon()), surgeon_not_coming(bool(bookings))]
    _tell_surgeon(SURGEON_UNMATCHED, surgeon, slot, bookings, notes)


def _tell_surgeon(kind, surgeon, slot, bookings, notes=()) -> None:
    """A surgeon's updated invite for a slot, listing the people they will help (as they
    may be seen when it is sent: surgery.mail.current)."""
    recipient = Recipient(surgeon.email, surgeon.name, links.private_link(surgeon, "surgeon"))
    now, stamp = utcnow(), int(time.time() * 1000)
    row = _message(kind, recipient, slot.session, ("slot", slot), now, stamp, notes, lines=True)
    outbox.add([row])


def notify_link(registration) -> None:
    """Send a person the private link of their booking for a day (they asked, or someone
    booked again with their address)."""
    recipient = Recipient(registration.email, registration.name, links.private_link(registration))
    stamp = int(time.time() * 1000)
    row = _message(BOOKING_LINK, recipient, None, None, utcnow(), stamp, event=registration.event)
    outbox.add([row])


def notify_surgeon_link(surgeon) -> None:
    """Send a volunteer the private link of their page for a day."""
    recipient = Recipient(surgeon.email, surgeon.name, links.private_link(surgeon, "surgeon"))
    stamp = int(time.time() * 1000)
    row = _message(SURGEON_LINK, recipient, None, None, utcnow(), stamp, event=surgeon.event)
    outbox.add([row])


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to, and what their private link is rebuilt from (if they have one)."""

    email: str
    name: str
    link: dict | None


def _message(
    kind, recipient, session, about, now, stamp, notes=(), position=None, event=None, lines=False
):
    """One outbox row: the wording of its kind, and the booking or slot it is about.

    Notes are said in the email as queued; the calendar is written when the email is sent,
    from the booking or slot (`about`: ("booking", row) or ("slot", row)) as it is then, and
    so are the lines naming whom a surgeon will help or an attendee will meet (`lines`).
    Only a cancellation keeps its entry too: if its row is deleted before it goes (a surgeon
    dropping a session), that entry is the last word on it.
    """
    subject, intro, method = WORDING[kind]
    event = session.event if session is not None else event
    first = session or min(event.sessions, key=lambda s: s.starts_at, default=None)
    day = format_day(event.local(first.starts_at)) if first is not None else ""
    words = {"session": session.title if session else "", "event": event.title, "day": day}
    holder, row = about or (None, None)
    starts = first.starts_at if first is not None else None
    payload = {
        "stamp": stamp,
        "sender": {"name": current_app.config["SITE_NAME"]},  # the address is the site's
        "reply_to": event.organiser_email or "",
        "recipient": {"email": recipient.email, "name": recipient.name},
        "intro": [intro.format(position=position), *notes],
        "lines": lines,
        **_shown(event, session, starts),
        "manage": recipient.link,
        "invite": bool(method and session is not None),
        "calendar": None,
        "written_for": method,
        "otherwise": OTHERWISE.get(holder, {}) if method and session is not None else {},
    }
    if method == CANCEL and row is not None:
        payload["calendar"] = _last_word(event, session, row)
    about_id = (holder, row.id) if row is not None else None
    subject = titled(subject.format(**words), event.discreet, starts, event.timezone)
    return new_message(kind, recipient.email, subject, payload, now, about=about_id)


def _shown(event, session, starts) -> dict:
    """The day and the session as the email shows them: on a discreet day, named only by
    when (surgery.domain.discreet), as the email says them again when it is sent."""
    day_title, session_title = shown_titles(
        event.title, session.title if session else "", event.discreet, starts, event.timezone
    )
    shown = {
        "title": day_title,
        "venue": event.venue_name,
        "address": event.venue_address,
        "access_info": event.access_info,
        "id": event.id,  # its public page is linked from the invite
    }
    if session is None:
        return {"event": shown, "session": None}
    times = when(session.starts_at, session.ends_at, event.timezone)
    return {"event": shown, "session": {"title": session_title, "when": times}}


def _last_word(event, session, row) -> dict:
    """A cancellation's entry as queued, sent only if its booking or slot is gone by then."""
    place = invites.Session(
        title=session.title,
        kind_label=session.kind_label,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        event_title=event.title,
        venue=event.venue_name,
        address=event.venue_address,
        access_info=event.access_info,
        discreet=event.discreet,
        timezone=event.timezone,
    )
    entry = invites.entry(place, row.ical_uid, row.ical_sequence)
    return {
        "method": CANCEL,
        "uid": entry.uid,
        "sequence": entry.sequence,
        "summary": entry.summary,
        "starts_at": entry.starts_at.isoformat(),
        "ends_at": entry.ends_at.isoformat(),
        "location": entry.location,
        "description": entry.description,
    }


DAY_MESSAGE = "day_message"  # an organiser's own words to a day's people
DAY_MESSAGE_INTRO = "A message from the organisers of this surgery day:"


def day_message_rows(event, people, subject: str, body: str) -> list[dict]:
    """One outbox row per person for an organiser's message: their words as typed, the
    day named as its emails name it, and the person's own private links (as seeds)."""
    now, stamp = utcnow(), int(time.time() * 1000)
    first = min(event.sessions, key=lambda s: s.starts_at, default=None)
    shown = _shown(event, None, first.starts_at if first is not None else None)
    rows = []
    for person in people:
        payload = {
            "template": DAY_MESSAGE,
            "stamp": stamp,
            "sender": {"name": current_app.config["SITE_NAME"]},
            "reply_to": event.organiser_email or "",
            "recipient": {"email": person.email, "name": person.name},
            "intro": [DAY_MESSAGE_INTRO],
            "message": body,
            **shown,
            "invite": False,
            **_day_message_links(person),
        }
        rows.append(new_message(DAY_MESSAGE, person.email, subject, payload, now))
    return rows


def _day_message_links(person) -> dict:
    """A person's private link: their booking's, and their volunteer page's as a button
    when they are a surgeon too (both rebuilt from seeds when the email is written)."""
    if person.booking_seed is None:
        return {"manage": {"holder": "surgeon", "seed": person.surgeon_seed}}
    links = {"manage": {"holder": "booking", "seed": person.booking_seed}}
    if person.surgeon_seed is not None:
        links["action"] = {
            "text": "Your volunteer page",
            "endpoint": "surgeons.manage",
            "seed": person.surgeon_seed,
        }
    return links


def notify_day_message(event, people, subject: str, body: str) -> None:
    """Queue an organiser's message to each person, once each, in this transaction."""
    outbox.add(day_message_rows(event, people, subject, body))
