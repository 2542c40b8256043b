"""Reading and seeding the role-tag and topic vocabularies."""

import sqlalchemy as sa

from surgery.database import fresh
from surgery.domain.errors import DomainError
from surgery.extensions import db
from surgery.vocabulary.models import RoleTag, Topic


def _offered_query():
    """Both vocabularies' active terms, role tags (0) first, each in the organiser's order."""
    parts = [
        sa.select(sa.literal(n).label("vocabulary"), model.id, model.name, model.position).where(
            model.active.is_(True)
        )
        for n, model in enumerate((RoleTag, Topic))
    ]
    both = sa.union_all(*parts).subquery()
    order = (both.c.vocabulary, both.c.position, both.c.id)
    return sa.select(both.c.vocabulary, both.c.id, both.c.name).order_by(*order)


_OFFERED = _offered_query()  # built once: a booking POST reads it every time


def offered() -> tuple[list, list]:
    """The active role tags and topics that forms offer, each in the organiser's order, read
    in one statement (every booking form asks for both) as plain rows of id and name, which
    is all a form's choices need (loading them as objects was a tenth of a booking POST)."""
    rows = db.session.execute(_OFFERED).all()
    return [r for r in rows if r.vocabulary == 0], [r for r in rows if r.vocabulary == 1]


def everything(model) -> list:
    """Every term, retired ones too, in order."""
    return list(db.session.scalars(sa.select(model).order_by(model.position, model.id)))


def terms(model, ids: list[int]) -> list:
    """Vocabulary rows for the given ids."""
    if not ids:
        return []
    return list(db.session.scalars(sa.select(model).where(model.id.in_(ids))))


def add(model, name: str):
    """Add a term at the end of the list (flushes; the caller commits)."""
    _check_unique(model, name)
    last = db.session.scalar(sa.select(sa.func.max(model.position))) or 0
    term = model(name=name.strip(), position=last + 1)
    db.session.add(term)
    db.session.flush()
    return term


def rename(term, name: str, version: int | None) -> None:
    """Give a term a new name; people who chose it keep it. A rename from a page that
    showed an older name is refused, so one organiser's rename is not undone by another."""
    term = fresh(term)
    if version != term.version:
        raise DomainError(
            f"Not renamed: someone else renamed it to “{term.name}” after you opened this page."
        )
    _check_unique(type(term), name, term.id)
    if term.name != name.strip():
        term.name, term.version = name.strip(), term.version + 1
    db.session.flush()


def set_active(term, active: bool) -> None:
    """Retire a term from the forms, or bring it back; stored answers stay."""
    term.active = active
    db.session.flush()


def set_lived_experience(tag, means: bool) -> None:
    """Say whether a surgeon with this role tag brings lived experience, for the matching."""
    tag.means_lived_experience = means
    db.session.flush()


def _check_unique(model, name: str, own_id: int | None = None) -> None:
    """Refuse a name another term of the same vocabulary has."""
    query = sa.select(model.id).where(sa.func.lower(model.name) == name.strip().lower())
    other = db.session.scalar(query)
    if other is not None and other != own_id:
        raise DomainError(f"“{name.strip()}” is already in the list.")
