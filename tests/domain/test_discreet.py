"""Neutral wording for subjects and calendar titles of a discreet day."""

import datetime as dt

from surgery.domain.discreet import neutral_heading, neutral_title, shown_titles, titled

SUMMER_SATURDAY_9_UTC = dt.datetime(2027, 6, 5, 9, 0, tzinfo=dt.UTC)
WINTER_TUESDAY = dt.datetime(2027, 1, 12, 13, 30, tzinfo=dt.UTC)


def test_neutral_title_names_the_local_day_and_time_only():
    assert neutral_title(SUMMER_SATURDAY_9_UTC, "Europe/London") == "Drop-in session, Saturday 10am"
    assert neutral_title(WINTER_TUESDAY, "Europe/London") == "Drop-in session, Tuesday 1:30pm"


def test_neutral_title_follows_the_timezone_across_midnight():
    late = dt.datetime(2027, 6, 5, 23, 0, tzinfo=dt.UTC)
    assert neutral_title(late, "Europe/Berlin") == "Drop-in session, Sunday 1am"


def test_titled_keeps_the_plain_words_unless_discreet():
    plain = "Booked: Surgery space on Saturday 5 June 2027"
    assert titled(plain, False, SUMMER_SATURDAY_9_UTC, "Europe/London") == plain
    assert titled(plain, True, None, "Europe/London") == "Drop-in session"
    neutral = titled(plain, True, SUMMER_SATURDAY_9_UTC, "Europe/London")
    assert neutral == "Drop-in session, Saturday 10am"
    assert "surgery" not in neutral.lower()


def test_an_emails_neutral_heading_names_the_local_date_and_time_only():
    heading = neutral_heading(SUMMER_SATURDAY_9_UTC, "Europe/London")
    assert heading == "Your drop-in session on Saturday 5 June, 10am"
    assert neutral_heading(WINTER_TUESDAY, "Europe/London").endswith("Tuesday 12 January, 1:30pm")
    assert neutral_heading(None, "Europe/London") == "Your drop-in session"


def test_an_email_shows_the_titles_unless_the_day_is_discreet():
    titles = ("Mental health peer surgery", "Anxiety and your phone")
    assert shown_titles(*titles, False, SUMMER_SATURDAY_9_UTC, "Europe/London") == titles
    shown = shown_titles(*titles, True, SUMMER_SATURDAY_9_UTC, "Europe/London")
    assert shown == ("Your drop-in session on Saturday 5 June, 10am", "")
