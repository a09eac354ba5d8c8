"""How much a person can send at once, and what they are told past it."""

from __future__ import annotations

MAX_MESSAGE = 4000  # characters in one chat message
MAX_NOTE = 1500  # characters in one note on a step
MAX_NAME = 60  # characters in a name (a workshop participant, a workshop title)


def too_long(text: str, limit: int, what: str) -> str | None:
    """A message saying the text is over its limit, or None when it fits."""
    if len(text) <= limit:
        return None
    return (
        f"That {what} is {len(text):,} characters long; the guide takes up to {limit:,}. "
        "Shorten it, or say it in two parts."
    )
