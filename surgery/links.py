"""Links that leave the site (emails, invites, QR codes, private links to keep).

Built from PUBLIC_BASE_URL, never from the request's Host header: a forged Host must not
turn a private link in someone's inbox into a link to another site.
"""

from urllib.parse import urlsplit

from flask import current_app

from surgery.domain.accounts import INVITE, RESET
from surgery.domain.tokens import account_link_token, manage_token, purpose_token

# the page a private link opens, by who holds it
MANAGE_PAGES = {"booking": "bookings.manage", "surgeon": "surgeons.manage"}
ACCOUNT_LINK_PAGES = {RESET: "passwords.reset", INVITE: "passwords.join"}


def public_url(endpoint: str, **values) -> str:
    """A full address of one of our pages, at PUBLIC_BASE_URL."""
    return _adapter().build(endpoint, values, force_external=True)


def _adapter():
    """The app's URLs bound to PUBLIC_BASE_URL, made once per address (a thousand invites
    in a row ask for it a thousand times)."""
    address = current_app.config["PUBLIC_BASE_URL"]
    made = current_app.extensions.get("public_urls")
    if made is None or made[0] != address:
        base = urlsplit(address)
        adapter = current_app.url_map.bind(
            base.netloc,
            script_name=base.path.rstrip("/") or "/",
            url_scheme=base.scheme or "https",
        )
        made = current_app.extensions["public_urls"] = (address, adapter)
    return made[1]


def manage_url(holder: str, seed: str) -> str:
    """The private link of a booking or a surgeon, rebuilt from its seed with the secret key."""
    token = manage_token(current_app.secret_key, seed)
    return public_url(MANAGE_PAGES[holder], token=token)


def account_link_url(link: dict) -> str:
    """The address of an emailed account link (reset or invite), rebuilt from its seed."""
    token = account_link_token(current_app.secret_key, link["purpose"], link["seed"])
    return public_url(ACCOUNT_LINK_PAGES[link["purpose"]], token=token)


def written_out(payload: dict) -> dict:
    """An outbox message's data with its links written out, as the email is composed:
    the private link (manage_url), the button's link (action.url) and the event's page."""
    filled = dict(payload)
    if payload.get("manage"):
        filled["manage_url"] = manage_url(payload["manage"]["holder"], payload["manage"]["seed"])
    action = payload.get("action")
    if action and action.get("seed"):
        token = manage_token(current_app.secret_key, action["seed"])
        filled["action"] = {
            "text": action["text"],
            "url": public_url(action["endpoint"], token=token),
        }
    if payload.get("answers"):
        filled["answers"] = answer_links(payload["answers"])
    if payload.get("follow_up"):
        filled["action"] = follow_up_action(payload["follow_up"])
    if (payload.get("event") or {}).get("id"):
        filled["event_url"] = public_url("events.detail", event_id=payload["event"]["id"])
    if payload.get("subscription"):
        filled |= subscription_links(payload["subscription"], filled.get("event_url"))
    return filled


def subscription_links(subscription: dict, event_url: str | None) -> dict:
    """A subscriber's email's links: confirm (before confirming), or the new day's page
    and the one-click unsubscribe link (List-Unsubscribe, RFC 8058)."""
    seed, values = subscription["seed"], {"id": subscription["id"]}
    if event_url is None:
        url = purpose_url("subscriptions.confirm", "subscribe_confirm", seed, **values)
        return {"action": {"text": "Confirm my subscription", "url": url}}
    stop = purpose_url("subscriptions.unsubscribe", "unsubscribe", seed, **values)
    return {"action": {"text": "See the day and book", "url": event_url}, "unsubscribe_url": stop}


# a reminder's two links: what each says, and the page and purpose of its token
REMINDER_ANSWERS = (
    ("I'm still coming", "reminders.still_coming", "coming"),
    ("I can't come any more", "reminders.cannot_come", "release"),
)


def purpose_url(endpoint: str, purpose: str, seed: str, **values) -> str:
    """A one-purpose link, its token rebuilt from the seed with the secret key."""
    token = purpose_token(current_app.secret_key, purpose, seed)
    return public_url(endpoint, token=token, **values)


def answer_links(answers: dict) -> list[dict]:
    """A reminder's "still coming" and "can't come" links, from the seed it was queued with."""
    return [
        {"text": text, "url": purpose_url(endpoint, purpose, answers["seed"], id=answers["id"])}
        for text, endpoint, purpose in REMINDER_ANSWERS
    ]


def follow_up_action(follow_up: dict) -> dict:
    """The follow-up email's button, its link rebuilt from the follow-up's seed."""
    url = purpose_url("reminders.follow_up", "follow_up", follow_up["seed"], id=follow_up["id"])
    return {"text": "Answer one quick question", "url": url}
