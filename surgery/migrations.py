"""Flask-Migrate, loaded when migrations are first asked for rather than with every app.

Flask-Migrate imports alembic (and through it mako, pygments and every SQL dialect alembic
knows), about 9 MB of each web worker's memory, which serving pages never uses. The app
gets a stand-in for Flask-Migrate's entry in app.extensions and a `flask db` command group;
the first use of either sets up Flask-Migrate for real and hands over to it.
"""

from pathlib import Path

import click
from flask import Flask, g
from flask.cli import with_appcontext

from surgery.extensions import db

DIRECTORY = str(Path(__file__).resolve().parent.parent / "migrations")


def register(app: Flask) -> None:
    """Make `flask db …` and flask_migrate's functions (upgrade…) work on this app."""
    app.extensions["migrate"] = _OnFirstUse(app)
    app.cli.add_command(commands)


def set_up(app: Flask):
    """Bind Flask-Migrate to the app now (once); its entry in app.extensions."""
    if isinstance(app.extensions.get("migrate"), _OnFirstUse):
        from flask_migrate import Migrate

        Migrate().init_app(app, db, directory=DIRECTORY, render_as_batch=True)
    return app.extensions["migrate"]


class _OnFirstUse:
    """Stands in app.extensions["migrate"] until Flask-Migrate's own entry is needed."""

    def __init__(self, app: Flask) -> None:
        self._app = app

    def __getattr__(self, name: str):
        return getattr(set_up(self._app), name)


class _Commands(click.Group):
    """Flask-Migrate's commands, imported when one is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return _real_commands().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return _real_commands().get_command(ctx, name)


def _real_commands() -> click.Group:
    """Flask-Migrate's command group."""
    from flask_migrate.cli import db as real

    return real


# the options and the setting of g of Flask-Migrate's own group, which its commands read
@click.group("db", cls=_Commands)
@click.option("-d", "--directory", default=None, help="Migration script directory.")
@click.option("-x", "--x-arg", multiple=True, help="Arguments for a custom env.py.")
@with_appcontext
def commands(directory, x_arg) -> None:
    """Perform database migrations (Flask-Migrate)."""
    g.directory = directory
    g.x_arg = x_arg
