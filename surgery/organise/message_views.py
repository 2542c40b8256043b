"""Emailing a day's people: write, preview, then send once. Every page needs a signed-in
organiser."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from surgery import web
from surgery.auth.access import organiser_required
from surgery.domain import day_messages as rules
from surgery.events.models import Event
from surgery.extensions import db
from surgery.organise import messages
from surgery.organise.message_forms import DayMessageForm

bp = Blueprint("day_messages", __name__, url_prefix="/organise/events/<int:event_id>")

# GET,POST  /organise/events/<id>/message    write: the form, its preview, and Send
# (only the preview's "Send to N people" button sends, with the number it showed)


@bp.before_request
@organiser_required
def require_login():
    """Every page here needs a signed-in organiser."""


@bp.route("/message", methods=["GET", "POST"])
def write(event_id: int):
    """The form; with Preview, the email as people will get it and how many will; with
    Send, the message queued to each of them once."""
    event = db.get_or_404(Event, event_id)
    if messages.nobody_left(event.id):
        return render_template("organise/message_form.html", event=event, form=None, rules=rules)
    form = DayMessageForm(event)
    if request.method == "GET":
        form.new_key()
        return _form_page(event, form)
    if not form.validate_on_submit():
        return _form_page(event, form), 400
    step = request.form.get("step")
    if step == "change":
        return _form_page(event, form)
    notice = None
    if step == "send" and form.given_key() and form.shown_count() is not None:
        refusal: list[str] = []
        result = web.run(
            lambda: messages.send(event.id, form.draft(), form.shown_count(), form.given_key()),
            refusal,
        )
        if not web.refused(result):
            return _sent(event, *result)
        notice = refusal[0]
        event = db.get_or_404(Event, event_id)
    return _preview(event, form, notice)


def _form_page(event: Event, form: DayMessageForm):
    """The form as typed so far."""
    return render_template("organise/message_form.html", event=event, form=form, rules=rules)


def _preview(event: Event, form: DayMessageForm, notice: str | None = None):
    """The email as the first person will get it, and the number of people who will."""
    draft = form.draft()
    found = messages.who(event.id, draft.audiences)
    form.shown.data = str(found.count)
    if form.given_key() is None:
        form.new_key()
    return render_template(
        "organise/message_preview.html",
        event=event,
        form=form,
        draft=draft,
        found=found,
        sentence=rules.count_sentence(found),
        sample=messages.sample(event, found, draft) if found.count else None,
        notice=notice,
        rules=rules,
    )


def _sent(event: Event, message, new: bool):
    """Back to the day's page, saying how many it went to."""
    people = rules.people(message.sent_count)
    if new:
        flash(f"Your message is on its way to {people}.", "success")
    else:
        flash(f"This message was sent already, to {people}. Nobody gets it twice.", "success")
    return redirect(url_for("organise.event", event_id=event.id), code=303)
