"""Fusion: ranked lists combined by their ranks (reciprocal rank fusion), or per-pattern scores combined once
each is standardised (:func:`standard_fusion`), never raw BM25 beside raw cosines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

RRF_K = 60
CHUNKS_PER_PATTERN = 3
STANDARD_TOP = 300  # the best this many patterns of a score set its mean and spread


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


def standardised(scores: Mapping[str, float], fill: float, top: int = STANDARD_TOP) -> tuple[dict[str, float], float]:
    """How far each pattern's score stands above the best ``top`` patterns' mean, in their spreads.

    A BM25 score and a cosine are on no common scale; their standard scores are. ``fill`` is the score
    of a pattern this retriever did not return (so it counts as low, not as absent); its standard score
    is returned beside the others.
    """
    best = np.sort(np.fromiter(scores.values(), dtype=np.float64, count=len(scores)))[::-1][:top]
    if best.size == 0:
        return {}, 0.0
    mean, spread = float(best.mean()), float(best.std()) or 1.0
    return {slug: (value - mean) / spread for slug, value in scores.items()}, (fill - mean) / spread


def standard_fusion(parts: Sequence[tuple[float, Mapping[str, float], float]]) -> list[tuple[str, float]]:
    """Patterns by the weighted sum of their standard scores: ``parts`` are (weight, scores, fill) per signal.

    Every pattern any signal scored is ranked; one a signal did not score takes that signal's ``fill``.
    Ties keep the order in which patterns were first seen, so the result is deterministic.
    """
    standard = [(weight, *standardised(scores, fill)) for weight, scores, fill in parts]
    seen = dict.fromkeys(slug for _, scores, _ in parts for slug in scores)
    fused = {slug: sum(w * z.get(slug, low) for w, z, low in standard) for slug in seen}
    return sorted(fused.items(), key=lambda kv: -kv[1])
