"""What we tell people when their booking changes, queued in the same transaction.

Each message is stored as plain data (who, what, when, the calendar entry) so that queuing
a thousand updates is one quick INSERT; the email itself is written when it is sent.
"""

import base64
import time
from dataclasses import dataclass

from flask import current_app, has_request_context, url_for

from surgery.bookings.models import Booking
from surgery.database import utcnow
from surgery.domain.access import labels as access_labels
from surgery.domain.ical import CANCEL, REQUEST
from surgery.domain.tokens import manage_token
from surgery.mail import outbox
from surgery.mail.models import QUEUED
from surgery.qr import qr_image
from surgery.templating import format_clock, format_day

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
WAITING_CANCELLED = "waiting_cancelled"
# the session moved, or the day is cancelled or on again: surgeons' invites follow
SURGEON_UPDATED, SURGEON_DAY_CANCELLED = "surgeon_updated", "surgeon_day_cancelled"
SURGEON_DAY_RESTORED = "surgeon_day_restored"
FEEDBACK_REQUEST = "feedback_request"
# messages that carry the person's check-in code and its QR code
WITH_CHECKIN = {CONFIRMED, PROMOTED, UPDATED, EVENT_RESTORED, BOOKING_MATCHED, BOOKING_UNMATCHED}
# ...and the QR code as an image too; updates, which may go to a thousand people in one
# request, carry the code as text only (the image is made here, once, not at each send)
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
    WAITING_CANCELLED: (
        "Cancelled: {event} on {day}",
        "We are sorry: this surgery day is cancelled, so you are no longer on the waiting "
        "list for this session. There is nothing you need to do.",
        None,
    ),
    FEEDBACK_REQUEST: (
        "What did you learn at {event}?",
        "Thank you for coming. What did you learn? One or two sentences help us and the "
        "surgeons a lot, and you can choose whether we may share them, without your name.",
        None,
    ),
}


def notify(kind: str, bookings: list[Booking], position: int | None = None) -> None:
    """Queue one message of this kind for each booking whose person gave an email."""
    now, stamp = utcnow(), int(time.time() * 1000)
    rows = [
        _with_checkin(
            kind,
            b.registration,
            _message(
                kind,
                Recipient(b.registration.email, b.registration.name, _manage_url(b.registration)),
                b.session,
                (b.ical_uid, b.ical_sequence),
                [],
                now,
                stamp,
                position,
            ),
        )
        for b in bookings
        if b.registration.email
    ]
    outbox.add(rows)


def _with_checkin(kind: str, registration, row: dict) -> dict:
    """Add the person's check-in code (shown as text and a QR code) to messages that need it."""
    if kind in WITH_CHECKIN:
        url = public_url("checkin.scan", code=registration.checkin_code)
        png = base64.b64encode(qr_image(url)).decode() if kind in WITH_QR_IMAGE else None
        row["payload"]["checkin"] = {"code": registration.checkin_code, "url": url, "png": png}
    return row


def notify_feedback(event, registrations) -> None:
    """Ask each person who came what they learned, with a link to answer."""
    now, stamp = utcnow(), int(time.time() * 1000)
    rows = []
    for registration in registrations:
        token = manage_token(current_app.secret_key, registration.token_seed)
        recipient = Recipient(registration.email, registration.name, "")
        row = _message(FEEDBACK_REQUEST, recipient, None, None, [], now, stamp, event=event)
        row["payload"]["action"] = {
            "text": "Tell us what you learned",
            "url": public_url("day_reports.feedback", token=token),
        }
        rows.append(row)
    outbox.add(rows)


def notify_surgeon(kind: str, surgeon, slots=None) -> None:
    """Tell a surgeon about their volunteering: once, or once per session slot given."""
    now, stamp = utcnow(), int(time.time() * 1000)
    recipient = Recipient(surgeon.email, surgeon.name, _surgeon_url(surgeon))
    if slots is None:
        rows = [_message(kind, recipient, None, None, [], now, stamp, event=surgeon.event)]
    else:
        rows = [
            _message(
                kind, recipient, slot.session, (slot.ical_uid, slot.ical_sequence), [], now, stamp
            )
            for slot in slots
        ]
    outbox.add(rows)


def notify_matched_attendee(booking, surgeon) -> None:
    """Tell an attendee who their surgeon is, with an updated invite."""
    registration = booking.registration
    if not registration.email:
        return
    topics = ", ".join(t.name for t in surgeon.topics)
    lines = [f"You will meet {surgeon.name}, who can help with {topics}."]
    if surgeon.bio:
        lines.append(f"About {surgeon.name}: {surgeon.bio}")
    recipient = Recipient(registration.email, registration.name, _manage_url(registration))
    identity = (booking.ical_uid, booking.ical_sequence)
    now, stamp = utcnow(), int(time.time() * 1000)
    row = _message(BOOKING_MATCHED, recipient, booking.session, identity, lines, now, stamp)
    outbox.add([_with_checkin(BOOKING_MATCHED, registration, row)])


def notify_matched_surgeon(surgeon, slot, bookings) -> None:
    """Tell a surgeon whom they will help, showing only what each person agreed to share."""
    _tell_surgeon(SURGEON_MATCHED, surgeon, slot, bookings)


