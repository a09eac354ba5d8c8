"""How well the inferred links recover the curated relationships, against plain nearest neighbours.

Curated relationships are read as undirected sets of targets inside the loaded library; for each
pattern with at least one, recall at k is the share of its curated targets among its first k
candidates, averaged over those patterns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from pattern_guide.garden.vectors import PatternVectors
from pattern_guide.library.loader import Library


def curated_neighbours(library: Library, within: Sequence[str] | None = None) -> dict[str, set[str]]:
    """Every pattern's curated relationships in either direction, limited to loaded patterns."""
    known = set(within if within is not None else library.patterns)
    out: dict[str, set[str]] = {slug: set() for slug in known}
    for slug in known:
        for refs in library.patterns[slug].meta.relationships.by_type().values():
            for ref in refs:
                if ref.slug in known and ref.slug != slug:
                    out[slug].add(ref.slug)
                    out[ref.slug].add(slug)
    return out


def recall_at(ranked: Mapping[str, Sequence[str]], truth: Mapping[str, set[str]], k: int = 5) -> float:
    """Mean share of each pattern's curated targets found in its first k ranked candidates."""
    scores = [
        len(set(list(ranked.get(slug, []))[:k]) & targets) / len(targets) for slug, targets in truth.items() if targets
    ]
    return round(float(np.mean(scores)), 4) if scores else 0.0


def nearest_neighbours(vectors: PatternVectors, k: int = 5) -> dict[str, list[str]]:
    """The baseline: each pattern's k nearest patterns by cosine of the pattern vectors."""
    sims = vectors.similarity()
    out: dict[str, list[str]] = {}
    for i, slug in enumerate(vectors.slugs):
        order = np.argsort(-sims[i], kind="stable")[: min(k, len(vectors) - 1)]
        out[slug] = [vectors.slugs[j] for j in order]
    return out


INVERSE = {
    "enables": "requires",
    "requires": "enables",
    "generalizes_from": "specializes_to",
    "specializes_to": "generalizes_from",
}


def curated_type(library: Library, source: str, target: str) -> str | None:
    """The curated type from source to target, read from either file (the other's entry inverted)."""
    for kind, refs in library.patterns[source].meta.relationships.by_type().items():
        if any(r.slug == target for r in refs):
            return kind
    for kind, refs in library.patterns[target].meta.relationships.by_type().items():
        if any(r.slug == source for r in refs):
            return INVERSE.get(kind, kind)
    return None


def type_agreement(library: Library, links: Mapping[str, Sequence[tuple[str, str]]]) -> tuple[float, int]:
    """Of the inferred (target, type) links that a curated relationship confirms, the share with its type."""
    agree = total = 0
    for slug, mine in links.items():
        for target, kind in mine:
            if target not in library.patterns:
                continue
            curated = curated_type(library, slug, target)
            if curated is not None:
                total += 1
                agree += curated == kind
    return (round(agree / total, 4) if total else 0.0), total
