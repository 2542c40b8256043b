"""A person's name as a search key: accents, case and spacing make no difference.

"García" is found by "garcia", "Łukasz" by "lukasz", "Amina Patel" by "patel amina".
The same rules run in the browser (static/js/checkin-filter.js) for the list already shown.
"""

import unicodedata

# letters NFKD leaves whole: they have no combining mark to strip
_NO_DECOMPOSITION = str.maketrans(
    {
        "ß": "ss",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
    }
)
MAX_LENGTH = 400


def normalise(text: str | None) -> str:
    """Lower-case words without accents, single-spaced: the form names are compared in."""
    text = (text or "").translate(_NO_DECOMPOSITION)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().translate(_NO_DECOMPOSITION).split())


def key(name: str | None, email: str | None = None) -> str:
    """What a person is searched by: their name, and their email if they gave one."""
    return normalise(" ".join(part for part in (name, email) if part))[:MAX_LENGTH]


def words(typed: str) -> list[str]:
    """The typed search as words to find, each anywhere in the key."""
    return normalise(typed).split()


def matches(search_key: str, typed: str) -> bool:
    """True when every typed word is part of the key (in any order)."""
    return all(word in search_key for word in words(typed))
