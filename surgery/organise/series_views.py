"""Organiser pages: copy a day, make a series of days, delete a draft day or a session."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from surgery import web
from surgery.auth.access import organiser_required
from surgery.confirm import ask_first
from surgery.domain import series as rules
from surgery.domain.asking import WhatHappens, nothing_to_do
from surgery.domain.errors import DomainError
from surgery.events.models import Event, EventSession
from surgery.extensions import db
from surgery.organise import series
from surgery.organise.series_forms import MONTHLY, CopyForm, SeriesForm

bp = Blueprint("series", __name__, url_prefix="/organise/events/<int:event_id>")

# GET,POST  /organise/events/<id>/copy                       copy
# GET,POST  /organise/events/<id>/series                     make
# POST      /organise/events/<id>/delete                     delete_day (asks first)
# POST      /organise/events/<id>/sessions/<sid>/delete      delete_session (asks first)


@bp.before_request
@organiser_required
def require_login():
    """Only organisers copy and delete days."""


@bp.route("/copy", methods=["GET", "POST"])
def copy(event_id: int):
    """Copy the day, its sessions and places, to a new date, as a draft."""
    event = db.get_or_404(Event, event_id)
    form = CopyForm()
    if form.validate_on_submit():
        made = web.run(lambda: series.copy_day(event, form.day.data), form.day.errors)
        if not web.refused(made):
            flash("Copied as a draft. Check it, then publish it.", "success")
            return redirect(url_for("organise.event", event_id=made.id), code=303)
    page = render_template("organise/copy_day.html", form=form, event=event)
    return page, 400 if form.errors else 200


@bp.route("/series", methods=["GET", "POST"])
def make(event_id: int):
    """Make a draft copy of the day on each date of a series."""
    event = db.get_or_404(Event, event_id)
    form = SeriesForm()
    if form.validate_on_submit():
        made = web.run(lambda: series.make_series(event, _dates(form)), form.until.errors)
        if not web.refused(made):
            said = f"{len(made)} draft days made. Check each, then publish it."
            if len(made) == rules.MOST_DAYS:
                said += f" One series makes at most {rules.MOST_DAYS} days: make another for more."
            flash(said, "success")
            return redirect(url_for("organise.dashboard"), code=303)
    page = render_template(
        "organise/series_form.html", form=form, event=event, most=rules.MOST_DAYS
    )
    return page, 400 if form.errors else 200


def _dates(form: SeriesForm):
    """The series' dates; a refused range becomes the form's error."""
    try:
        if form.repeat.data == MONTHLY:
            return rules.monthly(form.first.data, form.until.data, form.weekday.data, form.nth.data)
        return rules.every_weeks(form.first.data, form.until.data, form.weeks.data or 0)
    except rules.SeriesRefused as refused:
        raise DomainError(str(refused)) from refused


@bp.post("/delete")
def delete_day(event_id: int):
    """Delete a draft day nobody has booked, after asking once."""
    event = db.get_or_404(Event, event_id)
    back = url_for("organise.event", event_id=event.id)
    question = f"Delete {event.title}?"
    done = "The draft day and its sessions will be deleted. This cannot be undone."
    if asked := _ask_before_deleting(question, series.why_not_delete_day(event), done, back):
        return asked
    title = web.run(lambda: series.delete_day(event.id))
    if web.refused(title):
        return redirect(back, code=303)
    flash(f"{title} deleted.", "success")
    return redirect(url_for("organise.dashboard"), code=303)


@bp.post("/sessions/<int:session_id>/delete")
def delete_session(event_id: int, session_id: int):
    """Delete a session nobody has booked, after asking once."""
    session = db.session.get(EventSession, session_id)
    if session is None or session.event_id != event_id:
        abort(404)
    back = url_for("organise.event", event_id=event_id)
    question = f"Delete the session {session.title}?"
    done = "The session will be deleted. Nobody has booked it, so nobody is told."
    if asked := _ask_before_deleting(question, series.why_not_delete_session(session), done, back):
        return asked
    if not web.refused(web.run(lambda: series.delete_session(event_id, session_id))):
        flash(f"Session {session.title} deleted.", "success")
    return redirect(back, code=303)


def _ask_before_deleting(question: str, reason: str | None, done: str, back: str):
    """The page saying why it cannot be deleted (reason) or what deleting does (done);
    None once the organiser said yes."""
    if reason:
        return ask_first(lambda: nothing_to_do(question, reason), back)
    return ask_first(lambda: WhatHappens(question, (done,), frozenset(), "Yes, delete it"), back)
