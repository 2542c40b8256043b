"""Names are found however they are typed: accents, case, order and spacing aside."""

from surgery.domain import search_key


def test_accents_are_ignored():
    assert search_key.normalise("García") == "garcia"
    assert search_key.matches(search_key.key("José García"), "garcia")
    assert search_key.matches(search_key.key("Zoë Brontë"), "zoe")


def test_words_may_come_in_any_order():
    key = search_key.key("Amina Patel")
    assert search_key.matches(key, "patel amina")
    assert search_key.matches(key, "  PATEL   am ")
    assert not search_key.matches(key, "patel bob")


def test_letters_without_a_combining_mark_are_spelled_plainly():
    assert search_key.normalise("Łukasz Wałęsa") == "lukasz walesa"
    assert search_key.normalise("Straße") == "strasse"
    assert search_key.normalise("Søren Ærø") == "soren aero"


def test_the_email_is_searched_too_and_nothing_typed_matches_everyone():
    key = search_key.key("Sam", "Sam.Jones@Example.org")
    assert search_key.matches(key, "jones")
    assert search_key.matches(key, "")
    assert search_key.key(None) == ""


def test_the_key_has_a_bounded_length():
    assert len(search_key.key("a" * 300, "b" * 300)) == search_key.MAX_LENGTH
