"""Signing in and out, the role-tag and topic vocabularies, and the flask commands."""

import pytest
import sqlalchemy as sa

from surgery.auth.models import Organiser
from surgery.events.models import Event
from surgery.extensions import db
from surgery.vocabulary.models import RoleTag, Topic
from tests.conftest import ORGANISER_PASSWORD, count, csrf_from, post_form

VOCABULARY = "/organise/vocabulary/"


def role_tag(name: str) -> RoleTag | None:
    """The role tag with this name, if any."""
    db.session.expire_all()
    return db.session.scalars(sa.select(RoleTag).where(RoleTag.name == name)).one_or_none()


def sign_in(client, email: str, password: str, next_url: str = ""):
    """Send the sign-in form."""
    page = f"/login?next={next_url}" if next_url else "/login"
    return post_form(client, page, data={"email": email, "password": password})


@pytest.mark.parametrize(
    "url",
    [
        "/organise/",
        "/organise/events/new",
        "/organise/events/1",
        "/organise/events/1/bookings.csv",
        VOCABULARY,
    ],
)
def test_organiser_pages_need_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_changes_need_sign_in_too(client, make_event):
    event = make_event(title="Leeds day")
    url = f"/organise/events/{event.id}/status"
    response = post_form(client, f"/events/{event.id}/book", url, data={"action": "cancel"})
    assert response.headers["Location"].startswith("/login")
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == "published"


def test_sign_in_then_out(client, organiser):
    signed_in = sign_in(client, organiser.email, ORGANISER_PASSWORD)
    assert signed_in.status_code == 303
    assert signed_in.headers["Location"] == "/organise/"
    assert "Organise surgery days" in client.get("/organise/").text
    signed_out = post_form(client, "/organise/", "/logout", follow_redirects=True)
    assert "You are signed out." in signed_out.text
    assert client.get("/organise/").status_code == 302


def test_sign_in_ignores_case_of_the_email(client, organiser):
    assert sign_in(client, "ORG@Example.org", ORGANISER_PASSWORD).status_code == 303


def test_sign_in_goes_back_to_the_page_asked_for_on_this_site_only(client, organiser):
    wanted = sign_in(client, organiser.email, ORGANISER_PASSWORD, "/organise/events/new")
    assert wanted.headers["Location"] == "/organise/events/new"
    post_form(client, "/organise/", "/logout")
    elsewhere = sign_in(client, organiser.email, ORGANISER_PASSWORD, "//evil.example/")
    assert elsewhere.headers["Location"] == "/organise/"


@pytest.mark.parametrize(
    ("email", "password"),
    [("org@example.org", "wrong password"), ("nobody@example.org", ORGANISER_PASSWORD)],
)
def test_wrong_password_or_email_is_refused(client, organiser, email, password):
    response = sign_in(client, email, password)
    assert response.status_code == 400
    assert "That email and password do not match. Try again." in response.text
    assert client.get("/organise/").status_code == 302


def test_sign_in_with_empty_fields_shows_messages(client, organiser):
    response = sign_in(client, "", "")
    assert response.status_code == 400
    assert "Enter your email address." in response.text
    assert "Enter your password." in response.text


def test_vocabulary_page_lists_the_default_terms(organiser_client):
    page = organiser_client.get(VOCABULARY).text
    assert "Lived experience of mental health difficulties" in page
    assert "Prefer not to say" in page
    assert "Online safety and privacy" in page


def test_add_a_role_tag_offers_it_on_the_booking_form(organiser_client, make_event):
    event = make_event()
    data = {"role-tags-name": "Student"}
    response = post_form(organiser_client, VOCABULARY, f"{VOCABULARY}role-tags/add", data=data)
    assert response.status_code == 303
    assert role_tag("Student").active
    assert "Student" in organiser_client.get(f"/events/{event.id}/book").text


def test_add_a_topic(organiser_client):
    data = {"topics-name": "Podcasts"}
    post_form(organiser_client, VOCABULARY, f"{VOCABULARY}topics/add", data=data)
    assert db.session.scalars(sa.select(Topic).where(Topic.name == "Podcasts")).one()


