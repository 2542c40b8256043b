"""Which links a shared resource may hold, how they are stored, and an organiser's check."""

import pytest

from surgery.domain.resources import (
    APPROVE,
    APPROVED,
    PENDING,
    REJECT,
    REJECTED,
    URL_LIMIT,
    LinkRefused,
    decided,
    normalised_link,
)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("https://Example.ORG/Guide?x=1#part", "https://example.org/Guide?x=1#part"),
        ("example.org/guide", "https://example.org/guide"),
        ("  HTTP://example.org  ", "http://example.org/"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"),
        ('https://example.org/"><script>', "https://example.org/%22%3E%3Cscript%3E"),
    ],
)
def test_links_are_stored_normalised(typed, stored):
    assert normalised_link(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "javascript://example.org/%0Aalert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "mailto:someone@example.org",
        "ftp://example.org/file",
        "https://",
        "https://localhost/",
        "https://user:secret@example.org/",
        "https://example.org:99999/",
        "https://example.org/a b",
        "https://example.org/\x00",
        "https://exa mple.org",
        "https://" + "a" * URL_LIMIT + ".org",
    ],
)
def test_links_of_other_kinds_are_refused(typed):
    with pytest.raises(LinkRefused):
        normalised_link(typed)


def test_a_check_moves_a_resource_on_only_from_where_it_can():
    assert decided(PENDING, APPROVE) == APPROVED
    assert decided(PENDING, REJECT) == REJECTED
    assert decided(APPROVED, REJECT) == REJECTED  # hidden again
    assert decided(REJECTED, APPROVE) == APPROVED
    assert decided(APPROVED, APPROVE) is None
    assert decided(PENDING, "delete") is None
