"""What the day's bigger buttons would do, worked out without changing anything."""

import sqlalchemy as sa

from surgery.day import services
from surgery.day.models import HelpRecord
from surgery.domain import asking
from surgery.domain.asking import Person, WhatHappens
from surgery.events.models import Event
from surgery.extensions import db
from surgery.surgeons.models import Surgeon


def surgeon_leaving(surgeon: Surgeon) -> WhatHappens:
    """What marking this surgeon as gone would do: whoever they are helping waits again."""
    records = db.session.scalars(
        sa.select(HelpRecord)
        .where(HelpRecord.surgeon_id == surgeon.id, HelpRecord.ended_at.is_(None))
        .order_by(HelpRecord.id)
    )
    return asking.leaving_the_floor(surgeon.name, [r.booking.registration.name for r in records])


def asking_for_feedback(event: Event) -> WhatHappens:
    """What emailing everyone who came a feedback link would do."""
    came = services.not_yet_asked(event)
    return asking.asking_for_feedback([Person(r.name, r.email) for r in came])
