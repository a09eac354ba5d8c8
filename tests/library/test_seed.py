"""The seed document parses fully, through the CLI contract."""

from __future__ import annotations

import json

import pytest

from pattern_guide.cli import main
from tests.conftest import SEED, needs_seed

pytestmark = needs_seed


def show_json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict:  # type: ignore[type-arg]
    assert main(["show", "--file", str(SEED), "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_seed_steps_and_contexts(capsys: pytest.CaptureFixture[str]) -> None:
    data = show_json(capsys)
    steps = data["steps"]
    assert [s["number"] for s in steps] == [1, 2, 3, 4, 5]
    assert steps[0]["title"] == "Articulate and embody core values in language locals can apply"
    assert steps[1]["title"] == "Translate values into decision principles—living, not fixed"
    assert steps[2]["title"] == "Build a transparency layer so local decisions become visible system-wide"
    assert steps[3]["title"].startswith("Create a feedback loop")
    assert steps[4]["title"].startswith("Name the escalation path clearly")
    for index in (0, 2):
        assert sorted(steps[index]["contexts"]) == ["activist", "corporate", "government", "tech"]
        assert all(paras and all(p.strip() for p in paras) for paras in steps[index]["contexts"].values())
    # Step 1 writes "In **government**," and step 3 "**In government**:"; both lose the lead-in.
    assert steps[0]["contexts"]["government"][0].startswith("Embed values into the problem statement")
    assert steps[2]["contexts"]["tech"][0].startswith("Distributed team decision logs")
    assert steps[1]["contexts"] == {} and steps[3]["contexts"] == {} and steps[4]["contexts"] == {}


def test_seed_vitality_tension_labels(capsys: pytest.CaptureFixture[str]) -> None:
    data = show_json(capsys)
    assert len(data["signs_of_life"]) == 4
    assert len(data["signs_of_decay"]) == 4
    assert data["signs_of_life"][0].startswith("Decisions accelerate while coherence holds.")
    assert data["signs_of_decay"][3].startswith("Centre withdraws into irrelevance.")
    assert data["when_to_replant"].startswith("If you see decay in more than one")
    assert data["tension"] == "Distributed vs. Complexity"
    assert data["solution"].startswith("Therefore, establish a shared values core")
    assert sorted(data["context_labels"]) == ["activist", "corporate", "government", "tech"]
    assert [s["role"] for s in data["sections"]] == [
        "context",
        "problem",
        "solution",
        "implementation",
        "consequences",
        "known_uses",
        "cognitive_era",
        "vitality",
    ]


def test_seed_relationships_and_garden(capsys: pytest.CaptureFixture[str]) -> None:
    data = show_json(capsys)
    counts = {kind: len(refs) for kind, refs in data["relationships"].items()}
    assert counts["generalizes_from"] == 2
    assert counts["enables"] == 2
    assert counts["requires"] == 3
    assert counts["complementary"] == 2
    assert data["relationships"]["requires"][0] == {"slug": "acting-despite-irreducible-uncertainty", "weight": 0.85}
    garden = data["graph_garden"]
    assert len(garden["entities"]) == 10
    assert len(garden["communities"]) == 5
    assert len(garden["inferred_links"]) == 12
    assert data["commons_assessment"]["overall_score"] == 3.5


def test_seed_context_lens(capsys: pytest.CaptureFixture[str]) -> None:
    data = show_json(capsys, "--context", "government")
    assert data["context_label"] == "Distributed Leadership in Complexity in Public Service"
    lens = data["steps"][0]["lens"]
    assert lens["context"] == "government" and lens["exact"]
    assert data["steps"][1]["lens"]["paragraphs"] == []
