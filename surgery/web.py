"""The request edge: every change a request makes runs here and is committed once.

Services add, flush and raise DomainError; they never commit. A view hands its change to
`run` (or `press`, for a button): the change is committed if it went through, and if the
rules refused it, everything it wrote is rolled back and the reason becomes an error on
the form, or a message on the next page. A DomainError that escapes a view anyway is
answered by the app-wide handler in surgery.errors, so a refusal is never a 500.
"""

from collections.abc import Callable
from typing import Any

from flask import flash
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from surgery.database import end_reading
from surgery.domain.errors import DomainError, NotFound
from surgery.domain.session_changes import StaleForm
from surgery.extensions import db


class _Refused:
    """What `run` returns when the rules said no (a result may itself be None or falsy)."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "REFUSED"


REFUSED: Any = _Refused()


def run(change: Callable[[], Any], refusal: list | Callable | None = None) -> Any:
    """Run a change and commit it once, returning its result.

    If the rules refuse it, or the row it saves changed since it was read (its version moved
    on), everything is rolled back, the reason goes to `refusal` (a form field's error list,
    or a function taking the error; a flashed message without one) and REFUSED is returned.
    NotFound is not a refusal: it goes up to the view (or the app's 404 page). A change that
    met another request's new row on a unique key is run once more (`_committed`). Inside
    database.reading_first, the reading ends first (database.end_reading).
    """
    end_reading()
    try:
        result = _committed(change)
    except NotFound:
        db.session.rollback()
        raise
    except StaleDataError:
        db.session.rollback()
        _report(StaleForm(), refusal)
        return REFUSED
    except DomainError as error:
        db.session.rollback()
        _report(error, refusal)
        return REFUSED
    return result


def _committed(change: Callable[[], Any]) -> Any:
    """Run a change and commit it. A change that lost a race to write a unique row (another
    request wrote the same one first and committed) is run once more, after a rollback: it
    now finds that row, as if it had come second."""
    try:
        result = change()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        result = change()
        db.session.commit()
    return result


def _report(error: DomainError, refusal: list | Callable | None) -> None:
    """Say why a change was refused, where the view asked."""
    if refusal is None:
        flash(str(error), "error")
    elif callable(refusal):
        refusal(error)
    else:
        refusal.append(str(error))


def refused(result: Any) -> bool:
    """True if `run` was refused."""
    return result is REFUSED


def press(change: Callable[[], Any], said: str | Callable, category: str = "success") -> bool:
    """A button: run its change, then flash `said` (or what it makes of the result; None
    says nothing). True if it went through; if refused, why is flashed instead."""
    result = run(change)
    if refused(result):
        return False
    message = said(result) if callable(said) else said
    if message:
        flash(message, category)
    return True
