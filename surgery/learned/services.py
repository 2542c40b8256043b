"""Resources shared from a day: adding them (a surgeon, or the facilitators' link), an
organiser's check, and what the public 'what we learned' page shows. Services flush; the
request's edge commits."""

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from surgery.audit import log
from surgery.bookings import state
from surgery.database import utcnow
from surgery.day.services import shared_feedback
from surgery.domain import audit
from surgery.domain.errors import DomainError, NotFound
from surgery.domain.resources import APPROVED, PENDING, decided
from surgery.domain.tokens import TOKEN_BYTES, purpose_token, same_token
from surgery.events.models import PUBLISHED, Event
from surgery.events.services import Filters, past_events
from surgery.extensions import db
from surgery.learned.models import FacilitatorLink, Resource
from surgery.links import purpose_url
from surgery.surgeons.models import APPROVED as CONFIRMED
from surgery.surgeons.models import Surgeon

FACILITATOR = "facilitator_resources"  # the purpose of the facilitators' link's token
RECENT_DAYS = 10  # past days whose 'what we learned' page is in the feed
GONE = "That link is not valid any more. Ask the organisers of the day for the new one."


@dataclass(frozen=True)
class Shared:
    """What someone typed: a title, the link as stored, an optional note and session."""

    title: str
    url: str
    note: str = ""
    session_id: int | None = None


def add_by_surgeon(surgeon: Surgeon, shared: Shared) -> Resource:
    """A surgeon confirmed for the day shares a resource; it waits for an organiser."""
    if surgeon.status != CONFIRMED:
        raise DomainError("Only surgeons confirmed for the day can share resources from it.")
    return _add(surgeon.event, shared, surgeon_id=surgeon.id)


def add_by_facilitator(link: FacilitatorLink, shared: Shared) -> Resource:
    """A workshop facilitator shares a resource through the day's link."""
    return _add(db.session.get(Event, link.event_id), shared, facilitator_link_id=link.id)


def _add(event: Event, shared: Shared, **who) -> Resource:
    """A pending resource of the day; a session must be one of the day's."""
    session_id = shared.session_id
    if session_id is not None and session_id not in {s.id for s in event.sessions}:
        session_id = None
    resource = Resource(
        event_id=event.id,
        session_id=session_id,
        title=shared.title,
        url=shared.url,
        note=shared.note,
        **who,
    )
    db.session.add(resource)
    db.session.flush()
    return resource


def current_link(event_id: int) -> FacilitatorLink | None:
    """The day's facilitators' link still in use, if one was made."""
    query = sa.select(FacilitatorLink).where(
        FacilitatorLink.event_id == event_id, FacilitatorLink.replaced_at.is_(None)
    )
    return db.session.scalars(query.order_by(FacilitatorLink.id.desc())).first()


def new_link(event: Event) -> FacilitatorLink:
    """Make the day's facilitators' link, replacing the one before: the old link opens
    nothing from now on."""
    now, had = utcnow(), current_link(event.id) is not None
    db.session.execute(
        sa.update(FacilitatorLink)
        .where(FacilitatorLink.event_id == event.id, FacilitatorLink.replaced_at.is_(None))
        .values(replaced_at=now)
    )
    link = FacilitatorLink(event_id=event.id, seed=secrets.token_urlsafe(TOKEN_BYTES))
    db.session.add(link)
    db.session.flush()
    detail = "replaced" if had else "made"
    log.record(audit.CHANGED_RESOURCE, event.id, "facilitators' link", detail=detail)
    return link


def link_url(link: FacilitatorLink) -> str:
    """The address of the facilitators' link, rebuilt from its seed with the secret key."""
    return purpose_url("learned.facilitator_add", FACILITATOR, link.seed, event_id=link.event_id)


def link_for_token(event_id: int, token: str) -> FacilitatorLink:
    """The day's link in use, if the token is its own; a replaced link is NotFound."""
    link = current_link(event_id)
    event = db.session.get(Event, event_id)
    if link is None or event is None or event.status != PUBLISHED:
        raise NotFound(GONE)
    if not same_token(token, purpose_token(current_app.secret_key, FACILITATOR, link.seed)):
        raise NotFound(GONE)
    return link


def moderate(resource: Resource, decision: str, organiser_id: int | None) -> str:
    """An organiser's check: approve, or reject (hide again). Audited; the new status."""
    becomes = decided(resource.status, decision)
    if becomes is None:
        raise DomainError("That resource has already been checked. The page now shows it as it is.")
    resource.status, resource.moderated_at = becomes, utcnow()
    resource.moderated_by_id = organiser_id
    db.session.flush()
    log.record(audit.CHANGED_RESOURCE, resource.event_id, f"resource {resource.id}", detail=becomes)
    return becomes


def for_organisers(event: Event) -> list[Resource]:
    """Every resource of the day: those waiting first, then newest first."""
    waiting = sa.case((Resource.status == PENDING, 0), else_=1)
    query = sa.select(Resource).where(Resource.event_id == event.id)
    query = query.options(selectinload(Resource.session))  # each names its part of the day
    return list(db.session.scalars(query.order_by(waiting, Resource.id.desc())))


def waiting(event: Event) -> int:
    """How many of the day's resources wait for an organiser's check."""
    query = sa.select(sa.func.count()).where(
        Resource.event_id == event.id, Resource.status == PENDING
    )
    return db.session.scalar(query)


def overview(event: Event) -> dict:
    """What the organisers' day page says: how many wait, and the facilitators' link."""
    link = current_link(event.id)
    return {"waiting": waiting(event), "facilitator_url": link_url(link) if link else None}


def approved(event: Event) -> list[Resource]:
    """The resources the public may see, newest first."""
    query = sa.select(Resource).where(Resource.event_id == event.id, Resource.status == APPROVED)
    query = query.options(selectinload(Resource.session))  # each names its part of the day
    return list(db.session.scalars(query.order_by(Resource.id.desc())))


def has_page(event: Event | None) -> bool:
    """True for a published day that is over: only it has a 'what we learned' page."""
    return event is not None and event.status == PUBLISHED and state.day_is_over(event)


def recent_days(timezone: str, limit: int = RECENT_DAYS) -> list[Event]:
    """The most recent published days that are over: their pages go in the feed."""
    over = past_events(Filters(), timezone, limit=limit * 2)
    return [e for e in over if has_page(e)][:limit]


def page(event: Event) -> dict:
    """What the public page shows: shared answers (no names) and approved resources."""
    return {"answers": shared_feedback(event), "resources": approved(event)}


def last_change(event: Event) -> dt.datetime:
    """When the day's page last changed, as far as the feed can tell."""
    checked = sa.select(sa.func.max(Resource.moderated_at)).where(
        Resource.event_id == event.id, Resource.status == APPROVED
    )
    return max(filter(None, (event.updated_at, db.session.scalar(checked))))


def forget_who_added(event: Event, surgeon_id: int | None = None) -> int:
    """Cut the tie between the day's resources and the surgeons who added them (one surgeon
    erased, or all when the day's names are removed); the resources stay. How many."""
    added = (
        Resource.surgeon_id.is_not(None)
        if surgeon_id is None
        else Resource.surgeon_id == surgeon_id
    )
    result = db.session.execute(
        sa.update(Resource)
        .where(Resource.event_id == event.id, added)
        .values(surgeon_id=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
