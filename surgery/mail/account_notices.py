"""Emails about organiser accounts: a link to choose a new password, or to join.

The queued message holds the link's seed, never its token: the token is rebuilt with the
app.s secret key when the email is written (see surgery/links.py).
"""

import time
from dataclasses import dataclass

from flask import current_app

from surgery.database import utcnow
from surgery.domain.accounts import INVITE, LINK_LIFETIMES, RESET
from surgery.mail import outbox
from surgery.mail.models import new_message

RESET_KIND, INVITE_KIND = "password_reset", "organiser_invite"


@dataclass(frozen=True)
class Wording:
    """What an account email says around its link."""

    kind: str
    subject: str
    intro: list[str]
    action: str
    after: list[str]


def notify_link(organiser, link, seed: str, invited_by: str = "") -> None:
    """Queue the email carrying an account link (a password reset or an invite)."""
    site = current_app.config["SITE_NAME"]
    words = (
        _reset(organiser, site) if link.purpose == RESET else _invite(organiser, site, invited_by)
    )
    now = utcnow()
    payload = {
        "stamp": int(time.time() * 1000),
        "template": "account",
        "sender": {"email": current_app.config["MAIL_DEFAULT_SENDER"], "name": site},
        "recipient": {"email": organiser.email, "name": organiser.name},
        "intro": words.intro,
        "link": {"id": link.id, "purpose": link.purpose, "seed": seed, "text": words.action},
        "after": words.after,
    }
    outbox.add([new_message(words.kind, organiser.email, words.subject, payload, now)])


def _reset(organiser, site: str) -> Wording:
    """A link to choose a new password, asked for on the forgotten-password page."""
    return Wording(
        RESET_KIND,
        f"Choose a new password for {site}",
        [
            f"Someone asked to choose a new password for the {site} account of {organiser.email}.",
            "If it was you, use the link below. It works once, within the next hour.",
        ],
        "Choose a new password",
        ["If it was not you, you can ignore this email: your password stays as it is."],
    )


def _invite(organiser, site: str, invited_by: str) -> Wording:
    """An invite to join as an organiser or a door volunteer."""
    what = "help run surgery days" if organiser.is_organiser else "check people in at the door"
    days = LINK_LIFETIMES[INVITE].days
    return Wording(
        INVITE_KIND,
        f"You are invited to {site}",
        [
            f"{invited_by or 'An organiser'} has invited you to {what} with {site}.",
            f"To join, choose your password with the link below. It works once, within {days} "
            "days. You will sign in with this email address.",
        ],
        "Choose your password",
        ["If you were not expecting this, you can ignore this email."],
    )
