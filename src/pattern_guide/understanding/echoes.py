"""A practice the group already has: which sign of life or decay a situation echoes.

"We brought in peer debriefs after hard shifts, but they're the first thing cancelled" is
no request for a new pattern: it is Care for the Carers in decay, and the sign it echoes is
*Sessions are cancelled first*. :class:`Echoes` compares a situation with every sign of the
patterns it matched (one embedding per sign, kept), and says whether the words describe a
practice already in place.

A sign is scored on what it *describes*, not its headline: "Cancellation creep" is a
label, "Sessions are skipped whenever a deadline looms, and nobody pushes back" is what a
person tells. The pattern whose signs the situation echoes more than once is preferred (a
situation told about one practice touches several of its signs), and a complaint leans to
signs of decay, praise to signs of life. Chosen on tests/eval/signs.jsonl (the expected sign
named first among the top three matches: 11/29 -> 12/29 on its first lines, 16/38 -> 18/38 on
the lines after them); with the right pattern given, the description alone names the right sign
of it for 18 of the first 29 lines where the whole sign does for 12. Embedding the whole sign beside
the description changed none of these counts and doubled what a turn embeds on a large library.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

from pattern_guide import text as toolkit
from pattern_guide.conversation.state import EchoedSign as Echo
from pattern_guide.index.embedder import Vectors
from pattern_guide.library.model import Pattern

ECHO_MIN = 0.35  # score of a sign (a cosine, blended and adjusted below) before it counts as echoed
COHERENCE = 0.5  # weight of how well the pattern's two best signs fit, beside the sign itself
RANK_BONUS = 0.02  # per place: the signs of the best-matching pattern come first among equals
SHARED_WORD = 0.01  # per content word a situation shares with the sign
POLARITY = 0.06  # a situation told as a complaint leans to signs of decay, one told as praise to signs of life

# Words of a practice going wrong, and of one going well.
_DECAY_WORDS = re.compile(
    r"\b(but|nobody|no one|never|any ?more|again|only|meant to|supposed to|in practice|on paper"
    r"|gets? (bumped|cancelled|dropped|skipped)|first thing|fizzled|slipped|stopped|same (two|three|people|names)"
    r"|just|hardly|barely|ignored"
    r"|nobody reads|forgot|lapsed|rubber|box-ticking|token|fell apart|keeps? growing|pile|weeks afterwards)\b",
    re.IGNORECASE,
)
_LIFE_WORDS = re.compile(
    r"\b(actually|really works|works well|properly|everyone|still|now we|these days|genuinely|surprisingly|proud"
    r"|held|holds|kept|stuck|thriving|without (being|anyone) asked|on their own|naturally|routinely)\b",
    re.IGNORECASE,
)

# How people say a practice is already there: "we brought in", "we have a", "our weekly …", "used to".
_IN_PLACE = re.compile(
    r"\b(we|they|our team|the team|i)\s+(brought in|introduced|set up|started|launched|have|had|run|ran|hold|held"
    r"|tried|do|did|use|used|keep|kept|put in|rolled out|agreed|got|'ve got|created|built|adopted|switched to)\b"
    r"|\b(we'?re (meant|supposed) to|there'?s (a|an)|our (weekly|monthly|fortnightly|daily|annual|regular))\b"
    r"|\b(used to|these days|since we|ever since|any ?more|has become|have become|is supposed to|are supposed to"
    r"|on paper|in theory|officially|still going|still works|is working|works well|stuck|took off)\b",
    re.IGNORECASE,
)


def sign_title(sign: str) -> str:
    """A sign's headline: its first sentence without the full stop ("Sessions are cancelled first")."""
    return (toolkit.sentences(sign) or [sign])[0].rstrip(".!?").strip()


def description(sign: str) -> str:
    """What a sign says is seen, without its headline ("Sessions are skipped whenever …"); the sign if it has none."""
    return " ".join(toolkit.sentences(sign)[1:]) or sign


def in_place(text: str) -> bool:
    """Whether the words describe a practice the group already has."""
    return bool(_IN_PLACE.search(text))


class Echoes:
    """The signs a situation echoes, best first, among the signs of the patterns it matched."""

    def __init__(
        self,
        embed: Callable[[list[str]], Vectors] | None,
        query: Callable[[str], Vectors] | None = None,
        minimum: float = ECHO_MIN,
    ) -> None:
        if not 0.0 < minimum < 1.0:
            raise ValueError("minimum must be a cosine between 0 and 1")
        self.embed = embed
        # The situation's own vector: the index's cached one, so a turn embeds its text once.
        self.query = query or self._embed_one
        self.minimum = minimum
        self._vectors: dict[str, Vectors] = {}  # sign -> its description's embedding

    def _embed_one(self, text: str) -> Vectors:
        assert self.embed is not None  # find() returns before asking when there is no embedder
        vector: Vectors = self.embed([text])[0]
        return vector

    def _signs(self, pattern: Pattern) -> list[tuple[Literal["life", "decay"], str]]:
        out: list[tuple[Literal["life", "decay"], str]] = [("life", s) for s in pattern.signs_of_life]
        return out + [("decay", s) for s in pattern.signs_of_decay]

    def _remember(self, signs: list[str]) -> None:
        """Embed, once, each new sign's description (what is seen, without the headline)."""
        assert self.embed is not None
        todo = [s for s in dict.fromkeys(signs) if s not in self._vectors]
        if todo:
            self._vectors.update(zip(todo, self.embed([description(s) for s in todo]), strict=True))

    def _fit(self, sign: str, query: Vectors) -> float:
        """How close the situation is to what a sign describes."""
        return float(self._vectors[sign] @ query)

    def find(self, text: str, patterns: Sequence[Pattern], limit: int = 5) -> list[Echo]:
        """The echoed signs of these patterns, best first; empty when none is close enough."""
        signs = [(p.slug, kind, sign) for p in patterns for kind, sign in self._signs(p)]
        if self.embed is None or not signs or not text.strip():
            return []  # no embedder (a retriever without vectors): nothing is echoed
        self._remember([s for _, _, s in signs])
        query = self.query(text)
        fit = {sign: self._fit(sign, query) for _, _, sign in signs}
        # A pattern whose signs the situation echoes more than once is more likely the practice told about.
        best_two = {p.slug: sorted((fit[s] for _, s in self._signs(p)), reverse=True)[:2] for p in patterns}
        coherence = {slug: float(np.mean(two)) if two else 0.0 for slug, two in best_two.items()}
        rank = {p.slug: i for i, p in enumerate(patterns)}
        said = set(toolkit.terms(text))
        lean = len(_DECAY_WORDS.findall(text)) - len(_LIFE_WORDS.findall(text))
        polarity = {"decay": POLARITY if lean > 0 else 0.0, "life": POLARITY if lean < 0 else 0.0}
        scored = [
            Echo(
                slug=slug,
                kind=kind,
                title=sign_title(sign),
                score=round(
                    (fit[sign] + COHERENCE * coherence[slug]) / (1 + COHERENCE)
                    + RANK_BONUS * (len(patterns) - 1 - rank[slug])
                    + SHARED_WORD * len(said & set(toolkit.terms(sign)))
                    + polarity[kind],
                    4,
                ),
            )
            for slug, kind, sign in signs
        ]
        kept = [e for e in scored if e.score >= self.minimum]
        return sorted(kept, key=lambda e: -e.score)[:limit]
