"""Which chunks get vectors: all of a small library, the situation sections of a large one; BM25 keeps all."""

from __future__ import annotations

from pathlib import Path

import pytest

from pattern_guide.assistant import build_engine
from pattern_guide.errors import ConfigError
from pattern_guide.index import vectors
from pattern_guide.index.chunking import chunk_pattern
from pattern_guide.index.embedder import HashingEmbedder, MiniLMEmbedder
from pattern_guide.index.lexical import load_lexical
from pattern_guide.library.loader import load_file
from pattern_guide.settings import Settings
from tests.conftest import SEED, STARTER, needs_seed


@needs_seed
def test_chunks_carry_the_role_of_their_section(minilm: MiniLMEmbedder) -> None:
    chunks = chunk_pattern(load_file(SEED), minilm.count_tokens)
    roles = {c.id.split("#")[1]: c.role for c in chunks}
    assert roles["summary"] == "summary"
    assert roles["context"] == "context"
    assert roles["problem"] == "problem"
    assert roles["implementation"] == "implementation"
    assert {c.role for c in chunks} >= {"summary", "context", "problem", "solution", "vitality"}


def _engine(tmp_path: Path, sections: str) -> object:
    settings = Settings(libraries=[STARTER], index_dir=tmp_path / sections, embedder="hashing", embed_sections=sections)
    return build_engine(settings, HashingEmbedder())


@pytest.mark.parametrize("sections", ["situation", "all", "auto"])
def test_vectors_cover_the_chosen_sections_and_bm25_every_chunk(tmp_path: Path, sections: str) -> None:
    engine = _engine(tmp_path, sections)
    report = engine.index()  # type: ignore[attr-defined]
    stored = engine.vector_index.collection.get(include=["metadatas"])  # type: ignore[attr-defined]
    lexical = load_lexical(tmp_path / sections)
    chunks = engine.vector_index.chunks(engine.library)  # type: ignore[attr-defined]
    assert [r.id for r in lexical.refs] == [c.id for c in chunks]  # BM25 has every chunk whatever is embedded
    roles_stored = {c.role for c in chunks if c.id in set(stored["ids"])}
    assert report.embedded == len(stored["ids"])
    if sections == "situation":
        assert roles_stored == {"summary", "context", "problem"}
        assert report.embedded < report.chunks / 3
    else:  # the starter library is far below the auto limit: everything is embedded
        assert report.embedded == report.chunks
        assert {"implementation", "vitality", "solution"} <= roles_stored


def test_auto_embeds_only_the_situation_beyond_its_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _engine(tmp_path, "auto")
    first = engine.index()  # type: ignore[attr-defined]
    assert engine.vector_index.count() == first.chunks  # type: ignore[attr-defined]
    monkeypatch.setattr(vectors, "AUTO_ALL_CHUNKS", 100)
    report = engine.index()  # type: ignore[attr-defined]
    # Crossing the limit drops the vectors of the other sections and embeds nothing new.
    assert report.embedded == 0 and report.deleted > 0
    ids = set(engine.vector_index.collection.get()["ids"])  # type: ignore[attr-defined]
    roles = {c.role for c in engine.vector_index.chunks(engine.library) if c.id in ids}  # type: ignore[attr-defined]
    assert roles == {"summary", "context", "problem"}


def test_an_unknown_choice_is_refused() -> None:
    with pytest.raises(ConfigError, match="PATTERN_GUIDE_EMBED_SECTIONS must be 'auto', 'situation' or 'all'"):
        Settings.from_env({"PATTERN_GUIDE_EMBED_SECTIONS": "some"})
