"""`flask mail send` and `flask mail worker`."""

import signal
import time

import click
from flask.cli import with_appcontext

from surgery import collector
from surgery.extensions import db
from surgery.mail.outbox import BATCH, retry_now, send_due


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
    """Keep sending what is due until stopped (Ctrl+C or SIGTERM)."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo("Mail worker started.")
    try:
        while not stopping:
            sent, retrying, failed = _drain()
            if sent or retrying or failed:
                click.echo(f"Sent {sent}, will retry {retrying}, failed {failed}.")
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
        if not (report.sent or report.retrying or report.failed):
            return totals[0], totals[1], totals[2]
        if report.retrying and not report.sent:
            return totals[0], totals[1], totals[2]  # the server is down: wait, don't spin


def _sleep(seconds: float, stopping: list) -> None:
    """Sleep in short steps so a stop request is noticed quickly."""
    deadline = time.monotonic() + seconds
    while not stopping and time.monotonic() < deadline:
        time.sleep(0.1)
