"""Create forms make one row however often they are pressed: the form's key is kept."""

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from surgery.extensions import db
from surgery.organise.models import CreateKey


def create_once(model, key: str | None, make: Callable) -> tuple[object, bool]:
    """The row this key made before, or a new one from `make()` (which adds and flushes);
    and True if it is new.

    The key is written first, in a savepoint: a second press at the same moment waits for
    the first to commit (PostgreSQL) and then finds its row; SQLite runs them one by one.
    """
    if key is None:  # a form from before keys were handed out
        return make(), True
    made = model.__tablename__
    earlier = _made_before(made, key)
    if earlier is None:
        try:
            with db.session.begin_nested():
                db.session.add(record := CreateKey(key=key, made=made))
        except IntegrityError:
            earlier = _made_before(made, key)
        else:
            row = make()
            record.row_id = row.id
            db.session.flush()
            return row, True
    row = None if earlier is None else db.session.get(model, earlier.row_id or 0)
    return (row, False) if row is not None else (make(), True)


def _made_before(made: str, key: str) -> CreateKey | None:
    """The record of this key, if a form of this kind used it."""
    query = sa.select(CreateKey).where(CreateKey.key == key, CreateKey.made == made)
    return db.session.scalars(query).one_or_none()
