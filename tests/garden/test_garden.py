"""Inferred links, entities and communities over the starter library (hashing vectors: fast, deterministic)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from pattern_guide.assistant import Engine
from pattern_guide.garden import Garden, PatternVectors, grow
from pattern_guide.garden.communities import link_graph
from pattern_guide.garden.evaluate import curated_neighbours, nearest_neighbours, recall_at
from pattern_guide.garden.features import Profile, StemCache, profile
from pattern_guide.library.meta import RELATIONSHIP_TYPES
from pattern_guide.text import plain

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def garden(hashing_starter: Engine, starter_vectors: PatternVectors) -> Garden:
    return grow(hashing_starter.library, starter_vectors, today=TODAY)


def _unquote(text: str) -> str:
    return text.rstrip("…").strip()


def test_every_link_has_a_known_type_a_confidence_and_a_reason_quoting_both(
    garden: Garden, hashing_starter: Engine
) -> None:
    library = hashing_starter.library
    assert set(garden.blocks) == set(library.patterns)
    for slug, block in garden.blocks.items():
        assert 1 <= len(block.inferred_links) <= 8
        assert block.last_pruned == "2026-12-02"
        targets = [link.target for link in block.inferred_links]
        assert slug not in targets and len(set(targets)) == len(targets)
        confidences = [link.confidence for link in block.inferred_links]
        assert confidences == sorted(confidences, reverse=True), "best first"
        for link in block.inferred_links:
            assert link.target in library.patterns
            assert link.type in RELATIONSHIP_TYPES
            assert link.confidence is not None and 0.0 <= link.confidence <= 1.0
            reason = link.reason or ""
            assert reason.endswith(".") and reason.count(".”") + reason.count("”.") >= 1
            mine, theirs = library.patterns[slug], library.patterns[link.target]
            assert mine.title in reason and theirs.title in reason
            quotes = [_unquote(q) for q in reason.split("“")[1:]]
            quotes = [q.split("”")[0].rstrip("…") for q in quotes]
            assert len(quotes) == 2
            texts = [plain(" ".join([p.one_liner, p.meta.summary or "", p.solution or ""])) for p in (mine, theirs)]
            assert any(quotes[0] in t for t in texts) and any(quotes[1] in t for t in texts)
            assert (quotes[0] in texts[0]) or (quotes[1] in texts[0]), "one quote is the pattern's own text"


def test_confidence_ranks_the_pairs_the_vectors_and_words_bring_together(garden: Garden) -> None:
    # A distinctive shared vocabulary must outrank an arbitrary pair: the decision patterns find each other.
    decision = garden.blocks["open-decision-log"]
    assert any("decision" in (link.target or "") for link in decision.inferred_links[:3])


def test_communities_come_from_louvain_and_every_pattern_has_one(garden: Garden, hashing_starter: Engine) -> None:
    members = [slug for community in garden.communities for slug in community.members]
    assert sorted(members) == sorted(hashing_starter.library.patterns), "each pattern in exactly one community"
    assert len(garden.communities) >= 2
    ids = [c.id for c in garden.communities]
    assert len(set(ids)) == len(ids) and all(c.label for c in garden.communities)
    # The same partition networkx gives for the link graph with the garden's seed.
    stems = StemCache()
    profiles = [profile(hashing_starter.library.patterns[s], stems) for s in sorted(garden.blocks)]
    links = [garden.blocks[p.slug].inferred_links for p in profiles]
    expected = nx.community.louvain_communities(link_graph(profiles, links), weight="weight", seed=7)
    assert sorted(sorted(c) for c in expected) == sorted(c.members for c in garden.communities)
    for slug, block in garden.blocks.items():
        [community] = block.communities
        assert community.source == "louvain" and slug in next(
            c.members for c in garden.communities if c.id == community.id
        )
        assert community.confidence is not None and 0.0 <= community.confidence <= 1.0


def test_entities_are_typed_concepts_from_the_pattern(garden: Garden, hashing_starter: Engine) -> None:
    pattern = hashing_starter.library.patterns["meeting-diet"]
    entities = garden.blocks["meeting-diet"].entities
    labels = {e.label.lower() for e in entities if e.label}
    assert "too many meetings" in labels, "a search keyword is an entity"
    assert {"alignment", "time"} <= labels, "both sides of the tension"
    people = [e.label for e in entities if e.type == "person"]
    assert people and all(any(p in str(s) for s in pattern.meta.sources) for p in people)
    for entity in entities:
        assert entity.type in {"concept", "practice", "framework", "person"}
        assert entity.relevance is not None and 0.0 < entity.relevance < 1.0
        assert entity.id == entity.id.lower() and " " not in (entity.id or "")


def test_growing_twice_gives_the_same_garden(
    hashing_starter: Engine, starter_vectors: PatternVectors, garden: Garden
) -> None:
    again = grow(hashing_starter.library, starter_vectors, today=TODAY)
    assert {s: b.model_dump() for s, b in again.blocks.items()} == {s: b.model_dump() for s, b in garden.blocks.items()}


def test_recall_counts_curated_targets_in_the_first_k() -> None:
    truth = {"a": {"b", "c"}, "b": {"a"}, "c": {"a"}, "d": set()}
    ranked = {"a": ["b", "x", "y", "z", "w", "c"], "b": ["c", "a"], "c": ["b"]}
    assert recall_at(ranked, truth, k=5) == round((0.5 + 1.0 + 0.0) / 3, 4)
    assert recall_at(ranked, truth, k=6) == round((1.0 + 1.0 + 0.0) / 3, 4)


def test_the_baseline_is_plain_cosine_neighbours() -> None:
    matrix = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    near = nearest_neighbours(PatternVectors(["a", "b", "c", "d"], matrix), k=1)
    assert near == {"a": ["b"], "b": ["a"], "c": ["d"], "d": ["c"]}


def test_curated_relationships_are_read_both_ways(hashing_starter: Engine) -> None:
    truth = curated_neighbours(hashing_starter.library)
    refs = hashing_starter.library.patterns["meeting-diet"].meta.relationships.by_type()
    named = {r.slug for rs in refs.values() for r in rs}
    assert named <= truth["meeting-diet"]
    assert all("meeting-diet" in truth[other] for other in named)


def test_link_types_follow_the_texts(make_pattern: Callable[..., Path], tmp_path: Path) -> None:
    from pattern_guide.garden.links import link_type
    from pattern_guide.library.loader import load_file

    def read(slug: str, **fields: str) -> Profile:
        return profile(load_file(make_pattern(tmp_path, slug, **fields)))

    broad = read("shared-purpose", title="Shared Purpose")
    narrow = read("shared-purpose-in-movements", title="Shared Purpose in Movements")
    leans = read("open-decision-log", problem="Without a Shared Purpose the log drifts.")
    prepares = read("decision-rights", problem="A Shared Purpose enables the group to decide.")
    other = read("sustainable-pace", title="Sustainable Pace")
    assert link_type(broad, other, cosine=0.96) == "alternatives"
    assert link_type(narrow, broad, cosine=0.5) == "generalizes_from"
    assert link_type(broad, narrow, cosine=0.5) == "specializes_to"
    assert link_type(leans, broad, cosine=0.5) == "requires"
    assert link_type(broad, leans, cosine=0.5) == "enables"
    assert link_type(prepares, broad, cosine=0.5) == "enables"
    assert link_type(other, leans, cosine=0.5) == "complementary"
