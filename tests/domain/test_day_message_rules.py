"""Who a message to a day's people reaches: the audiences, each address once, and what
the preview says of it."""

from surgery.domain.day_messages import (
    BOOKED,
    BOOKING,
    OFFERED,
    SURGEON,
    SURGEONS,
    WAITING,
    NumbersChanged,
    Place,
    audience_words,
    booking_audience,
    count_sentence,
    recipients,
    subject_problem,
    surgeon_audience,
)


def booking(audience, row_id, name, email, seed=None):
    return Place(audience, BOOKING, row_id, name, email, seed or f"b{row_id}")


def surgeon(audience, row_id, name, email, seed=None):
    return Place(audience, SURGEON, row_id, name, email, seed or f"s{row_id}")


DAY = [
    booking(BOOKED, 1, "Sam", "sam@example.org"),
    booking(BOOKED, 1, "Sam", "sam@example.org"),  # a second session
    booking(WAITING, 1, "Sam", "sam@example.org"),  # waiting for a third
    booking(WAITING, 2, "Ana", "ana@example.org"),
    booking(BOOKED, 3, "Walk-in", None),
    booking(BOOKED, 3, "Walk-in", None),
    booking(WAITING, 4, "Lee", None),
    surgeon(SURGEONS, 7, "Sam as surgeon", "SAM@Example.org"),
    surgeon(SURGEONS, 8, "Sue", "sue@example.org"),
    surgeon(OFFERED, 9, "Pat", "pat@example.org"),
]


def emails(found) -> list[str]:
    return [person.email for person in found.people]


def test_cancelled_places_and_declined_or_withdrawn_surgeons_are_in_no_audience():
    assert booking_audience("confirmed") == BOOKED
    assert booking_audience("waitlisted") == WAITING
    assert booking_audience("cancelled") is None
    assert surgeon_audience("approved") == SURGEONS
    assert surgeon_audience("pending") == OFFERED
    assert surgeon_audience("declined") is None
    assert surgeon_audience("withdrawn") is None


def test_each_audience_alone():
    assert emails(recipients(DAY, [BOOKED])) == ["sam@example.org"]
    assert emails(recipients(DAY, [WAITING])) == ["sam@example.org", "ana@example.org"]
    assert emails(recipients(DAY, [SURGEONS])) == ["sam@example.org", "sue@example.org"]
    assert emails(recipients(DAY, [OFFERED])) == ["pat@example.org"]


def test_one_person_in_every_audience_is_one_email_with_both_links():
    found = recipients(DAY, [BOOKED, WAITING, SURGEONS, OFFERED])

    assert emails(found) == [
        "sam@example.org",
        "ana@example.org",
        "sue@example.org",
        "pat@example.org",
    ]
    sam = found.people[0]
    assert (sam.name, sam.booking_seed, sam.surgeon_seed) == ("Sam", "b1", "s7")


def test_a_surgeon_first_takes_the_booking_name_and_link_when_they_booked_too():
    places = [surgeon(SURGEONS, 7, "Dr Sam", "sam@example.org"), DAY[0]]

    [sam] = recipients(places, [BOOKED, SURGEONS]).people

    assert (sam.name, sam.booking_seed, sam.surgeon_seed) == ("Sam", "b1", "s7")


def test_people_without_an_address_are_counted_once_each():
    assert recipients(DAY, [BOOKED]).without_email == 1
    assert recipients(DAY, [BOOKED, WAITING]).without_email == 2
    assert recipients(DAY, [SURGEONS]).without_email == 0
    removed = [surgeon(SURGEONS, 9, "removed", "removed-9")]  # after the day's data went
    assert recipients(removed, [SURGEONS]).without_email == 1


def test_the_count_sentence():
    assert count_sentence(recipients(DAY, [BOOKED, WAITING])) == (
        "2 people will get it. 2 people have no email address and will not get it."
    )
    assert count_sentence(recipients(DAY, [BOOKED])) == (
        "1 person will get it. 1 person has no email address and will not get it."
    )
    assert count_sentence(recipients(DAY, [OFFERED])) == "1 person will get it."
    assert count_sentence(recipients([], [BOOKED])) == "Nobody will get it."


def test_audience_words():
    assert audience_words([SURGEONS, BOOKED]) == "booked and surgeons"
    assert audience_words([BOOKED, WAITING, OFFERED]) == "booked, waiting and volunteers"
    assert audience_words([WAITING]) == "waiting"


def test_a_subject_is_one_line_and_a_discreet_day_is_not_named():
    assert subject_problem("Room change", "Mind surgery", discreet=True) is None
    assert "one line" in subject_problem("Room\nchange", "Mind surgery", discreet=False)
    assert "one line" in subject_problem("Room\u2028change", "Mind surgery", discreet=False)
    assert "discreet" in subject_problem("Mind Surgery: room change", "Mind surgery", True)
    assert subject_problem("Mind surgery: room change", "Mind surgery", discreet=False) is None


def test_numbers_changed_says_both_numbers():
    said = str(NumbersChanged(4, 5))
    assert "from 4 to 5" in said and "Nothing was sent" in said
