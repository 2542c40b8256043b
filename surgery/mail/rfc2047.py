"""Header text beyond ASCII as RFC 2047 encoded words, at most 75 characters each.

Words that are plain ASCII stay readable; each run of words that are not is written as
Q-encoded words (the spaces inside a run encoded with it), split between characters so no
encoded word is longer than 75 characters, and the header is folded between words. Runs are
kept whole where they fit: the email package's address parser puts a space between two
encoded words of a name, which RFC 2047 says to ignore.
"""

import string

LIMIT = 75  # characters in one encoded word (RFC 2047, section 2)
LINE = 78  # characters a header line should keep within (RFC 5322), CRLF not counted
START, END = "=?utf-8?q?", "?="
SAFE = frozenset(string.ascii_letters + string.digits + "!*+-/")  # as is in any Q-word
ATEXT = frozenset(string.ascii_letters + string.digits + "!#$%&'*+-/=?^_`{|}~")


def encode(header: str, value: str, phrase: bool = False) -> str:
    """The value of a header line ("Subject", or a display name when `phrase`), encoded
    where it must be and folded; the header's name is counted on the first line."""
    words = []
    for plain, run in _runs(value.split(" "), phrase):
        words += [run] if plain else _encoded_words(run)
    return _fold(len(header) + 2, words)


def _runs(tokens: list[str], phrase: bool):
    """(plain, text) for each run of words that stay as they are or must be encoded."""
    runs: list[tuple[bool, list[str]]] = []
    for token in tokens:
        plain = bool(token) and _is_plain(token, phrase)
        if runs and runs[-1][0] == plain and not plain:
            runs[-1][1].append(token)
        else:
            runs.append((plain, [token]))
    return [(plain, " ".join(words)) for plain, words in runs]


def _is_plain(token: str, phrase: bool) -> bool:
    """True for a word that can be written as it is: ASCII (only atom characters in a
    name) and nothing an encoded word could be read into."""
    if not token.isascii() or "=?" in token or not token.isprintable():
        return False
    return not phrase or set(token) <= ATEXT


def _encoded_words(text: str) -> list[str]:
    """Q-encoded words for the text, each at most LIMIT characters, never splitting a
    character's bytes between two words."""
    room = LIMIT - len(START) - len(END)
    words, current = [], ""
    for char in text:
        encoded = _q(char)
        if len(current) + len(encoded) > room:
            words.append(START + current + END)
            current = ""
        current += encoded
    return [*words, START + current + END]


def _q(char: str) -> str:
    """One character in Q encoding: safe ASCII as it is, a space as "_", else =XX bytes."""
    if char in SAFE:
        return char
    if char == " ":
        return "_"
    return "".join(f"={byte:02X}" for byte in char.encode("utf-8"))


def _fold(used: int, words: list[str]) -> str:
    """Words joined by spaces, a line break before a word that would pass LINE."""
    lines, line = [], ""
    for word in words:
        if line and used + len(line) + 1 + len(word) > LINE:
            lines.append(line)
            line, used = word, 1  # a continuation line starts with one space
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n ".join(lines)
