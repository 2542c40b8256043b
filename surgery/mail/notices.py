"""What we tell people when their booking changes, queued in the same transaction.

Each message is stored as plain data (who, what kind of notice, its words, and the booking
or surgeon slot it is about) so that queuing a thousand updates is one quick INSERT; the
email and its calendar are written when it is sent, from that booking or slot as it is then
(see surgery.mail.current), and the QR code image is made then too. A private link is
stored as the seed it is rebuilt from with the secret key, never as the link itself, and
put into the email when it is written (see surgery.mail.compose).
"""

import time
from dataclasses import dataclass

from flask import current_app

from surgery.bookings.models import Booking
from surgery.database import utcnow
from surgery.domain import invites
from surgery.domain.discreet import titled
from surgery.domain.ical import CANCEL, REQUEST
from surgery.links import public_url
from surgery.mail import outbox
from surgery.mail.current import when
from surgery.mail.models import new_message
from surgery.templating import format_day

CONFIRMED, WAITLISTED, PROMOTED = "booking_confirmed", "booking_waitlisted", "booking_promoted"
UPDATED, CANCELLED, EVENT_CANCELLED = "booking_updated", "booking_cancelled", "event_cancelled"
EVENT_RESTORED = "event_restored"

WORDING = {
    CONFIRMED: (
        "Booked: {session} on {day}",
        "Your place is booked. Open the invite to add it to your calendar.",
        REQUEST,
    ),
    WAITLISTED: (
        "Waiting list: {session} on {day}",
        "This session is full, so you are on the waiting list, number {position}. "
        "We will email you if a place comes up.",
        None,
    ),
    PROMOTED: (
        "A place came up: {session} on {day}",
        "Good news: a place has come up and it is yours. Open the invite to add it to "
        "your calendar. If you cannot come after all, please cancel so someone else can.",
        REQUEST,
    ),
    UPDATED: (
        "Changed: {session} on {day}",
        "Something about your session has changed. The details below are up to date, and "
        "the invite updates your calendar.",
        REQUEST,
    ),
    CANCELLED: (
        "Cancelled: {session} on {day}",
        "Your place is cancelled. The invite takes it out of your calendar.",
        CANCEL,
    ),
    EVENT_CANCELLED: (
        "Cancelled: {event} on {day}",
        "We are sorry: this surgery day is cancelled. The invite takes it out of your calendar.",
        CANCEL,
    ),
    EVENT_RESTORED: (
        "On again: {event} on {day}",
        "Good news: this surgery day is going ahead after all, and your place is still booked. "
        "The invite puts it back in your calendar. If you cannot come now, please cancel so "
        "someone else can.",
        REQUEST,
    ),
}


SURGEON_RECEIVED, SURGEON_DECLINED = "surgeon_received", "surgeon_declined"
SURGEON_CONFIRMED, SURGEON_CANCELLED = "surgeon_confirmed", "surgeon_cancelled"
SURGEON_MATCHED, BOOKING_MATCHED = "surgeon_matched", "booking_matched"
# an accepted pair fell through: the person still coming is told
SURGEON_UNMATCHED, BOOKING_UNMATCHED = "surgeon_unmatched", "booking_unmatched"
# the day is cancelled, or on again: people waiting keep their places in the queue
WAITING_DAY_CANCELLED, WAITING_DAY_RESTORED = "waiting_day_cancelled", "waiting_day_restored"
# the session moved, or the day is cancelled or on again: surgeons' invites follow
SURGEON_UPDATED, SURGEON_DAY_CANCELLED = "surgeon_updated", "surgeon_day_cancelled"
SURGEON_DAY_RESTORED = "surgeon_day_restored"
FEEDBACK_REQUEST = "feedback_request"
# someone asked for a private link again, or booked or volunteered again with this address
BOOKING_LINK, SURGEON_LINK = "booking_link", "surgeon_link"
# messages that carry the person's check-in code (while their place stands when it is sent)
WITH_CHECKIN = {CONFIRMED, PROMOTED, UPDATED, EVENT_RESTORED, BOOKING_MATCHED, BOOKING_UNMATCHED}
# ...and its QR code as an image too, made when the message is sent; updates, which may go
# to a thousand people at once, carry the code as text only
WITH_QR_IMAGE = {CONFIRMED, PROMOTED, BOOKING_MATCHED}

