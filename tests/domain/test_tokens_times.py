"""Manage tokens and local times, without Flask or a database."""

import datetime as dt

from surgery.domain import accounts, tokens
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


def test_account_link_tokens_need_the_seed_the_secret_and_the_purpose():
    seed = tokens.new_form_key()
    token = tokens.account_link_token("s", "reset", seed)
    assert token == tokens.account_link_token("s", "reset", seed)
    assert token != tokens.account_link_token("s", "invite", seed)
    assert token != tokens.account_link_token("other secret", "reset", seed)
    assert token != tokens.manage_token("s", seed)
    assert len(token) * 6 >= 128


def test_account_links_last_an_hour_for_a_reset_and_7_days_for_an_invite():
    now = dt.datetime(2027, 3, 6, 10, 0, tzinfo=dt.UTC)
    reset = accounts.link_expires_at(accounts.RESET, now)
    invite = accounts.link_expires_at(accounts.INVITE, now)
    assert reset == now + dt.timedelta(hours=1)
    assert invite == now + dt.timedelta(days=7)
    assert accounts.link_is_open(reset, reset - dt.timedelta(seconds=1))
    assert not accounts.link_is_open(reset, reset)
