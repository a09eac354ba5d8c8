"""The lexical index: BM25 scores as bm25s computes them, and an update that equals a fresh build."""

from __future__ import annotations

import shutil
from pathlib import Path

import bm25s
import numpy as np
import pytest

from pattern_guide.assistant import build_engine
from pattern_guide.errors import IndexMissingError
from pattern_guide.index.chunking import Chunk, chunk_pattern
from pattern_guide.index.embedder import HashingEmbedder
from pattern_guide.index.lexical import LexicalIndex, load_lexical, tokenize
from pattern_guide.library.loader import load_libraries
from pattern_guide.retrieval.retriever import Mode
from pattern_guide.settings import Settings
from tests.conftest import STARTER

QUERIES = [
    "every decision waits for the director to sign it off",
    "our volunteers are exhausted and meetings eat the whole week",
    "retro retro retrospective",  # a repeated word counts again
    "zyxquorbic",  # no known word
]


@pytest.fixture(scope="module")
def chunks() -> list[Chunk]:
    library = load_libraries([STARTER])
    counter = HashingEmbedder().count_tokens
    return [c for p in library.patterns.values() for c in chunk_pattern(p, counter)]


def test_scores_are_bm25s_scores(chunks: list[Chunk]) -> None:
    tokens = tokenize([c.text for c in chunks])
    mine = LexicalIndex.build(chunks, tokens)
    theirs = bm25s.BM25()
    theirs.index(tokens, show_progress=False)
    for query in QUERIES:
        words = tokenize([query])[0]
        known = [w for w in words if w in theirs.vocab_dict]
        expected = theirs.get_scores(known) if known else np.zeros(len(chunks))
        assert np.allclose(mine.scores(words), expected, atol=1e-5), query
    top = mine.query(QUERIES[0], 5)
    assert len(top) == 5 and [s for _, s in top] == sorted((s for _, s in top), reverse=True)
    assert mine.query("zyxquorbic", 5) == []


def test_an_update_equals_a_fresh_build(chunks: list[Chunk], tmp_path: Path) -> None:
    slugs = list(dict.fromkeys(c.slug for c in chunks))
    grown, shrunk, dropped = slugs[2], slugs[5], slugs[7]
    changed = [c.model_copy(update={"text": c.text + " orchards and rotas"}) for c in chunks if c.slug == grown]
    changed += [c for c in chunks if c.slug == shrunk][:1]
    kept = [s for s in slugs if s != dropped]
    old = LexicalIndex.build(chunks)
    old.save(tmp_path / "old")
    updated = LexicalIndex.load(tmp_path / "old").updated(
        kept, {grown, shrunk}, changed, tokenize([c.text for c in changed])
    )
    expected = [c for s in kept for c in (changed if s in {grown, shrunk} else chunks) if c.slug == s]
    fresh = LexicalIndex.build(expected)
    assert [(r.id, r.text) for r in updated.refs] == [(c.id, c.text) for c in expected]
    for query in [*QUERIES, "orchards and rotas"]:
        words = tokenize([query])[0]
        assert np.allclose(updated.scores(words), fresh.scores(words), atol=1e-6), query
        assert updated.query(query, 8) == fresh.query(query, 8)
    assert updated.query("orchards and rotas", 1)[0][0].startswith(f"{grown}#")
    updated.save(tmp_path / "new")  # texts of chunks never read are copied from the old file as they were
    again = LexicalIndex.load(tmp_path / "new")
    assert [(r.id, r.slug, r.section, r.text) for r in again.refs] == [
        (c.id, c.slug, c.section, c.text) for c in expected
    ]


def test_an_index_of_the_earlier_format_asks_for_a_rebuild(tmp_path: Path) -> None:
    (tmp_path / "lexical").mkdir()
    (tmp_path / "lexical" / "chunks.jsonl").write_text('{"id": "a", "slug": "a", "section": "s", "text": "t"}\n')
    (tmp_path / "lexical" / "params.index.json").write_text("{}")  # what bm25s wrote
    (tmp_path / "lexical" / "postings.npz").write_bytes(b"")  # what the first version of this format wrote
    with pytest.raises(IndexMissingError, match="pattern-guide index"):
        load_lexical(tmp_path)


def test_a_re_index_of_a_few_files_touches_only_them_and_equals_a_full_run(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    shutil.copytree(STARTER, folder)

    def engine(index: str):  # type: ignore[no-untyped-def]
        return build_engine(
            Settings(libraries=[folder], index_dir=tmp_path / index, embedder="hashing"), HashingEmbedder()
        )

    engine("index").index()
    files = [p for p in sorted(folder.glob("*.md")) if p.name != "README.md"]
    files[1].write_text(files[1].read_text(encoding="utf-8") + "\nA paragraph about orchards.\n", encoding="utf-8")
    files[3].unlink()
    refreshed = engine("index")
    asked: list[int] = []
    original = refreshed.vector_index.stored_hashes
    refreshed.vector_index.stored_hashes = lambda: asked.append(1) or original()  # type: ignore[method-assign]
    report = refreshed.index()
    assert not asked  # only the two patterns' vectors were looked at, not the whole store
    assert report.embedded >= 1 and report.deleted >= 1
    full = engine("fresh")
    full_report = full.index()
    assert (report.patterns, report.chunks) == (full_report.patterns, full_report.chunks)
    mine, theirs = load_lexical(tmp_path / "index"), load_lexical(tmp_path / "fresh")
    assert [(r.id, r.text) for r in mine.refs] == [(r.id, r.text) for r in theirs.refs]
    assert refreshed.vector_index.stored_hashes() == full.vector_index.stored_hashes()
    for query in ["orchards", *QUERIES]:
        assert mine.query(query, 5) == theirs.query(query, 5)
        # Chroma's HNSW graph is approximate and depends on the order vectors came in: BM25's ranking is exact.
        lexical = refreshed.retriever.rank(query, Mode.LEXICAL), full.retriever.rank(query, Mode.LEXICAL)
        assert lexical[0] == lexical[1]
