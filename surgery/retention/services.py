"""Removing a day's personal data when it falls due, or when an organiser says now.

Each day is decided under its lock, with its markers read again under it, so two workers
(or a worker and an organiser) never remove the same stage twice. The day's numbers are
kept first, before anything is removed, and the numbers page reads them from then on.
"""

import datetime as dt
from dataclasses import asdict, dataclass, fields

import sqlalchemy as sa

from surgery.audit import log
from surgery.day import floor
from surgery.domain import audit, retention
from surgery.domain.retention import IDENTITY, SENSITIVE, Done, Periods
from surgery.events.models import Event, EventSession
from surgery.events.services import lock_day
from surgery.extensions import db
from surgery.retention import removal
from surgery.retention.models import SETTINGS_ID, DayRetention, RetentionSettings
from surgery.subscriptions import services as subscriptions


def settings() -> Periods:
    """The periods in force: the organisers' shorter ones, or the defaults."""
    row = db.session.get(RetentionSettings, SETTINGS_ID)
    if row is None:
        return retention.DEFAULTS
    return Periods(row.sensitive_days, row.identity_days)


def save_settings(periods: Periods) -> None:
    """Keep shorter periods; longer than the defaults is refused."""
    retention.checked(periods)
    row = db.session.get(RetentionSettings, SETTINGS_ID)
    if row is None:
        row = RetentionSettings(id=SETTINGS_ID)
        db.session.add(row)
    changed = [name for name in asdict(periods) if getattr(row, name) != getattr(periods, name)]
    row.sensitive_days, row.identity_days = periods.sensitive_days, periods.identity_days
    db.session.flush()
    log.record(audit.CHANGED_RETENTION, subject="retention settings", fields=changed)


@dataclass(frozen=True)
class Held:
    """A day whose personal data is not all removed yet, and when it goes."""

    event: Event
    ends_at: dt.datetime
    due: retention.Due
    done: Done


def held() -> list[Held]:
    """Every day still holding personal data, the soonest due first."""
    periods = settings()
    ends = (
        sa.select(EventSession.event_id, sa.func.max(EventSession.ends_at).label("ends_at"))
        .group_by(EventSession.event_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Event, ends.c.ends_at, DayRetention)
        .join(ends, ends.c.event_id == Event.id)
        .outerjoin(DayRetention, DayRetention.event_id == Event.id)
        .where(sa.or_(DayRetention.event_id.is_(None), DayRetention.identity_removed_at.is_(None)))
        .order_by(ends.c.ends_at, Event.id)
    ).all()
    return [Held(e, ended, retention.due(ended, periods), _done(kept)) for e, ended, kept in rows]


def days_due(now: dt.datetime) -> list[int]:
    """The days with a stage due at `now` (read without locks: each is checked again)."""
    periods = settings()
    return [
        day.event.id for day in held() if retention.stages_due(day.ends_at, periods, now, day.done)
    ]


@dataclass(frozen=True)
class Removal:
    """What one removal took away from one day."""

    event_id: int
    sensitive: removal.Counts | None = None
    identity: removal.Counts | None = None

    def words(self) -> str:
        """What went, in counts: never who."""
        said = []
        if self.sensitive is not None:
            said.append(f"sensitive answers of {self.sensitive.words(emails=False)}")
        if self.identity is not None:
            said.append(f"names and addresses of {self.identity.words()}")
        return "; ".join(said)


def purge_day(event_id: int, now: dt.datetime) -> Removal | None:
    """Remove what is due of one day, automatically; None when nothing is (any longer)."""
    periods = settings()

    def due(ends, done):
        return retention.stages_due(ends, periods, now, done)

    return _remove(event_id, now, due, automatic=True)


def remove_now(event_id: int, now: dt.datetime) -> Removal | None:
    """An organiser removes a past day's personal data at once (refused before its end)."""
    return _remove(event_id, now, lambda ends, done: retention.stages_now(ends, now, done))


def _remove(event_id: int, now: dt.datetime, decide, automatic: bool = False):
    """Under the day's lock: read the markers again, keep the numbers, remove, record."""
    event = lock_day(event_id)
    if event is None or not event.sessions:
        return None
    kept = _marker(event_id)
    stages = decide(max(s.ends_at for s in event.sessions), _done(kept))
    if not stages:
        return None
    # the numbers first, while every answer they count is still there
    kept = kept or _keep(event, now)
    sensitive = identity = None
    if SENSITIVE in stages:
        sensitive = removal.remove_sensitive(event)
        kept.sensitive_removed_at = now
    if IDENTITY in stages:
        identity = removal.remove_identity(event)
        kept.identity_removed_at = now
    db.session.flush()
    removed = Removal(event_id, sensitive, identity)
    log.record(
        audit.PURGED if automatic else audit.REMOVED_PERSONAL_DATA,
        event_id=event_id,
        subject=f"event {event_id}",
        detail=removed.words(),
        actor=audit.AUTOMATIC if automatic else None,
    )
    return removed


def keep_numbers(event: Event, now: dt.datetime) -> None:
    """Before one person's rows go from a day that is over, keep the day's numbers as they
    are, so erasing someone never changes what the day achieved (under the day's lock)."""
    over = event.sessions and max(s.ends_at for s in event.sessions) <= now
    if over and _marker(event.id) is None:
        _keep(event, now)


def _keep(event: Event, now: dt.datetime) -> DayRetention:
    """Store the day's numbers as counted now; the numbers page reads them from then on."""
    kept = DayRetention(
        event_id=event.id, numbers=asdict(floor.numbers(event, now)), numbers_at=now
    )
    db.session.add(kept)
    return kept


def _marker(event_id: int) -> DayRetention | None:
    """The day's markers, read again (called under the day's lock)."""
    query = sa.select(DayRetention).where(DayRetention.event_id == event_id)
    return db.session.scalars(query.execution_options(populate_existing=True)).one_or_none()


def _done(kept: DayRetention | None) -> Done:
    """Which stages the markers say are removed."""
    if kept is None:
        return Done()
    return Done(kept.sensitive_removed_at is not None, kept.identity_removed_at is not None)


def done(event_id: int) -> Done:
    """Which stages of a day are removed (as last read; decisions read again under the lock)."""
    return _done(db.session.get(DayRetention, event_id))


def day_numbers(event: Event) -> floor.DayNumbers:
    """The day in numbers: as kept before the first removal, or counted now if none was."""
    kept = db.session.get(DayRetention, event.id)
    if kept is None:
        return floor.numbers(event)
    # a figure added to the page since the numbers were kept reads as nothing counted
    charts = ("role_tags", "topics")
    values = {
        f.name: kept.numbers.get(f.name, [] if f.name in charts else 0)
        for f in fields(floor.DayNumbers)
    }
    for chart in charts:
        values[chart] = [tuple(row) for row in values[chart]]
    return floor.DayNumbers(**values)


def purge_subscribers(now: dt.datetime) -> int:
    """Remove the subscriptions to new days never confirmed in time."""
    return subscriptions.remove_unconfirmed(now)
