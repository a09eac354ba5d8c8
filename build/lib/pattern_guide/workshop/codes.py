"""Join codes: short, read aloud in a room and typed without doubt."""

from __future__ import annotations

import secrets

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed without doubt
CODE_LENGTH = 6
MAX_PATTERNS = 6


def new_code() -> str:
    """A short join code, easy to read out in a room."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a participant typed, as a code: case and spaces do not matter."""
    return "".join(text.split()).upper()
