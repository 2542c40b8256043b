"""Flask commands: demo data and organiser accounts."""

import click
from flask import current_app
from flask.cli import with_appcontext

from surgery import demo
from surgery.auth import services as organisers_service
from surgery.domain.errors import DomainError
from surgery.extensions import db


@click.command("demo")
@click.option("--events", "count", type=int, default=None, help="Make N upcoming events instead.")
@with_appcontext
def demo_command(count: int | None) -> None:
    """Fill an empty database with a past surgery day, a series to come and a demo organiser."""
    if count is not None:
        made = demo.make_many(count)
        db.session.commit()
        click.echo(f"Added {made} events.")
    elif demo.has_events():
        click.echo("The database already has events; demo data not added.")
    else:
        lines = demo.make_showcase()
        db.session.commit()
        click.echo(f"Added {len(lines)} surgery days:")
        for line in lines:
            click.echo(f"  {line}")
    if organisers_service.find(demo.ORGANISER_EMAIL) is not None:
        click.echo(f"Demo organiser: {demo.ORGANISER_EMAIL} / password {demo.ORGANISER_PASSWORD}")
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    click.echo(f"Emails come from {sender}, with replies to the day's organiser.")


@click.group("organisers")
def organisers() -> None:
    """Manage organiser accounts."""


@organisers.command("create")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
@with_appcontext
def create_organiser(email: str, name: str, password: str) -> None:
    """Add an organiser who can sign in."""
    try:
        organisers_service.create(email, name, password)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Organiser {email} created.")
