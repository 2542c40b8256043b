"""Where a session takes place, and which video links are kept."""

from surgery.domain.online import HYBRID, IN_PERSON, ONLINE, public_place, url_problem


def test_a_https_link_with_a_host_is_kept():
    assert url_problem("https://meet.example.org/abc?pwd=1", ONLINE) is None
    assert url_problem(" https://meet.example.org/abc ", HYBRID) is None


def test_other_links_are_refused():
    for bad in ("", "http://a.org", "ftp://a.org", "https:///x", "https://a.org/ b", "meet.org"):
        assert url_problem(bad, ONLINE), bad
    assert url_problem("https://a.org/" + "x" * 600, ONLINE)
    assert url_problem("https://[::1", ONLINE)


def test_a_session_in_person_has_no_link():
    assert url_problem("", IN_PERSON) is None
    assert url_problem("https://a.org", IN_PERSON)


def test_the_public_sees_where_but_not_the_link():
    assert public_place(ONLINE, "Library, Leeds") == "Online"
    assert public_place(HYBRID, "Library, Leeds") == "Library, Leeds, and online"
    assert public_place(IN_PERSON, "Library, Leeds") == "Library, Leeds"
