"""A practice the group already has: which sign of life or decay a situation echoes.

"We brought in peer debriefs after hard shifts, but they're the first thing cancelled" is
no request for a new pattern: it is Care for the Carers in decay, and the sign it echoes is
*Sessions are cancelled first*. :class:`Echoes` compares a situation with the signs of the patterns
it matched and of the patterns whose signs it sounds most like, and says whether the words describe
a practice already in place.

A sign is scored on what it *describes*, not its headline: "Cancellation creep" is a label,
"Sessions are skipped whenever a deadline looms, and nobody pushes back" is what a person tells.
Three kinds of evidence are weighed, because the embedding alone barely tells one pattern's signs
from another's, nor a sign of life from a sign of decay:

- the sign itself: the cosine of the situation with its description, plus the words they share
  (BM25 over the library's signs, relative to the best sign for this situation);
- its pattern: retrieval's ranking, the ranking by how well the pattern's two best signs fit, and
  the BM25 ranking of the pattern's signs taken together, fused by their ranks (a practice told
  in the person's words names the practice, which retrieval, ranking by problem situations, misses);
- the telling: complaint or praise, read from a few words of going wrong or well and from how often
  each word appears in the library's signs of decay rather than of life (learnt from whatever
  library is loaded, no list of the eval's words).

Chosen on tests/eval/signs.jsonl (the expected sign named first by `pattern-guide eval`: 30/67 -> 35/67,
12/29 -> 13/29 on its first lines, 8/11 -> 9/11 on lines 68-78 written afterwards to check it). With
the signs of the whole starter library scored, the pattern alone is right for about 40/67 and the sign
for 38/67; the engine names a pattern beyond retrieval's top three only when the words say a practice
is in place, which costs three of those. Tried and dropped: picking the pattern first and then its
sign (34/67), absolute rather than relative BM25 (36/67), stop words left out of BM25 (34/67: "every",
"nobody", "again" carry a sign), the pattern's solution, steps, context labels or indexed
Solution/Implementation chunks as pattern evidence (none ranked patterns better than their signs).
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

from pattern_guide import text as toolkit
from pattern_guide.conversation.state import EchoedSign as Echo
from pattern_guide.index.embedder import Vectors
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern
from pattern_guide.retrieval.fusion import reciprocal_rank_fusion
from pattern_guide.understanding.sign_vectors import SignVectors, description, pattern_signs

__all__ = ["ECHO_MIN", "Echoes", "SignWords", "description", "in_place", "lean", "sign_title", "signs_of"]

Kind = Literal["life", "decay"]

ECHO_MIN = 0.35  # score of a sign (its cosine, less what it lacks beside the best of the pool) to count
SIGN_MIN = 0.25  # cosine of the situation with what a sign describes before its words and pattern count
LEXICAL = 0.3  # weight of the words a situation shares with the sign (BM25, the best sign of the pool = 1)
PATTERN = 0.2  # weight of the pattern's fused rank (the best pattern of the pool = 1)
POLARITY = 0.2  # a situation told as a complaint leans to signs of decay, one told as praise to signs of life
LEARNT_LEAN = 0.3  # weight of the library's decay-vs-life word odds beside the words of going wrong or well
# The best sign of the pool always has the best words and pattern: this keeps the scale the one ECHO_MIN and
# runner.NAME_ECHO were set on (the best echo of a practice told: median 0.48 before, 0.46 after).
SHIFT = 0.2
POOL = 20  # patterns whose signs are weighed: the top of retrieval and the top by fit of their signs

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
    r"|tried|do|did|use|used|keep|kept|put in|rolled out|agreed|got|created|built|adopted|switched to"
    r"|moved to|drew up|wrote|publish|published|share|shared|post|posted|closed|cleared out|scrapped|began)\b"
    r"|\b(we'?ve got|we have got|we'?d gotten|we'?re (meant|supposed) to|there'?s (a|an)"
    r"|our (weekly|monthly|fortnightly|daily|annual|regular|quarterly))\b"
    r"|\b(used to|these days|since we|ever since|any ?more|has become|have become|'s become|it'?s become"
    r"|(is|are|was|were) supposed to|started with|but now|is now|are now|now know"
    r"|on paper|in theory|officially|formally|still going|still works|still went|is working|works well|really works"
    r"|stuck|took off)\b",
    re.IGNORECASE,
)


def sign_title(sign: str) -> str:
    """A sign's headline: its first sentence without the full stop ("Sessions are cancelled first")."""
    return (toolkit.sentences(sign) or [sign])[0].rstrip(".!?").strip()


def in_place(text: str) -> bool:
    """Whether the words describe a practice the group already has."""
    return bool(_IN_PLACE.search(text))


def _tokens(text: str) -> list[str]:
    """Content-word stems, repeats kept (BM25 counts them)."""
    words = [w for w in toolkit.words(text).split() if len(w) > 2]
    return toolkit.stems(words)


