"""Who may open which organiser pages."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def organiser_required(view):
    """Signed in as a full organiser; a check-in-only door login gets a 403."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_organiser:
            abort(403)
        return view(*args, **kwargs)

    return wrapper
