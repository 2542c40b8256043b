"""Which page of a long list an address gives: always a real one."""

import pytest

from surgery.domain.paging import page_of


@pytest.mark.parametrize(
    ("asked", "number"),
    [
        (None, 1),
        ("", 1),
        ("1", 1),
        ("3", 3),
        (" 3 ", 3),
        ("0", 1),
        ("-1", 1),
        ("2.5", 1),
        ("three", 1),
        ("٣", 1),  # an Arabic-Indic three is a digit to Python, not a page number here
        ("8", 8),
        ("9", 8),
        ("9" * 40, 8),
    ],
)
def test_what_was_asked_gives_a_page_of_the_list(asked, number):
    assert page_of(asked, 400, 50).number == number


def test_a_page_knows_its_rows_and_its_neighbours():
    middle, last = page_of("2", 120, 50), page_of("3", 120, 50)

    assert (middle.offset, middle.first_row, middle.last_row) == (50, 51, 100)
    assert middle.has_previous and middle.has_next
    assert (last.first_row, last.last_row, last.last) == (101, 120, 3)
    assert not last.has_next


def test_an_empty_list_has_one_empty_page():
    page = page_of("5", 0, 50)

    assert (page.number, page.last, page.first_row, page.last_row) == (1, 1, 0, 0)
    assert not page.has_previous and not page.has_next
