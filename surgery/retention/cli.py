"""`flask purge`: remove the personal data that is due, once (for cron); the mail worker
runs the same round every few minutes."""

import datetime as dt

import click
from flask.cli import with_appcontext

from surgery import web
from surgery.database import utcnow
from surgery.extensions import db
from surgery.retention import services


def purge_round(now: dt.datetime | None = None) -> list[services.Removal]:
    """Remove what is due on every day, each day committed on its own."""
    now = now or utcnow()
    ids = services.days_due(now)
    db.session.rollback()  # the look-up read without locks: start each day afresh
    done = []
    for event_id in ids:
        removed = web.run(lambda event_id=event_id: services.purge_day(event_id, now), _quiet)
        if removed:
            done.append(removed)
    web.run(lambda: services.purge_subscribers(now), _quiet)
    return done


def _quiet(_error) -> None:
    """A day refused (changed meanwhile) is tried again next round."""


@click.command("purge")
@click.option(
    "--now",
    "when",
    default=None,
    help="Remove what is due at this moment (ISO 8601, e.g. 2027-03-01T09:00+00:00) "
    "instead of the present.",
)
@with_appcontext
def purge_command(when: str | None) -> None:
    """Remove the personal data that is due, then stop."""
    now = _moment(when) if when else utcnow()
    removed = purge_round(now)
    for day in removed:
        click.echo(f"Day {day.event_id}: removed {day.words()}.")
    click.echo(f"{len(removed)} day{'' if len(removed) == 1 else 's'} with data removed.")


def _moment(text: str) -> dt.datetime:
    """An ISO 8601 moment, UTC if it names no offset."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as error:
        raise click.BadParameter(f"not a date and time: {text!r}", param_hint="--now") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
