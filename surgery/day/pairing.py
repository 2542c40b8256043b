"""The floor's pairs: whose own surgeon is here (accepted, or asked for as last time's), who
a free surgeon should see next, and a pair kept in step when someone starts with another
surgeon. The rules are in surgery.domain.floor_pairs; this reads and writes the rows."""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from surgery.bookings.models import Booking
from surgery.day.models import HelpRecord
from surgery.domain import floor, floor_pairs
from surgery.events.models import EventSession
from surgery.extensions import db
from surgery.matching import last_time
from surgery.matching.models import ACCEPTED, Match
from surgery.matching.services import as_surgeon
from surgery.surgeons.models import Surgeon

# what a pair's reasons say once an organiser paired someone differently on the day
CHANGED_ON_THE_DAY = "paired on the day"


def wanted(
    session: EventSession, bookings: Sequence[Booking], surgeons: Sequence[Surgeon]
) -> dict[int, floor_pairs.Wanted]:
    """booking id -> their own surgeon for this session: the accepted pair, else the surgeon
    they asked for again; two queries, however many people."""
    ids = {s.id for s in surgeons}
    again = last_time.surgeons_asked_for(
        session.event_id, [b.registration for b in bookings], surgeons
    )
    found = {
        b.id: floor_pairs.Wanted(again[b.registration_id], floor_pairs.SAME_SURGEON)
        for b in bookings
        if b.registration_id in again
    }
    accepted = db.session.execute(
        sa.select(Match.booking_id, Match.surgeon_id).where(
            Match.session_id == session.id, Match.status == ACCEPTED
        )
    )
    here = {b.id for b in bookings}
    for booking_id, surgeon_id in accepted:
        if booking_id in here and surgeon_id in ids:
            found[booking_id] = floor_pairs.Wanted(surgeon_id, floor_pairs.ACCEPTED)
    return found


def suggest(
    queue: Sequence[floor.Waiting],
    present: Sequence[Surgeon],
    helping: dict[int, HelpRecord],
    average: float | None,
    own: dict[int, floor_pairs.Wanted],
    now: dt.datetime,
) -> dict[int, int]:
    """Free surgeon id -> booking id to see next, own surgeons first (see floor_pairs);
    average: the day's finished pairings so far, in whole minutes (None before the first)."""
    soon = set()
    for surgeon in present:
        record = helping.get(surgeon.id)
        busy = None if record is None else floor.minutes_between(record.started_at, now)
        if floor_pairs.free_soon(busy, average):
            soon.add(surgeon.id)
    free = [as_surgeon(s) for s in present if s.id not in helping]
    return floor_pairs.suggestions(free, queue, own, soon)


def follow(record: HelpRecord) -> Match | None:
    """Someone started with a surgeon other than their pair's: the pair is now that one.

    Nobody is emailed: both are here, on the day, and the organiser tells them face to face.
    """
    query = sa.select(Match).where(Match.booking_id == record.booking_id)
    match = db.session.scalars(query.execution_options(populate_existing=True)).first()
    if match is None or match.surgeon_id == record.surgeon_id:
        return None
    match.surgeon_id = record.surgeon_id
    match.reasons = [CHANGED_ON_THE_DAY]
    db.session.flush()
    return match
