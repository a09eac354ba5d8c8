"""The real Commons library (both format generations) loads at scale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pattern_guide.cli import main
from pattern_guide.library.loader import load_libraries
from tests.conftest import COMMONS, needs_commons

pytestmark = needs_commons


def test_validate_commons_library(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", "--library", str(COMMONS), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["files"] == 3616
    assert data["loaded"] >= 3600
    assert code == (1 if data["errors"] else 0)
    assert data["files"] - data["loaded"] == len(data["errors"])
    for error in data["errors"]:
        path = Path(error["file"])
        assert path.is_file()
        assert 1 <= error["line"] <= len(path.read_text(encoding="utf-8", errors="replace").splitlines())
        assert " — " in error["message"] or ":" in error["message"]


def test_both_generations_yield_guide_parts() -> None:
    library = load_libraries([COMMONS])
    v7 = [p for p in library.patterns.values() if p.generation == "v7"]
    legacy = [p for p in library.patterns.values() if p.generation == "legacy"]
    assert len(v7) > 1900 and len(legacy) > 1400
    assert sum(bool(p.tension) for p in v7) / len(v7) > 0.95
    assert sum(len(p.signs_of_life) >= 3 for p in v7) / len(v7) > 0.5
    assert sum(bool(p.steps) for p in v7) / len(v7) > 0.8
    # Older files map "1. Overview", "3. Key Practices", ... onto the same roles.
    assert sum(p.section("context") is not None for p in legacy) / len(legacy) > 0.9
    assert sum(p.section("implementation") is not None for p in legacy) / len(legacy) > 0.9


def test_implementations_written_by_context_are_walked_in_the_persons_context() -> None:
    library = load_libraries([COMMONS])
    by_context = [p for p in library.patterns.values() if p.steps and p.steps[0].title == "In your setting"]
    assert len(by_context) > 300
    blood = library.patterns["blood-sugar-management"]
    assert [s.title for s in blood.steps] == ["In your setting", "Across all contexts"]
    assert sorted(blood.steps[0].contexts) == ["activist", "corporate", "government", "tech"]
    # No step of the library is a block written for one context: "Corporate executives", "Tech callout".
    named = ("corporate executives", "government workers", "activist translation", "tech callout", "tech translation")
    titles = [s.title.lower() for p in library.patterns.values() for s in p.steps]
    assert not [t for t in titles if t in named]
