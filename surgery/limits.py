"""Rate limits on the forms anyone can send, with Flask-Limiter.

A view takes a named limit as a decorator, under its route:

    @bp.route("/events/<int:event_id>/book", methods=["GET", "POST"])
    @limits.public_form
    def book(event_id): ...

Only POSTs count. Each app gets a Limiter of its own (create_app calls init_app), so apps
with limits on and off can run side by side, as in the tests; the limits themselves are
settings (RATELIMIT_* in config.py, reasons in README). Over a limit, the page is shown
again as it was typed, with a plain message saying when to try again and status 429: the
view runs once more while every `surgery.forms.Form` refuses to validate, so a limited
view must build its forms on that class.
"""

import datetime as dt
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import Flask, current_app, flash, g, make_response, request
from flask_limiter import Limiter, RateLimitExceeded
from werkzeug.exceptions import HTTPException

from surgery import errors
from surgery.forms import REFUSED
from surgery.templating import format_clock

MARK = "surgery_limits"


def by_address() -> str:
    """The network address the request came from (behind PROXY_FIX proxies, the client's)."""
    return request.remote_addr or "unknown"


def by_account() -> str:
    """The account a sign-in is for: the email typed, hashed so no address is stored."""
    email = request.form.get("email", "").strip().lower()
    return "account-" + hashlib.sha256(email.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Rule:
    """One counter: the setting holding its limits, whose requests it counts, and what to
    tell someone over it ({clock} and {wait} say when to try again)."""

    scope: str
    setting: str
    key: Callable[[], str]
    message: str


@dataclass(frozen=True)
class NamedLimit:
    """Limits shared by every view that takes this decorator."""

    rules: tuple[Rule, ...]

    def __call__(self, view):
        """Mark the view; init_app wraps it in this app's limiter."""
        view.__dict__.setdefault(MARK, []).append(self)
        return view


PAUSED = (
    "This form has been sent many times from this connection in a short while, so we have"
    " paused it to keep the site safe for everyone. Nothing was saved. Try again after"
    " {clock} (in about {wait}). What you typed is still here."
)
sign_in = NamedLimit(
    (
        Rule(
            "sign_in_account",
            "RATELIMIT_SIGN_IN_ACCOUNT",
            by_account,
            "There have been too many tries to sign in with this email address, so we have"
            " paused them to keep the account safe. Try again after {clock} (in about {wait}).",
        ),
        Rule(
            "sign_in_address",
            "RATELIMIT_SIGN_IN_ADDRESS",
            by_address,
            "There have been too many tries to sign in from this connection, so we have"
            " paused them for a while. Try again after {clock} (in about {wait}).",
        ),
    )
)
public_form = NamedLimit((Rule("public_form", "RATELIMIT_PUBLIC_FORM", by_address, PAUSED),))
kiosk = NamedLimit((Rule("kiosk", "RATELIMIT_KIOSK", by_address, PAUSED),))


@dataclass
class AppLimits:
    """One app's limiter, its rules by scope, and its limited views before wrapping."""

    limiter: Limiter
    rules: dict[str, Rule]
    views: dict[str, Callable]


def init_app(app: Flask) -> None:
    """Give this app its own limiter and wrap every marked view (after the blueprints)."""
    limiter = Limiter(key_func=by_address)
    limiter.init_app(app)
    state = AppLimits(limiter, {}, {})
    app.extensions["surgery_limits"] = state
    for endpoint, view in list(app.view_functions.items()):
        wrapped = view
        for named in getattr(view, MARK, ()):
            for rule in named.rules:
                state.rules[rule.scope] = rule
                wrapped = limiter.shared_limit(
                    lambda setting=rule.setting: current_app.config[setting],
                    scope=rule.scope,
                    key_func=rule.key,
                    methods=["POST"],
                )(wrapped)
        if wrapped is not view:
            state.views[endpoint], app.view_functions[endpoint] = view, wrapped
    app.register_error_handler(RateLimitExceeded, too_many)


def too_many(error: RateLimitExceeded):
    """The form again as typed, or a plain page, saying when to try again; status 429."""
    state = current_app.extensions["surgery_limits"]
    rule = state.rules.get(error.limit.scope)
    reset_at = _reset_at(state.limiter)
    wait = max(int(reset_at - time.time()), 1)
    message = (rule.message if rule else PAUSED).format(clock=_clock(reset_at), wait=_minutes(wait))
    response = _form_again(state.views.get(request.endpoint), message)
    if response is None:
        title = errors.MESSAGES[429][0]
        response = make_response(errors.page(429, title, message))
    response.status_code = 429
    response.headers["Retry-After"] = str(wait)
    return response


def _form_again(view, message: str):
    """The view's page with the posted values and the message, or None if it cannot be."""
    if view is None or request.method != "POST":
        return None
    setattr(g, REFUSED, True)
    flash(message, "error")
    try:
        return make_response(current_app.ensure_sync(view)(**(request.view_args or {})))
    except HTTPException:
        return None


def _reset_at(limiter: Limiter) -> float:
    """When the limit that was hit lets requests through again (a minute if unknown)."""
    breached = limiter.current_limit
    try:
        return float(breached.reset_at) if breached else time.time() + 60
    except Exception:  # storage gone while answering: a guess is better than an error
        return time.time() + 60


def _clock(moment: float) -> str:
    """'2:45pm' in the site's timezone."""
    zone = ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])
    return format_clock(dt.datetime.fromtimestamp(moment, zone))


def _minutes(seconds: int) -> str:
    """'1 minute', '12 minutes'."""
    minutes = max(math.ceil(seconds / 60), 1)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