WORDING |= {
    SURGEON_RECEIVED: (
        "Thank you for volunteering: {event}",
        "Thank you for volunteering as a surgeon. An organiser will confirm soon, and then "
        "you will get a calendar invite for each session.",
        None,
    ),
    SURGEON_DECLINED: (
        "Thank you for volunteering: {event}",
        "Thank you for offering to help. The organisers have enough surgeons for this day, "
        "so they will not need you this time. We hope to see you at another surgery.",
        None,
    ),
    SURGEON_CONFIRMED: (
        "You are a surgeon: {session} on {day}",
        "You are confirmed as a surgeon for this session. Open the invite to add it to your "
        "calendar. We will tell you who you will help before the day.",
        REQUEST,
    ),
    SURGEON_CANCELLED: (
        "No longer needed: {session} on {day}",
        "You are no longer down as a surgeon for this session. The invite takes it out of "
        "your calendar. Thank you for offering.",
        CANCEL,
    ),
    SURGEON_MATCHED: (
        "Who you will help: {session} on {day}",
        "Here is who you will help in this session. The invite in this email is updated.",
        REQUEST,
    ),
    BOOKING_MATCHED: (
        "Your surgeon: {session} on {day}",
        "We have found you a surgeon. The invite in this email is updated.",
        REQUEST,
    ),
    SURGEON_UNMATCHED: (
        "A change to who you will help: {session} on {day}",
        "There is a change to who you will help in this session. The invite in this email "
        "is updated.",
        REQUEST,
    ),
    BOOKING_UNMATCHED: (
        "Your surgeon can no longer come: {session} on {day}",
        "We are sorry: the surgeon we found for you can no longer come. Your place is still "
        "booked, and an organiser will find you someone else and tell you who. The invite in "
        "this email is updated.",
        REQUEST,
    ),
    SURGEON_UPDATED: (
        "Changed: {session} on {day}",
        "Something about this session has changed. The details below are up to date, and the "
        "invite updates your calendar.",
        REQUEST,
    ),
    SURGEON_DAY_CANCELLED: (
        "Cancelled: {event} on {day}",
        "We are sorry: this surgery day is cancelled. The invite takes it out of your "
        "calendar. Thank you for offering to help.",
        CANCEL,
    ),
    SURGEON_DAY_RESTORED: (
        "On again: {event} on {day}",
        "Good news: this surgery day is going ahead after all, and you are still down as a "
        "surgeon for this session. The invite puts it back in your calendar. If you cannot "
        "come now, please tell us from your page.",
        REQUEST,
    ),
    WAITING_DAY_CANCELLED: (
        "Cancelled: {event} on {day}",
        "We are sorry: this surgery day is cancelled. You keep your place on the waiting "
        "list for this session, number {position}, in case the day goes ahead after all: we "
        "will email you if it does. There is nothing you need to do.",
        None,
    ),
    WAITING_DAY_RESTORED: (
        "On again: {event} on {day}",
        "Good news: this surgery day is going ahead after all. You are still on the waiting "
        "list for this session, number {position}. We will email you if a place comes up.",
        None,
    ),
    BOOKING_LINK: (
        "Your booking link: {event} on {day}",
        "This email address has a booking for this surgery day, and we were asked for its "
        "private link (perhaps someone tried to book again with it). Nothing has changed. Use "
        "the link below to see your booking, add sessions, change what you need or cancel. "
        "If you did not ask, you can ignore this email.",
        None,
    ),
    SURGEON_LINK: (
        "Your volunteer link: {event} on {day}",
        "This email address has volunteered as a surgeon for this day, and we were asked for "
        "its private link (perhaps someone tried to volunteer again with it). Nothing has "
        "changed. Use the link below to see or change what you offered. If you did not ask, "
        "you can ignore this email.",
        None,
    ),
    FEEDBACK_REQUEST: (
        "What did you learn at {event}?",
        "Thank you for coming. What did you learn? One or two sentences help us and the "
        "surgeons a lot, and you can choose whether we may share them, without your name.",
        None,
    ),
}


# Words true of what the invite says when it is sent, if that is no longer what a message was
# written for (its kind's METHOD): "Send again" or a late retry after a day was cancelled, or
# published again, must not say "cancelled" over an invite that books, nor the other way round
DAY_CANCELLED = "day_cancelled"
OTHERWISE = {
    "booking": {
        REQUEST: WORDING[UPDATED][1],
        CANCEL: WORDING[CANCELLED][1],
        DAY_CANCELLED: WORDING[EVENT_CANCELLED][1],
    },
    "slot": {
        REQUEST: WORDING[SURGEON_UPDATED][1],
        CANCEL: WORDING[SURGEON_CANCELLED][1],
        DAY_CANCELLED: WORDING[SURGEON_DAY_CANCELLED][1],
    },
}


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
                Recipient(b.registration.email, b.registration.name, _link(b.registration)),
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
        url = public_url("checkin.scan", code=registration.checkin_code)
        qr = kind in WITH_QR_IMAGE
        row["payload"]["checkin"] = {"code": registration.checkin_code, "url": url, "qr": qr}
    return row


