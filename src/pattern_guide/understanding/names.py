"""Which pattern a person means: by its position in the list shown, by a name it goes by, by what it is about.

The names come from the library (titles, the names each context calls a pattern, aliases); :class:`NameIndex`
scores how strongly a message names each pattern, and :func:`position` reads "the second one", "the last".
"""

from __future__ import annotations

import re

from pattern_guide import text as toolkit
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern
from pattern_guide.understanding.lexicon import anywhere

# Words that say nothing about which pattern a person means.
GENERIC = frozenset(
    "one thing pattern idea option approach sound sounds like think want look seems feel bit really probably lol tbh please pls right use try fit fits need good better start work team group people time let ones choose pick top bottom middle last list first second third".split()  # noqa: SIM905 - one word list, read as a sentence
)
# A change of pattern in the middle of the walk: a cue, then another pattern's name.
SWITCH = anywhere(
    r"\b(instead|rather than|(?:fits?|suits?) (?:us |for us )?better|more what we need|(?:can|could|shall) we (?:switch|swap|change)(?: over| to (?:that|it|this)(?: one)?)?\s*[?.!]*$|better (fit|place to start)|switch(?: over)? to|swap\b.{0,20}\b(?:to|for)|go with|let'?s do|can we do|look at"
    r"|jump to|go through|closer to|i'?d like|what we need is|rather do|change of plan"
    r"|jump over to|more like us|more of an?|need the|need .{0,20} more than|would be a better|the same (?:way|for|with)|move to|try (?:the|that|this|a)\b)\b"
)
_ORDINALS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(r"\b(first|1st|top one|the top|number (one|1)|option (one|1)|no\.? ?1)\b|(?<!\w)#\s?1\b")),
    (1, re.compile(r"\b(second|2nd|number (two|2)|option (two|2)|no\.? ?2)\b|(?<!\w)#\s?2\b")),
    (2, re.compile(r"\b(third|3rd|number (three|3)|option (three|3)|no\.? ?3)\b|(?<!\w)#\s?3\b")),
    (-2, re.compile(r"\b(middle( one)?)\b")),
    (
        -1,
        re.compile(
            r"\b(last one|the last|bottom one|at the bottom|final one|(at|on) the end(?=\s*(?:[,.!?]|$|please|pls))|the end one)\b"
        ),
    ),
)
# A position said as a pick: "the second one", "number three", "#2", "option 1", "first on the list".
ORDINAL_PHRASE = re.compile(
    r"\b(the\s+)?(first|second|third|last|middle|top|bottom|1st|2nd|3rd)\s+(one|on the list|option|pattern)\b"
    r"|\b(number|option)\s+(one|two|three|\d)\b|(?<!\w)#\s?\d\b|^(the\s+)?(first|second|third|last|middle)\b"
)
# A pick by what the pattern is about, near the start: "the one about the money", "that one where we block out time".
# The pick opens the message, after at most a short lead clause and the words that carry a choice.
ABOUT = re.compile(
    r"^(?:[^,.;:!?]{0,30}[,.;:!?—–]\s*)?(?:(?:ok|so|um+|hmm+|right|well|actually|maybe|probably|i think|i guess|i want"
    r"|i'?d (?:like|rather|go with|rather do)|i'?ll (?:take|go with|do)|let'?s (?:go with|do|try|switch to)|can we (?:do|try|switch to"
    r"|go with)|go with|switch to)\s+)*(?:the|that) (?:one|pattern) (?:(?:that'?s |which is |that is )?about|where) (.+)$"
)
# A theme that says what the group would do ("the one about budgets would be weekly") describes, it does not pick.
STATES = re.compile(r"\b(would|will|should|could|goes|gets|has to|needs to|is|are|was|were)\b")
# A pick by a word the person calls it: "the hoarding one", "the pace one pls" (not "the first one", "the same one").
CALLED = re.compile(
    r"\bthe (?!(?:first|second|third|last|middle|top|bottom|next|other|same|right|wrong|final|only|new|old)\b)"
    r"((?:[\w'-]+ ){0,2}[\w'-]+) one\b"
)
_NUMBER_WORD = re.compile(
    r"^(?:(?:ok|so|um|right),?\s+)?(?:(?:let'?s|i'?ll|i'?d|we'?ll)\s+)?(?:do|go with|go for|take|try|pick|choose)?\s*"
    r"(?:the\s+)?(one|two|three|four|five|six|[1-6])(?:\s+(?:please|pls))?[ .!]*$"
)  # "three", "let's do 3", "I'll take 2 please"
_NUMBERS = {"one": 0, "two": 1, "three": 2, "four": 3, "five": 4, "six": 5} | {str(n): n - 1 for n in range(1, 7)}
PICK_CUE = re.compile(
    r"\b(one|go with|go for|let'?s|pick|choose|i'?d|i want|i like|sounds|that'?s the|i think|please|obviously"
    r"|for sure|thing|seems|rather|do the|the)\b"
)


