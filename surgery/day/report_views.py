"""After the day: the day in numbers, and feedback from people who came."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from surgery import limits, web
from surgery.auth.access import organiser_required
from surgery.bookings.services import registration_for_token
from surgery.confirm import ask_first
from surgery.day import previews, services
from surgery.day.forms import FeedbackForm
from surgery.domain.errors import NotFound
from surgery.events.models import Event
from surgery.extensions import db
from surgery.reminders.overview import follow_up_numbers
from surgery.retention import services as retention

bp = Blueprint("day_reports", __name__)

# GET       /organise/events/<id>/numbers             numbers
# POST      /organise/events/<id>/feedback-requests   ask_for_feedback
# GET,POST  /feedback/<token>                         feedback (the link in the email)


@bp.get("/organise/events/<int:event_id>/numbers")
@organiser_required
def numbers(event_id: int):
    """People helped, walk-ins, no-shows, surgeon hours, who came and what they asked for."""
    event = db.get_or_404(Event, event_id)
    return render_template(
        "day/numbers.html",
        event=event,
        numbers=retention.day_numbers(event),
        removed=retention.done(event.id),
        feedback=services.shared_feedback(event),
        asked=services.feedback_asked(event),
        follow_up=follow_up_numbers(event.id),
    )


@bp.post("/organise/events/<int:event_id>/feedback-requests")
@organiser_required
def ask_for_feedback(event_id: int):
    """Email everyone who came and was not asked yet a 'what did you learn?' link, after
    asking once."""
    event = db.get_or_404(Event, event_id)
    back = url_for(".numbers", event_id=event.id)
    if asking := ask_first(lambda: previews.asking_for_feedback(event), back):
        return asking
    count = web.run(lambda: services.request_feedback(event))
    if count:
        flash(f"Asked {_people(count)} what they learned.", "success")
    else:
        flash("Nobody new to ask: everyone who came and gave an email has been asked.", "info")
    return redirect(url_for(".numbers", event_id=event.id), code=303)


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


@bp.route("/feedback/<token>", methods=["GET", "POST"])
@limits.public_form
def feedback(token: str):
    """What did you learn? An optional answer, shared without a name only if agreed."""
    try:
        registration = registration_for_token(token)
    except NotFound:
        abort(404)
    if registration.checked_in_at is None:
        abort(404)
    form = FeedbackForm()
    if form.validate_on_submit():
        web.run(
            lambda: services.save_feedback(
                registration, form.learned.data, form.share_publicly.data
            )
        )
        return render_template("day/feedback.html", registration=registration, form=None)
    page = render_template("day/feedback.html", registration=registration, form=form)
    return page, 400 if form.errors else 200
