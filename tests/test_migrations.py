"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import datetime as dt
import json
import warnings

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from surgery.database import UTCDateTime, utcnow
from surgery.domain.tokens import hash_token, manage_token, new_form_key
from surgery.events.models import SURGERY
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from tests.test_outbox import app_on


def test_the_migrated_database_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection, warnings.catch_warnings():
        # SQLite cannot reflect an index on expressions (the check-in list's order), and
        # Alembic leaves such indexes out of its comparison there; PostgreSQL compares them
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)

    assert differences == []


def old_event() -> int:
    """An event row as the schema of revision 0007 holds it (the model has more columns now)."""
    columns = ("title", "description", "venue_name", "venue_address", "city", "access_info",
               "timezone", "status", "organiser_email", "created_at", "updated_at")  # fmt: skip
    values = ("Leeds surgery", "", "Library", "", "Leeds", "", "Europe/London", "draft", "",
              utcnow(), utcnow())  # fmt: skip
    typed = [sa.column(n, UTCDateTime) if n.endswith("_at") else sa.column(n) for n in columns]
    table = sa.table("event", sa.column("id"), *typed)
    values = dict(zip(columns, values, strict=True))
    return db.session.execute(sa.insert(table).values(values).returning(table.c.id)).scalar_one()


def queue_as_before(**values) -> None:
    """An outbox row written with the columns the table had before 0013; commits."""
    table = sa.table(
        "outbox_message", *(sa.column(name) for name in ("kind", "to_address", "subject")),
        sa.column("payload", sa.JSON), sa.column("status"), sa.column("attempts"),
        sa.column("next_attempt_at", UTCDateTime()), sa.column("created_at", UTCDateTime()),
        sa.column("last_error"),
    )  # fmt: skip
    now = utcnow()
    row = {"kind": "booking_confirmed", "to_address": "sam@example.org", "subject": "Booked",
           "status": "queued", "attempts": 0, "next_attempt_at": now, "created_at": now,
           "last_error": ""}  # fmt: skip
    db.session.execute(sa.insert(table).values(**row, **values))
    db.session.commit()


def test_messages_queued_before_keep_seeds_not_private_links(live_database):
    with app_on(live_database) as app:
        upgrade(revision="0007")
        seed = new_form_key()
        token = manage_token(app.secret_key, seed)
        event_id = old_event()
        old_registration(event_id, token_seed=seed, token_hash=hash_token(token))
        link = f"http://127.0.0.1:5000/bookings/{token}"
        old = {
            "manage_url": link,
            "action": {"text": "Tell us", "url": f"http://127.0.0.1:5000/feedback/{token}"},
            "calendar": {"uid": "u", "description": f"Surgery\n\nChange or cancel: {link}"},
        }
        db.session.commit()
        queue_as_before(payload=old)

        upgrade()

        payload = db.session.scalar(sa.select(OutboxMessage.payload))
        assert token not in json.dumps(payload)
        assert payload["manage"] == {"holder": "booking", "seed": seed}
        assert payload["action"] == {
            "text": "Tell us",
            "endpoint": "day_reports.feedback",
            "seed": seed,
        }
        assert payload["calendar"] == {"uid": "u", "description": "Surgery"}


def test_messages_queued_before_are_linked_to_their_booking_by_the_calendars_uid(live_database):
    with app_on(live_database):
        upgrade(revision="0012")
        start = utcnow().replace(microsecond=0) + dt.timedelta(days=5)
        event_id = old_event()  # the model has columns the schema of 0012 does not
        session_id = insert("event_session", event_id=event_id, kind=SURGERY,
                            title="Surgery space", starts_at=start,
                            ends_at=start + dt.timedelta(hours=2), capacity=5, ical_uid="s@x",
                            ical_sequence=0, created_at=start, updated_at=start)  # fmt: skip
        registration_id = old_registration(event_id, email="sam@example.org")
        uid = "b@x"
        booking_id = insert("booking", registration_id=registration_id, session_id=session_id,
                            status="confirmed", queue_key=0, ical_uid=uid, ical_sequence=0,
                            created_at=start, updated_at=start)  # fmt: skip
        db.session.commit()
        calendar = {"method": "REQUEST", "uid": uid, "sequence": 0}
        queue_as_before(payload={"calendar": calendar})
        queue_as_before(payload={"calendar": {**calendar, "uid": "gone@social-media-surgery"}})
        queue_as_before(payload={"calendar": None})

        upgrade()

        linked = db.session.execute(
            sa.select(OutboxMessage.booking_id, OutboxMessage.slot_id).order_by(OutboxMessage.id)
        ).all()
        assert linked == [(booking_id, None), (None, None), (None, None)]


def test_neutral_wording_is_added_off_and_keeps_every_session(live_database):
    with app_on(live_database):
        upgrade(revision="0013")
        start = utcnow().replace(microsecond=0) + dt.timedelta(days=5)
        event_id = old_event()
        # written without the model, whose columns are those of the newest schema
        insert("event_session", event_id=event_id, kind=SURGERY, title="Surgery space",
               starts_at=start, ends_at=start + dt.timedelta(hours=2), ical_uid="old-session",
               ical_sequence=0, created_at=start, updated_at=start, version=1)  # fmt: skip
        db.session.commit()

        upgrade()

        sessions = db.session.execute(sa.text("SELECT event_id FROM event_session")).all()
        assert sessions == [(event_id,)]  # not dropped with a copied event table
        assert db.session.execute(sa.text("SELECT discreet FROM event")).scalar_one() in (0, False)


def insert(table: str, **values) -> int:
    """A row written with only the columns given, as an older schema holds it; its id."""
    typed = [sa.column(n, UTCDateTime) if n.endswith("_at") else sa.column(n) for n in values]
    rows = sa.table(table, sa.column("id"), *typed)
    return db.session.execute(sa.insert(rows).values(values).returning(rows.c.id)).scalar_one()


def old_registration(event_id: int, **values) -> int:
    """A registration row as the schema of revision 0007 holds it; its id.

    Written without the models, whose columns (and change hooks) are those of the newest schema."""
    now = utcnow()
    row = {"name": "Sam", "help_text": "", "access_needs": "[]", "access_other": "",
           "consent_sensitive": False, "share_with_surgeon": False,
           "wants_lived_experience": False, "languages": "[]", "token_seed": "s",
           "token_hash": "h", "is_walk_in": False, "checkin_code": "ABCD2345",
           "created_at": now, "updated_at": now}  # fmt: skip
    return insert("registration", event_id=event_id, **{**row, **values})


def test_upgrading_keeps_every_session_and_booking(live_database):
    """SQLite rebuilds a table to change a column; with foreign keys enforced, dropping the
    old table would take every row that refers to it (sessions, bookings) with it."""
    with app_on(live_database):
        upgrade(revision="0009")
        now = utcnow()
        event_id = old_event()
        session_id = insert("event_session", event_id=event_id, kind=SURGERY, title="Surgery",
                            starts_at=now, ends_at=now, capacity=5, ical_uid="s@x",
                            ical_sequence=0, created_at=now)  # fmt: skip
        registration_id = old_registration(event_id)
        insert("booking", registration_id=registration_id, session_id=session_id,
               status="confirmed", queue_key=0, ical_uid="b@x", ical_sequence=0,
               created_at=now, updated_at=now)  # fmt: skip
        db.session.commit()

        upgrade()

        db.session.remove()
        kept = [db.session.scalar(sa.select(sa.func.count()).select_from(sa.table(t)))
                for t in ("event", "event_session", "registration", "booking")]  # fmt: skip
        assert kept == [1, 1, 1, 1]
