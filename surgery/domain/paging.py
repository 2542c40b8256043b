"""Which page of a long list to show: whatever was typed in the address gives a real page."""

from dataclasses import dataclass

# more digits than this is no page any list has: the last page, without reading a huge number
MAX_DIGITS = 9


@dataclass(frozen=True)
class Page:
    """One page of a list: its number (from 1), the last page's number, and its rows' span."""

    number: int
    last: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        """How many rows come before this page's first."""
        return (self.number - 1) * self.size

    @property
    def first_row(self) -> int:
        """The first row's number on this page (from 1); 0 when the list is empty."""
        return self.offset + 1 if self.total else 0

    @property
    def last_row(self) -> int:
        """The last row's number on this page."""
        return min(self.total, self.number * self.size)

    @property
    def has_previous(self) -> bool:
        """Whether there is a page before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether there is a page after this one."""
        return self.number < self.last


def page_of(asked: str | None, total: int, size: int) -> Page:
    """The page asked for, kept within the list: nothing, 0, a negative number or text gives
    the first page; a number past the end gives the last."""
    last = max(1, -(-total // size))
    text = (asked or "").strip()
    if not (text.isascii() and text.isdecimal()):
        return Page(1, last, size, total)
    number = last if len(text) > MAX_DIGITS else int(text)
    return Page(min(max(number, 1), last), last, size, total)
