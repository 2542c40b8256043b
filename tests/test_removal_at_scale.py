"""Removing a day's personal data costs the same statements for 200 people as for 20.

People's answers differ (some gave access needs, some a language, some nothing), and a
row whose value is set to what it was already changes nothing: the flush used to send
such rows one UPDATE each. Now each table's rows go in one statement, and everything due
still goes.
"""

import datetime as dt

import sqlalchemy as sa

from surgery.bookings.models import Registration, registration_role_tag
from surgery.database import utcnow
from surgery.extensions import db
from surgery.retention import services
from surgery.retention.removal import REMOVED
from surgery.surgeons.models import Surgeon, surgeon_role_tag
from tests.day_of_people import seed_day

NOT_COUNTED = ("SAVEPOINT", "RELEASE", "ROLLBACK")


def remove_a_day_of(people: int):
    """Seed a day over 40 days ago and remove it now; its id, the removal, the statements."""
    now = utcnow()
    event_id = seed_day(people, now - dt.timedelta(days=40))
    db.session.expire_all()
    statements = []

    def record(_conn, _cursor, statement, *_args):
        if not statement.startswith(NOT_COUNTED):
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        removed = services.remove_now(event_id, now)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return event_id, removed, statements


def left_of(event_id: int):
    """What the day's people and surgeons still hold."""
    db.session.expire_all()
    people = db.session.scalars(sa.select(Registration).where(Registration.event_id == event_id))
    surgeons = db.session.scalars(sa.select(Surgeon).where(Surgeon.event_id == event_id))
    tags = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(registration_role_tag.join(Registration))
        .where(Registration.event_id == event_id)
    ) + db.session.scalar(
        sa.select(sa.func.count())
        .select_from(surgeon_role_tag.join(Surgeon))
        .where(Surgeon.event_id == event_id)
    )
    return (
        {
            (r.name, r.email, r.help_text, r.access_other, tuple(r.access_needs),
             tuple(r.languages), r.wants_lived_experience, r.consent_sensitive)
            for r in people
        },
        {(s.name, s.bio, tuple(s.languages), s.consent_sensitive) for s in surgeons},
        tags,
    )  # fmt: skip


def test_a_day_of_200_people_is_removed_in_the_statements_of_a_day_of_20(db_session):
    few_day, few, few_statements = remove_a_day_of(20)
    many_day, many, many_statements = remove_a_day_of(200)

    assert (few.sensitive.attendees, few.identity.attendees) == (20, 20)
    assert (many.sensitive.attendees, many.identity.attendees) == (200, 200)
    assert many.identity.surgeons == 20
    assert len(many_statements) == len(few_statements)
    updates = [s for s in many_statements if s.startswith("UPDATE registration")]
    assert len(updates) == 2  # the answers, then the names: one statement each

    for day in (few_day, many_day):
        people, surgeons, tags = left_of(day)
        assert people == {(REMOVED, None, "", "", (), (), False, False)}
        assert surgeons == {(REMOVED, "", (), False)}
        assert tags == 0
