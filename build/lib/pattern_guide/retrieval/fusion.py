"""Fusion: ranked lists combined by their ranks (reciprocal rank fusion), never by their raw scores."""

from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60
CHUNKS_PER_PATTERN = 3


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
