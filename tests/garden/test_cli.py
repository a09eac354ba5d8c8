"""`pattern-guide garden` from the command line: the JSON keys, --eval, --write, and a missing index."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from pattern_guide.assistant import Engine
from pattern_guide.cli import main
from pattern_guide.library.loader import load_libraries


@pytest.fixture
def hashing_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATTERN_GUIDE_EMBEDDER", "hashing")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["garden", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_exactly_the_counts(
    hashing_env: None, hashing_starter: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = hashing_starter.settings
    args = ["--library", str(settings.libraries[0]), "--index-dir", str(settings.index_dir), "--json"]
    code, out, _ = _run(capsys, *args)
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"patterns", "links", "entities", "communities", "seconds"}
    assert report["patterns"] == 41 and report["links"] >= 41 and report["communities"] >= 2
    assert report["entities"] > 41 and report["seconds"] > 0

    code, out, _ = _run(capsys, *args, "--eval")
    figures = json.loads(out)
    assert 0.0 <= figures["baseline_recall_at_5"] <= 1.0 and 0.0 < figures["recall_at_5"] <= 1.0
    assert figures["judged"] == 41


def test_write_updates_the_files_and_the_summary_says_so(
    hashing_env: None, hashing_starter: Engine, starter_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = str(hashing_starter.settings.index_dir)
    code, out, _ = _run(capsys, "--library", str(starter_copy), "--index-dir", index, "--write", "--eval")
    assert code == 0
    assert "41 patterns:" in out and "41 file(s) updated" in out and "nearest neighbours" in out
    library = load_libraries([starter_copy])
    assert library.errors == []
    assert all(p.meta.graph_garden.inferred_links for p in library.patterns.values())
    code, out, _ = _run(capsys, "--library", str(starter_copy), "--index-dir", index, "--write")
    assert "0 file(s) updated" in out


def test_patterns_missing_from_the_index_name_the_command_to_run(
    hashing_env: None,
    hashing_engine_factory: Callable[[list[Path]], Engine],
    make_pattern: Callable[..., Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    library = tmp_path / "lib"
    make_pattern(library, "first-pattern")
    make_pattern(library, "second-pattern")
    engine = hashing_engine_factory([library])
    engine.index()
    make_pattern(library, "added-later")
    args = ["--library", str(library), "--index-dir", str(engine.settings.index_dir)]
    code, out, err = _run(capsys, *args)
    assert code == 2 and out == ""
    assert "1 of 3 patterns have no vectors in the index (added-later)" in err
    assert "run `pattern-guide index` first" in err and "Traceback" not in err


def test_no_index_at_all_is_a_message(
    hashing_env: None, make_pattern: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_pattern(tmp_path / "lib", "only-one")
    code, _, err = _run(capsys, "--library", str(tmp_path / "lib"), "--index-dir", str(tmp_path / "none"))
    assert code == 2 and "run `pattern-guide index`" in err
