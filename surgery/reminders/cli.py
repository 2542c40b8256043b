"""`flask remind`: queue the reminders and follow-ups that are due, once (for cron); the
mail worker runs the same round every few minutes."""

import datetime as dt

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from surgery import web
from surgery.database import utcnow
from surgery.extensions import db
from surgery.reminders import services
from surgery.retention.cli import _moment


def remind_round(now: dt.datetime | None = None) -> services.Queued:
    """Queue what is due on every day, each day committed on its own."""
    now = now or utcnow()
    reminding, following = services.days_to_remind(now), services.days_to_follow_up(now)
    db.session.rollback()  # the look-ups read without locks: each day is decided afresh
    total = services.Queued()
    days = [(services.remind_day, e) for e in reminding]
    days += [(services.follow_up_day, e) for e in following]
    for queue, event_id in days:
        try:
            done = web.run(lambda q=queue, e=event_id: q(e, now), _quiet)
        except sa.exc.IntegrityError:  # the unique rows held: another worker queued them
            db.session.rollback()
            continue
        if isinstance(done, services.Queued):
            total.add(done)
    return total


def _quiet(_error) -> None:
    """A day refused (changed meanwhile) is tried again next round."""


def words(queued: services.Queued) -> str:
    """What a round queued, in a line."""
    return (
        f"Queued {queued.reminders} reminders, {queued.surgeons} surgeon reminders, "
        f"{queued.follow_ups} follow-ups."
    )


@click.command("remind")
@click.option(
    "--now",
    "when",
    default=None,
    help="Queue what is due at this moment (ISO 8601, e.g. 2027-03-01T09:00+00:00) "
    "instead of the present.",
)
@with_appcontext
def remind_command(when: str | None) -> None:
    """Queue the reminders and follow-ups that are due, then stop (the mail worker or
    `flask mail send` sends them)."""
    click.echo(words(remind_round(_moment(when) if when else utcnow())))
