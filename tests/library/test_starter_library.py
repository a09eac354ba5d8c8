"""The starter library against its catalogue, and the library's own invariants."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from pattern_guide.library.contexts import CONTEXTS
from pattern_guide.library.loader import Library, load_libraries
from pattern_guide.library.meta import RELATIONSHIP_TYPES
from pattern_guide.library.model import SECTION_ROLES
from tests.conftest import COMMONS, SEED, SHARED, STARTER

CATALOGUE = SHARED / "catalogue.yaml"
SCORES = (
    "stakeholder_architecture",
    "value_creation",
    "resilience",
    "ownership",
    "autonomy",
    "composability",
    "fractal_value",
    "vitality",
)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_libraries([STARTER])


def test_library_validates_cleanly(library: Library) -> None:
    assert library.problems == []
    assert len(library.patterns) == 41


@pytest.mark.skipif(not CATALOGUE.is_file(), reason="../shared/catalogue.yaml is absent")
def test_every_catalogue_entry_is_present(library: Library) -> None:
    catalogue = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))["patterns"]
    assert {p["slug"] for p in catalogue} == set(library.patterns)
    for entry in catalogue:
        pattern = library.get(entry["slug"])
        assert pattern.title == entry["title"]
        assert pattern.meta.ontology.domain == entry["domain"], entry["slug"]
        assert pattern.tension == entry["tension"], entry["slug"]
        linked = {r.slug for refs in pattern.meta.relationships.by_type().values() for r in refs}
        assert set(entry["links"]) <= linked, (entry["slug"], set(entry["links"]) - linked)


def test_structure_of_each_pattern(library: Library) -> None:
    for slug, p in library.patterns.items():
        assert [s.role for s in p.sections] == list(SECTION_ROLES), slug
        problem = p.section("problem")
        assert problem and f"The core conflict is {p.tension}." in problem.text, slug
        assert p.solution and p.solution.startswith("Therefore, "), slug
        assert len(p.steps) >= 3, slug
        for step in p.steps:
            assert set(step.contexts) == set(CONTEXTS), (slug, step.number, sorted(step.contexts))
        assert len(p.signs_of_life) >= 4 and len(p.signs_of_decay) >= 4, slug
        assert p.when_to_replant.strip(), slug
        known = p.section("known_uses")
        assert known and len(re.findall(r"^\*\*[^*]+\*\*\s*$", known.text, re.MULTILINE)) >= 2, slug
        # The pattern's own words: the machine-written graph_garden block (`pattern-guide garden`) is not prose.
        text = re.sub(r"(?ms)^graph_garden:.*?(?=^# ═|^---)", "", Path(p.path).read_text(encoding="utf-8"))
        words = len(text.split())
        assert 1200 <= words <= 3000, (slug, words)


def test_front_matter_of_each_pattern(library: Library) -> None:
    ids = set()
    for slug, p in library.patterns.items():
        meta = p.meta
        assert meta.id and meta.id.startswith("pat_") and meta.id not in ids, slug
        ids.add(meta.id)
        assert meta.summary, slug
        assert set(meta.context_labels) == set(CONTEXTS), slug
        for label in meta.context_labels.values():
            assert not label.startswith(meta.title), (slug, label)  # a name in that world, not a suffix
        assert 5 <= len(meta.ontology.search_hints.vector_keywords) <= 8, slug
        assessment = meta.ontology.commons_assessment
        assert assessment is not None, slug
        assert set(assessment.scores()) == set(SCORES), slug
        assert assessment.vitality_reasoning and assessment.overall_score is not None, slug
        assert len(set(assessment.scores().values())) > 1, slug  # scored, not stamped
        assert meta.lifecycle.status and meta.lifecycle.confidence, slug
        assert meta.license == "CC-BY-SA-4.0" and meta.attribution and "Pattern Guide" in meta.attribution, slug
        assert "pattern-guide" in meta.contributors, slug


def test_relationships_are_consistent(library: Library) -> None:
    edges = {
        (slug, kind, ref.slug)
        for slug, p in library.patterns.items()
        for kind, refs in p.meta.relationships.by_type().items()
        for ref in refs
    }
    for slug, kind, target in edges:
        assert kind in RELATIONSHIP_TYPES, (slug, kind)
        assert target in library.patterns, (slug, kind, target)
        assert target != slug, slug
    for slug, p in library.patterns.items():
        targets = [r.slug for refs in p.meta.relationships.by_type().values() for r in refs]
        assert len(targets) == len(set(targets)), (slug, "listed twice")
    for a, kind, b in edges:
        if kind in ("requires", "generalizes_from", "specializes_to"):
            assert (b, kind, a) not in edges, f"{a} {kind} {b} and {b} {kind} {a}"
        if kind == "generalizes_from":
            assert (a, "specializes_to", b) not in edges, (a, b)


@pytest.mark.skipif(not (SEED.is_file() and COMMONS.is_dir()), reason="../shared is absent")
def test_written_in_the_projects_own_words() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from check_overlap import find_overlaps

    files = sorted(p for p in STARTER.glob("*.md") if p.name != "README.md")
    hits = find_overlaps(files, [SEED.parent, COMMONS], 10)
    assert hits == {}