class NameIndex:
    """The words each pattern goes by (title, names in every context, aliases) and what it is about."""

    def __init__(self, library: Library) -> None:
        self.names: dict[str, dict[str, str]] = {}
        self.about: dict[str, set[str]] = {}
        self.phrases: dict[str, list[str]] = {}
        for slug, pattern in library.patterns.items():
            phrases = _names(pattern)
            self.phrases[slug] = [toolkit.words(p) for p in phrases]
            self.names[slug] = {s: w for p in phrases for s, w in toolkit.terms(p).items() if w not in GENERIC}
            about = " ".join([pattern.tension or "", pattern.meta.summary or pattern.one_liner, pattern.solution or ""])
            self.about[slug] = {s for s, w in toolkit.terms(about).items() if w not in GENERIC}
        self.spread: dict[str, int] = {}
        for stems in self.names.values():
            for stem in stems:
                self.spread[stem] = self.spread.get(stem, 0) + 1

    def score(self, text: str, slug: str) -> float:
        """How strongly a message names this pattern: a whole name counts most, its words, then its subject."""
        said = f" {toolkit.words(text)} "
        whole = max((len(p.split()) for p in self.phrases.get(slug, []) if p and f" {p} " in said), default=0)
        stems = {s for s, w in toolkit.terms(text).items() if w not in GENERIC}
        named = stems & set(self.names.get(slug, {}))
        about = (stems & self.about.get(slug, set())) - named
        # A name word few patterns share says more than one half the library uses.
        distinct = sum(2.0 if self.spread.get(s, 0) <= 2 else 1.0 for s in named)
        return 3.0 * whole + distinct + 0.75 * len(about)

    def called(self, said: str, slugs: list[str]) -> str | None:
        """The pattern picked by a word the person calls it ("the hoarding one"), when only one of them answers to it."""
        called = CALLED.search(said)
        if called is None or len(said.split()) > 18:
            return None  # a long message that says "the budget one" in passing is more of the situation
        scores = sorted(((self.score(called.group(1), s), s) for s in slugs), reverse=True)
        top, second = scores[0][0] if scores else 0.0, scores[1][0] if len(scores) > 1 else 0.0
        if top <= 0 or (second > 0 and not top >= 1.0 > second):
            return None  # a name beats a mere subject ("the meetings one"), and a subject beats nothing
        return scores[0][1]


def _names(pattern: Pattern) -> list[str]:
    return [pattern.title, *pattern.meta.context_labels.values(), *pattern.meta.aliases]


def position(said: str, shown: list[str]) -> str | None:
    """The offered pattern picked by its position ("the second one", "the last", "middle one")."""
    if not shown:
        return None
    number = _NUMBER_WORD.match(said)
    if number and _NUMBERS[number.group(1)] < len(shown):
        return shown[_NUMBERS[number.group(1)]]
    hits = {i for i, pattern in _ORDINALS if pattern.search(said)}
    if len(hits) != 1:
        return None  # none, or several ("the difference between the first and the second")
    index = hits.pop()
    if index == -2:
        index = len(shown) // 2 if len(shown) % 2 else -1
    if index == -1 or index >= len(shown):
        return shown[-1] if index == -1 else None
    return shown[index]
