"""What we learned: a day's public page of shared answers and checked resources, the forms
surgeons and workshop facilitators share resources with, and the organisers' check.

Everything goes through the pages as a person would use them; the feed is read with
feedparser, as a feed reader would.
"""

import html
import re

import feedparser
import pytest
import sqlalchemy as sa

from surgery.audit.models import AuditEntry
from surgery.bookings.models import Registration
from surgery.day.models import Feedback
from surgery.domain import audit
from surgery.domain.tokens import hash_token, manage_token, new_form_key
from surgery.events.models import CANCELLED, DRAFT, SURGERY, WORKSHOP
from surgery.extensions import db
from surgery.learned.demo import add_demo_resources
from surgery.learned.models import FacilitatorLink, Resource
from surgery.personal import services as personal
from surgery.retention import removal
from surgery.surgeons.models import APPROVED, PENDING, Surgeon
from tests.conftest import count, csrf_from, post_form
from tests.test_rate_limits import SMALL_LIMITS, limited_app

DAY = [
    {"kind": SURGERY, "title": "Morning surgery", "capacity": 10},
    {"kind": WORKSHOP, "title": "Blogging workshop", "capacity": 10, "hour_offset": 2},
]
FACILITATOR_LINK = re.compile(r"https?://[^/\s<]+(/share-resource/\d+/[\w-]+)")
THANKS = "Thank you — an organiser will check it before it appears."
BAD_LINK = "Enter a web address that starts with https:// or http://"


# helpers


def surgeon_link(app, event, name="Sue", status=APPROVED) -> str:
    """A surgeon of the day and the path of their private page."""
    seed = new_form_key()
    token = manage_token(app.secret_key, seed)
    surgeon = Surgeon(
        event_id=event.id,
        name=name,
        email=f"{name.lower()}@example.org",
        status=status,
        token_seed=seed,
        token_hash=hash_token(token),
    )
    db.session.add(surgeon)
    db.session.commit()
    return f"/volunteer/{token}"


def answer(event, name: str, learned: str, share: bool) -> None:
    """Someone who came, and what they said they learned."""
    seed = new_form_key()
    person = Registration(
        event_id=event.id,
        name=name,
        email=f"{name.lower()}@example.org",
        token_seed=seed,
        token_hash=hash_token(seed),
    )
    db.session.add(Feedback(registration=person, learned=learned, share_publicly=share))
    db.session.commit()


def share(client, path: str, title: str, url: str, note: str = "", **more):
    """Send the share form as a person would."""
    return post_form(client, path, data={"title": title, "url": url, "note": note, **more})


def resource(title: str) -> Resource:
    """A resource by its title, fresh from the database."""
    db.session.expire_all()
    return db.session.scalars(sa.select(Resource).where(Resource.title == title)).one()


def facilitator_path(client, event) -> str:
    """Make (or replace) the facilitators' link from the organisers' day page; its path."""
    day_page = f"/organise/events/{event.id}"
    made = post_form(client, day_page, f"{day_page}/facilitator-link")
    assert made.status_code == 303
    page = html.unescape(client.get(day_page).text)
    return FACILITATOR_LINK.search(page).group(1)


def decide(client, event, title: str, decision: str):
    """Press Approve, Reject or Hide on the organisers' resources page."""
    page = f"/organise/events/{event.id}/resources"
    action = f"{page}/{resource(title).id}/{decision}"
    return post_form(client, page, action)


def public_page(client, event):
    return client.get(f"/events/{event.id}/learned")


@pytest.fixture
def past_day(make_event):
    return make_event(sessions=DAY, days_ahead=-3, title="Bradford surgery")


@pytest.fixture
def checked_day(app, organiser_client, past_day):
    """A past day with one resource of each status, and answers shared and not."""
    client = organiser_client
    sue = surgeon_link(app, past_day)
    path = f"{sue}/share"
    for title in ("Approved guide", "Pending guide", "Rejected guide"):
        slug = title.split()[0].lower()
        assert THANKS in share(client, path, title, f"https://example.org/{slug}").text
    decide(client, past_day, "Approved guide", "approve")
    decide(client, past_day, "Rejected guide", "reject")
    answer(past_day, "Ana Shared", "How to make my page private", share=True)
    answer(past_day, "Ben Private", "A secret about my group", share=False)
    return past_day