def _stems(text: str) -> set[str]:
    """Every word's stem, small words too: "but", "never" and "still" tell a complaint from praise."""
    return set(toolkit.stems(toolkit.words(text).split()))


def signs_of(pattern: Pattern) -> list[tuple[Kind, str]]:
    """A pattern's signs with their kind, life first."""
    out: list[tuple[Kind, str]] = [("life", s) for s in pattern.signs_of_life]
    return out + [("decay", s) for s in pattern.signs_of_decay]


class _BM25:
    """Okapi BM25 over a fixed set of short documents."""

    def __init__(self, docs: Sequence[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.docs = [Counter(d) for d in docs]
        self.lengths = [len(d) for d in docs]
        self.average = max(float(np.mean(self.lengths)), 1.0) if docs else 1.0
        frequency = Counter(w for d in self.docs for w in d)
        self.idf = {w: math.log(1 + (len(docs) - f + 0.5) / (f + 0.5)) for w, f in frequency.items()}
        self.k1, self.b = k1, b

    def score(self, query: set[str], doc: int) -> float:
        """How well one document matches the query's words."""
        counts, norm = self.docs[doc], self.k1 * (1 - self.b + self.b * self.lengths[doc] / self.average)
        return sum(self.idf[w] * counts[w] * (self.k1 + 1) / (counts[w] + norm) for w in query if w in counts)


class SignWords:
    """The words of a set of patterns' signs: BM25 per sign and per pattern, and the odds of decay per word."""

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        signs = [(p.slug, i, s) for p in patterns for i, s in enumerate(pattern_signs(p))]
        self.sign_doc = {(slug, i): n for n, (slug, i, _) in enumerate(signs)}
        self.signs = _BM25([_tokens(s) for _, _, s in signs])
        self.pattern_doc = {p.slug: n for n, p in enumerate(patterns)}
        self.patterns = _BM25([_tokens(" ".join(pattern_signs(p))) for p in patterns])
        self.seen: dict[Kind, Counter[str]] = {"life": Counter(), "decay": Counter()}
        for p in patterns:
            for kind, sign in signs_of(p):
                self.seen[kind].update(_stems(sign))
        self.told = {kind: sum(len(getattr(p, f"signs_of_{kind}")) for p in patterns) for kind in ("life", "decay")}

    def sign(self, said: set[str], slug: str, index: int) -> float:
        """BM25 of one sign (the ``index``-th of its pattern, life first) for the situation's words."""
        return self.signs.score(said, self.sign_doc[(slug, index)])

    def pattern(self, said: set[str], slug: str) -> float:
        """BM25 of a pattern's signs taken together."""
        return self.patterns.score(said, self.pattern_doc[slug])

    def decay_odds(self, text: str) -> float:
        """Log odds that the words come from a sign of decay rather than of life (naive Bayes, add-one)."""
        life, decay = self.seen["life"], self.seen["decay"]
        n_life, n_decay = self.told["life"] + 2, self.told["decay"] + 2
        return sum(
            math.log((decay[w] + 1) / n_decay) - math.log((life[w] + 1) / n_life)
            for w in _stems(text)
            if w in life or w in decay
        )


def lean(text: str, words: SignWords) -> float:
    """Above 0 for a practice told as going wrong, below for one told as going well."""
    said = len(_DECAY_WORDS.findall(text)) - len(_LIFE_WORDS.findall(text))
    return said + LEARNT_LEAN * words.decay_odds(text)


class Echoes:
    """The signs a situation echoes, best first, among the signs of the patterns it matched (and sounds like)."""

    def __init__(
        self,
        embed: Callable[[list[str]], Vectors] | None,
        query: Callable[[str], Vectors] | None = None,
        minimum: float = ECHO_MIN,
        library: Library | None = None,
        vectors: SignVectors | None = None,
    ) -> None:
        if not 0.0 < minimum < 1.0:
            raise ValueError("minimum must be a cosine between 0 and 1")
        self.embed = embed
        # The situation's own vector: the index's cached one, so a turn embeds its text once.
        self.query = query or self._embed_one
        self.minimum = minimum
        # Sign vectors: precomputed beside the index (sign_vectors()) or embedded once, when first needed.
        self.vectors = vectors if vectors is not None else SignVectors(embed) if embed is not None else None
        self.library = list(library.patterns.values()) if library is not None else []
        self._words: SignWords | None = None
        self._all: tuple[np.ndarray, Vectors] | None = None  # every library sign in one matrix, once
        self._building = threading.Lock()  # prepare() may run beside a first turn: one builds, the other waits

    def _embed_one(self, text: str) -> Vectors:
        assert self.embed is not None  # find() returns before asking when there is no embedder
        vector: Vectors = self.embed([text])[0]
        return vector

    def _words_for(self, pool: Sequence[Pattern]) -> SignWords:
        """The words of the library's signs (built once), or of the pool's when it holds a pattern not seen."""
        if self._words is None and self.library:
            with self._building:
                if self._words is None:
                    self._words = SignWords(self.library)
        if self._words is not None and all(p.slug in self._words.pattern_doc for p in pool):
            return self._words
        return SignWords(pool)

    def prepare(self) -> None:
        """Build what the first turn would (the signs' words and one matrix of their vectors): on the Commons
        library about 4 s, spent while the app starts rather than in someone's first reply."""
        if self.library:
            self._words_for([])
            if self.vectors is not None:
                self._matrix()

    def _matrix(self) -> tuple[np.ndarray, Vectors]:
        """Every library sign's vector in one matrix, and the pattern (by position) each row belongs to."""
        with self._building:
            return self._all or self._build_matrix()

    def _build_matrix(self) -> tuple[np.ndarray, Vectors]:
        if self._all is None:
            assert self.vectors is not None  # _pool asks only when there are vectors
            counts = np.array([len(pattern_signs(p)) for p in self.library])
            owner = np.repeat(np.arange(len(self.library)), counts)  # which pattern each row's sign belongs to
            self._all = (owner, self.vectors.matrix([s for p in self.library for s in pattern_signs(p)]))
        return self._all

    def _pool(self, patterns: Sequence[Pattern], query: Vectors) -> list[Pattern]:
        """The top of retrieval, then the library's patterns whose two best signs fit the situation best."""
        pool = {p.slug: p for p in patterns[:POOL]}
        if not self.library or self.vectors is None:
            return list(pool.values())
        owner, matrix = self._matrix()
        library, fits = self.library, matrix @ query
        # The mean of each pattern's two best fits, at numpy speed (a Python loop is 0.1 s on the Commons library).
        order = np.lexsort((fits, owner))
        ranked, owners = fits[order], owner[order]
        last = np.flatnonzero(np.r_[owners[1:] != owners[:-1], True])
        second = np.where((last > 0) & (owners[np.maximum(last - 1, 0)] == owners[last]), last - 1, last)
        best = np.full(len(library), -1.0)
        best[owners[last]] = (ranked[last] + ranked[second]) / 2
        for n in np.argsort(best)[::-1][:POOL]:
            pool.setdefault(library[int(n)].slug, library[int(n)])
        return list(pool.values())

    def find(self, text: str, patterns: Sequence[Pattern], limit: int = 5) -> list[Echo]:
        """The echoed signs of these patterns (retrieval's order) and of those the situation sounds like, best first.

        Empty when none is close enough.
        """
        if self.vectors is None or not patterns or not text.strip():
            return []  # no embedder (a retriever without vectors): nothing is echoed
        query = self.query(text)
        pool = self._pool(patterns, query)
        signs = [(p.slug, i, kind, sign) for p in pool for i, (kind, sign) in enumerate(signs_of(p))]
        if not signs:
            return []
        fit = self.vectors.matrix([s for *_, s in signs]) @ query
        words, said = self._words_for(pool), set(_tokens(text))
        lexical = np.array([words.sign(said, slug, i) for slug, i, *_ in signs])
        lexical = lexical / (lexical.max() or 1.0)
        # A pattern whose signs the situation echoes more than once is more likely the practice told about.
        by_slug: dict[str, list[float]] = {}
        for (slug, *_), f in zip(signs, fit, strict=True):
            by_slug.setdefault(slug, []).append(float(f))
        coherence = {slug: float(np.mean(sorted(fits)[-2:])) for slug, fits in by_slug.items()}
        in_pool = [p.slug for p in pool]  # a list, not a set: ties keep retrieval's order on every run
        rankings = [
            [p.slug for p in patterns if p.slug in by_slug],
            sorted(coherence, key=lambda s: -coherence[s]),
            sorted(in_pool, key=lambda s: -words.pattern(said, s)),
        ]
        fused = dict(reciprocal_rank_fusion(rankings))
        top = max(fused.values())
        tilt = math.tanh(lean(text, words))
        scored = [
            Echo(
                slug=slug,
                kind=kind,
                title=sign_title(sign),
                score=round(
                    (
                        float(fit[n])
                        + LEXICAL * float(lexical[n])
                        + PATTERN * fused[slug] / top
                        + POLARITY * (tilt if kind == "decay" else -tilt)
                    )
                    / (1 + LEXICAL + PATTERN)
                    - SHIFT,
                    4,
                ),
            )
            for n, (slug, _, kind, sign) in enumerate(signs)
            if fit[n] >= SIGN_MIN
        ]
        kept = [e for e in scored if e.score >= self.minimum]
        return sorted(kept, key=lambda e: -e.score)[:limit]
