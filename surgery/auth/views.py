"""Signing organisers in and out, and the people who may sign in: organisers and door logins."""

import hmac
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from surgery import limits, web
from surgery.auth import services
from surgery.auth.access import organiser_required
from surgery.auth.forms import DoorLoginForm, InviteForm, LoginForm
from surgery.auth.models import DOOR, ORGANISER, Organiser
from surgery.domain.errors import NotFound
from surgery.extensions import db, login_manager

bp = Blueprint("auth", __name__)

# GET,POST  /login                                 login
# POST      /logout                                logout
# GET,POST  /organise/organisers                   organisers (invite a co-organiser)
# GET,POST  /organise/door-logins                  door_logins (invite, or give a password)
# POST      /organise/door-logins/<id>/remove      remove_door_login


@login_manager.user_loader
def load_organiser(user_id: str) -> Organiser | None:
    """Flask-Login's lookup of the signed-in organiser: the id and the session token must
    both match, so a cookie from before a sign-out or a new password signs nobody in."""
    organiser_id, _, token = user_id.partition(":")
    if not organiser_id.isdigit() or not token:
        return None
    organiser = db.session.get(Organiser, int(organiser_id))
    if organiser is None or not hmac.compare_digest(organiser.session_token, token):
        return None
    return organiser


@bp.route("/login", methods=["GET", "POST"])
@limits.sign_in
def login():
    """Sign in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        organiser = services.authenticate(form.email.data, form.password.data)
        if organiser:
            login_user(organiser)
            return redirect(_safe_next(request.args.get("next")), code=303)
        form.password.errors.append("That email and password do not match. Try again.")
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.post("/logout")
@login_required
def logout():
    """Sign out, on every device: copies of the session cookie stop working."""
    web.run(lambda: services.sign_out(current_user))
    logout_user()
    flash("You are signed out.", "success")
    return redirect(url_for("events.upcoming"), code=303)


def _safe_next(target: str | None) -> str:
    """Only follow a 'next' address on this site; else each role's own start page.

    Browsers read a backslash as a slash, so "/\\evil.example" would leave the site too.
    """
    if (
        target
        and not urlsplit(target).netloc
        and target.startswith("/")
        and "//" not in target
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return url_for("organise.dashboard" if current_user.is_organiser else "checkin.events")


@bp.route("/organise/organisers", methods=["GET", "POST"])
@organiser_required
def organisers():
    """The organisers, and an invite by email for a new one."""
    form = InviteForm()
    if form.validate_on_submit() and _invite(form, ORGANISER):
        flash(f"We have emailed {form.name.data} an invite to join as an organiser.", "success")
        return redirect(url_for(".organisers"), code=303)
    people = services.organisers()
    page = render_template(
        "auth/organisers.html", form=form, people=people, waiting=services.waiting_to_join(people)
    )
    return page, 400 if form.errors else 200


@bp.route("/organise/door-logins", methods=["GET", "POST"])
@organiser_required
def door_logins():
    """Give door volunteers a login that can only check people in: by an emailed invite,
    or with a password given to them in person."""
    form = DoorLoginForm()
    if form.validate_on_submit():
        if not form.password.data and _invite(form, DOOR):
            flash(f"We have emailed {form.name.data} an invite to choose a password.", "success")
            return redirect(url_for(".door_logins"), code=303)
        if form.password.data and _create_door_login(form):
            flash(f"{form.name.data} can now sign in to check people in.", "success")
            return redirect(url_for(".door_logins"), code=303)
    door = services.door_logins()
    waiting = services.waiting_to_join(door)
    page = render_template("auth/door_logins.html", form=form, door=door, waiting=waiting)
    return page, 400 if form.errors else 200


def _invite(form, role: str) -> bool:
    """Invite the person on the form; True if it went through, else the error is on the form."""
    secret, by = current_app.secret_key, current_user.name
    return _on_form(
        form,
        lambda: services.logged(
            services.invite(form.email.data, form.name.data, role, secret, by), "invited"
        ),
    )


def _create_door_login(form) -> bool:
    """Make the door login with the password on the form; True if it went through."""
    return _on_form(
        form,
        lambda: services.logged(
            services.create(form.email.data, form.name.data, form.password.data, role=DOOR),
            "created with a password",
        ),
    )


def _on_form(form, change) -> bool:
    """Run a change and commit it; if refused, roll back and show why by the email field."""
    return not web.refused(web.run(change, form.email.errors))


@bp.post("/organise/door-logins/<int:login_id>/remove")
@organiser_required
def remove_door_login(login_id: int):
    """Take a door login away, say when a tablet goes missing or the day is over."""
    try:
        login = web.run(lambda: services.logged(services.remove_door_login(login_id), "removed"))
    except NotFound:
        abort(404)
    flash(f"{login.name}’s door login is removed. It no longer signs in.", "success")
    return redirect(url_for(".door_logins"), code=303)
