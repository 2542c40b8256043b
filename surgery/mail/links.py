"""Links in emails, built from PUBLIC_BASE_URL when the message is written."""

from flask import current_app, url_for

from surgery.domain.accounts import INVITE, RESET
from surgery.domain.tokens import account_link_token

ACCOUNT_LINK_PAGES = {RESET: "passwords.reset", INVITE: "passwords.join"}


def site_url(endpoint: str, **values) -> str:
    """A full link on PUBLIC_BASE_URL, whatever host a request came in on."""
    base = current_app.config["PUBLIC_BASE_URL"]
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def account_link_url(link: dict) -> str:
    """The address of an emailed account link, rebuilt from its seed with the secret key."""
    token = account_link_token(current_app.secret_key, link["purpose"], link["seed"])
    return site_url(ACCOUNT_LINK_PAGES[link["purpose"]], token=token)
