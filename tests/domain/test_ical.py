"""Building calendar files, without Flask or a database; read back with vobject."""

import ast
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import vobject

from surgery.domain import ical
from tests.ical_lines import property_names, uses_timezones

LONDON = ZoneInfo("Europe/London")
STAMP = dt.datetime(2027, 3, 1, 12, 30, tzinfo=dt.UTC)
ORGANISER = ical.Person("org@example.org", "Leeds Surgery")
ATTENDEE = ical.Person("zoe@example.org", "Zoë Ünïcode")


def entry(**changes) -> ical.Entry:
    """A session at 10:00 London time on the day British Summer Time starts."""
    fields = {
        "uid": "booking-1@social-media-surgery",
        "sequence": 0,
        "summary": "Surgery space – Haworth surgery",
        "starts_at": dt.datetime(2027, 3, 28, 10, 0, tzinfo=LONDON),
        "ends_at": dt.datetime(2027, 3, 28, 12, 0, tzinfo=LONDON),
        "location": "Café Brontë, Haworth",
        "description": "Surgery: Surgery space\n\nAccess: step-free; quiet room upstairs",
        "url": "https://surgery.example.org/bookings/abc",
    }
    return ical.Entry(**{**fields, **changes})


def read(raw: bytes):
    """Check the lines are CRLF and folded at 75 octets, then parse with vobject."""
    assert raw.endswith(b"\r\n")
    for line in raw[:-2].split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")  # never folded inside a character
    return vobject.readOne(raw.decode("utf-8"))


def test_request_has_everything_a_calendar_needs_to_accept_it():
    calendar = read(ical.invite(entry(), ical.REQUEST, ORGANISER, ATTENDEE, STAMP))
    assert calendar.method.value == "REQUEST"
    assert calendar.prodid.value == ical.PRODID
    event = calendar.vevent
    assert event.uid.value == "booking-1@social-media-surgery"
    assert event.sequence.value == "0"
    assert event.status.value == "CONFIRMED"
    assert event.dtstamp.value == STAMP
    assert event.organizer.value == "mailto:org@example.org"
    assert event.organizer.params["CN"] == ["Leeds Surgery"]
    assert event.attendee.value == "mailto:zoe@example.org"
    assert event.attendee.params == {
        "CN": ["Zoë Ünïcode"],
        "ROLE": ["REQ-PARTICIPANT"],
        "PARTSTAT": ["NEEDS-ACTION"],
        "RSVP": ["FALSE"],  # no reply is asked for: nothing reads replies
    }
    assert event.location.value == "Café Brontë, Haworth"
    assert event.description.value == entry().description
    assert event.url.value == "https://surgery.example.org/bookings/abc"


def test_times_are_written_in_utc_across_daylight_saving():
    spring = ical.invite(entry(), ical.REQUEST, ORGANISER, ATTENDEE, STAMP)
    autumn_start = dt.datetime(2027, 10, 31, 10, 0, tzinfo=LONDON)
    autumn = entry(starts_at=autumn_start, ends_at=autumn_start + dt.timedelta(hours=2))
    autumn_raw = ical.invite(autumn, ical.REQUEST, ORGANISER, ATTENDEE, STAMP)

    assert read(spring).vevent.dtstart.value == dt.datetime(2027, 3, 28, 9, 0, tzinfo=dt.UTC)
    assert read(autumn_raw).vevent.dtstart.value == dt.datetime(2027, 10, 31, 10, tzinfo=dt.UTC)
    assert b"\r\nDTSTART:20270328T090000Z\r\n" in spring
    assert b"\r\nDTEND:20270328T110000Z\r\n" in spring
    assert b"\r\nDTSTART:20271031T100000Z\r\n" in autumn_raw
    for raw in (spring, autumn_raw):
        assert not uses_timezones(raw)


def test_dtstamp_is_utc_whatever_zone_it_was_given_in():
    stamp = dt.datetime(2027, 7, 1, 13, 30, tzinfo=LONDON)
    raw = ical.invite(entry(), ical.REQUEST, ORGANISER, ATTENDEE, stamp)
    assert b"\r\nDTSTAMP:20270701T123000Z\r\n" in raw


def test_cancel_is_cancelled_with_the_same_uid_and_its_sequence():
    raw = ical.invite(entry(sequence=2), ical.CANCEL, ORGANISER, ATTENDEE, STAMP)
    calendar = read(raw)
    assert calendar.method.value == "CANCEL"
    event = calendar.vevent
    assert (event.uid.value, event.sequence.value) == ("booking-1@social-media-surgery", "2")
    assert event.status.value == "CANCELLED"
    assert len(event.attendee_list) == 1


