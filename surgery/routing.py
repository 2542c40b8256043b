"""URL converters, and ids sent in forms."""

from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**31 - 1  # PostgreSQL's integer; a larger number in a URL is simply not found


class IdConverter(IntegerConverter):
    """`<int:…>` that refuses numbers no row can have, so they are a 404, not a crash."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def form_id(value: str) -> int | None:
    """An id sent in a form, or None when it is not one any row can have."""
    if not (value.isascii() and value.isdecimal()):
        return None
    number = int(value)
    return number if 0 < number <= LARGEST_ID else None