# the public page and the feed


def test_only_approved_resources_and_shared_answers_appear(client, checked_day):
    page = public_page(client, checked_day)

    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "What we learned at Bradford surgery" in text
    assert (
        '<a href="https://example.org/approved" rel="nofollow ugc noopener">Approved guide</a>'
        in text
    )
    assert text.count("https://example.org/approved") == 2  # the link, and the address as text
    assert "How to make my page private" in text
    for hidden in ("Pending guide", "Rejected guide", "/pending", "/rejected", "A secret about"):
        assert hidden not in text
    for name in ("Ana", "Ben", "Sue", "Shared", "Private"):
        assert name not in text


def test_the_feed_has_the_learned_page_of_a_past_day_and_keeps_upcoming_days(
    client, checked_day, make_event
):
    make_event(title="Leeds surgery")
    body = client.get("/feed.atom").data
    feed = feedparser.parse(body)

    assert not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert "Leeds surgery" in titles
    assert "What we learned at Bradford surgery" in titles
    learned = next(e for e in feed.entries if e.title.startswith("What we learned"))
    assert learned.link.endswith(f"/events/{checked_day.id}/learned")
    assert "resources shared from the day" in learned.summary
    for hidden in (b"Pending guide", b"Rejected guide", b"A secret about", b"Ana"):
        assert hidden not in body


def test_the_page_and_its_link_come_once_the_day_is_over(client, make_event, past_day):
    upcoming = make_event(sessions=DAY)
    before = public_page(client, upcoming)
    assert before.status_code == 404
    assert "This page opens after the day is over" in before.text
    assert "What we learned" not in client.get(f"/events/{upcoming.id}").text

    assert public_page(client, past_day).status_code == 200
    day_page = client.get(f"/events/{past_day.id}").text
    assert f'href="/events/{past_day.id}/learned"' in day_page
    assert f"/events/{past_day.id}/learned" in client.get("/sitemap.xml").text
    assert f"/events/{upcoming.id}/learned" not in client.get("/sitemap.xml").text


@pytest.mark.parametrize("status", [DRAFT, CANCELLED])
def test_a_draft_or_cancelled_day_has_no_learned_page(client, make_event, status):
    day = make_event(sessions=DAY, days_ahead=-3, status=status)
    assert public_page(client, day).status_code == 404
    assert f"/events/{day.id}/learned" not in client.get("/sitemap.xml").text
    assert f"/events/{day.id}/learned" not in client.get("/feed.atom").text


def test_the_page_describes_itself_when_shared(client, past_day):
    text = public_page(client, past_day).text
    assert '<meta name="description" content="What people learned at a surgery day' in text
    assert re.search(
        rf'<link rel="canonical" href="https?://[^"]+/events/{past_day.id}/learned"', text
    )
    assert '<meta property="og:title" content="What we learned at Bradford surgery"' in text


# sharing a resource


def test_a_confirmed_surgeon_shares_from_their_private_page(app, client, past_day):
    sue = surgeon_link(app, past_day)
    manage = client.get(sue).text
    assert "Share a resource from the day" in manage

    workshop = past_day.sessions[1].id
    sent = share(
        client, f"{sue}/share", "Blog guide", "Example.ORG/Guide?x=1", "For later", session=workshop
    )

    assert sent.status_code == 200
    assert THANKS in sent.text
    row = resource("Blog guide")
    assert (row.url, row.note, row.status) == (
        "https://example.org/Guide?x=1",
        "For later",
        "pending",
    )
    assert row.session_id == workshop
    assert row.surgeon_id is not None and row.facilitator_link_id is None
    assert "Blog guide" not in public_page(client, past_day).text


def test_a_surgeon_not_yet_confirmed_cannot_share(app, client, past_day):
    pending = surgeon_link(app, past_day, "Pat", status=PENDING)
    assert "Share a resource" not in client.get(pending).text
    assert client.get(f"{pending}/share").status_code == 404
    assert client.get("/volunteer/not-a-real-token/share").status_code == 404