@pytest.mark.parametrize("method", [ical.PUBLISH, "ADD", "request", ""])
def test_an_invite_is_only_request_or_cancel(method):
    with pytest.raises(ValueError, match="REQUEST or CANCEL"):
        ical.invite(entry(), method, ORGANISER, ATTENDEE, STAMP)


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": dt.datetime(2027, 3, 28, 10, 0)},
        {"ends_at": dt.datetime(2027, 3, 28, 12, 0)},
    ],
)
def test_an_invite_refuses_naive_times(changes):
    with pytest.raises(ValueError, match="timezone-aware"):
        ical.invite(entry(**changes), ical.REQUEST, ORGANISER, ATTENDEE, STAMP)


def test_an_invite_refuses_a_naive_stamp():
    with pytest.raises(ValueError, match="timezone-aware"):
        ical.invite(entry(), ical.REQUEST, ORGANISER, ATTENDEE, dt.datetime(2027, 3, 1, 12))


def test_a_feed_is_published_without_attendees():
    entries = [
        entry(organiser=ORGANISER),
        entry(uid="booking-2@social-media-surgery", summary="Workshop", organiser=ORGANISER),
        entry(uid="booking-3@social-media-surgery", cancelled=True, organiser=ORGANISER),
    ]
    raw = ical.feed(entries, "Surgery days", STAMP)
    assert "ATTENDEE" not in property_names(raw)
    calendar = read(raw)
    assert calendar.method.value == "PUBLISH"
    assert calendar.contents["x-wr-calname"][0].value == "Surgery days"
    events = {e.uid.value: e for e in calendar.vevent_list}
    assert list(events) == [e.uid for e in entries]
    for event in events.values():
        assert "attendee" not in event.contents
        assert event.organizer.value == "mailto:org@example.org"
        assert event.dtstamp.value == STAMP
        assert event.dtstart.value == dt.datetime(2027, 3, 28, 9, 0, tzinfo=dt.UTC)
    assert events["booking-3@social-media-surgery"].status.value == "CANCELLED"
    assert events["booking-1@social-media-surgery"].status.value == "CONFIRMED"


def test_a_feed_refuses_naive_times():
    with pytest.raises(ValueError, match="timezone-aware"):
        ical.feed([entry(starts_at=dt.datetime(2027, 3, 28, 10))], "Surgery days", STAMP)


def test_an_empty_feed_is_still_a_calendar():
    calendar = read(ical.feed([], "Surgery days", STAMP))
    assert calendar.method.value == "PUBLISH"
    assert "vevent" not in calendar.contents


def test_long_non_ascii_text_is_folded_between_characters_and_read_back_whole():
    description = "Accès de plain-pied, toilettes adaptées, salle calme – ✓ 😊 " * 10
    raw = ical.invite(entry(description=description), ical.REQUEST, ORGANISER, ATTENDEE, STAMP)
    assert any(line.startswith(b" ") for line in raw.split(b"\r\n"))
    assert read(raw).vevent.description.value == description


def test_text_with_commas_semicolons_and_newlines_is_escaped():
    text = "Room 2; first floor, by the lift\nAsk at the desk\\reception"
    raw = ical.invite(
        entry(location=text, description=text), ical.REQUEST, ORGANISER, ATTENDEE, STAMP
    )
    event = read(raw).vevent
    assert event.location.value == text
    assert event.description.value == text


def test_uids_are_new_every_time():
    uids = {ical.new_uid() for _ in range(1000)}
    assert len(uids) == 1000
    assert all(uid.endswith("@social-media-surgery") for uid in uids)


def test_the_calendar_module_imports_no_flask_or_database():
    tree = ast.parse(Path(ical.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"datetime", "uuid", "collections", "dataclasses", "icalendar"}, imported


def test_the_timezone_check_reads_properties_not_bytes():
    """A manage link may spell TZID by chance; only a real TZID parameter or block counts."""
    url_only = b"BEGIN:VEVENT\r\nURL:https://example.org/bookings/abTZIDcd\r\nEND:VEVENT\r\n"
    with_param = b"BEGIN:VEVENT\r\nDTSTART;TZID=Europe/London:20270328T100000\r\nEND:VEVENT\r\n"
    folded_block = b"BEGIN:VTIME\r\n ZONE\r\nTZID:Europe/London\r\nEND:VTIMEZONE\r\n"
    assert not uses_timezones(url_only)
    assert uses_timezones(with_param)
    assert uses_timezones(folded_block)
    assert property_names(b'ORGANIZER;CN="A: B":mailto:a@example.org\r\n') == {"ORGANIZER"}
