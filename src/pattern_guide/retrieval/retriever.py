"""Retrieval: lexical (BM25) and vector (Chroma) evidence, fused per pattern.

Raw BM25 and cosine scores are never added. How the hybrid ranking fuses depends on what has a
vector (``FUSION``). When every chunk has one (a small library such as the starter), reciprocal rank
fusion combines ranked lists. When only the situation has one (the Commons library: each pattern's
summary, context and problem), each pattern is scored on those chunks: their best cosine, their mean
cosine (the pattern's situation profile) and the mean BM25 of its two best of them; each signal is
standardised over the best patterns it scored, then they are summed with weights. Chosen on the tuning
sets; the held-out sets are only reported. The single retrievers (for evaluation) rank chunks and
collapse them per pattern.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from typing import NamedTuple, Protocol

import numpy as np
from pydantic import BaseModel, Field

from pattern_guide import text as toolkit
from pattern_guide.index.lexical import ChunkRef, LexicalIndex
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Passage
from pattern_guide.retrieval.context import detect_context
from pattern_guide.retrieval.fusion import STANDARD_TOP, pattern_ranking, reciprocal_rank_fusion, standard_fusion

CANDIDATES = 300
# Chunks asked of the vector index for the hybrid ranking: enough that a pattern's situation chunks beyond
# the first are seen (Commons: 13 ms a query against 6.5 for 300).
VECTOR_CANDIDATES = 1000
# The sections that describe the situation a pattern is for: a story told in the person's words is matched on
# where it happens and what hurts, not on an incidental word in a step or a known use.
SITUATION_ROLES = ("context", "problem")
SUMMARY = "Summary"
# The hybrid ranking by what has a vector (VectorIndex.mode). "all" (every chunk, a small library): reciprocal
# rank fusion of three lists, BM25 of every chunk, the cosines, BM25 of the situation chunks (tests/eval/
# situations.jsonl, hit@1 0.635 -> 0.762 with the third list). "situation" (the Commons library): weights of the
# best cosine, the mean cosine and the BM25 of a pattern's situation chunks, standardised. Tuning-set MRR against
# the rank fusion there: 0.120 -> 0.188 (commons.jsonl), 0.162 -> 0.357 (commons_more.jsonl). On the starter
# library the standard scores (1.0, 0, 0.7) gained on situations_more.jsonl (0.599 -> 0.716) but lost the
# director-away story a test guards and moved nothing held out, so it keeps the rank fusion.
FUSION: dict[str, tuple[float, float, float] | None] = {"all": None, "situation": (1.0, 2.0, 0.3)}


class Mode(enum.StrEnum):
    """Which retrievers rank: both fused, or one alone (for evaluation)."""

    HYBRID = "hybrid"
    LEXICAL = "lexical"
    VECTOR = "vector"


class VectorSearch(Protocol):
    """What the retriever needs of a vector index."""

    def query(self, text: str, n: int) -> list[tuple[str, float]]: ...


class Ranking(NamedTuple):
    """Patterns ranked for a text: fused scores, the chunks behind each pattern, the best cosine seen."""

    patterns: list[tuple[str, float]]
    evidence: dict[str, list[str]]
    best_similarity: float


class Match(BaseModel):
    """One pattern that fits a situation, and the passages that show why."""

    slug: str
    title: str
    score: float
    context_label: str | None = None
    tension: str | None = None
    why: list[Passage] = Field(default_factory=list)
    # The signs of this pattern the situation echoes ({slug, kind, title, score}), best first; filled by the engine.
    signs: list[dict[str, object]] = Field(default_factory=list)


class ContextInfo(BaseModel):
    """The context a match was read in, and whether it was detected from the words or given."""

    name: str | None
    detected: bool


class MatchResult(BaseModel):
    """What `pattern-guide match --json` prints for one situation."""

    query: str
    context: ContextInfo
    tension: str | None
    matches: list[Match]
    best_similarity: float = 0.0


_WORD = re.compile(r"\w\w+")


def _per_pattern(hits: list[tuple[str, float]], refs: dict[str, ChunkRef]) -> list[str]:
    return pattern_ranking([refs[cid].slug for cid, _ in hits if cid in refs])


def quote(text: str, query: str, limit: int = 280) -> str:
    """The sentence of a chunk that shares most words with the query."""
    body = text.split("\n", 1)[1] if "\n" in text else text
    body = re.sub(r"[*_>#]+", "", body)
    # The summary chunk's index lines (keywords, other names, tension) are not quotable prose.
    sentences = [
        s
        for s in toolkit.sentences(body)
        if len(s) > 20 and not s.startswith(("Keywords:", "Also known as:", "Tension:"))
    ]
    if not sentences:
        return body.strip()[:limit]
    wanted = set(toolkit.stems(_WORD.findall(query.lower())))
    scored = [(len(wanted & set(toolkit.stems(_WORD.findall(s.lower())))), -i, s) for i, s in enumerate(sentences)]
    return toolkit.shorten(max(scored)[2], limit)


class Retriever:
    """Ranks patterns for a situation; built once, queried many times."""

    def __init__(
        self, library: Library, lexical: LexicalIndex, vector: VectorSearch, candidates: int = CANDIDATES,
        embedded: str = "all",
    ) -> None:  # fmt: skip
        if candidates <= 0:
            raise ValueError("candidates must be positive")
        if embedded not in FUSION:
            raise ValueError(f"embedded must be one of {sorted(FUSION)}, not {embedded!r}")
        self.library = library
        self.lexical = lexical
        self.vector = vector
        self.candidates = candidates
        self.weights = FUSION[embedded]
        self._situation = {
            (p.slug, section.heading)
            for p in library.patterns.values()
            for section in p.sections
            if section.role in SITUATION_ROLES
        }
        # Per lexical chunk: whether it tells the situation, and its pattern (by number, for numpy).
        self._slugs = sorted({ref.slug for ref in lexical.refs})
        number = {slug: n for n, slug in enumerate(self._slugs)}
        self._told = np.array([self._tells(ref) for ref in lexical.refs], dtype=bool)
        self._owner = np.array([number[ref.slug] for ref in lexical.refs], dtype=np.int64)
        self._told_count = Counter(ref.slug for ref in lexical.refs if self._tells(ref))

    def _tells(self, ref: ChunkRef) -> bool:
        return ref.section == SUMMARY or (ref.slug, ref.section) in self._situation

    def _situation_ranking(self, hits: list[tuple[str, float]]) -> list[str]:
        """The lexical hits in a pattern's summary, context or problem, collapsed per pattern."""
        refs = self.lexical.by_id
        return pattern_ranking([refs[cid].slug for cid, _ in hits if cid in refs and self._tells(refs[cid])])

    def _lexical_profile(self, scores: np.ndarray) -> dict[str, float]:
        """Per pattern, the mean BM25 of its two best situation chunks (those scoring above zero)."""
        hit = np.flatnonzero((scores > 0) & self._told)
        if hit.size == 0:
            return {}
        hit = hit[np.lexsort((-scores[hit], self._owner[hit]))]  # by pattern, best first within it
        owners, values = self._owner[hit], scores[hit].astype(np.float64)
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        pairs = np.minimum(np.diff(np.r_[starts, len(hit)]), 2)
        second = np.where(pairs == 2, values[np.minimum(starts + 1, len(hit) - 1)], 0.0)
        means = (values[starts] + second) / pairs
        return {self._slugs[int(o)]: float(m) for o, m in zip(owners[starts], means, strict=True)}

    def _fused(
        self, scores: np.ndarray, vector_hits: list[tuple[str, float]], weights: tuple[float, float, float]
    ) -> list[tuple[str, float]]:
        """The hybrid ranking of a large library (see the module's docstring): standardised situation signals."""
        refs = self.lexical.by_id
        told = [(refs[cid].slug, cos) for cid, cos in vector_hits if cid in refs and self._tells(refs[cid])]
        floor = told[-1][1] if told else 0.0  # what an unseen situation chunk scores at most
        best: dict[str, float] = {}
        total: dict[str, float] = {}
        seen: Counter[str] = Counter()
        for slug, cos in told:
            best.setdefault(slug, cos)
            total[slug] = total.get(slug, 0.0) + cos
            seen[slug] += 1
        mean = {s: (total[s] + floor * (self._told_count[s] - seen[s])) / max(self._told_count[s], 1) for s in best}
        lexical = self._lexical_profile(scores)
        if len(lexical) > STANDARD_TOP:  # below the best few hundred only the patterns the vectors saw matter
            cut = sorted(lexical.values(), reverse=True)[STANDARD_TOP - 1]
            lexical = {s: v for s, v in lexical.items() if v >= cut or s in best}
        w_best, w_mean, w_lexical = weights
        parts = [(w_best, best, floor), (w_mean, mean, floor), (w_lexical, lexical, 0.0)]
        return standard_fusion([part for part in parts if part[0] > 0])

    def rank(self, text: str, mode: Mode = Mode.HYBRID, library: str | None = None) -> Ranking:
        """Pattern slugs with fused scores, the chunk ids behind each, and the best cosine.

        ``library`` (a loaded folder, as ``Pattern.library`` names it) keeps only that library's patterns.
        """
        refs = self.lexical.by_id
        weights = self.weights
        if mode == Mode.HYBRID and weights is None:
            lexical_hits = self.lexical.query(text, self.candidates)
            vector_hits = self.vector.query(text, self.candidates)
            lists = [
                _per_pattern(lexical_hits, refs),
                _per_pattern(vector_hits, refs),
                self._situation_ranking(lexical_hits),
            ]
            fused = reciprocal_rank_fusion([r for r in lists if r])
        elif mode == Mode.HYBRID and weights is not None:
            scores = self.lexical.score_text(text)
            lexical_hits = self.lexical.best(scores, self.candidates)
            vector_hits = self.vector.query(text, max(VECTOR_CANDIDATES, self.candidates))
            fused = self._fused(scores, vector_hits, weights)
            vector_hits = vector_hits[: self.candidates]
        else:
            lexical_hits = self.lexical.query(text, self.candidates) if mode == Mode.LEXICAL else []
            vector_hits = self.vector.query(text, self.candidates) if mode == Mode.VECTOR else []
            fused = reciprocal_rank_fusion([_per_pattern(lexical_hits or vector_hits, refs)])
        evidence: dict[str, list[str]] = {}
        # Interleave the two chunk lists so `why` draws on both retrievers.
        for pair in zip(
            vector_hits + [("", 0.0)] * len(lexical_hits), lexical_hits + [("", 0.0)] * len(vector_hits), strict=False
        ):
            for cid, _ in pair:
                if cid and cid in refs:
                    evidence.setdefault(refs[cid].slug, [])
                    if cid not in evidence[refs[cid].slug]:
                        evidence[refs[cid].slug].append(cid)
        best = max((s for _, s in vector_hits), default=0.0)
        patterns = self.library.patterns
        kept = [(s, v) for s, v in fused if s in patterns and (library is None or patterns[s].library == library)]
        return Ranking(kept, evidence, best)

    def match(
        self, text: str, context: str | None = None, top: int = 3, mode: Mode = Mode.HYBRID, library: str | None = None,
        ranking: Ranking | None = None,
    ) -> MatchResult:  # fmt: skip
        """The best patterns for a situation, with why they fit, in the person's context (``ranking``: one
        :meth:`rank` already made for this text, so a caller that also needs it ranks once)."""
        if top <= 0:
            raise ValueError("top must be positive")
        detected = context is None
        name = detect_context(text) if detected else context
        ranking = ranking or self.rank(text, mode, library)
        matches = [self.describe(slug, score, ranking, text, name) for slug, score in ranking.patterns[:top]]
        return MatchResult(
            query=text,
            context=ContextInfo(name=name, detected=detected),
            tension=matches[0].tension if matches else None,
            matches=matches,
            best_similarity=round(ranking.best_similarity, 4),
        )

    def describe(self, slug: str, score: float, ranking: Ranking, text: str, context: str | None) -> Match:
        """One pattern as a match for this text: its label in the context, and two passages that show why."""
        pattern = self.library.patterns[slug]
        passages: list[Passage] = []
        seen_sections: set[str] = set()
        for cid in ranking.evidence.get(slug, []):
            ref = self.lexical.by_id[cid]
            if ref.section in seen_sections:
                continue
            seen_sections.add(ref.section)
            passages.append(Passage(slug=slug, section=ref.section, text=quote(ref.text, text)))
            if len(passages) == 2:
                break
        return Match(
            slug=slug,
            title=pattern.title,
            score=round(score, 6),
            context_label=pattern.context_label(context),
            tension=pattern.tension,
            why=passages,
        )
