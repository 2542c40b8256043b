"""People on the upcoming days: bookings, a full workshop with a waiting list, surgeons
approved and one volunteer still to approve."""

from surgery.demo.days import session_of
from surgery.demo.people import about, book, volunteer
from surgery.events.models import SURGERY, WORKSHOP, Event

# name, topics, what they want help with
FIRST_DAY_SURGERY = [
    ("Ada Example", ("Instagram",), "Back again: now our group wants to start on Instagram."),
    ("Jo Sample-Person", ("Facebook",), "Our Facebook page has gone quiet. How do we post more?"),
    ("Kit Placeholder", ("Websites",), "Our website is years old and nobody can edit it."),
    ("Lou Fictional", ("Online safety and privacy",), "Keeping my own account private."),
    ("Max Madeup", ("Video",), "Short videos of our choir for the website."),
]
# the workshop has 6 places: the last two join its waiting list
FIRST_DAY_WORKSHOP = [
    "Ned Example",
    "Oona Sample",
    "Pip Placeholder",
    "Quin Fictional",
    "Rae Madeup",
    "Sol Testperson",
    "Tam Example",
    "Uma Sample",
]
SURGEONS = [
    ("Sam Surgeon", ("Facebook", "Instagram"), "I run the socials for a community radio station."),
    ("Pat Helper", ("Blogging", "Websites"), "Web editor at a small charity."),
]
NEW_VOLUNTEER = ("Vic Newvolunteer", ("Email newsletters",), "First time volunteering.")


def fill(days: list[Event]) -> None:
    """Book and staff the first two upcoming days."""
    first, second = days[0], days[1]
    surgery, workshop = session_of(first, SURGERY), session_of(first, WORKSHOP)
    for name, topics, help_text in FIRST_DAY_SURGERY:
        book(first, name, [surgery.id], about(topics, help_text))
    for name in FIRST_DAY_WORKSHOP:
        book(first, name, [workshop.id], about(("Blogging",)))
    for name, topics, bio in SURGEONS:
        volunteer(first, name, topics, bio)
    name, topics, bio = NEW_VOLUNTEER
    volunteer(first, name, topics, bio, approve=False)
    # the second day's workshop is in the room and online
    online = session_of(second, WORKSHOP)
    book(second, "Wyn Example", [online.id], about(("Blogging",), "Joining from home."))
    book(second, "Xan Sample", [online.id, session_of(second, SURGERY).id], about(("Blogging",)))
    volunteer(second, *SURGEONS[0])
