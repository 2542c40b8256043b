"""Private manage links: unguessable tokens, stored only as hashes."""

import base64
import hashlib
import hmac
import re
import secrets

TOKEN_BYTES = 24  # 192 bits of randomness
FORM_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_form_key() -> str:
    """A random key for one booking form, so a double-clicked submit is recognised."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_form_key(value: str | None) -> bool:
    """True if value looks like a key we handed out."""
    return bool(value) and bool(FORM_KEY_PATTERN.match(value))


def manage_token(secret: str, seed: str) -> str:
    """The manage token derived from a registration's random seed (its booking form's key).

    Derived, not stored: both requests of a double click reach the same booking, mail sent
    later can carry the link, and the database alone (seed and hash) cannot rebuild a link
    without the app's secret key.
    """
    digest = hmac.new(secret.encode(), f"manage:{seed}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:TOKEN_BYTES]).decode().rstrip("=")


CHECKIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read out and type


def new_checkin_code() -> str:
    """A short code for the door: eight characters, about 40 bits."""
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(8))


def normalise_checkin_code(typed: str) -> str:
    """What someone typed (or a scanner typed: the whole address), as a stored code."""
    last = typed.strip().rstrip("/").rsplit("/", 1)[-1]
    return "".join(c for c in last.upper() if c.isalnum())


def hash_token(token: str) -> str:
    """What we store: a SHA-256 of the token (it is random, so no salt or slow hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


def account_link_token(secret: str, purpose: str, seed: str) -> str:
    """The token of an emailed account link (a password reset or an invite), from its seed.

    Only the seed travels with the queued email and only the token's hash is kept with the
    link, so neither the outbox nor the link table alone can open an account.
    """
    digest = hmac.new(secret.encode(), f"account:{purpose}:{seed}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:TOKEN_BYTES]).decode().rstrip("=")


def purpose_token(secret: str, purpose: str, seed: str) -> str:
    """A one-purpose link's token (a reminder's "still coming" or "can't come", the
    follow-up's form), from its holder's seed: a token made for one purpose opens no other,
    and the seed alone cannot rebuild it without the secret key."""
    digest = hmac.new(secret.encode(), f"purpose:{purpose}:{seed}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:TOKEN_BYTES]).decode().rstrip("=")


def same_token(given: str, expected: str) -> bool:
    """Compare a token from a link with the one expected, in constant time."""
    return hmac.compare_digest(given.encode(), expected.encode())
