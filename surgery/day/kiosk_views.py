"""Kiosk mode: a tablet locked to one event's walk-in page until an organiser signs in."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_user, logout_user

from surgery import limits, web
from surgery.auth import services as accounts
from surgery.auth.access import organiser_required
from surgery.auth.forms import LoginForm
from surgery.day import services, waits
from surgery.day.forms import WalkInForm
from surgery.domain.tokens import is_form_key, new_form_key
from surgery.events.models import Event
from surgery.extensions import db
from surgery.vocabulary import services as vocabulary

bp = Blueprint("kiosk", __name__)
KIOSK_KEY = "kiosk_event"
ALLOWED = {"kiosk.page", "kiosk.leave", "static", "retention.privacy"}  # the form links to it

# POST      /organise/events/<id>/kiosk     start (an organiser turns this device into a kiosk)
# GET,POST  /kiosk                          page (the walk-in form)
# GET,POST  /kiosk/exit                     leave (an organiser signs in to leave)


@bp.before_app_request
def stay_in_kiosk():
    """A kiosk device sees only the walk-in page until an organiser signs in to leave."""
    if session.get(KIOSK_KEY) and request.endpoint not in ALLOWED:
        return redirect(url_for("kiosk.page"))
    return None


@bp.post("/organise/events/<int:event_id>/kiosk")
@organiser_required
def start(event_id: int):
    """Turn this device into the event's walk-in kiosk; the organiser is signed out."""
    event = db.get_or_404(Event, event_id)
    if not event.is_published:
        abort(404)
    logout_user()
    session[KIOSK_KEY] = event.id
    return redirect(url_for(".page"), code=303)


@bp.route("/kiosk", methods=["GET", "POST"])
@limits.kiosk
def page():
    """Register and check in a walk-in with one submit."""
    event = db.session.get(Event, session.get(KIOSK_KEY) or 0)
    if event is None:
        abort(404)
    if not event.is_published:  # cancelled (or taken off the list) since the kiosk started
        page = render_template("day/kiosk.html", event=event, form=None, wait=None)
        return page, 409 if request.method == "POST" else 200
    form = WalkInForm()
    form.set_vocabularies(*vocabulary.offered())
    if request.method == "GET":
        form.create_key.data = new_form_key()
    if form.validate_on_submit():
        key = form.create_key.data if is_form_key(form.create_key.data) else None
        walk_in = form.walk_in()
        done = web.run(
            lambda: services.register_walk_in(event.id, walk_in, current_app.secret_key, key),
            form.name.errors,
        )
        if not web.refused(done):
            # the name as typed: a shared screen never shows what is stored for an email
            flash(waits.kiosk_welcome(event, done, form.name.data.strip()))
            return redirect(url_for(".page"), code=303)
    page = render_template("day/kiosk.html", event=event, form=form, wait=waits.at_kiosk(event))
    return page, 400 if form.errors else 200


@bp.route("/kiosk/exit", methods=["GET", "POST"])
@limits.sign_in
def leave():
    """Leave kiosk mode: only an organiser's sign-in unlocks the device."""
    form = LoginForm()
    if form.validate_on_submit():
        organiser = accounts.authenticate(form.email.data, form.password.data)
        if organiser and organiser.is_organiser:
            event_id = session.pop(KIOSK_KEY, None)
            login_user(organiser)
            target = url_for("checkin.page", event_id=event_id) if event_id else "/organise/"
            return redirect(target, code=303)
        form.password.errors.append("Only an organiser can leave kiosk mode.")
    return render_template("day/kiosk_exit.html", form=form), 400 if form.errors else 200
