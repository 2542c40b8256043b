"""RoleTag and Topic: short lists the organiser keeps."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from surgery.extensions import db


class _Term:
    """Columns every vocabulary term has."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # raised by each organiser's rename, so a rename from an older page is refused
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        """Every UPDATE checks the version it read; only a rename raises it."""
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}


class RoleTag(_Term, db.Model):
    """Who someone is, e.g. 'Volunteer'. Health-related: stored only with consent."""

    __tablename__ = "role_tag"

    # a surgeon with this tag brings lived experience, for attendees who ask for it; a flag,
    # so the organiser can rename the tag or add another without breaking the matching
    means_lived_experience: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class Topic(_Term, db.Model):
    """What someone wants help with, or a surgeon can help with."""
