"""Template helpers: local times in plain English."""

import datetime as dt

from flask import Flask

from surgery.domain.access import labels as access_labels
from surgery.domain.day_messages import audience_words
from surgery.links import public_url

# where "Exit this page" goes: a busy, neutral site that says nothing about where you were
EXIT_URL = "https://www.bbc.co.uk/weather"


def register(app: Flask) -> None:
    """Make the helpers available in every template."""
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["clock"] = format_clock
    app.jinja_env.filters["access_labels"] = access_labels
    app.jinja_env.filters["audience_words"] = audience_words
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
    app.jinja_env.globals["public_url"] = public_url  # links to keep or share: PUBLIC_BASE_URL
    app.jinja_env.globals["exit_url"] = EXIT_URL


# English names whatever the machine's locale, and without strftime, which is slow on
# timezone-aware times (the front page writes one per day listed)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_day(moment: dt.date) -> str:
    """'Saturday 6 March 2027'."""
    return f"{WEEKDAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def format_clock(moment: dt.datetime) -> str:
    """'10am', '1:30pm': how times are written in the UK."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"
