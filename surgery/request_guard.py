"""Refuse, with a clear page, requests no page of ours could have sent.

A NUL byte or broken UTF-8 in the address, the query or a form would otherwise reach the
database (PostgreSQL refuses NUL in text, which would be an error page of the wrong kind);
a body that is not a form has nothing for us. Checked once here, before any view or the
CSRF check reads the request.
"""

from urllib.parse import unquote_to_bytes

from flask import Flask, request

from surgery import errors

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
UNREADABLE = (
    "That could not be read",
    "It held characters that no form or link of ours sends. Go back and type it again."
    " Nothing was saved.",
)
NOT_A_FORM = (
    "That could not be read",
    "It was not sent the way our forms send things. Go back to the page and use its form."
    " Nothing was saved.",
)


def register(app: Flask) -> None:
    """Check every request before anything else reads it."""
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unreadable)


def refuse_unreadable():
    """A 400 page for NUL bytes, broken UTF-8 or a body that is no form; else None."""
    if not _clean_text(request.path) or not _clean_bytes(request.query_string):
        return errors.page(400, *UNREADABLE)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    has_body = bool(request.content_length) or request.headers.get("Transfer-Encoding")
    if has_body and request.mimetype not in FORM_TYPES:
        return errors.page(400, *NOT_A_FORM)
    if request.mimetype == "application/x-www-form-urlencoded":
        readable = _clean_bytes(request.get_data(cache=True))
    else:
        readable = all(_clean_text(k) and _clean_text(v) for k, v in request.form.items(multi=True))
    return None if readable else errors.page(400, *UNREADABLE)


def _clean_bytes(data: bytes) -> bool:
    """True if percent-encoded data decodes to UTF-8 without NUL."""
    raw = unquote_to_bytes(data.replace(b"+", b" "))
    if b"\x00" in raw:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _clean_text(value: str) -> bool:
    """True for text Werkzeug decoded cleanly: no NUL, no replacement character."""
    return "\x00" not in value and "\ufffd" not in value
