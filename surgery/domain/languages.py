"""Languages people can help or be helped in, typed freely ("bsl, Urdu")."""

import re


def parse(text: str) -> list[str]:
    """A tidy, de-duplicated list: short names upper-case (BSL), others capitalised."""
    found: list[str] = []
    for part in re.split(r"[,;/\n]+|\band\b", text or ""):
        name = " ".join(part.split())
        if not name or name.lower() == "english":
            continue
        name = name.upper() if len(name) <= 3 else name[0].upper() + name[1:].lower()
        if name not in found:
            found.append(name)
    return found


def as_text(languages: list[str]) -> str:
    """The list as people type it."""
    return ", ".join(languages)
