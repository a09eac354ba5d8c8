"""The chunk cache: a re-index chunks and stems only what changed, and gets exactly what a fresh run gets."""

from __future__ import annotations

import shutil
from pathlib import Path

from pattern_guide.assistant import Engine, build_engine
from pattern_guide.index.chunk_cache import FILE, ChunkCache
from pattern_guide.index.chunking import chunk_pattern
from pattern_guide.index.embedder import HashingEmbedder
from pattern_guide.index.lexical import load_lexical, tokenize
from pattern_guide.library.loader import load_libraries
from pattern_guide.settings import Settings
from tests.conftest import STARTER


def _library(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    shutil.copytree(STARTER, folder)
    return folder


def _engine(folder: Path, index: Path) -> Engine:
    return build_engine(Settings(libraries=[folder], index_dir=index, embedder="hashing"), HashingEmbedder())


def _dump(index: Path) -> list[tuple[str, str, str]]:
    return [(r.id, r.section, r.text) for r in load_lexical(index).refs]


def test_cached_chunks_and_tokens_equal_fresh_ones(tmp_path: Path) -> None:
    folder = _library(tmp_path)
    _engine(folder, tmp_path / "index").index()
    library = load_libraries([folder])
    cache = ChunkCache(tmp_path / "index", "hashing")
    embedder = HashingEmbedder()
    for pattern in library.patterns.values():
        cached = cache.chunks(pattern, lambda p: [])  # a miss would return nothing
        assert cached == chunk_pattern(pattern, embedder.count_tokens), pattern.slug
        assert cache.tokens(cached, lambda texts: [[] for _ in texts]) == tokenize([c.text for c in cached])
    assert cache.hits == len(library.patterns)


def test_a_changed_file_is_chunked_again_and_the_index_matches_a_fresh_build(tmp_path: Path) -> None:
    folder = _library(tmp_path)
    _engine(folder, tmp_path / "index").index()
    path = next(p for p in sorted(folder.glob("*.md")) if p.name != "README.md")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nA closing paragraph about orchards and rotas, added for the test.\n", encoding="utf-8")
    engine = _engine(folder, tmp_path / "index")
    calls: list[str] = []
    original = ChunkCache.chunks

    def counting(self: ChunkCache, pattern, make):  # type: ignore[no-untyped-def]
        def made(p):  # type: ignore[no-untyped-def]
            calls.append(p.slug)
            return make(p)

        return original(self, pattern, made)

    ChunkCache.chunks = counting  # type: ignore[method-assign]
    try:
        report = engine.index()
    finally:
        ChunkCache.chunks = original  # type: ignore[method-assign]
    assert len(calls) == 1 and report.embedded >= 1
    assert "orchards and rotas" in " ".join(t for _, _, t in _dump(tmp_path / "index"))
    _engine(folder, tmp_path / "fresh").index()
    assert _dump(tmp_path / "index") == _dump(tmp_path / "fresh")
    index, fresh = load_lexical(tmp_path / "index"), load_lexical(tmp_path / "fresh")
    query = "orchards and rotas"
    assert index.query(query, 5) == fresh.query(query, 5)


def test_a_damaged_cache_is_a_normal_run(tmp_path: Path) -> None:
    folder = _library(tmp_path)
    _engine(folder, tmp_path / "index").index()
    (tmp_path / "index" / FILE).write_text(
        '{"format": 1, "tokenizer": "hashing", "chunks": {"x": [{"id": 3}]}', "utf-8"
    )
    path = next(p for p in sorted(folder.glob("*.md")) if p.name != "README.md")
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more paragraph, so the index runs.\n", "utf-8")
    engine = _engine(folder, tmp_path / "index")
    report = engine.index()
    assert report.embedded >= 1 and report.deleted == 0
    _engine(folder, tmp_path / "fresh").index()
    assert _dump(tmp_path / "index") == _dump(tmp_path / "fresh")
    cache = ChunkCache(tmp_path / "index", "hashing")
    pattern = next(iter(load_libraries([folder]).patterns.values()))
    assert cache.chunks(pattern, lambda p: []) != []  # rewritten whole: readable again


def test_another_tokenizer_does_not_use_the_cache(tmp_path: Path) -> None:
    folder = _library(tmp_path)
    _engine(folder, tmp_path / "index").index()
    pattern = next(iter(load_libraries([folder]).patterns.values()))
    assert ChunkCache(tmp_path / "index", "all-MiniLM-L6-v2").chunks(pattern, lambda p: []) == []


def test_an_unchanged_library_is_not_read_again_and_any_change_is(tmp_path: Path) -> None:
    folder = _library(tmp_path)
    first = _engine(folder, tmp_path / "index").index()
    again = _engine(folder, tmp_path / "index")
    report = again.index()
    assert (report.patterns, report.chunks, report.embedded, report.deleted) == (first.patterns, first.chunks, 0, 0)
    assert "library" not in again.__dict__  # judged unchanged by the files' sizes and times, nothing parsed
    path = next(p for p in sorted(folder.glob("*.md")) if p.name != "README.md")
    path.write_text(path.read_text(encoding="utf-8") + "\nA paragraph added later.\n", encoding="utf-8")
    changed = _engine(folder, tmp_path / "index")
    report = changed.index()
    assert (report.patterns, report.embedded, report.deleted) == (first.patterns, 1, 0)
    assert "library" in changed.__dict__
    # A vector store that lost what the manifest says it holds is brought back in step.
    store = _engine(folder, tmp_path / "index")
    gone = store.vector_index.collection.get(limit=3)["ids"]
    store.vector_index.collection.delete(ids=gone)
    assert _engine(folder, tmp_path / "index").index().embedded == 3