@pytest.mark.parametrize(
    ("name", "message"),
    [(" volunteer ", "“volunteer” is already in the list."), ("", "Enter a name.")],
)
def test_adding_a_duplicate_or_empty_term_is_refused(organiser_client, name, message):
    before = count(RoleTag)
    data = {"role-tags-name": name}
    response = post_form(organiser_client, VOCABULARY, f"{VOCABULARY}role-tags/add", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert count(RoleTag) == before


def test_rename_a_role_tag(organiser_client):
    term = role_tag("Volunteer")
    url = f"{VOCABULARY}role-tags/{term.id}/rename"
    data = {"name": "Volunteer helper", "term_version": term.version}
    response = post_form(organiser_client, VOCABULARY, url, data=data)
    assert response.status_code == 303
    assert role_tag("Volunteer helper").id == term.id


def test_a_rename_from_an_older_page_is_refused(organiser_client):
    term = role_tag("Volunteer")
    url = f"{VOCABULARY}role-tags/{term.id}/rename"
    page = organiser_client.get(VOCABULARY).text  # shows "Volunteer"
    first = {"name": "Volunteer helper", "term_version": term.version}
    assert post_form(organiser_client, VOCABULARY, url, data=first).status_code == 303

    data = {"csrf_token": csrf_from(page), "name": "Volunteers", "term_version": "1"}
    stale = organiser_client.post(url, data=data)

    assert stale.status_code == 400
    assert "someone else renamed it to “Volunteer helper” after you opened this page" in stale.text
    assert role_tag("Volunteer helper").id == term.id


def test_rename_to_a_name_in_use_is_refused(organiser_client):
    term = role_tag("Volunteer")
    url = f"{VOCABULARY}role-tags/{term.id}/rename"
    data = {"name": "Carer or family member", "term_version": term.version}
    response = post_form(organiser_client, VOCABULARY, url, data=data)
    assert response.status_code == 400
    assert "is already in the list" in response.text
    assert role_tag("Volunteer").id == term.id


def test_retired_term_leaves_the_booking_form(organiser_client, make_event):
    event = make_event()
    term = role_tag("Community journalist")
    url = f"{VOCABULARY}role-tags/{term.id}/active"
    page = post_form(organiser_client, VOCABULARY, url, data={"active": "0"}, follow_redirects=True)
    assert "“Community journalist” is no longer offered." in page.text
    assert "No (retired)" in page.text
    assert role_tag("Community journalist").active is False
    assert "Community journalist" not in organiser_client.get(f"/events/{event.id}/book").text
    post_form(organiser_client, VOCABULARY, url, data={"active": "1"})
    assert "Community journalist" in organiser_client.get(f"/events/{event.id}/book").text


def test_unknown_vocabulary_is_not_found(organiser_client):
    response = post_form(organiser_client, VOCABULARY, f"{VOCABULARY}colours/add")
    assert response.status_code == 404


def test_cli_creates_an_organiser_who_can_sign_in(app, client):
    args = ["organisers", "create", "--email", "Ana@Example.org", "--name", "Ana"]
    result = app.test_cli_runner().invoke(args=[*args, "--password", "a long password"])
    assert result.exit_code == 0, result.output
    assert "Organiser Ana@Example.org created." in result.output
    assert sign_in(client, "ana@example.org", "a long password").status_code == 303


def test_cli_refuses_a_short_password(app, db_session):
    args = ["organisers", "create", "--email", "ana@example.org", "--name", "Ana"]
    result = app.test_cli_runner().invoke(args=[*args, "--password", "short"])
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert count(Organiser) == 0


def test_cli_refuses_a_second_organiser_with_the_same_email(app, organiser):
    args = ["organisers", "create", "--email", organiser.email, "--name", "Again"]
    result = app.test_cli_runner().invoke(args=[*args, "--password", "a long password"])
    assert result.exit_code != 0
    assert "already an organiser" in result.output
    assert count(Organiser) == 1
