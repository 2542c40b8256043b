"""Links by email to choose a password: a forgotten password, and invites to join.

Each link works once and for a limited time, is stored only as a hash, and is built on
PUBLIC_BASE_URL; asking for one says nothing about whether an address has an account.
"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from surgery.auth.models import AccountLink, Organiser
from surgery.database import utcnow
from surgery.extensions import db
from surgery.mail.models import OutboxMessage
from tests.conftest import ORGANISER_PASSWORD, count, csrf_from, post_form
from tests.mail_fixtures import text_of

PUBLIC = "https://surgery.example.org"
LINK = re.compile(r"(https?://[^\s\"<]+/login/(?:reset|join)/([\w-]+))")
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture(autouse=True)
def public_address(app, monkeypatch):
    """Links must be built on the public address, whatever host the request came in on."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC)


def link_in(received) -> tuple[str, str]:
    """The account link of an email, and its path, after checking both parts carry it."""
    plain, html = text_of(received, "plain"), text_of(received, "html")
    match = LINK.search(plain)
    assert match, plain
    assert match.group(1) in html
    url = match.group(1)
    assert url.startswith(PUBLIC + "/")
    return url, url.removeprefix(PUBLIC)


def ask_for_reset(client, email: str):
    """Send the forgotten-password form, and let the work after the answer run."""
    response = post_form(client, "/login/forgot", data={"email": email})
    response.close()
    return response


def choose(client, path: str, password: str = NEW_PASSWORD):
    """Choose a password on the page an emailed link opens."""
    return post_form(client, path, data={"password": password, "confirm": password})


def sign_in(client, email: str, password: str):
    """Send the sign-in form."""
    return post_form(client, "/login", data={"email": email, "password": password})


def every_stored_value() -> str:
    """Every value of every row of every table, as one text to search."""
    values = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            values.extend(str(value) for value in row)
    return "\n".join(values)


def expire_links() -> None:
    """Move every link's expiry a second into the past, as if its time had run out."""
    past = utcnow() - dt.timedelta(seconds=1)
    db.session.execute(sa.update(AccountLink).values(expires_at=past))
    db.session.commit()


# ------------------------------------------------------------------ forgotten password


def test_a_forgotten_password_is_replaced_through_the_emailed_link(client, organiser, mailbox):
    asked = ask_for_reset(client, "Org@Example.org")
    assert asked.status_code == 303

    mail = mailbox.deliver_to()["org@example.org"]
    assert mail.message["Subject"] == "Choose a new password for Social Media Surgery"
    assert "It works once, within the next hour." in text_of(mail)
    _, path = link_in(mail)
    assert "Choose a new password" in client.get(path).text

    chosen = choose(client, path)
    assert chosen.status_code == 303
    assert chosen.headers["Location"] == "/organise/"
    assert "Your password is saved and you are signed in." in client.get("/organise/").text
    post_form(client, "/organise/", "/logout")
    assert sign_in(client, organiser.email, ORGANISER_PASSWORD).status_code == 400
    assert sign_in(client, organiser.email, NEW_PASSWORD).status_code == 303


def test_the_answer_is_the_same_for_an_unknown_address(app, organiser, mailbox):
    answers = []
    for email in (organiser.email, "nobody@example.org"):
        device = app.test_client()
        asked = ask_for_reset(device, email)
        shown = device.get(asked.headers["Location"])
        answers.append((asked.status_code, asked.headers["Location"], asked.data, shown.data))

    assert answers[0] == answers[1]
    assert "Check your email" in answers[0][3].decode()
    assert set(mailbox.deliver_to()) == {organiser.email}  # only a real account gets mail


def test_a_reset_link_works_once(client, organiser, mailbox):
    ask_for_reset(client, organiser.email)
    _, path = link_in(mailbox.deliver_to()[organiser.email])
    assert choose(client, path).status_code == 303

    again = client.get(path)
    assert again.status_code == 404
    assert "This link does not work any more" in again.text
    other = client.application.test_client()
    assert choose_without_page(other, path, "yet another password").status_code == 404
    db.session.expire_all()
    assert db.session.get(Organiser, organiser.id).check_password(NEW_PASSWORD)