def notify_surgeon_slot(kind: str, surgeon, slot, bookings) -> None:
    """A surgeon's session moved, or its day is cancelled or on again: a newer invite, still
    listing whom they will help."""
    _tell_surgeon(kind, surgeon, slot, bookings)


def notify_unmatched_surgeon(surgeon, slot, gone, bookings) -> None:
    """Tell a surgeon that someone they were to help is not coming, and who still is."""
    still = (
        "Here is who you will still help."
        if bookings
        else "Nobody else is paired with you in this session yet. If an organiser pairs you "
        "with someone, we will tell you who."
    )
    notes = [f"{gone.name} can no longer come, so you will not be helping them.", still]
    _tell_surgeon(SURGEON_UNMATCHED, surgeon, slot, bookings, notes)


def _tell_surgeon(kind, surgeon, slot, bookings, notes=()) -> None:
    """A surgeon's updated invite for a slot, listing the people they will help."""
    lines = [_about_attendee(b.registration) for b in bookings]
    recipient = Recipient(surgeon.email, surgeon.name, _surgeon_url(surgeon))
    identity = (slot.ical_uid, slot.ical_sequence)
    now, stamp = utcnow(), int(time.time() * 1000)
    row = _message(kind, recipient, slot.session, identity, lines, now, stamp, notes=notes)
    outbox.add([row])


def _about_attendee(registration) -> str:
    """One attendee for their surgeon: name and wishes; more only with their consent."""
    wants = ", ".join(t.name for t in registration.topics) or "anything"
    parts = [f"{registration.name} would like help with {wants}."]
    if registration.help_text:
        parts.append(f"In their words: {registration.help_text}")
    if registration.consent_sensitive and registration.share_with_surgeon:
        if registration.role_tags:
            parts.append("About them: " + ", ".join(t.name for t in registration.role_tags) + ".")
        needs = access_labels(registration.access_needs) + (
            [registration.access_other] if registration.access_other else []
        )
        if needs:
            parts.append("To take part they need: " + ", ".join(needs) + ".")
    return " ".join(parts)


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to, and their private link."""

    email: str
    name: str
    manage_url: str


def _message(
    kind, recipient, session, identity, lines, now, stamp, position=None, event=None, notes=()
):
    """One outbox row: the wording of its kind, the session and, for invites, the calendar.

    Lines are said in the email and kept in the calendar entry; notes are said in the email only.
    """
    subject, intro, method = WORDING[kind]
    event = session.event if session is not None else event
    day = format_day(event.local(session.starts_at)) if session is not None else ""
    words = {"session": session.title if session else "", "event": event.title, "day": day}
    payload = {
        "stamp": stamp,
        "sender": {"email": organiser_address(event), "name": current_app.config["SITE_NAME"]},
        "recipient": {"email": recipient.email, "name": recipient.name},
        "intro": [intro.format(position=position), *notes, *lines],
        "event": {
            "title": event.title,
            "venue": event.venue_name,
            "address": event.venue_address,
            "access_info": event.access_info,
        },
        "session": {"title": session.title, "when": _when(event, session)} if session else None,
        "manage_url": recipient.manage_url,
        "calendar": None,
    }
    if method and session is not None:
        uid, sequence = identity
        payload["calendar"] = {
            "method": method,
            "uid": uid,
            "sequence": sequence,
            "summary": f"{session.title} – {event.title}",
            "starts_at": session.starts_at.isoformat(),
            "ends_at": session.ends_at.isoformat(),
            "location": ", ".join(p for p in (event.venue_name, event.venue_address) if p),
            "description": _description(event, session, recipient.manage_url, lines),
        }
    return {
        "kind": kind,
        "to_address": recipient.email,
        "subject": subject.format(**words),
        "payload": payload,
        "status": QUEUED,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "last_error": "",
    }


def _when(event, session) -> str:
    """'Saturday 6 March 2027, 10am to 1pm' in the event's timezone."""
    starts, ends = event.local(session.starts_at), event.local(session.ends_at)
    return f"{format_day(starts)}, {format_clock(starts)} to {format_clock(ends)}"


def _description(event, session, manage_url: str, lines=()) -> str:
    """The calendar entry's notes: what, who (for matches), access, and the private link."""
    parts = [f"{session.kind_label}: {session.title}", event.title, *lines]
    if event.access_info:
        parts.append(f"Access: {event.access_info}")
    parts.append(f"Change or cancel: {manage_url}")
    return "\n\n".join(parts)


def organiser_address(event) -> str:
    """The event's organiser address, or the site's."""
    return event.organiser_email or current_app.config["MAIL_DEFAULT_SENDER"]


def _surgeon_url(surgeon) -> str:
    """A surgeon's private link, rebuilt from its seed with the app's secret."""
    token = manage_token(current_app.secret_key, surgeon.token_seed)
    return public_url("surgeons.manage", token=token)


def _manage_url(registration) -> str:
    """The person's private link, rebuilt from its seed with the app's secret."""
    token = manage_token(current_app.secret_key, registration.token_seed)
    return public_url("bookings.manage", token=token)


def public_url(endpoint: str, **values) -> str:
    """A full link: the request's own address, or PUBLIC_BASE_URL outside a request."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config["PUBLIC_BASE_URL"]
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
