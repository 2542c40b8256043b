"""The organisers' view of the outbox: queued, sent and failed mail, and resending."""

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, request, url_for

from surgery.auth.access import organiser_required
from surgery.events.models import Event
from surgery.extensions import db
from surgery.mail import outbox
from surgery.mail.models import STATUSES, OutboxMessage, day_of_message
from surgery.web import press

bp = Blueprint("outbox", __name__, url_prefix="/organise/outbox")
PAGE_SIZE = 200


@bp.before_request
@organiser_required
def require_login():
    """Only organisers see the outbox."""


@bp.get("/")
def index():
    """Messages newest first, filtered by status (and by the day they are about, from the
    dashboard), with counts of each."""
    status = request.args.get("status", "")
    messages = OutboxMessage.status.in_(STATUSES)  # not look-ups waiting to be answered
    day = _day(request.args.get("day", type=int))
    if day is not None:
        messages = sa.and_(messages, day_of_message() == day.id)
    query = sa.select(OutboxMessage).where(messages)
    query = query.order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE)
    if status in STATUSES:
        query = query.where(OutboxMessage.status == status)
    counts = dict(
        db.session.execute(
            sa.select(OutboxMessage.status, sa.func.count())
            .where(messages)
            .group_by(OutboxMessage.status)
        ).all()
    )
    return render_template(
        "mail/outbox.html",
        messages=db.session.scalars(query).all(),
        counts=counts,
        statuses=STATUSES,
        status=status,
        day=day,
    )


def _day(day_id: int | None) -> Event | None:
    """The day asked for, if there is one (a bad or far-off id is no filter)."""
    if day_id is None or not 0 < day_id < 2**31:
        return None
    return db.session.get(Event, day_id)


@bp.post("/<int:message_id>/resend")
def resend(message_id: int):
    """Queue a message again now: it is written afresh, its invite as things are then."""
    message = db.get_or_404(OutboxMessage, message_id)
    if message.status not in STATUSES:  # a look-up, not a message
        abort(404)
    press(lambda: outbox.resend(message), f"Message to {message.to_address} queued again.")
    back = {name: request.args.get(name) for name in ("status", "day") if request.args.get(name)}
    return redirect(url_for(".index", **back), code=303)
