"""Manage tokens and local times, without Flask or a database."""

import datetime as dt

from surgery.domain import tokens
from surgery.domain.times import is_timezone, local_to_utc, utc_to_local


def test_form_keys_are_random_and_recognised():
    first, second = tokens.new_form_key(), tokens.new_form_key()
    assert first != second
    assert tokens.is_form_key(first)
    assert not tokens.is_form_key("short")
    assert not tokens.is_form_key(None)


def test_one_seed_always_leads_to_the_same_token_and_other_seeds_do_not():
    key = tokens.new_form_key()
    assert tokens.manage_token("s", key) == tokens.manage_token("s", key)
    assert tokens.manage_token("s", key) != tokens.manage_token("s", tokens.new_form_key())
    assert tokens.manage_token("s", key) != tokens.manage_token("other secret", key)


def test_tokens_carry_at_least_128_bits_and_are_stored_hashed():
    token = tokens.manage_token("s", tokens.new_form_key())
    assert len(token) * 6 >= 128
    assert tokens.hash_token(token) != token
    assert len(tokens.hash_token(token)) == 64


def test_london_times_follow_daylight_saving():
    winter = local_to_utc(dt.datetime(2027, 1, 10, 10, 0), "Europe/London")
    summer = local_to_utc(dt.datetime(2027, 3, 28, 10, 0), "Europe/London")
    assert (winter.hour, summer.hour) == (10, 9)
    assert utc_to_local(summer, "Europe/London").hour == 10


def test_timezone_names_are_checked():
    assert is_timezone("Europe/London")
    assert not is_timezone("Mars/Olympus")
    assert not is_timezone("../etc/passwd")
