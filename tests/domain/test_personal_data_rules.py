"""What goes into a person's export: their own data, never anyone else's, never a key."""

import datetime as dt
import json

from surgery.domain.asking import LostPlace, Person
from surgery.domain.erasing import erasing_attendee, erasing_own, withdrawing_consent
from surgery.domain.personal_data import (
    AttendeeRecord,
    Feedback,
    Message,
    Place,
    SurgeonRecord,
    SurgeonSessionRecord,
    attendee_export,
    is_surgeon_kind,
    surgeon_export,
    theirs,
)
from surgery.domain.visibility import SurgeonView

AT = dt.datetime(2027, 3, 6, 10, 5, tzinfo=dt.UTC)


def ann(**changes) -> AttendeeRecord:
    """Ann, with every answer given and consent to keep and share them."""
    values = dict(
        name="Ann Example",
        email="ann@example.org",
        event="Leeds surgery",
        day="Saturday 6 March 2027",
        booked_at=AT,
        walk_in=False,
        topics=("Facebook",),
        help_text="My page was hacked",
        languages=("BSL",),
        role_tags=("Lived experience of mental health difficulties",),
        access_needs=("Step-free access",),
        access_other="A ramp",
        wants_lived_experience=True,
        consent_sensitive=True,
        consent_at=AT,
        share_with_surgeon=True,
        places=(
            Place("Surgery space", "10am", "confirmed", surgeon_name="Sue Smith"),
            Place("Workshop", "1pm", "waitlisted", waiting_position=2),
        ),
        checked_in_at=AT,
        feedback=Feedback("How to report a hacked page", True, AT),
        messages=(
            Message("ann@example.org", "booking_confirmed", "Booked: Surgery space", "sent", AT),
            Message("bob@example.org", "booking_confirmed", "Booked: Surgery space", "sent", AT),
            Message("ANN@example.org", "surgeon_link", "Your volunteer link", "sent", AT),
        ),
    )
    return AttendeeRecord(**(values | changes))


def test_an_attendee_export_holds_their_answers_consents_places_and_messages():
    data = attendee_export(ann())
    assert data["you"]["name"] == "Ann Example" and data["you"]["email"] == "ann@example.org"
    assert data["your_answers"]["access_other"] == "A ramp"
    assert data["consents"] == {
        "keep_answers_about_you": True,
        "given_at": "2027-03-06T10:05:00+00:00",
        "share_with_your_surgeon": True,
        "ask_four_weeks_after": False,
    }
    assert data["sessions"][0]["your_surgeon"] == "Sue"  # a first name only
    assert data["sessions"][1]["waiting_list_number"] == 2
    assert data["check_in"]["checked_in_at"] == "2027-03-06T10:05:00+00:00"
    assert data["feedback"]["learned"] == "How to report a hacked page"
    json.dumps(data)  # plain values only


def test_only_messages_to_them_as_an_attendee_are_theirs():
    data = attendee_export(ann())
    assert [m["subject"] for m in data["messages"]] == ["Booked: Surgery space"]
    assert "bob@example.org" not in json.dumps(data)


def test_without_consent_no_sensitive_answer_is_exported():
    data = attendee_export(ann(consent_sensitive=False))
    answers = data["your_answers"]
    assert (answers["role_tags"], answers["access_needs"], answers["access_other"]) == ([], [], "")
    assert answers["wants_lived_experience"] is False
    assert data["consents"]["given_at"] is None
    assert data["consents"]["share_with_your_surgeon"] is False


def test_a_surgeon_export_shows_attendees_only_as_the_surgeon_may_see_them():
    record = SurgeonRecord(
        name="Sue Smith",
        email="sue@example.org",
        event="Leeds surgery",
        day="Saturday 6 March 2027",
        volunteered_at=AT,
        status="approved",
        bio="Blogger",
        topics=("Blogging",),
        languages=(),
        capacity=2,
        role_tags=("Volunteer",),
        consent_sensitive=True,
        sessions=(
            SurgeonSessionRecord(
                "Surgery space",
                "10am",
                (SurgeonView("Ann", ("Facebook",)), SurgeonView("Bo B", ("Video",), "words")),
            ),
        ),
        messages=(
            Message("sue@example.org", "surgeon_confirmed", "You are a surgeon", "sent", AT),
            Message("sue@example.org", "booking_confirmed", "Booked: Workshop", "sent", AT),
        ),
    )
    data = surgeon_export(record)
    assert data["sessions"][0]["helping"] == [
        {"name": "Ann", "topics": ["Facebook"]},
        {"name": "Bo B", "topics": ["Video"], "help_text": "words"},
    ]
    assert [m["subject"] for m in data["messages"]] == ["You are a surgeon"]
    assert data["your_answers"]["role_tags"] == ["Volunteer"]


def test_which_messages_are_a_surgeons():
    assert is_surgeon_kind("surgeon_unmatched") and not is_surgeon_kind("booking_unmatched")
    assert theirs([Message("a@x.org", "booking_link", "s", "sent", None)], None, False) == []


def test_erasing_says_what_goes_and_who_is_told():
    place = LostPlace(
        session="Workshop",
        holder=Person("Ann", "ann@example.org"),
        confirmed=True,
        promoted=(Person("Wally", "wally@example.org"),),
        surgeon=Person("Sue", "sue@example.org"),
    )
    own = erasing_own("Leeds surgery", [place])
    assert "1 person on the waiting list will get your place and be emailed." in own.happens
    assert any("will be emailed that you are not coming" in line for line in own.happens)
    assert own.emailed == {"ann@example.org", "wally@example.org", "sue@example.org"}
    assert "Wally" not in " ".join(own.happens)  # others are counted, never named to her
    by_organiser = erasing_attendee("Ann", [place])
    assert by_organiser.question == "Erase Ann?"
    assert any("(Wally) will get the place" in line for line in by_organiser.happens)
    assert erasing_own("Leeds surgery", []).emailed == frozenset()


def test_withdrawing_consent_names_each_kind_of_answer_and_emails_nobody():
    asked = withdrawing_consent()
    said = " ".join(asked.happens)
    for kind in ("role tags", "access needs", "help with", "languages", "lived experience"):
        assert kind in said
    assert asked.emailed == frozenset()
    assert "languages" not in " ".join(withdrawing_consent(surgeon=True).happens)
