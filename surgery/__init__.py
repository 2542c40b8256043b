"""Surgery: run social media surgeries."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from surgery import (
    collector,
    config,
    database,
    errors,
    gate,
    headers,
    limits,
    migrations,
    request_guard,
    templating,
)
from surgery.extensions import csrf, db, login_manager
from surgery.extensions import mail as mail_extension
from surgery.mail import sender
from surgery.page_cache import PageCache
from surgery.routing import IdConverter


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    config.load(app, test_config)
    collector.install(app)
    app.url_map.converters["int"] = IdConverter
    register_extensions(app)
    register_blueprints(app)
    limits.init_app(app)
    request_guard.register(app)
    errors.register(app)
    headers.register(app)
    sender.register(app)
    gate.register(app)
    templating.register(app)
    register_commands(app)
    if app.config["PAGE_CACHE_SECONDS"] > 0:
        app.wsgi_app = PageCache(app.wsgi_app, app.config["PAGE_CACHE_SECONDS"])
    if (proxies := app.config["PROXY_FIX"]) > 0:
        # outermost, so the page cache sees the host and scheme the visitor used
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    return app


def register_extensions(app: Flask) -> None:
    """Bind every extension to this app."""
    db.init_app(app)
    database.init_engine(app)
    migrations.register(app)  # Flask-Migrate itself is loaded when first used
    mail_extension.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    from surgery.day import changes  # the day's change counter, bumped on commit

    changes.install()


def register_blueprints(app: Flask) -> None:
    """Mount each area's URLs."""
    from surgery.audit.views import bp as audit_bp
    from surgery.auth.password_views import bp as passwords_bp
    from surgery.auth.views import bp as auth_bp
    from surgery.bookings.views import bp as bookings_bp
    from surgery.day.arrival_views import bp as arrival_bp
    from surgery.day.checkin_views import bp as checkin_bp
    from surgery.day.floor_views import bp as floor_bp
    from surgery.day.kiosk_views import bp as kiosk_bp
    from surgery.day.live import bp as live_bp
    from surgery.day.report_views import bp as reports_bp
    from surgery.events.views import bp as events_bp
    from surgery.feeds.views import bp as feeds_bp
    from surgery.learned.organiser_views import bp as learned_organise_bp
    from surgery.learned.views import bp as learned_bp
    from surgery.mail.views import bp as outbox_bp
    from surgery.matching.views import bp as matching_bp
    from surgery.organise.download_views import bp as downloads_bp
    from surgery.organise.message_views import bp as day_messages_bp
    from surgery.organise.series_views import bp as series_bp
    from surgery.organise.views import bp as organise_bp
    from surgery.personal.views import bp as personal_bp
    from surgery.reminders.views import bp as reminders_bp
    from surgery.retention.views import bp as retention_bp
    from surgery.sharing.views import bp as sharing_bp
    from surgery.subscriptions.views import bp as subscriptions_bp
    from surgery.surgeons.organiser_views import bp as surgeon_admin_bp
    from surgery.surgeons.views import bp as surgeons_bp
    from surgery.vocabulary.views import bp as vocabulary_bp

    public = (events_bp, bookings_bp, feeds_bp, surgeons_bp, kiosk_bp, reports_bp, personal_bp)
    public += (reminders_bp, sharing_bp, subscriptions_bp, learned_bp)
    accounts = (auth_bp, passwords_bp)
    organisers = (organise_bp, downloads_bp, vocabulary_bp, outbox_bp, surgeon_admin_bp)
    organisers += (matching_bp, retention_bp, audit_bp, series_bp, learned_organise_bp)
    organisers += (day_messages_bp,)
    on_the_day = (checkin_bp, floor_bp, arrival_bp, live_bp)
    for bp in public + accounts + organisers + on_the_day:
        app.register_blueprint(bp)


def register_commands(app: Flask) -> None:
    """Add the flask commands (demo data, organisers)."""
    from surgery.cli import demo_command, organisers
    from surgery.mail.cli import mail_group
    from surgery.reminders.cli import remind_command
    from surgery.retention.cli import purge_command

    app.cli.add_command(demo_command)
    app.cli.add_command(remind_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(organisers)
    app.cli.add_command(mail_group)
