"""Error pages: a clear message in plain English, never a stack trace."""

from flask import Flask, Response, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import SecurityError

from surgery.domain.errors import DomainError, NotFound
from surgery.extensions import db

MESSAGES = {
    400: ("Something in that request was not right", "Go back, check the form and send it again."),
    403: ("You cannot open this page", "Sign in with an account that can see it."),
    404: ("Page not found", "Check the address, or start again from the list of surgery days."),
    405: ("That did not work", "This page cannot be used that way. Go back and try again."),
    409: ("That could not be done", "Go back, reload the page to see how things are now."),
    413: (
        "That was too much to send at once",
        "Our forms never need this much. Go back, shorten what you wrote and send it again."
        " Nothing was saved.",
    ),
    429: (
        "Please wait a few minutes",
        "This was sent many times in a short while, so we have paused it to keep the site"
        " safe for everyone. Nothing was saved. Try again in a few minutes.",
    ),
    500: (
        "Sorry, something went wrong on our side",
        "Nothing you did caused this. Please try again.",
    ),
}


def register(app: Flask) -> None:
    """Show our own page for each error code."""
    for code in MESSAGES:
        app.register_error_handler(code, lambda e, code=code: page(code))
    app.register_error_handler(CSRFError, csrf_failed)
    app.register_error_handler(SecurityError, untrusted_host)
    # a row changed between reading it and writing it (its version moved on): never a 500
    app.register_error_handler(StaleDataError, stale_row)
    app.register_error_handler(DomainError, refused)
    app.register_error_handler(NotFound, not_found)


def page(code: int, title: str | None = None, detail: str | None = None):
    """Render the error page for a status code."""
    default_title, default_detail = MESSAGES[code]
    html = render_template(
        "errors/error.html",
        title=title or default_title,
        detail=detail or default_detail,
        code=code,
    )
    return html, code


def csrf_failed(error: CSRFError):
    """A form arrived without its security check, usually an old or copied page."""
    return page(
        400,
        "This form could not be accepted",
        "Its security check was missing or out of date. Go back, reload the page and send it again."
        " Nothing was saved.",
    )


def refused(error: DomainError):
    """A rule of the domain said no where no view caught it: say why, never a 500.

    Whatever the change had written is rolled back, so nothing half-done is committed."""
    db.session.rollback()
    return page(409, detail=str(error))


def not_found(error: NotFound):
    """A private link or row that is not there (any more), however deep it was noticed."""
    db.session.rollback()
    return page(404)


def untrusted_host(error: SecurityError):
    """A Host header not in TRUSTED_HOSTS: a short answer, as no page or link can be built
    for an address we do not serve."""
    text = "Something in that request was not right: this site is not served at that address."
    return Response(text, 400, mimetype="text/plain")


def stale_row(error: StaleDataError):
    """A row changed between this request reading it and writing it: nothing is saved."""
    db.session.rollback()
    return page(
        409,
        "Someone else changed this at the same moment",
        "Nothing you sent was saved, so their change is kept. Go back, reload the page to see"
        " it as it is now, and try again if your change is still needed.",
    )