def choose_without_page(client, path: str, password: str):
    """Send the choose-password form to a link whose page no longer opens (a stale tab)."""
    csrf = csrf_from(client.get("/login").text)  # any page's form gives this device's token
    return client.post(path, data={"csrf_token": csrf, "password": password, "confirm": password})


def test_a_reset_link_stops_working_after_its_hour(client, organiser, mailbox):
    ask_for_reset(client, organiser.email)
    _, path = link_in(mailbox.deliver_to()[organiser.email])
    link = db.session.scalars(sa.select(AccountLink)).one()
    assert link.expires_at - link.created_at <= dt.timedelta(hours=1)
    page = client.get(path)  # the form opened in time...

    expire_links()

    assert client.get(path).status_code == 404
    data = {"csrf_token": csrf_from(page.text), "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    late = client.post(path, data=data)
    assert late.status_code == 404  # ...and sent too late
    db.session.expire_all()
    assert db.session.get(Organiser, organiser.id).check_password(ORGANISER_PASSWORD)


def test_only_the_newest_reset_link_works(client, organiser, mailbox):
    ask_for_reset(client, organiser.email)
    _, first = link_in(mailbox.deliver_to()[organiser.email])
    ask_for_reset(client, organiser.email)
    _, second = link_in(mailbox.deliver_to()[organiser.email])

    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_reset_tokens_are_stored_only_as_hashes(client, organiser, mailbox):
    ask_for_reset(client, organiser.email)
    url, path = link_in(mailbox.deliver_to()[organiser.email])
    token = path.rsplit("/", 1)[1]
    assert len(token) >= 32

    stored = every_stored_value()
    assert count(AccountLink) == 1
    assert count(OutboxMessage) == 1
    assert token not in stored
    assert url not in stored


def test_a_new_password_by_email_ends_every_session(app, organiser_client, organiser, mailbox):
    copied = organiser_client.get_cookie("session").value
    device = app.test_client()
    ask_for_reset(device, organiser.email)
    _, path = link_in(mailbox.deliver_to()[organiser.email])
    choose(device, path)

    other = app.test_client()
    other.set_cookie("session", copied)
    assert other.get("/organise/").status_code == 302


def test_a_wrong_or_short_password_on_the_link_page_is_refused(client, organiser, mailbox):
    ask_for_reset(client, organiser.email)
    _, path = link_in(mailbox.deliver_to()[organiser.email])

    short = choose(client, path, "short")
    assert short.status_code == 400
    assert "The password must be at least 10 characters long." in short.text
    differ = post_form(client, path, data={"password": NEW_PASSWORD, "confirm": "not the same one"})
    assert differ.status_code == 400
    assert "The two passwords are not the same." in differ.text
    assert client.get(path).status_code == 200  # the link still works


def test_a_made_up_link_opens_nothing(client):
    response = client.get("/login/reset/not-a-real-token")
    assert response.status_code == 404
    assert "This link does not work any more" in response.text


# ------------------------------------------------------------------ invites


def invite_organiser(client, name="Ola", email="ola@example.org"):
    """Invite a co-organiser from the organisers page."""
    return post_form(client, "/organise/organisers", data={"name": name, "email": email})


def test_an_invited_organiser_chooses_a_password_and_can_organise(app, organiser_client, mailbox):
    invited = invite_organiser(organiser_client)
    assert invited.status_code == 303
    page = organiser_client.get("/organise/organisers").text
    assert "We have emailed Ola an invite to join as an organiser." in page
    assert "Invited, has not chosen a password yet" in page

    mail = mailbox.deliver_to()["ola@example.org"]
    assert mail.message["Subject"] == "You are invited to Social Media Surgery"
    assert "Org has invited you to help run surgery days" in text_of(mail)
    assert "within 7 days" in text_of(mail)
    _, path = link_in(mail)
    assert path.startswith("/login/join/")

    ola = app.test_client()
    assert "Choose your password" in ola.get(path).text
    joined = choose(ola, path)
    assert joined.headers["Location"] == "/organise/"
    assert ola.get("/organise/").status_code == 200
    assert "Can sign in" in organiser_client.get("/organise/organisers").text
    post_form(ola, "/organise/", "/logout")
    assert sign_in(ola, "ola@example.org", NEW_PASSWORD).status_code == 303


def test_an_invited_door_volunteer_can_only_check_people_in(app, organiser_client, mailbox):
    data = {"name": "Dora", "email": "dora@example.org", "password": ""}
    invited = post_form(organiser_client, "/organise/door-logins", data=data)
    assert invited.status_code == 303
    page = organiser_client.get("/organise/door-logins").text
    assert "We have emailed Dora an invite to choose a password." in page
    assert "Sent, waiting for them to choose a password" in page

    mail = mailbox.deliver_to()["dora@example.org"]
    assert "to check people in at the door" in text_of(mail)
    _, path = link_in(mail)
    dora = app.test_client()
    joined = choose(dora, path)
    assert joined.headers["Location"] == "/organise/checkin"
    assert dora.get("/organise/checkin").status_code == 200
    assert dora.get("/organise/").status_code == 403
    assert "Door logins that can sign in now" in organiser_client.get("/organise/door-logins").text


def test_an_invite_works_once(app, organiser_client, mailbox):
    invite_organiser(organiser_client)
    _, path = link_in(mailbox.deliver_to()["ola@example.org"])
    assert choose(app.test_client(), path).status_code == 303

    again = app.test_client().get(path)
    assert again.status_code == 404
    assert "An invite link works once, within 7 days." in again.text


def test_an_invite_stops_working_after_7_days(app, organiser_client, mailbox):
    invite_organiser(organiser_client)
    _, path = link_in(mailbox.deliver_to()["ola@example.org"])
    link = db.session.scalars(sa.select(AccountLink)).one()
    assert link.expires_at - link.created_at == pytest.approx(
        dt.timedelta(days=7), abs=dt.timedelta(seconds=5)
    )

    expire_links()

    assert app.test_client().get(path).status_code == 404
    page = organiser_client.get("/organise/organisers").text
    assert "Invite expired: invite them again" in page
    # and inviting again sends a link that works
    invite_organiser(organiser_client)
    _, fresh = link_in(mailbox.deliver_to()["ola@example.org"])
    assert choose(app.test_client(), fresh).status_code == 303


def test_invite_tokens_are_stored_only_as_hashes(organiser_client, mailbox):
    invite_organiser(organiser_client)
    url, path = link_in(mailbox.deliver_to()["ola@example.org"])
    token = path.rsplit("/", 1)[1]

    stored = every_stored_value()
    assert count(AccountLink) == 1
    assert token not in stored
    assert url not in stored


def test_an_invite_link_cannot_be_used_as_a_reset_link(app, organiser_client, mailbox):
    invite_organiser(organiser_client)
    _, path = link_in(mailbox.deliver_to()["ola@example.org"])
    assert app.test_client().get(path.replace("/join/", "/reset/")).status_code == 404


def test_someone_who_can_already_sign_in_is_not_invited(organiser_client, organiser, mailbox):
    refused = invite_organiser(organiser_client, "Org again", organiser.email)
    assert refused.status_code == 400
    assert f"There is already an account with the email {organiser.email}." in refused.text
    assert mailbox.deliver() == []


def test_door_logins_cannot_invite(app, organiser_client):
    data = {"name": "Dora", "email": "dora@example.org", "password": "door password one"}
    post_form(organiser_client, "/organise/door-logins", data=data)
    dora = app.test_client()
    sign_in(dora, "dora@example.org", "door password one")
    assert dora.get("/organise/organisers").status_code == 403
