"""Signing out and changing a password end a session for good; sign-in answers give nothing away."""

import pytest

from surgery.auth import models
from surgery.auth.models import Organiser
from surgery.extensions import db
from tests.conftest import ORGANISER_PASSWORD, post_form

NEW_PASSWORD = "a brand new passphrase"


def session_cookie(client) -> str:
    """The value of the client's session cookie, as a copy someone could have taken."""
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie"
    return cookie.value


def replay(app, cookie: str):
    """Open the organisers' start page on another device that holds only a copy of the cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/organise/")


def change_password(client, current: str, new: str, confirm: str | None = None):
    """Send the change-password form."""
    data = {"current": current, "password": new, "confirm": new if confirm is None else confirm}
    return post_form(client, "/account/password", data=data)


def sign_in(client, email: str, password: str):
    """Send the sign-in form."""
    return post_form(client, "/login", data={"email": email, "password": password})


def test_a_copy_of_the_cookie_signs_in_until_sign_out_and_never_after(app, organiser_client):
    copied = session_cookie(organiser_client)
    assert replay(app, copied).status_code == 200  # the copy works while signed in

    assert post_form(organiser_client, "/organise/", "/logout").status_code == 303

    refused = replay(app, copied)
    assert refused.status_code == 302
    assert refused.headers["Location"].startswith("/login?next=")


def test_signing_in_again_after_sign_out_works_with_a_new_cookie(app, organiser_client, organiser):
    old = session_cookie(organiser_client)
    post_form(organiser_client, "/organise/", "/logout")
    assert sign_in(organiser_client, organiser.email, ORGANISER_PASSWORD).status_code == 303
    assert replay(app, session_cookie(organiser_client)).status_code == 200
    assert replay(app, old).status_code == 302


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, organiser_client):
    copied = session_cookie(organiser_client)

    changed = change_password(organiser_client, ORGANISER_PASSWORD, NEW_PASSWORD)

    assert changed.status_code == 303
    page = organiser_client.get(changed.headers["Location"])
    assert page.status_code == 200
    assert "Your new password is saved. Other devices are signed out." in page.text
    refused = replay(app, copied)
    assert refused.status_code == 302
    assert refused.headers["Location"].startswith("/login?next=")


def test_after_a_change_only_the_new_password_signs_in(client, organiser):
    sign_in(client, organiser.email, ORGANISER_PASSWORD)
    change_password(client, ORGANISER_PASSWORD, NEW_PASSWORD)
    post_form(client, "/organise/", "/logout")

    assert sign_in(client, organiser.email, ORGANISER_PASSWORD).status_code == 400
    assert sign_in(client, organiser.email, NEW_PASSWORD).status_code == 303


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("not my password", NEW_PASSWORD, None, "That is not your current password."),
        (ORGANISER_PASSWORD, "short", None, "The password must be at least 10 characters long."),
        (ORGANISER_PASSWORD, NEW_PASSWORD, "something else", "The two passwords are not the same."),
    ],
)
def test_a_change_is_refused_with_a_reason(
    app, organiser_client, organiser, current, new, confirm, message
):
    copied = session_cookie(organiser_client)

    refused = change_password(organiser_client, current, new, confirm)

    assert refused.status_code == 400
    assert message in refused.text
    assert 'aria-invalid="true"' in refused.text
    db.session.expire_all()
    assert db.session.get(Organiser, organiser.id).check_password(ORGANISER_PASSWORD)
    assert replay(app, copied).status_code == 200  # nothing changed, nobody signed out


def test_a_door_login_can_change_its_password_too(client, organiser_client):
    door = {"name": "Dora", "email": "dora@example.org", "password": "door password one"}
    post_form(organiser_client, "/organise/door-logins", data=door)
    post_form(organiser_client, "/organise/", "/logout")
    sign_in(client, "dora@example.org", "door password one")

    changed = change_password(client, "door password one", NEW_PASSWORD)

    assert changed.headers["Location"] == "/organise/checkin"
    post_form(client, "/organise/checkin", "/logout")
    assert sign_in(client, "dora@example.org", NEW_PASSWORD).status_code == 303


def test_the_password_page_needs_sign_in(client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_a_cookie_with_only_an_account_number_signs_nobody_in(app, organiser, client):
    with client.session_transaction() as session:
        session["_user_id"] = str(organiser.id)  # how cookies looked before session tokens
    assert client.get("/organise/").status_code == 302


class CountingChecks:
    """Stands in for the password hash check, counting calls and doing the real work."""

    def __init__(self, real) -> None:
        self.real, self.calls = real, 0

    def __call__(self, stored_hash: str, password: str) -> bool:
        self.calls += 1
        return self.real(stored_hash, password)


@pytest.mark.parametrize(
    ("email", "password"),
    [("nobody@example.org", ORGANISER_PASSWORD), ("org@example.org", "wrong password")],
    ids=["unknown email", "wrong password"],
)
def test_an_unknown_email_costs_the_same_password_check_as_a_wrong_password(
    client, organiser, monkeypatch, email, password
):
    checks = CountingChecks(models.check_password_hash)
    monkeypatch.setattr(models, "check_password_hash", checks)

    refused = sign_in(client, email, password)

    assert refused.status_code == 400
    assert "That email and password do not match. Try again." in refused.text
    assert checks.calls == 1
