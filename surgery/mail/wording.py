"""What each kind of message says: its subject, its opening words, and the invite it carries.

The subject's {session}, {event} and {day} are filled in when a message is queued, and a
discreet day's subject is made neutral then (surgery.domain.discreet). The opening words
name no day or session, so they stay the same on a discreet day.
"""

from surgery.domain.ical import CANCEL, REQUEST

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

REMINDER, SURGEON_REMINDER, FOLLOW_UP = "reminder", "surgeon_reminder", "follow_up"

WORDING |= {
    REMINDER: (
        "Reminder: {session} on {day}",
        "This is a reminder that you have a place booked. Are you still coming? One click "
        "tells us. If you cannot come any more, say so and your place goes straight to the "
        "next person on the waiting list.",
        None,
    ),
    SURGEON_REMINDER: (
        "Reminder: you are a surgeon, {session} on {day}",
        "This is a reminder that you are down as a surgeon for this session. Thank you. "
        "Here is who you will meet, as far as they agreed to share it.",
        None,
    ),
    FOLLOW_UP: (
        "Have you used what you learned? {event}",
        "A few weeks ago you came to a surgery day and said we could ask you this once: have "
        "you used what you learned? One click is enough, and a few words help even more.",
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


def surgeon_not_coming(still_helping: bool) -> str:
    """What a surgeon is told after whom they will no longer help: who still comes, or not."""
    if still_helping:
        return "Here is who you will still help."
    return (
        "Nobody else is paired with you in this session yet. If an organiser pairs you with "
        "someone, we will tell you who."
    )


# on the day: someone who had not arrived lost their place to someone waiting who was here
RELEASED = "booking_released"
WORDING[RELEASED] = (
    "Your place was given to someone waiting: {session} on {day}",
    "You had not arrived a while after the start, so your place was given to someone on the "
    "waiting list who was here. The invite takes it out of your calendar. If you come after "
    "all, please see the organisers at the desk.",
    CANCEL,
)
