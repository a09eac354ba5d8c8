"""The lexical index: BM25 over the chunks (bm25s, stemmed with the text toolkit's English stemmer)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import bm25s
from pydantic import BaseModel

from pattern_guide.errors import IndexMissingError
from pattern_guide.index.chunking import Chunk
from pattern_guide.text import STEMMER


def tokenize(texts: list[str]) -> list[list[str]]:
    tokens: list[list[str]] = bm25s.tokenize(
        texts, stopwords="en", stemmer=STEMMER, return_ids=False, show_progress=False
    )
    return tokens


class ChunkRef(BaseModel):
    id: str
    slug: str
    section: str
    text: str


class LexicalIndex:
    """BM25 over chunks, built at index time and loaded once per process."""

    def __init__(self, model: bm25s.BM25, refs: list[ChunkRef]) -> None:
        self.model = model
        self.refs = refs
        self.by_id = {r.id: r for r in refs}

    @classmethod
    def build(cls, chunks: Sequence[Chunk], tokens: list[list[str]] | None = None) -> LexicalIndex:
        """BM25 over the chunks; ``tokens`` (each chunk's, in order) when already stemmed."""
        refs = [ChunkRef(id=c.id, slug=c.slug, section=c.section, text=c.text) for c in chunks]
        model = bm25s.BM25()
        if tokens is None:
            tokens = tokenize([c.text for c in chunks])
        model.index(tokens if chunks else [[]], show_progress=False)
        return cls(model, refs)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.model.save(str(directory), show_progress=False)
        with (directory / "chunks.jsonl").open("w", encoding="utf-8") as fh:
            for ref in self.refs:
                fh.write(ref.model_dump_json() + "\n")

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        if not (directory / "chunks.jsonl").is_file():
            raise IndexMissingError(f"No index at {directory.parent} — run `pattern-guide index`")
        model = bm25s.BM25.load(str(directory), show_progress=False)
        with (directory / "chunks.jsonl").open(encoding="utf-8") as fh:
            refs = [ChunkRef.model_validate_json(line) for line in fh if line.strip()]
        return cls(model, refs)

    def query(self, text: str, n: int) -> list[tuple[str, float]]:
        """Chunk ids by BM25 score, best first; chunks with no matching term are left out."""
        tokens = tokenize([text])
        if not tokens[0] or not self.refs:
            return []
        vocab = self.model.vocab_dict
        known = [[t for t in tokens[0] if t in vocab]]
        if not known[0]:
            return []
        ids, scores = self.model.retrieve(known, k=min(n, len(self.refs)), show_progress=False, n_threads=1)
        return [(self.refs[int(i)].id, float(s)) for i, s in zip(ids[0], scores[0], strict=True) if s > 0]


def load_lexical(index_dir: Path) -> LexicalIndex:
    """The persisted BM25 index of an index folder."""
    return LexicalIndex.load(index_dir / "lexical")
