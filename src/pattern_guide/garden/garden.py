"""One garden run: read the library and its pattern vectors, infer links, entities and communities."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from pattern_guide.garden.communities import Community, find_communities, link_graph, membership
from pattern_guide.garden.entities import find_entities
from pattern_guide.garden.evaluate import curated_neighbours, nearest_neighbours, recall_at
from pattern_guide.garden.features import POOL, StemCache, profile, score_pairs
from pattern_guide.garden.links import PER_PATTERN, infer_links
from pattern_guide.garden.vectors import PatternVectors
from pattern_guide.garden.writer import write_garden
from pattern_guide.library.loader import Library
from pattern_guide.library.meta import GraphGarden

Progress = Callable[[int, int], None]


class GardenReport(BaseModel):
    """What one garden run found (the CLI's `--json`; the optional figures only when asked for)."""

    patterns: int
    links: int
    entities: int
    communities: int
    seconds: float
    recall_at_5: float | None = None
    baseline_recall_at_5: float | None = None
    judged: int | None = None  # patterns with at least one curated relationship in the library
    written: int | None = None


@dataclass
class Garden:
    """Each pattern's new graph_garden block, and the library's communities."""

    blocks: dict[str, GraphGarden] = field(default_factory=dict)
    communities: list[Community] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def links(self) -> int:
        return sum(len(b.inferred_links) for b in self.blocks.values())

    @property
    def entities(self) -> int:
        """Distinct entities across the library (by id)."""
        return len({e.id for b in self.blocks.values() for e in b.entities})

    def ranked(self) -> dict[str, list[str]]:
        """Each pattern's inferred targets, best first (for evaluation)."""
        return {slug: [link.target for link in b.inferred_links if link.target] for slug, b in self.blocks.items()}


def grow(
    library: Library,
    vectors: PatternVectors,
    today: dt.date | None = None,
    per_pattern: int = PER_PATTERN,
    pool: int = POOL,
    progress: Progress | None = None,
) -> Garden:
    """The garden of every pattern that has a vector (in the vectors' order)."""
    started = time.perf_counter()
    patterns = [library.patterns[slug] for slug in vectors.slugs]
    profiles = []
    stem_words = StemCache()
    for n, pattern in enumerate(patterns, start=1):
        profiles.append(profile(pattern, stem_words))
        if progress and (n % 200 == 0 or n == len(patterns)):
            progress(n, len(patterns))
    pairs = score_pairs(vectors, profiles, pool)
    links = infer_links(profiles, pairs, per_pattern)
    graph = link_graph(profiles, links)
    communities = find_communities(graph, profiles)
    home = {slug: c for c in communities for slug in c.members}
    pruned = (today or dt.date.today()).isoformat()
    blocks = {
        p.slug: GraphGarden(
            last_pruned=pruned,
            entities=find_entities(pattern, p.plain_body),
            communities=[membership(graph, home[p.slug], p.slug)],
            inferred_links=mine,
        )
        for p, pattern, mine in zip(profiles, patterns, links, strict=True)
    }
    return Garden(blocks=blocks, communities=communities, seconds=round(time.perf_counter() - started, 3))


def write(library: Library, garden: Garden, progress: Progress | None = None) -> int:
    """Write each pattern's block into its file; returns how many files changed."""
    changed = 0
    items = list(garden.blocks.items())
    for n, (slug, block) in enumerate(items, start=1):
        changed += write_garden(Path(library.patterns[slug].path), block)
        if progress and (n % 200 == 0 or n == len(items)):
            progress(n, len(items))
    return changed


def recall_report(library: Library, garden: Garden, vectors: PatternVectors, k: int = 5) -> tuple[float, float, int]:
    """Recall at k of the curated relationships: the inferred links, the nearest-neighbour baseline, and
    how many patterns were judged."""
    truth = curated_neighbours(library, vectors.slugs)
    judged = sum(1 for targets in truth.values() if targets)
    return recall_at(garden.ranked(), truth, k), recall_at(nearest_neighbours(vectors, k), truth, k), judged
