"""What a change will do, said before it is done: the words and the counts, without an app."""

from surgery.domain import asking
from surgery.domain.asking import LostPlace, Person, StandingDown

SAM = Person("Sam Patel", "sam@example.org")
ANN, BO = Person("Ann", "ann@example.org"), Person("Bo", "bo@example.org")
KIT = Person("Kit")  # a walk-in who gave no email address
SUE = Person("Sue", "sue@example.org")


def test_names_are_listed_in_plain_english_and_long_lists_counted():
    assert asking.names(["Ann"]) == "Ann"
    assert asking.names(["Ann", "Bo"]) == "Ann and Bo"
    assert asking.names(["Ann", "Bo", "Cy"]) == "Ann, Bo and Cy"
    assert asking.names([f"P{n}" for n in range(7)]) == "P0, P1, P2, P3, P4 and 2 others"
    assert asking.names([f"P{n}" for n in range(6)]) == "P0, P1, P2, P3, P4 and 1 other"
    assert (asking.people(1), asking.people(2)) == ("1 person", "2 people")


def test_an_organiser_cancelling_a_place_says_who_is_told_and_who_moves_up():
    what = asking.cancelling_booking(LostPlace("Workshop", SAM, True, (ANN,), SUE))

    assert what.question == "Cancel Sam Patel’s booking for Workshop?"
    assert what.happens == (
        "Sam Patel will lose their place in Workshop and be emailed that it is cancelled.",
        "1 person on the waiting list (Ann) will get the place and be emailed.",
        "Sue, who was going to help Sam Patel, will be emailed that Sam Patel is not coming.",
    )
    assert what.emailed_count == 3
    assert what.emailed_line == "In all, 3 people will be emailed."
    assert what.yes == "Yes, cancel the booking"


def test_nobody_waiting_and_nobody_emailed_is_said_too():
    what = asking.cancelling_booking(LostPlace("Workshop", KIT, True))

    assert what.happens == (
        "Kit will lose their place in Workshop. They gave no email address.",
        "Nobody is waiting for the place, so it will be free for someone to book.",
    )
    assert what.emailed_line == "Nobody will be emailed."


def test_taking_someone_off_the_waiting_list_emails_nobody():
    what = asking.cancelling_booking(LostPlace("Workshop", SAM, False))

    assert what.happens == (
        "Sam Patel will be taken off the waiting list for Workshop. They are not emailed.",
    )
    assert what.emailed_count == 0


def test_promoted_people_without_an_email_are_named_as_not_told():
    what = asking.cancelling_booking(LostPlace("Workshop", SAM, True, (ANN, KIT)))

    assert "2 people on the waiting list (Ann and Kit) will get the places." in what.happens
    assert "Kit gave no email address, so cannot be told." in what.happens
    assert what.emailed == frozenset({"sam@example.org", "ann@example.org"})


def test_an_attendee_is_told_counts_never_other_peoples_names():
    places = [
        LostPlace("Surgery space", SAM, True, (ANN,), SUE),
        LostPlace("Workshop", SAM, False),
    ]

    what = asking.cancelling_own(places)

    assert what.question == "Cancel all your sessions?"
    assert what.yes == "Yes, cancel them all"
    assert what.happens == (
        "Your place in Surgery space will be cancelled, and we will email you to say so.",
        "1 person on the waiting list will get your place and be emailed.",
        "The surgeon who was going to help you in Surgery space will be emailed that you are "
        "not coming.",
        "You will leave the waiting list for Workshop.",
    )
    assert "Ann" not in " ".join(what.happens) and "Sue" not in " ".join(what.happens)
    assert what.emailed_count == 3  # Sam once, though cancelled twice


def test_one_session_asks_about_that_session():
    assert asking.cancelling_own([LostPlace("Workshop", SAM, True)]).question == (
        "Cancel your place in Workshop?"
    )
    leave = asking.cancelling_own([LostPlace("Workshop", SAM, False)])
    assert (leave.question, leave.yes) == (
        "Leave the waiting list for Workshop?",
        "Yes, leave the waiting list",
    )
    assert leave.emailed_count == 0