def test_facilitators_share_with_the_days_link_and_a_replaced_link_opens_nothing(
    organiser_client, past_day
):
    client = organiser_client
    old = facilitator_path(client, past_day)
    assert THANKS in share(client, old, "Workshop slides", "https://example.org/slides").text
    row = resource("Workshop slides")
    assert row.facilitator_link_id is not None and row.surgeon_id is None

    new = facilitator_path(client, past_day)

    assert new != old
    assert client.get(old).status_code == 404
    spam = {"csrf_token": csrf_from(client.get(new).text), "title": "Spam", "url": "spam.example"}
    assert client.post(old, data=spam).status_code == 404
    assert THANKS in share(client, new, "Workshop notes", "https://example.org/notes").text
    assert count(Resource) == 2
    assert client.get(f"/share-resource/{past_day.id}/{'a' * 32}").status_code == 404
    # the link is a key: no table holds it
    token = new.rsplit("/", 1)[1]
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            assert token not in repr(row), table.name
    made = [e.detail for e in audit_entries() if e.subject == "facilitators' link"]
    assert sorted(made) == ["made", "replaced"]


def test_the_facilitators_link_needs_a_published_day(organiser_client, make_event):
    day = make_event(sessions=DAY, days_ahead=-3)
    path = facilitator_path(organiser_client, day)
    day.status = CANCELLED
    db.session.commit()
    assert organiser_client.get(path).status_code == 404


@pytest.mark.parametrize(
    "url, message",
    [
        ("javascript:alert(document.cookie)", BAD_LINK),
        ("JavaScript://example.org/%0Aalert(1)", BAD_LINK),
        ("data:text/html;base64,PHNjcmlwdD4=", BAD_LINK),
        ("ftp://example.org/file", BAD_LINK),
        ("https://", BAD_LINK),
        ("https://user:secret@example.org/", BAD_LINK),
        ("https://example.org/" + "a" * 5000, "That web address is too long"),
    ],
)
def test_a_link_we_do_not_keep_is_refused_in_words(app, client, past_day, url, message):
    sue = surgeon_link(app, past_day)
    sent = share(client, f"{sue}/share", "Guide", url)

    assert sent.status_code == 400
    assert message in html.unescape(sent.text)
    assert count(Resource) == 0


def test_nul_and_huge_fields_are_refused_without_an_error_page(app, client, past_day):
    sue = surgeon_link(app, past_day)
    page = client.get(f"{sue}/share").text
    fields = {"csrf_token": csrf_from(page), "title": "Guide", "url": "https://example.org/\x00"}
    nul = client.post(f"{sue}/share", data=fields)
    assert nul.status_code == 400
    assert "Nothing was saved" in nul.text

    huge = share(client, f"{sue}/share", "G" * 100_000, "https://example.org", "n" * 100_000)
    assert huge.status_code == 400
    assert "Keep the name under 200 characters" in huge.text
    assert "Keep the note under 1000 characters" in huge.text
    assert count(Resource) == 0


def test_sharing_needs_the_forms_csrf_token(app, client, past_day):
    sue = surgeon_link(app, past_day)
    sent = client.post(f"{sue}/share", data={"title": "Guide", "url": "https://example.org"})
    assert sent.status_code == 400
    assert count(Resource) == 0


def test_sharing_is_paused_like_other_public_forms(app, database_url, db_session, past_day):
    sue = surgeon_link(app, past_day)
    limited, _prefix = limited_app(database_url, "memory", **SMALL_LIMITS)
    client = limited.test_client()
    sent = [share(client, f"{sue}/share", f"Guide {n}", "https://example.org") for n in range(4)]

    assert [s.status_code for s in sent] == [200, 200, 200, 429]
    assert "Nothing was saved" in html.unescape(sent[-1].text)
    assert count(Resource) == 3


# the organisers' check


