"""Signing organisers in and out."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from surgery import limits
from surgery.auth import services
from surgery.auth.access import organiser_required
from surgery.auth.forms import DoorLoginForm, LoginForm
from surgery.auth.models import DOOR, Organiser
from surgery.domain.errors import DomainError, NotFound
from surgery.extensions import db, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_organiser(organiser_id: str) -> Organiser | None:
    """Flask-Login's lookup of the signed-in organiser."""
    return db.session.get(Organiser, int(organiser_id)) if organiser_id.isdigit() else None


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
    """Sign out."""
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


@bp.route("/organise/door-logins", methods=["GET", "POST"])
@organiser_required
def door_logins():
    """Give door volunteers a login that can only check people in."""
    form = DoorLoginForm()
    if form.validate_on_submit():
        try:
            services.create(form.email.data, form.name.data, form.password.data, role=DOOR)
        except DomainError as error:
            db.session.rollback()
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"{form.name.data} can now sign in to check people in.", "success")
            return redirect(url_for(".door_logins"), code=303)
    page = render_template("auth/door_logins.html", form=form, door=services.door_logins())
    return page, 400 if form.errors else 200


@bp.post("/organise/door-logins/<int:login_id>/remove")
@organiser_required
def remove_door_login(login_id: int):
    """Take a door login away, say when a tablet goes missing or the day is over."""
    try:
        login = services.remove_door_login(login_id)
    except NotFound:
        abort(404)
    db.session.commit()
    flash(f"{login.name}’s door login is removed. It no longer signs in.", "success")
    return redirect(url_for(".door_logins"), code=303)
