"""Retrieval: lexical (BM25) and vector (Chroma) rankings, fused per pattern with RRF.

Raw BM25 and cosine scores are never added: each retriever returns a ranked list and
reciprocal rank fusion combines the ranks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, Protocol

import bm25s
import Stemmer
from pydantic import BaseModel, Field

from pattern_guide.chunking import Chunk
from pattern_guide.context import detect_context
from pattern_guide.errors import IndexMissingError
from pattern_guide.library import Library

Mode = Literal["hybrid", "lexical", "vector"]
RRF_K = 60
CANDIDATES = 300
CHUNKS_PER_PATTERN = 3

_STEMMER = Stemmer.Stemmer("english")
# A sentence ends at . ! ? (not after "vs.", "e.g." and the like) or at a line break.
_SENTENCE = re.compile(r"(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"\w\w+")


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Fuse ranked lists: score(d) = sum over lists of 1 / (k + rank), rank from 1.

    Ties keep the order in which items were first seen, so the result is deterministic.
    """
    if k <= 0:
        raise ValueError("k must be positive")
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(dict.fromkeys(ranking), start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def _tokens(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(texts, stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False)  # type: ignore[return-value]


class ChunkRef(BaseModel):
    id: str
    slug: str
    section: str
    text: str


class LexicalIndex:
    """BM25 over chunks, built at index time and loaded once per process."""

    def __init__(self, model: bm25s.BM25, refs: list[ChunkRef]) -> None:
        self.model = model
        self.refs = refs
        self.by_id = {r.id: r for r in refs}

    @classmethod
    def build(cls, chunks: Sequence[Chunk]) -> LexicalIndex:
        refs = [ChunkRef(id=c.id, slug=c.slug, section=c.section, text=c.text) for c in chunks]
        model = bm25s.BM25()
        model.index(_tokens([c.text for c in chunks]) if chunks else [[]], show_progress=False)
        return cls(model, refs)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.model.save(str(directory), show_progress=False)
        with (directory / "chunks.jsonl").open("w", encoding="utf-8") as fh:
            for ref in self.refs:
                fh.write(ref.model_dump_json() + "\n")

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        if not (directory / "chunks.jsonl").is_file():
            raise IndexMissingError(f"No index at {directory.parent} — run `pattern-guide index`")
        model = bm25s.BM25.load(str(directory), show_progress=False)
        with (directory / "chunks.jsonl").open(encoding="utf-8") as fh:
            refs = [ChunkRef.model_validate_json(line) for line in fh if line.strip()]
        return cls(model, refs)

    def query(self, text: str, n: int) -> list[tuple[str, float]]:
        """Chunk ids by BM25 score, best first; chunks with no matching term are left out."""
        tokens = _tokens([text])
        if not tokens[0] or not self.refs:
            return []
        vocab = self.model.vocab_dict
        known = [[t for t in tokens[0] if t in vocab]]
        if not known[0]:
            return []
        ids, scores = self.model.retrieve(known, k=min(n, len(self.refs)), show_progress=False, n_threads=1)
        return [(self.refs[int(i)].id, float(s)) for i, s in zip(ids[0], scores[0], strict=True) if s > 0]


class VectorSearch(Protocol):
    def query(self, text: str, n: int) -> list[tuple[str, float]]: ...


class Passage(BaseModel):
    section: str
    text: str


class Match(BaseModel):
    slug: str
    title: str
    score: float
    context_label: str | None = None
    tension: str | None = None
    why: list[Passage] = Field(default_factory=list)


class ContextInfo(BaseModel):
    name: str | None
    detected: bool


class MatchResult(BaseModel):
    query: str
    context: ContextInfo
    tension: str | None
    matches: list[Match]
    best_similarity: float = 0.0


def pattern_ranking(chunk_slugs: Sequence[str], per_pattern: int = CHUNKS_PER_PATTERN, k: int = RRF_K) -> list[str]:
    """Collapse a ranked list of chunks (given by their pattern's slug) to a pattern ranking.

    A pattern scores the reciprocal ranks of its best few chunks, so a pattern that
    matches in several places beats one lucky passage; ties keep first-seen order.
    """
    scores: dict[str, list[float]] = {}
    for rank, slug in enumerate(chunk_slugs, start=1):
        mine = scores.setdefault(slug, [])
        if len(mine) < per_pattern:
            mine.append(1.0 / (k + rank))
    return sorted(scores, key=lambda slug: -sum(scores[slug]))


def _per_pattern(hits: list[tuple[str, float]], refs: dict[str, ChunkRef]) -> list[str]:
    return pattern_ranking([refs[cid].slug for cid, _ in hits if cid in refs])


def quote(text: str, query: str, limit: int = 280) -> str:
    """The sentence of a chunk that shares most words with the query."""
    body = text.split("\n", 1)[1] if "\n" in text else text
    body = re.sub(r"[*_>#]+", "", body)
    # The summary chunk's index lines (keywords, other names, tension) are not quotable prose.
    sentences = [
        s.strip()
        for s in _SENTENCE.split(body)
        if len(s.strip()) > 20 and not s.lstrip().startswith(("Keywords:", "Also known as:", "Tension:"))
    ]
    if not sentences:
        return body.strip()[:limit]
    wanted = set(_STEMMER.stemWords(_WORD.findall(query.lower())))
    scored = [(len(wanted & set(_STEMMER.stemWords(_WORD.findall(s.lower())))), -i, s) for i, s in enumerate(sentences)]
    best = max(scored)[2]
    return best if len(best) <= limit else best[: limit - 1].rsplit(" ", 1)[0] + "…"


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

    def rank(self, text: str, mode: Mode = "hybrid") -> tuple[list[tuple[str, float]], dict[str, list[str]], float]:
        """Pattern slugs with fused scores, the chunk ids behind each, and the best cosine."""
        lexical_hits = self.lexical.query(text, self.candidates) if mode != "vector" else []
        vector_hits = self.vector.query(text, self.candidates) if mode != "lexical" else []
        refs = self.lexical.by_id
        rankings = [r for r in (_per_pattern(lexical_hits, refs), _per_pattern(vector_hits, refs)) if r]
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
        return [(slug, score) for slug, score in fused if slug in self.library.patterns], evidence, best

    def match(self, text: str, context: str | None = None, top: int = 3, mode: Mode = "hybrid") -> MatchResult:
        """The best patterns for a situation, with why they fit, in the person's context."""
        if top <= 0:
            raise ValueError("top must be positive")
        detected = context is None
        name = detect_context(text) if detected else context
        ranked, evidence, best = self.rank(text, mode)
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
                passages.append(Passage(section=ref.section, text=quote(ref.text, text)))
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


def load_lexical(index_dir: Path) -> LexicalIndex:
    """The persisted BM25 index of an index folder."""
    return LexicalIndex.load(index_dir / "lexical")


__all__ = ["Retriever", "LexicalIndex", "reciprocal_rank_fusion", "MatchResult"]
