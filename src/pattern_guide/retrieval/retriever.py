"""Retrieval: lexical (BM25) and vector (Chroma) rankings, fused per pattern with RRF.

Raw BM25 and cosine scores are never added: each retriever returns a ranked list and
reciprocal rank fusion combines the ranks.
"""

from __future__ import annotations

import enum
import re
from typing import NamedTuple, Protocol

from pydantic import BaseModel, Field

from pattern_guide import text as toolkit
from pattern_guide.index.lexical import ChunkRef, LexicalIndex
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Passage
from pattern_guide.retrieval.context import detect_context
from pattern_guide.retrieval.fusion import pattern_ranking, reciprocal_rank_fusion

CANDIDATES = 300
# The sections that describe the situation a pattern is for; their BM25 hits are ranked a third time, so a
# story told in the person's words is matched first on where it happens and what hurts (not on an incidental
# word in a step or a known use). Chosen on tests/eval/situations.jsonl (hit@1 0.635 -> 0.762).
SITUATION_ROLES = ("context", "problem")
SUMMARY = "Summary"


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
        self, library: Library, lexical: LexicalIndex, vector: VectorSearch, candidates: int = CANDIDATES
    ) -> None:
        if candidates <= 0:
            raise ValueError("candidates must be positive")
        self.library = library
        self.lexical = lexical
        self.vector = vector
        self.candidates = candidates
        self._situation = {
            (p.slug, section.heading)
            for p in library.patterns.values()
            for section in p.sections
            if section.role in SITUATION_ROLES
        }

    def _situation_ranking(self, hits: list[tuple[str, float]]) -> list[str]:
        """The lexical hits in a pattern's summary, context or problem, collapsed per pattern."""
        refs = self.lexical.by_id
        chosen = [
            cid
            for cid, _ in hits
            if cid in refs and (refs[cid].section == SUMMARY or (refs[cid].slug, refs[cid].section) in self._situation)
        ]
        return pattern_ranking([refs[cid].slug for cid in chosen])

    def rank(self, text: str, mode: Mode = Mode.HYBRID, library: str | None = None) -> Ranking:
        """Pattern slugs with fused scores, the chunk ids behind each, and the best cosine.

        ``library`` (a loaded folder, as ``Pattern.library`` names it) keeps only that library's patterns.
        """
        lexical_hits = self.lexical.query(text, self.candidates) if mode != Mode.VECTOR else []
        vector_hits = self.vector.query(text, self.candidates) if mode != Mode.LEXICAL else []
        refs = self.lexical.by_id
        lists = [_per_pattern(lexical_hits, refs), _per_pattern(vector_hits, refs)]
        if mode == Mode.HYBRID:
            lists.append(self._situation_ranking(lexical_hits))
        rankings = [r for r in lists if r]
        fused = reciprocal_rank_fusion(rankings)
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
        self, text: str, context: str | None = None, top: int = 3, mode: Mode = Mode.HYBRID, library: str | None = None
    ) -> MatchResult:
        """The best patterns for a situation, with why they fit, in the person's context."""
        if top <= 0:
            raise ValueError("top must be positive")
        detected = context is None
        name = detect_context(text) if detected else context
        ranked, evidence, best = self.rank(text, mode, library)
        matches: list[Match] = []
        for slug, score in ranked[:top]:
            pattern = self.library.patterns[slug]
            passages: list[Passage] = []
            seen_sections: set[str] = set()
            for cid in evidence.get(slug, []):
                ref = self.lexical.by_id[cid]
                if ref.section in seen_sections:
                    continue
                seen_sections.add(ref.section)
                passages.append(Passage(slug=slug, section=ref.section, text=quote(ref.text, text)))
                if len(passages) == 2:
                    break
            matches.append(
                Match(
                    slug=slug,
                    title=pattern.title,
                    score=round(score, 6),
                    context_label=pattern.context_label(name),
                    tension=pattern.tension,
                    why=passages,
                )
            )
        return MatchResult(
            query=text,
            context=ContextInfo(name=name, detected=detected),
            tension=matches[0].tension if matches else None,
            matches=matches,
            best_similarity=round(best, 4),
        )
