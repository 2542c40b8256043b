"""Demo resources for a past day, as if its surgeon shared them and an organiser approved."""

from surgery.database import utcnow
from surgery.domain.resources import APPROVED, normalised_link
from surgery.events.models import Event
from surgery.extensions import db
from surgery.learned.models import Resource
from surgery.surgeons.models import Surgeon

DEMO_RESOURCES = (
    (
        "Checking your privacy settings on Facebook",
        "https://www.facebook.com/help/privacy",
        "The page we used in the morning surgery to choose who sees your posts.",
    ),
    (
        "Writing your first blog post",
        "https://wordpress.com/support/start/",
        "A step-by-step guide for the blogging workshop, for when you try it at home.",
    ),
)


def add_demo_resources(event: Event, surgeon: Surgeon) -> list[Resource]:
    """Two approved resources of a past day, added by its surgeon. Flushes; never commits."""
    now = utcnow()
    rows = [
        Resource(
            event_id=event.id,
            title=title,
            url=normalised_link(url),
            note=note,
            surgeon_id=surgeon.id,
            status=APPROVED,
            moderated_at=now,
        )
        for title, url, note in DEMO_RESOURCES
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows
