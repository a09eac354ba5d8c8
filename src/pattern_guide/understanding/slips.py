"""Slips of the keyboard in a short message, read as the word they were meant to be.

"nexxt", "contiue pls", "skpi this" are commands; "numer 1", "secnod" positions at the matches; "defintely",
"somtimes" answers at a sign. Only a word close to one of a small vocabulary is read again, so that the
words of a note stay as they were typed.
"""

from __future__ import annotations

import difflib
import re

# Words a slip is read as: commands in the walk, and positions at the matches (answers live in ``answers``).
COMMAND_WORDS = tuple("next continue proceed onwards skip back previous please step steps carry going".split())  # noqa: SIM905
POSITION_WORDS = tuple("first second third last middle bottom number option".split())  # noqa: SIM905


def unslipped(word: str, vocabulary: tuple[str, ...]) -> str:
    """A word of a short message, or the word of ``vocabulary`` it is a slip for ("contnue" -> "continue")."""
    bare = word.strip(".,!?")
    if bare in vocabulary:
        return word
    # Three letters count only when the vowels were left out ("skp", "bck"): "bad" or "set" are words of their own.
    clipped = len(bare) == 3 and re.fullmatch(r"[^aeiou]+", bare) is not None
    if len(bare) < 4 and not clipped:
        return word
    swapped = [c for c in vocabulary if sorted(c) == sorted(bare) and c[0] == bare[0]]  # "nxet", "bakc"
    slip = swapped or difflib.get_close_matches(bare, vocabulary, n=1, cutoff=0.8)
    if clipped:
        slip = [c for c in slip if c[0] == bare[0]]
    return word.replace(bare, slip[0]) if slip else word
