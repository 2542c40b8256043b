"""`flask mail send` and `flask mail worker`."""

import logging
import signal
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from surgery import collector
from surgery.extensions import db
from surgery.mail.outbox import BATCH, retry_now, send_due
from surgery.reminders.cli import remind_round, words
from surgery.retention.cli import purge_round

logger = logging.getLogger(__name__)


@click.group("mail")
def mail_group() -> None:
    """Send the mail in the outbox."""


@mail_group.command("send")
@click.option(
    "--now", is_flag=True, help="Do not wait out the retry back-off: try every queued message."
)
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=BATCH,
    show_default=True,
    help="Messages sent over one connection (claimed a few at a time, each recorded as sent "
    "as soon as the server takes it).",
)
@with_appcontext
def send_command(now: bool, batch: int) -> None:
    """Send every message that is due now, then stop."""
    if now:
        waiting = retry_now()
        db.session.commit()
        click.echo(f"{waiting} waiting to be retried, now due.")
    totals = _drain(batch)
    click.echo(f"Sent {totals[0]}, will retry {totals[1]}, failed {totals[2]}.")


@mail_group.command("worker")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between looks.")
@with_appcontext
def worker_command(interval: float) -> None:
    """Keep sending what is due, queuing reminders and removing personal data when due,
    until stopped (Ctrl+C or SIGTERM)."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo("Mail worker started.")
    purged_at = reminded_at = None
    try:
        while not stopping:
            reminded_at = _remind_if_time(reminded_at)
            sent, retrying, failed = _drain()
            if sent or retrying or failed:
                click.echo(f"Sent {sent}, will retry {retrying}, failed {failed}.")
            purged_at = _purge_if_time(purged_at)
            collector.collect_due()  # one app context for the whole loop: collect per round
            _sleep(interval, stopping)
    except KeyboardInterrupt:
        pass
    click.echo("Mail worker stopped.")


def _drain(batch: int = BATCH) -> tuple[int, int, int]:
    """Send batches until nothing is due; return the totals."""
    totals = [0, 0, 0]
    while True:
        report = send_due(batch)
        for i, ids in enumerate((report.sent, report.retrying, report.failed)):
            totals[i] += len(ids)
        if not (report.sent or report.retrying or report.failed or report.dropped):
            return totals[0], totals[1], totals[2]
        if report.retrying and not report.sent:
            return totals[0], totals[1], totals[2]  # the server is down: wait, don't spin


def _purge_if_time(last: float | None) -> float | None:
    """Remove the personal data that is due, at most once every PURGE_INTERVAL_SECONDS;
    return when it last ran. A failure is logged and tried again next time."""
    interval = current_app.config["PURGE_INTERVAL_SECONDS"]
    if interval <= 0 or (last is not None and time.monotonic() - last < interval):
        return last
    try:
        for day in purge_round():
            click.echo(f"Day {day.event_id}: removed {day.words()}.")
    except Exception:  # the mail must keep going whatever a purge meets
        db.session.rollback()
        logger.exception("removing personal data failed")
        click.echo("Removing personal data failed; it will be tried again.", err=True)
    return time.monotonic()


def _remind_if_time(last: float | None) -> float | None:
    """Queue the reminders and follow-ups that are due, at most once every
    REMINDER_INTERVAL_SECONDS (sent with the rest of the outbox); return when it last ran."""
    interval = current_app.config["REMINDER_INTERVAL_SECONDS"]
    if interval <= 0 or (last is not None and time.monotonic() - last < interval):
        return last
    try:
        queued = remind_round()
        if queued.reminders or queued.surgeons or queued.follow_ups:
            click.echo(words(queued))
    except Exception:  # the mail must keep going whatever a round meets
        db.session.rollback()
        logger.exception("queuing reminders failed")
        click.echo("Queuing reminders failed; it will be tried again.", err=True)
    return time.monotonic()


def _sleep(seconds: float, stopping: list) -> None:
    """Sleep in short steps so a stop request is noticed quickly."""
    deadline = time.monotonic() + seconds
    while not stopping and time.monotonic() < deadline:
        time.sleep(0.1)