def test_declining_a_pending_volunteer_emails_only_them():
    what = asking.declining_surgeon(StandingDown(SUE, "pending", ("Morning",)))

    assert (what.question, what.yes) == ("Decline Sue?", "Yes, decline Sue")
    assert what.emailed == frozenset({"sue@example.org"})


def test_removing_an_approved_surgeon_tells_the_people_they_would_help():
    what = asking.declining_surgeon(
        StandingDown(SUE, "approved", ("Morning", "Afternoon"), (ANN, BO))
    )

    assert (what.question, what.yes) == ("Remove Sue from this day?", "Yes, remove Sue")
    assert what.happens == (
        "Sue will be emailed that they are no longer needed, and their invites for Morning and "
        "Afternoon will be taken out of their calendar.",
        "Sue was going to help 2 people (Ann and Bo). They keep their places, and will each be "
        "emailed that their surgeon cannot come.",
    )
    assert what.emailed_line == "In all, 3 people will be emailed."


def test_a_surgeon_already_gone_has_nothing_to_ask():
    for status in ("declined", "withdrawn"):
        what = asking.declining_surgeon(StandingDown(SUE, status, ("Morning",)))
        assert what.yes is None
        assert what.happens == (f"Nothing will change: Sue has already {status}.",)
        assert what.emailed_count == 0
    assert asking.withdrawing(StandingDown(SUE, "withdrawn", ())).yes is None


def test_withdrawing_counts_the_people_the_surgeon_would_help_without_naming_them():
    approved = asking.withdrawing(StandingDown(SUE, "approved", ("Morning",), (ANN,)))
    assert approved.happens == (
        "You will be taken off Morning, and we will email you to take them out of your calendar.",
        "You were going to help 1 person. They keep their place, and will be emailed that "
        "their surgeon cannot come.",
    )
    assert approved.emailed_count == 2

    pending = asking.withdrawing(StandingDown(SUE, "pending", ("Morning",)))
    assert pending.emailed_line == "Nobody will be emailed."


def test_marking_a_surgeon_gone_says_who_waits_again_and_emails_nobody():
    what = asking.leaving_the_floor("Sue", ["Ann"])

    assert what.question == "Mark Sue as gone?"
    assert what.happens[0] == (
        "Sue is helping Ann now. Ann will wait again, and the time they waited before still counts."
    )
    assert what.emailed_line == "Nobody will be emailed."
    assert asking.leaving_the_floor("Sue", []).happens[0] == "Sue is not helping anyone right now."


def test_asking_for_feedback_counts_who_will_be_emailed():
    what = asking.asking_for_feedback([ANN, BO])
    assert what.happens[0].startswith("2 people who came and gave an email address")
    assert what.emailed_count == 2

    nobody = asking.asking_for_feedback([])
    assert nobody.yes is None
    assert nobody.emailed_count == 0


def test_accepting_pairs_tells_each_person_once_and_is_not_a_red_button():
    what = asking.accepting_pairs([(ANN, SUE), (BO, SUE), (KIT, SUE)])

    assert what.question == "Accept 3 pairs and tell everyone?"
    assert what.happens[-1] == "Kit gave no email address, so cannot be told."
    assert what.emailed_count == 3
    assert not what.undoes
    assert asking.accepting_pairs([]).yes is None


def test_a_place_lost_on_a_cancelled_day_says_nobody_moves_up():
    what = asking.cancelling_own([LostPlace("Workshop", SAM, True, day_cancelled=True)])

    assert "This day is cancelled, so nobody moves up; the waiting list is kept." in what.happens
    assert not any("free for someone to book" in line for line in what.happens)


def test_publishing_a_day_says_how_many_subscribers_are_emailed():
    what = asking.publishing("Leeds surgery", ["a@example.org", "b@example.org"])
    assert what.happens[0] == "Leeds surgery will be open for booking on the public pages."
    assert what.happens[1].startswith("2 people who asked to hear about new surgery days")
    assert what.emailed_line == "In all, 2 people will be emailed."
    assert (what.yes, what.undoes) == ("Yes, publish and email them", False)
    assert asking.publishing("Day", ["a@example.org"]).happens[1].startswith("1 person who")
