"""Made-up people, booking and volunteering through the same services as the public forms.

Every address is at example.org, kept for examples (RFC 2606): mail to it reaches nobody.
"""

import sqlalchemy as sa
from flask import current_app

from surgery.bookings import services as bookings
from surgery.bookings.models import Registration
from surgery.bookings.services import AboutYou, BookingRequest
from surgery.domain.tokens import new_form_key
from surgery.events.models import SURGERY, Event
from surgery.extensions import db
from surgery.surgeons import services as surgeons
from surgery.surgeons.models import Surgeon
from surgery.surgeons.services import SurgeonDetails
from surgery.vocabulary.models import RoleTag, Topic


def email_of(name: str) -> str:
    """'Ada Example' -> ada.example@example.org."""
    return ".".join(name.lower().replace("-", "").split()) + "@example.org"


def ids_of(model, names) -> list[int]:
    """The ids of the vocabulary terms with these names (an organiser may have renamed some)."""
    return list(db.session.scalars(sa.select(model.id).where(model.name.in_(list(names)))))


def about(topics=(), help_text: str = "", role_tags=()) -> AboutYou:
    """What someone tells the form; who they are is kept only because they agreed."""
    return AboutYou(
        topic_ids=ids_of(Topic, topics),
        help_text=help_text,
        role_tag_ids=ids_of(RoleTag, role_tags),
        consent=bool(role_tags),
    )


def book(event: Event, name: str, session_ids: list[int], told: AboutYou) -> Registration:
    """Book sessions as the public booking form does."""
    request = BookingRequest(name, email_of(name), session_ids, told, new_form_key())
    return bookings.book(event.id, request, current_app.secret_key).registration


def volunteer(event: Event, name: str, topics, bio: str = "", approve: bool = True) -> Surgeon:
    """Volunteer for the day's surgery sessions as the public form does; approved by the
    organiser, or left for them to decide."""
    details = SurgeonDetails(
        name=name,
        email=email_of(name),
        topic_ids=ids_of(Topic, topics),
        session_ids=[s.id for s in event.sessions if s.kind == SURGERY],
        capacity=2,
        bio=bio,
    )
    made = surgeons.volunteer(event.id, details, new_form_key(), current_app.secret_key)
    if approve:
        surgeons.approve(made.surgeon)
    return made.surgeon
