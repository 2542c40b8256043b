"""How long data is kept: what is due for removal, the settings, removing now, privacy."""

from dataclasses import asdict

from flask import Blueprint, flash, redirect, render_template, url_for

from surgery import web
from surgery.audit import log
from surgery.auth.access import organiser_required
from surgery.confirm import ask_first
from surgery.database import utcnow
from surgery.domain import audit, retention
from surgery.events.models import Event
from surgery.extensions import db
from surgery.retention import previews, services
from surgery.retention.forms import RetentionForm

bp = Blueprint("retention", __name__)

# GET       /organise/retention                            due
# GET,POST  /organise/retention/settings                   settings
# POST      /organise/events/<id>/remove-personal-data     remove_now (asks first)
# GET       /privacy                                       privacy


@bp.get("/organise/retention")
@organiser_required
def due():
    """Every day still holding personal data: what goes when, and how many people."""
    days = services.held()
    log.viewed(audit.VIEWED_DUE)
    return render_template(
        "retention/due.html",
        days=days,
        people=previews.people([d.event.id for d in days]),
        periods=services.settings(),
        now=utcnow(),
        what_goes=retention.WHAT_GOES,
    )


@bp.route("/organise/retention/settings", methods=["GET", "POST"])
@organiser_required
def settings():
    """Shorten how long each kind of data is kept."""
    current = services.settings()
    form = RetentionForm(data=asdict(current))  # what was sent, when it was sent
    if form.validate_on_submit():
        done = web.run(lambda: services.save_settings(form.periods()), form.sensitive_days.errors)
        if not web.refused(done):
            flash(
                "Saved. The privacy page and the removal dates now follow these periods.", "success"
            )
            return redirect(url_for(".due"), code=303)
    page = render_template(
        "retention/settings.html", form=form, defaults=retention.DEFAULTS, current=current
    )
    return page, 400 if form.errors else 200


@bp.post("/organise/events/<int:event_id>/remove-personal-data")
@organiser_required
def remove_now(event_id: int):
    """Remove a past day's personal data at once, after saying what will go."""
    event = db.get_or_404(Event, event_id)
    back = url_for(".due")
    now = utcnow()
    if asking := ask_first(lambda: previews.removing_now(event, now), back):
        return asking
    removed = web.run(lambda: services.remove_now(event.id, now))
    if removed:
        flash(f"Removed from {event.title}: {removed.words()}.", "success")
    elif not web.refused(removed):
        flash("Nothing to remove: this day's personal data has already been removed.", "info")
    return redirect(back, code=303)


@bp.get("/privacy")
def privacy():
    """What is kept, why, for how long and who sees it: from the settings in force."""
    periods = services.settings()
    return render_template(
        "retention/privacy.html",
        periods=periods,
        sensitive=retention.period_words(periods.sensitive_days),
        identity=retention.period_words(periods.identity_days),
    )
