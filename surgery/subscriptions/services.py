"""Subscribe (double opt-in), confirm, unsubscribe, and announce a newly published day.

Asking to subscribe gives the same answer whatever the address: a new address, or one not
yet confirmed, is sent a confirmation link; a confirmed one is sent nothing. Nothing else
is sent until the link is used. Services flush; the request's edge commits.
"""

import datetime as dt
import secrets
import time

import sqlalchemy as sa
from flask import current_app

from surgery.database import utcnow
from surgery.domain.errors import NotFound
from surgery.domain.tokens import TOKEN_BYTES, purpose_token, same_token
from surgery.events.models import Event
from surgery.extensions import db
from surgery.mail import outbox
from surgery.mail.models import new_message
from surgery.subscriptions.models import DayAnnouncement, Subscriber
from surgery.templating import format_day

CONFIRM, UNSUBSCRIBE = "subscribe_confirm", "unsubscribe"
CONFIRM_KIND, ANNOUNCE_KIND = "subscription_confirm", "day_announcement"
UNCONFIRMED_DAYS = 7  # an address never confirmed is removed after this


def subscribe(email: str) -> None:
    """Ask to hear about new days: queue a confirmation link unless already confirmed."""
    email = email.strip().lower()
    subscriber = db.session.scalar(sa.select(Subscriber).where(Subscriber.email == email))
    if subscriber is None:
        subscriber = Subscriber(email=email, seed=secrets.token_urlsafe(TOKEN_BYTES))
        db.session.add(subscriber)
        db.session.flush()
    if subscriber.confirmed_at is None:
        _queue_confirmation(subscriber)


def subscriber_for(subscriber_id: int, purpose: str, token: str) -> Subscriber:
    """The subscriber a link is for, if its token is right for this purpose."""
    subscriber = db.session.get(Subscriber, subscriber_id)
    if subscriber is None:
        raise NotFound("That link is not valid any more.")
    expected = purpose_token(current_app.secret_key, purpose, subscriber.seed)
    if not same_token(token, expected):
        raise NotFound("That link is not valid any more.")
    return subscriber


def confirm(subscriber_id: int, token: str) -> None:
    """The confirmation link was used: days published from now on are announced to them."""
    subscriber = subscriber_for(subscriber_id, CONFIRM, token)
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = utcnow()
        db.session.flush()


def unsubscribe(subscriber_id: int, token: str) -> None:
    """Forget the address (and with it every link it was sent)."""
    db.session.delete(subscriber_for(subscriber_id, UNSUBSCRIBE, token))
    db.session.flush()


def announce(event: Event, now: dt.datetime | None = None) -> int:
    """Queue one announcement of a published day to each confirmed subscriber, the first
    time it is published only. The caller holds the day's lock. Returns how many."""
    now = now or utcnow()
    if not _news(event, now):
        return 0
    db.session.add(DayAnnouncement(event_id=event.id, queued_at=now))
    db.session.flush()
    confirmed = sa.select(Subscriber).where(Subscriber.confirmed_at.is_not(None))
    rows = [_announcement(s, event, now) for s in db.session.scalars(confirmed)]
    outbox.add(rows)
    return len(rows)


def to_announce(event: Event) -> int:
    """How many subscribers publishing this day now would email (none once it was
    announced, or once it is over)."""
    if not _news(event, utcnow()):
        return 0
    confirmed = sa.select(sa.func.count()).where(Subscriber.confirmed_at.is_not(None))
    return db.session.scalar(confirmed)


def addresses_to_announce(event: Event) -> list[str]:
    """The addresses publishing this day now would email, for the page that asks first."""
    if not _news(event, utcnow()):
        return []
    confirmed = sa.select(Subscriber.email).where(Subscriber.confirmed_at.is_not(None))
    return list(db.session.scalars(confirmed.order_by(Subscriber.id)))


def _news(event: Event, now: dt.datetime) -> bool:
    """True if the day was never announced and is not over: news to subscribers."""
    if db.session.get(DayAnnouncement, event.id) is not None:
        return False
    return any(s.ends_at > now for s in event.sessions)  # a day over is news to nobody


def remove_unconfirmed(now: dt.datetime) -> int:
    """Delete the addresses never confirmed within UNCONFIRMED_DAYS; how many."""
    cutoff = now - dt.timedelta(days=UNCONFIRMED_DAYS)
    result = db.session.execute(
        sa.delete(Subscriber).where(
            Subscriber.confirmed_at.is_(None), Subscriber.created_at < cutoff
        )
    )
    return result.rowcount or 0


def _payload(subscriber: Subscriber, **more) -> dict:
    """What every subscription email holds: the address and the seed of its links."""
    site = current_app.config["SITE_NAME"]
    return {
        "stamp": int(time.time() * 1000),
        "template": "subscription",
        "sender": {"email": current_app.config["MAIL_DEFAULT_SENDER"], "name": site},
        "recipient": {"email": subscriber.email, "name": ""},
        "subscription": {"id": subscriber.id, "seed": subscriber.seed},
        **more,
    }


def _queue_confirmation(subscriber: Subscriber) -> None:
    """The email whose link confirms the subscription."""
    site = current_app.config["SITE_NAME"]
    payload = _payload(
        subscriber,
        intro=[
            f"Someone asked for this address to be told about future {site} surgery days.",
            "If it was you, confirm with the link below. We send nothing more until you do.",
        ],
        after=[
            "If it was not you, ignore this email: the address is removed within "
            f"{UNCONFIRMED_DAYS} days and nothing is sent to it."
        ],
    )
    subject = f"Confirm: tell me about future {site} surgery days"
    outbox.add([new_message(CONFIRM_KIND, subscriber.email, subject, payload, utcnow())])


def _announcement(subscriber: Subscriber, event: Event, now: dt.datetime) -> dict:
    """One announcement of a new day, as an outbox row."""
    first = min(event.sessions, key=lambda s: s.starts_at)
    when = format_day(event.local(first.starts_at))
    payload = _payload(
        subscriber,
        event={"id": event.id},
        intro=[f"A new surgery day is open: {event.title}, {when}, at {event.venue_name}."],
        after=["You get this because you asked to hear about future surgery days."],
    )
    subject = f"New surgery day: {event.title}, {when}"
    return new_message(ANNOUNCE_KIND, subscriber.email, subject, payload, now)
