"""Buttons that change something: run the change, commit once, say what happened."""

from collections.abc import Callable

from flask import flash

from surgery.domain.errors import DomainError
from surgery.extensions import db


def press(action: Callable, said: str | Callable, category: str = "success") -> bool:
    """Run a change and commit it, then flash `said` (or what it makes of the result; None
    says nothing); if the change is refused, roll back and flash why. True if it went through.
    """
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return False
    db.session.commit()
    message = said(result) if callable(said) else said
    if message:
        flash(message, category)
    return True
