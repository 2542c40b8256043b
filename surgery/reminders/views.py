"""The reminder's two links and the follow-up's form: each opens a page, and only its
button (a POST with its CSRF token) records anything."""

from flask import Blueprint, abort, render_template

from surgery import limits, web
from surgery.database import utcnow
from surgery.domain import reminders as rules
from surgery.domain.errors import NotFound
from surgery.reminders import answers
from surgery.reminders.forms import AnswerForm, FollowUpForm

bp = Blueprint("reminders", __name__)

# GET,POST  /reminders/<id>/still-coming/<token>   still_coming
# GET,POST  /reminders/<id>/cannot-come/<token>    cannot_come
# GET,POST  /follow-up/<id>/<token>                follow_up


@bp.route("/reminders/<int:id>/still-coming/<token>", methods=["GET", "POST"])
@limits.public_form
def still_coming(id: int, token: str):
    """Are you still coming? Yes: recorded, and the place stays as it is."""
    return _answer(id, token, rules.COMING, answers.still_coming)


@bp.route("/reminders/<int:id>/cannot-come/<token>", methods=["GET", "POST"])
@limits.public_form
def cannot_come(id: int, token: str):
    """Can't come any more: the place goes to the next person on the waiting list."""
    return _answer(id, token, rules.RELEASE, answers.release)


def _answer(reminder_id: int, token: str, purpose: str, record):
    """The confirmation page; its button records the answer."""
    try:
        reminder, booking = answers.reminder_for(reminder_id, purpose, token)
    except NotFound:
        abort(404)
    form, errors = AnswerForm(), []
    done = False
    if form.validate_on_submit():
        done = web.run(lambda: record(reminder, booking, utcnow()), errors) is not web.REFUSED
    page = render_template(
        "reminders/answer.html",
        purpose=purpose,
        booking=booking,
        event=booking.session.event,
        form=form,
        done=done,
        errors=errors,
    )
    return page, 400 if errors else 200


@bp.route("/follow-up/<int:id>/<token>", methods=["GET", "POST"])
@limits.public_form
def follow_up(id: int, token: str):
    """Have you used what you learned? Kept without a name; shared only if they agree."""
    try:
        asked = answers.follow_up_for(id, token)
    except NotFound:
        abort(404)
    form = FollowUpForm()
    if asked.answered_at is None and form.validate_on_submit():
        data = form.used.data, form.words.data or "", form.share.data
        web.run(lambda: answers.answer_follow_up(asked, *data, utcnow()))
    page = render_template("reminders/follow_up.html", form=form, asked=asked)
    return page, 400 if form.errors else 200
