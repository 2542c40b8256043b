"""What a day holds, counted: for the due page and for asking before removing it now."""

import datetime as dt

import sqlalchemy as sa

from surgery.bookings.models import Registration
from surgery.domain import retention
from surgery.domain.asking import WhatHappens
from surgery.events.models import Event
from surgery.extensions import db
from surgery.retention import removal, services
from surgery.surgeons.models import Surgeon


def people(event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(attendees, surgeons) of each day: two queries, however many days."""
    counted = {event_id: [0, 0] for event_id in event_ids}
    for i, model in enumerate((Registration, Surgeon)):
        rows = db.session.execute(
            sa.select(model.event_id, sa.func.count())
            .where(model.event_id.in_(event_ids))
            .group_by(model.event_id)
        )
        for event_id, n in rows:
            counted[event_id][i] = n
    return {event_id: (a, s) for event_id, (a, s) in counted.items()}


def removing_now(event: Event, now: dt.datetime) -> WhatHappens:
    """What pressing 'remove personal data now' on a day will do."""
    ends = max((s.ends_at for s in event.sessions), default=None)
    done = services.done(event.id)
    attendees, surgeons = people([event.id])[event.id]
    over = ends is not None and now >= ends
    return retention.removing_now(
        event.title, over, done, attendees, surgeons, len(removal.messages_of(event))
    )
