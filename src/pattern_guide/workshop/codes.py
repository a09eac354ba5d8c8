"""Join codes: short, read aloud in a room and typed without doubt — and too many to guess.

32⁶ ≈ 10⁹ codes. What keeps them from being guessed is the join throttle: a browser gets
``JOIN_TRIES`` wrong codes per ``JOIN_WINDOW_S`` and then waits, and the whole server takes at
most ``SERVER_TRIES`` wrong codes per window from everyone together (so clearing cookies or
opening many tabs buys nothing). At that bound, with a thousand workshops open at once, finding
any one takes on the order of a week of guessing; a code also stops working when its workshop is
closed. Right codes are never counted, so a room joining at once is never slowed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed without doubt
CODE_LENGTH = 6
MAX_PATTERNS = 6
MAX_PARTICIPANTS = 200  # per workshop, unless the facilitator sets another cap
MAX_TITLE = 120
MAX_NAME = 60
MAX_NOTE = 500  # characters in a participant's note on a step: an idea, not an essay
JOIN_TRIES = 5  # wrong codes per browser per window
SERVER_TRIES = 120  # wrong codes per window from every browser together
JOIN_WINDOW_S = 60.0


def new_code() -> str:
    """A short join code, easy to read out in a room."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a participant typed, as a code: case and spaces do not matter."""
    return "".join(text.split()).upper()


def plausible_code(text: str) -> bool:
    """Whether a typed code could be one at all (checked before the database is asked)."""
    code = normalise_code(text)
    return len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)


def join_wait(failures: Sequence[dt.datetime], limit: int, now: dt.datetime, window_s: float = JOIN_WINDOW_S) -> float:
    """Seconds to wait before the next try, given the wrong codes so far (0 = go ahead).

    A sliding window: at ``limit`` failures within it, wait until the oldest of them leaves it.
    """
    if limit < 1:
        raise ValueError("limit must be 1 or more")
    since = now - dt.timedelta(seconds=window_s)
    recent = sorted(t for t in failures if t > since)
    if len(recent) < limit:
        return 0.0
    return max(0.0, (recent[-limit] - since).total_seconds())
