"""Text as people type it, without the control characters no name or answer needs."""

import unicodedata

LINE_BREAKS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def one_line(value: str | None) -> str | None:
    """A single line: line breaks and tabs become spaces, other control characters go.

    Only text is cleaned: a form filled from a row may be given its stored list (the
    languages someone gave), which the view then shows as text itself."""
    if not isinstance(value, str):
        return value
    return "".join(
        " " if char in LINE_BREAKS or char == "\t" else char
        for char in value
        if char in LINE_BREAKS or char == "\t" or not _is_control(char)
    )


def lines(value: str | None) -> str | None:
    """Several lines: every kind of line break becomes \\n, tabs stay, other control
    characters go."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n")
    return "".join(
        "\n" if char in LINE_BREAKS else char
        for char in value
        if char in LINE_BREAKS or char == "\t" or not _is_control(char)
    )


def _is_control(char: str) -> bool:
    """C0 and C1 control characters (NUL, escape, bell and the like)."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")