def notify_feedback(event, registrations) -> None:
    """Ask each person who came what they learned, with a link to answer."""
    now, stamp = utcnow(), int(time.time() * 1000)
    rows = []
    for registration in registrations:
        recipient = Recipient(registration.email, registration.name, None)
        row = _message(FEEDBACK_REQUEST, recipient, None, None, now, stamp, event=event)
        row["payload"]["action"] = {
            "text": "Tell us what you learned",
            "endpoint": "day_reports.feedback",
            "seed": registration.token_seed,
        }
        rows.append(row)
    outbox.add(rows)


def notify_surgeon(kind: str, surgeon, slots=None) -> None:
    """Tell a surgeon about their volunteering: once, or once per session slot given."""
    now, stamp = utcnow(), int(time.time() * 1000)
    recipient = Recipient(surgeon.email, surgeon.name, _link(surgeon, "surgeon"))
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
    recipient = Recipient(registration.email, registration.name, _link(registration))
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
    still = (
        "Here is who you will still help."
        if bookings
        else "Nobody else is paired with you in this session yet. If an organiser pairs you "
        "with someone, we will tell you who."
    )
    name = gone.seen_by_surgeon().name
    notes = [f"{name} can no longer come, so you will not be helping them.", still]
    _tell_surgeon(SURGEON_UNMATCHED, surgeon, slot, bookings, notes)


def _tell_surgeon(kind, surgeon, slot, bookings, notes=()) -> None:
    """A surgeon's updated invite for a slot, listing the people they will help (as they
    may be seen when it is sent: surgery.mail.current)."""
    recipient = Recipient(surgeon.email, surgeon.name, _link(surgeon, "surgeon"))
    now, stamp = utcnow(), int(time.time() * 1000)
    row = _message(kind, recipient, slot.session, ("slot", slot), now, stamp, notes, lines=True)
    outbox.add([row])


def notify_link(registration) -> None:
    """Send a person the private link of their booking for a day (they asked, or someone
    booked again with their address)."""
    recipient = Recipient(registration.email, registration.name, _link(registration))
    stamp = int(time.time() * 1000)
    row = _message(BOOKING_LINK, recipient, None, None, utcnow(), stamp, event=registration.event)
    outbox.add([row])


def notify_surgeon_link(surgeon) -> None:
    """Send a volunteer the private link of their page for a day."""
    recipient = Recipient(surgeon.email, surgeon.name, _link(surgeon, "surgeon"))
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
    payload = {
        "stamp": stamp,
        "sender": {"name": current_app.config["SITE_NAME"]},  # the address is the site's
        "reply_to": event.organiser_email or "",
        "recipient": {"email": recipient.email, "name": recipient.name},
        "intro": [intro.format(position=position), *notes],
        "lines": lines,
        "event": {
            "title": event.title,
            "venue": event.venue_name,
            "address": event.venue_address,
            "access_info": event.access_info,
            "id": event.id,  # its public page is linked from the invite
        },
        "session": {"title": session.title, "when": _when(event, session)} if session else None,
        "manage": recipient.link,
        "invite": bool(method and session is not None),
        "calendar": None,
        "written_for": method,
        "otherwise": OTHERWISE.get(holder, {}) if method and session is not None else {},
    }
    if method == CANCEL and row is not None:
        payload["calendar"] = _last_word(event, session, row)
    about_id = (holder, row.id) if row is not None else None
    starts = first.starts_at if first is not None else None
    subject = titled(subject.format(**words), event.discreet, starts, event.timezone)
    return new_message(kind, recipient.email, subject, payload, now, about=about_id)


def _when(event, session) -> str:
    """'Saturday 6 March 2027, 10am to 1pm' in the event's timezone."""
    return when(session.starts_at, session.ends_at, event.timezone)


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


def _link(holder, kind: str = "booking") -> dict:
    """What a person's private link is rebuilt from when their email is written."""
    return {"holder": kind, "seed": holder.token_seed}
