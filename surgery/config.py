"""Every setting with its default, in one place.

Order of precedence: these defaults, then ``instance/config.py``, then environment
variables (``SURGERY_<NAME>``, plus ``DATABASE_URL``), then a test config.
"""

import contextlib
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit


class Defaults:
    """Defaults that suit `make run` on a fresh machine."""

    SQLALCHEMY_DATABASE_URI = None  # filled in with a SQLite file under instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLITE_BUSY_TIMEOUT_SECONDS = 30
    WTF_CSRF_TIME_LIMIT = None  # a half-filled form must not expire over lunch
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    DEFAULT_TIMEZONE = "Europe/London"
    SITE_NAME = "Social Media Surgery"
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    # the site's own address: From and ORGANIZER of every email (replies go to the day's
    # organiser); unset, it is surgery@ the host of PUBLIC_BASE_URL (see default_sender)
    MAIL_DEFAULT_SENDER = None
    MAIL_SUPPRESS_SEND = False  # Flask-Mail would otherwise send nothing while TESTING
    MAIL_SEND_TIMEOUT_SECONDS = 5  # connecting, and each read or write on the connection
    # each web process sends in a thread of its own after a request queued mail (up to
    # MAIL_AFTER_REQUEST_LIMIT each time); False leaves all sending to `flask mail worker`
    MAIL_SEND_AFTER_REQUEST = True
    MAIL_AFTER_REQUEST_LIMIT = 20
    # ...once no request has begun in the process for this long, or after this long at most
    # (surgery.mail.sender): in a burst of bookings, the answers go first
    MAIL_AFTER_REQUEST_PAUSE_SECONDS = 0.25
    MAIL_AFTER_REQUEST_WAIT_SECONDS = 10
    # a sender that dies holds what it claimed this long; renewed while it sends, so it must
    # outlast one message's exchange with the server (a few MAIL_SEND_TIMEOUT_SECONDS)
    MAIL_LEASE_SECONDS = 60
    MAIL_MAX_ATTEMPTS = 8
    MAIL_OUTBOX_FOLDER = None  # .eml files go to instance/outbox when no MAIL_SERVER
    # the mail worker removes personal data that is due this often; 0 leaves it to
    # `flask purge` (from cron, say)
    PURGE_INTERVAL_SECONDS = 300
    # ...and queues the reminders and follow-ups that are due this often; 0 leaves them to
    # `flask remind` (from cron, say)
    REMINDER_INTERVAL_SECONDS = 300
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"  # every link sent out starts with it
    TRUSTED_HOSTS = None  # e.g. ["surgery.example.org"]: other Host headers get a 400
    PROXY_FIX = 0  # proxies in front whose X-Forwarded-* headers are believed
    PAGE_CACHE_SECONDS = 3.0  # anonymous copies of public pages; 0 turns the cache off
    # an organiser's screen listens for changes this long, then reconnects (a worker thread
    # is held meanwhile), looking at the day's change counter every LIVE_CHECK_SECONDS
    LIVE_STREAM_SECONDS = 25.0
    LIVE_CHECK_SECONDS = 0.5
    # each web process runs one booking at a time (surgery.gate); one that has waited this
    # long for its turn goes ahead anyway
    BOOKING_GATE_WAIT_SECONDS = 5.0
    MAX_CONTENT_LENGTH = 256 * 1024  # the longest form is a few pages of text
    # Rate limits (Flask-Limiter) on the forms anyone can send; see README for the reasons
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"  # one process's memory; redis://… to share them
    RATELIMIT_KEY_PREFIX = "surgery"
    RATELIMIT_SWALLOW_ERRORS = True  # storage down: let people through, never an error page
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SIGN_IN_ACCOUNT = "10 per 15 minutes"  # per email address typed
    RATELIMIT_SIGN_IN_ADDRESS = "30 per 15 minutes"  # per network address
    RATELIMIT_PUBLIC_FORM = "30 per 10 minutes; 200 per day"  # booking, volunteering, feedback
    RATELIMIT_KIOSK = "60 per 10 minutes"  # walk-ins at a kiosk


def yes(value: str) -> bool:
    """An environment switch: 1, true or yes."""
    return value.lower() in {"1", "true", "yes"}


# Settings read from the environment, with the type to convert them to.
ENV_SETTINGS = {
    "SECRET_KEY": str,
    "SITE_NAME": str,
    "DEFAULT_TIMEZONE": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": yes,
    "MAIL_USE_SSL": yes,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_DEFAULT_SENDER": str,
    "MAIL_MAX_ATTEMPTS": int,
    "MAIL_SEND_TIMEOUT_SECONDS": float,
    "MAIL_SEND_AFTER_REQUEST": yes,
    "MAIL_AFTER_REQUEST_PAUSE_SECONDS": float,
    "MAIL_AFTER_REQUEST_WAIT_SECONDS": float,
    "MAIL_LEASE_SECONDS": float,
    "MAIL_OUTBOX_FOLDER": str,
    "PURGE_INTERVAL_SECONDS": float,
    "REMINDER_INTERVAL_SECONDS": float,
    "PUBLIC_BASE_URL": str,
    "PAGE_CACHE_SECONDS": float,
    "LIVE_STREAM_SECONDS": float,
    "LIVE_CHECK_SECONDS": float,
    "BOOKING_GATE_WAIT_SECONDS": float,
    "MAX_CONTENT_LENGTH": int,
    "RATELIMIT_ENABLED": yes,
    "RATELIMIT_STORAGE_URI": str,
    "RATELIMIT_KEY_PREFIX": str,
    "RATELIMIT_SIGN_IN_ACCOUNT": str,
    "RATELIMIT_SIGN_IN_ADDRESS": str,
    "RATELIMIT_PUBLIC_FORM": str,
    "RATELIMIT_KIOSK": str,
    "TRUSTED_HOSTS": lambda v: [h.strip() for h in v.split(",") if h.strip()] or None,
    "PROXY_FIX": int,
}


def load(app, test_config=None):
    """Fill app.config from defaults, instance/config.py, the environment and test_config."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for name, convert in ENV_SETTINGS.items():
        value = os.environ.get(f"SURGERY_{name}")
        if value is not None:
            app.config[name] = convert(value)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ["DATABASE_URL"])
    if test_config:
        app.config.update(test_config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        db_path = Path(app.instance_path) / "surgery.sqlite3"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    if not app.config["MAIL_DEFAULT_SENDER"]:
        app.config["MAIL_DEFAULT_SENDER"] = default_sender(app.config["PUBLIC_BASE_URL"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    if app.config["PUBLIC_BASE_URL"].startswith("https://"):
        # served over TLS: cookies never travel in the clear
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True


def default_sender(public_base_url: str) -> str:
    """surgery@ the site's own domain, so mail comes from where the links go (and passes
    DMARC once that domain's mail is set up); example.org, which is never anyone's, while
    the site runs on an IP address or localhost (as with `make run`)."""
    host = urlsplit(public_base_url).hostname or ""
    is_name = "." in host and not host.replace(".", "").isdigit() and ":" not in host
    return f"surgery@{host if is_name else 'example.org'}"


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// URLs, as hosting platforms give them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def instance_secret_key(instance: Path) -> str:
    """Read this install's secret key, generating it on first start."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        instance.mkdir(parents=True, exist_ok=True)
        draft = instance / f"secret_key.{os.getpid()}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        # link() fails if another worker got there first, so every worker ends with one key
        with contextlib.suppress(FileExistsError):
            os.link(draft, key_file)
        draft.unlink()
    return key_file.read_text().strip()
