"""Making API token secrets and the digest they are stored and looked up by."""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "rf_"
# 32 random bytes: 256 bits, far beyond guessing, whatever the digest's speed.
SECRET_BYTES = 32
HINT_LENGTH = 8


def new_secret() -> str:
    """A fresh secret with a prefix that secret scanners and people recognise."""
    return PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def digest(secret: str) -> str:
    """The SHA-256 of ``secret`` in hex.

    A fast hash is right here, unlike for passwords: the secret is 256 random bits, so
    there is no dictionary to try and brute force is hopeless however fast each guess is.
    Being deterministic and unsalted, the digest is also what a request's token is looked
    up by (an indexed equality), which a salted password hash could not be.
    """
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def hint(secret: str) -> str:
    """What the token list shows of a secret: its prefix and a few characters."""
    return secret[:HINT_LENGTH]
