"""Passwords: forgotten (a link by email), chosen from an invite, and changed when signed in."""

import logging
from functools import partial

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, login_user

from surgery import limits, web
from surgery.auth import services
from surgery.auth.forms import (
    NEW_PASSWORD_HINT,
    ChangePasswordForm,
    ForgotPasswordForm,
    NewPasswordForm,
)
from surgery.domain import audit
from surgery.domain.accounts import INVITE, RESET
from surgery.domain.errors import NotFound
from surgery.extensions import db

bp = Blueprint("passwords", __name__)
log = logging.getLogger(__name__)

# GET,POST  /login/forgot            forgot (ask for a link by email)
# GET       /login/forgot/sent       sent (the same answer for every address)
# GET,POST  /login/reset/<token>     reset (choose a new password from the emailed link)
# GET,POST  /login/join/<token>      join (choose a password from an invite)
# GET,POST  /account/password        change (signed in, with the current password)


@bp.route("/login/forgot", methods=["GET", "POST"])
@limits.public_form
def forgot():
    """Ask for a link to choose a new password."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        # the same answer for any address, and as quick: the work is done after it has gone
        response = redirect(url_for(".sent"), code=303)
        app = current_app._get_current_object()
        response.call_on_close(partial(_send_reset_link, app, form.email.data))
        return response
    return render_template("auth/forgot.html", form=form), 400 if form.errors else 200


def _send_reset_link(app, email: str) -> None:
    """After the answer: queue a link if the address has an account, and wake the sender."""
    with app.app_context():
        try:
            services.request_reset(email, app.secret_key)
            db.session.commit()
            if app.config["MAIL_SEND_AFTER_REQUEST"]:
                app.extensions["mail_sender"].wake()  # mail goes from its own thread
        except Exception:  # the answer is gone; the person can ask again
            log.exception("a password reset asked for could not be made")
            db.session.rollback()


@bp.get("/login/forgot/sent")
def sent():
    """What everyone is told, whether or not their address has an account."""
    return render_template("auth/forgot_sent.html")


@bp.route("/login/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choose a new password through the emailed link."""
    return _choose_password(token, RESET, "Choose a new password", "Save my new password")


@bp.route("/login/join/<token>", methods=["GET", "POST"])
def join(token: str):
    """Choose a password through an invite, and so join."""
    return _choose_password(token, INVITE, "Choose your password", "Save my password and sign in")


def _choose_password(token: str, purpose: str, heading: str, button: str):
    """The page behind an emailed link: a new password, then signed in; the link is used up."""
    link = services.open_link(token, purpose)
    if link is None:
        return render_template("auth/link_gone.html", purpose=purpose), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            organiser = web.run(
                lambda: _use_link(token, purpose, form.password.data), form.password.errors
            )
        except NotFound:
            db.session.rollback()
            return render_template("auth/link_gone.html", purpose=purpose), 404
        if not web.refused(organiser):
            login_user(organiser)
            flash("Your password is saved and you are signed in.", "success")
            return redirect(_start_page(), code=303)
    page = render_template(
        "auth/choose_password.html", form=form, organiser=link.organiser,
        heading=heading, button=button, form_hint=NEW_PASSWORD_HINT,
    )  # fmt: skip
    return page, 400 if form.errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
@limits.public_form
@login_required
def change():
    """Change your password; every other device you are signed in on is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        changed = web.run(lambda: _change_password(form), form.current.errors)
        if not web.refused(changed):
            # this device stays signed in, with the new session token in its cookie
            login_user(current_user._get_current_object())
            flash("Your new password is saved. Other devices are signed out.", "success")
            return redirect(_start_page(), code=303)
    page = render_template("auth/change_password.html", form=form, form_hint=NEW_PASSWORD_HINT)
    return page, 400 if form.errors else 200


def _use_link(token: str, purpose: str, password: str):
    """Choose a password through an emailed link, logged as done by the account's owner."""
    organiser = services.use_link(token, purpose, password)
    done = "joined" if purpose == INVITE else "password chosen from an emailed link"
    return services.logged(organiser, done, actor=audit.THE_PERSON)


def _change_password(form) -> None:
    """Change the signed-in person's password, and log that it changed (never what to)."""
    services.change_password(current_user, form.current.data, form.password.data)
    services.logged(current_user, "password changed")


def _start_page() -> str:
    """Each role's own start page."""
    return url_for("organise.dashboard" if current_user.is_organiser else "checkin.events")