def audit_entries() -> list[AuditEntry]:
    query = sa.select(AuditEntry).where(AuditEntry.action == audit.CHANGED_RESOURCE)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def test_organisers_see_waiting_ones_first_approve_and_hide_again(organiser_client, checked_day):
    client = organiser_client
    day_page = client.get(f"/organise/events/{checked_day.id}").text
    assert "1 resource waiting to be checked" in day_page

    page = client.get(f"/organise/events/{checked_day.id}/resources").text
    order = [page.index(t) for t in ("Pending guide", "Rejected guide", "Approved guide")]
    assert order[0] < min(order[1:])  # the one waiting comes first

    decide(client, checked_day, "Pending guide", "approve")
    assert "Pending guide" in public_page(client, checked_day).text
    decide(client, checked_day, "Approved guide", "reject")  # "Hide"
    public = public_page(client, checked_day).text
    assert "Approved guide" not in public
    assert resource("Approved guide").status == "rejected"
    assert (
        "0 resources waiting to be checked" in client.get(f"/organise/events/{checked_day.id}").text
    )

    checks = [(e.subject, e.detail) for e in audit_entries() if e.subject.startswith("resource")]
    assert [d for _s, d in checks] == ["approved", "rejected", "approved", "rejected"]
    assert all(e.organiser_id is not None for e in audit_entries())
    assert resource("Pending guide").moderated_by_id is not None


def test_a_check_already_made_is_refused_in_words(organiser_client, checked_day):
    decided = decide(organiser_client, checked_day, "Approved guide", "approve")
    assert decided.status_code == 303
    page = organiser_client.get(decided.headers["Location"]).text
    assert "already been checked" in html.unescape(page)


def test_checking_needs_a_signed_in_organiser(app, client, past_day):
    sue = surgeon_link(app, past_day)
    share(client, f"{sue}/share", "Guide", "https://example.org/guide")
    row = resource("Guide")
    base = f"/organise/events/{past_day.id}"

    token = {"csrf_token": csrf_from(client.get(f"{sue}/share").text)}
    assert "/login" in client.get(f"{base}/resources").headers.get("Location", "")
    for path in (f"{base}/resources/{row.id}/approve", f"{base}/facilitator-link"):
        assert "/login" in client.post(path, data=token).headers.get("Location", "")
    assert resource("Guide").status == "pending"
    assert count(FacilitatorLink) == 0


def test_bad_ids_and_decisions_are_404s(organiser_client, checked_day):
    base = f"/organise/events/{checked_day.id}/resources"
    row = resource("Pending guide")
    token = {"csrf_token": csrf_from(organiser_client.get(base).text)}
    assert organiser_client.post(f"{base}/{row.id}/delete", data=token).status_code == 404
    assert organiser_client.post(f"{base}/999999/approve", data=token).status_code == 404
    assert organiser_client.get("/organise/events/999999/resources").status_code == 404
    assert organiser_client.get("/events/999999999999999999999/learned").status_code == 404


# retention and erasure


def test_erasing_a_surgeon_keeps_what_they_shared(app, client, checked_day):
    surgeon = db.session.scalars(sa.select(Surgeon)).one()
    with app.test_request_context():
        personal.erase_surgeon(surgeon, actor=audit.THE_PERSON)
        db.session.commit()

    assert count(Surgeon) == 0
    assert count(Resource) == 3
    assert resource("Approved guide").surgeon_id is None
    assert "Approved guide" in public_page(client, checked_day).text


def test_removing_a_days_names_cuts_who_added_resources(app, client, checked_day):
    with app.test_request_context():
        removal.remove_identity(checked_day)
        db.session.commit()

    rows = db.session.scalars(sa.select(Resource)).all()
    assert len(rows) == 3 and all(r.surgeon_id is None for r in rows)
    assert "Approved guide" in public_page(client, checked_day).text


def test_demo_resources_are_approved_and_shown(app, client, past_day):
    sue = surgeon_link(app, past_day)
    surgeon = db.session.scalars(sa.select(Surgeon)).one()
    assert sue
    add_demo_resources(past_day, surgeon)
    db.session.commit()

    text = public_page(client, past_day).text
    assert "Checking your privacy settings on Facebook" in text
    assert "Writing your first blog post" in text
