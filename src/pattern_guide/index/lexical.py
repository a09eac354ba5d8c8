"""The lexical index: BM25 over the chunks (bm25s, stemmed with the text toolkit's English stemmer)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import bm25s

from pattern_guide.errors import IndexMissingError
from pattern_guide.index.chunking import Chunk
from pattern_guide.text import STEMMER


def tokenize(texts: list[str]) -> list[list[str]]:
    tokens: list[list[str]] = bm25s.tokenize(
        texts, stopwords="en", stemmer=STEMMER, return_ids=False, show_progress=False
    )
    return tokens


class ChunkRef:
    """One chunk as BM25 knows it. A loaded index reads the text from its chunks file when asked (a quote
    shown, a question answered), so a running app does not hold every chunk's text (on the Commons library
    about as much text again as the library itself)."""

    __slots__ = ("_source", "_span", "_text", "id", "section", "slug")

    def __init__(
        self, id: str, slug: str, section: str, text: str | None = None, source: _ChunkFile | None = None,
        span: tuple[int, int] = (0, 0),
    ) -> None:  # fmt: skip
        self.id, self.slug, self.section = id, slug, section
        self._text, self._source, self._span = text, source, span

    @property
    def text(self) -> str:
        if self._text is not None:
            return self._text
        if self._source is None:
            return ""
        return str(json.loads(self._source.read(*self._span))["text"])

    def line(self) -> bytes:
        row = {"id": self.id, "slug": self.slug, "section": self.section, "text": self.text}
        return json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n"


class _ChunkFile:
    """The chunks file of a loaded index, kept open: an index rebuilt under a running app replaces the file,
    and this handle goes on reading the one it was loaded from."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self._fd = self._file.fileno()

    def read(self, offset: int, length: int) -> bytes:
        return os.pread(self._fd, length, offset)

    def lines(self) -> Iterator[tuple[int, bytes]]:
        offset = 0
        self._file.seek(0)
        for line in self._file:
            yield offset, line
            offset += len(line)


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
        # Whole or not at all, and a new file: a running app's open handle keeps reading the old one.
        handle, name = tempfile.mkstemp(dir=directory, prefix=".chunks-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as fh:
                fh.writelines(ref.line() for ref in self.refs)
            os.replace(name, directory / "chunks.jsonl")
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        if not (directory / "chunks.jsonl").is_file():
            raise IndexMissingError(f"No index at {directory.parent} — run `pattern-guide index`")
        model = bm25s.BM25.load(str(directory), show_progress=False)
        source = _ChunkFile(directory / "chunks.jsonl")
        refs = []
        for offset, line in source.lines():
            if line.strip():
                row = json.loads(line)
                refs.append(ChunkRef(row["id"], row["slug"], row["section"], source=source, span=(offset, len(line))))
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
