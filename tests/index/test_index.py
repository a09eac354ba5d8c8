"""Chunks and the index: stable ids, hashes, incremental re-indexing, resume."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from pattern_guide.assistant import Engine
from pattern_guide.cli import main
from pattern_guide.index.chunking import chunk_pattern
from pattern_guide.index.embedder import HashingEmbedder, MiniLMEmbedder
from pattern_guide.library.loader import load_file
from tests.conftest import SEED, STARTER, needs_seed


@needs_seed
def test_seed_chunks_fit_the_window_with_stable_ids(minilm: MiniLMEmbedder) -> None:
    pattern = load_file(SEED)
    chunks = chunk_pattern(pattern, minilm.count_tokens)
    assert max(minilm.count_tokens([c.text for c in chunks])) <= 256
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids))
    assert ids[0] == "distributed-leadership-in-complexity#summary#0"
    assert "distributed-leadership-in-complexity#implementation#0" in ids
    assert "distributed-leadership-in-complexity#implementation#1" in ids  # a long section splits
    assert all(c.text.startswith("Distributed Leadership in Complexity — ") for c in chunks)
    again = chunk_pattern(load_file(SEED), minilm.count_tokens)
    assert [(c.id, c.hash) for c in again] == [(c.id, c.hash) for c in chunks]
    # Every paragraph of the body is somewhere in the chunks (nothing dropped).
    joined = "\n".join(c.text for c in chunks)
    assert "Don't wait until fragmentation feels inevitable." in joined


def test_every_starter_chunk_fits(minilm: MiniLMEmbedder) -> None:
    for path in sorted(STARTER.glob("*.md")):
        if path.name == "README.md":
            continue
        chunks = chunk_pattern(load_file(path), minilm.count_tokens)
        assert max(minilm.count_tokens([c.text for c in chunks])) <= 256, path


def _index_json(capsys: pytest.CaptureFixture[str], library: Path, index_dir: Path) -> dict:  # type: ignore[type-arg]
    assert main(["index", "--library", str(library), "--index-dir", str(index_dir), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_reindex_embeds_only_changes(
    tmp_path: Path,
    make_pattern: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATTERN_GUIDE_EMBEDDER", "hashing")
    library = tmp_path / "lib"
    for slug in ("one", "two", "three"):
        make_pattern(library, slug)
    first = _index_json(capsys, library, tmp_path / "ix")
    assert first["patterns"] == 3 and first["embedded"] == first["chunks"] > 3 and first["deleted"] == 0
    second = _index_json(capsys, library, tmp_path / "ix")
    assert second["embedded"] == 0 and second["deleted"] == 0 and second["chunks"] == first["chunks"]
    make_pattern(library, "two", problem="Something new and different goes wrong.")
    third = _index_json(capsys, library, tmp_path / "ix")
    assert third["embedded"] == 1  # only the Problem chunk of "two"
    (library / "three.md").unlink()
    fourth = _index_json(capsys, library, tmp_path / "ix")
    assert fourth["embedded"] == 0 and fourth["deleted"] == first["chunks"] // 3
    assert fourth["patterns"] == 2


class FlakyEmbedder(HashingEmbedder):
    """Fails after a number of calls, like a run stopped by Ctrl-C."""

    def __init__(self, calls_before_failure: int) -> None:
        super().__init__()
        self.left = calls_before_failure
        self.embedded = 0

    def embed(self, texts: list[str]) -> np.ndarray:  # type: ignore[type-arg]
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        self.embedded += len(texts)
        return super().embed(texts)


def test_interrupted_index_resumes(
    tmp_path: Path,
    make_pattern: Callable[..., Path],
    hashing_engine_factory: Callable[[list[Path]], Engine],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("pattern_guide.index.vectors.WRITE_BATCH", 4)
    library = tmp_path / "lib"
    for n in range(6):
        make_pattern(library, f"pattern-{n}")
    engine = hashing_engine_factory([library])
    engine._embedder = FlakyEmbedder(calls_before_failure=2)
    with pytest.raises(KeyboardInterrupt):
        engine.index()
    total = len(engine.vector_index.chunks(engine.library))
    assert engine.vector_index.count() == 8
    resumed = hashing_engine_factory([library])
    report = resumed.index()
    assert report.embedded == total - 8
    assert resumed.vector_index.count() == total
