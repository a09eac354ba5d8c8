"""The chunk cache: each pattern's chunks and their BM25 tokens, by a fingerprint of what chunking reads.

Chunking counts every paragraph with the model's tokenizer and BM25 stems every chunk; on the Commons
library that is most of a full index run over chunks already seen (a setting changed, the lexical index
lost). Both are kept here (JSON lines, never pickle): a header line, then one line per pattern,
``<fingerprint>\t{"chunks": [...], "tokens": [...]}``. A re-index after a few files changed adds their
lines at the end, the rest unread (:meth:`ChunkCache.add`). The fingerprint covers the pattern's title,
front-matter lines that go into its summary chunk, and every section, plus the embedder's tokenizer and the
versions of the chunker and the stemmer: any change to them is a miss. A missing, damaged or unwritable
cache is a normal, slower index run.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pattern_guide.files import (
    append_keyed_lines,
    has_header,
    header_line,
    keyed_line,
    line_value,
    read_keyed_lines,
    write_keyed_lines,
)
from pattern_guide.index.chunking import Chunk
from pattern_guide.library.model import Pattern

log = logging.getLogger(__name__)
# Bump when chunk_pattern or the lexical tokenizer changes what it makes of the same pattern.
FORMAT = 2
FILE = "chunk-cache.jsonl"
Tokens = list[str]


def fingerprint(pattern: Pattern, tokenizer: str) -> str:
    """What chunk_pattern reads of a pattern, hashed (each part's repr, then each section's text as it is)."""
    meta = pattern.meta
    texts = [s.text for s in pattern.sections]  # each unpacked once
    digest = hashlib.sha256()
    parts = [
        FORMAT,
        tokenizer,
        pattern.slug,
        pattern.title,
        pattern.tension,
        meta.summary,
        pattern.one_liner,
        meta.ontology.search_hints.vector_keywords,
        sorted(meta.context_labels.items()),
        meta.aliases,
        [(s.heading, s.role, len(text)) for s, text in zip(pattern.sections, texts, strict=True)],
    ]
    digest.update(repr(parts).encode("utf-8", "surrogatepass"))
    for text in texts:
        digest.update(b"\0" + text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _header(tokenizer: str) -> bytes:
    return header_line({"format": FORMAT, "tokenizer": tokenizer})


def readable(folder: Path, tokenizer: str) -> bool:
    """Whether the folder holds a chunk cache of this format and tokenizer (its first line says)."""
    return has_header(folder / FILE, _header(tokenizer))


def _row(chunk: Chunk) -> dict[str, Any]:
    return chunk.model_dump(exclude={"slug", "title"})


class ChunkCache:
    """Cached chunks per pattern fingerprint and BM25 tokens per chunk hash; ``save`` once at the end."""

    def __init__(self, folder: Path | None, tokenizer: str, read: bool = True) -> None:
        """The cache of an index folder; ``read=False`` for a run over a few patterns, that only adds to it
        (:meth:`merge`)."""
        self.file = None if folder is None else folder / FILE
        self.tokenizer = tokenizer
        self._chunks: dict[str, Any] = {}
        self._tokens: dict[str, Any] = {}
        lines = read_keyed_lines(self.file, _header(tokenizer)) if self.file is not None and read else None
        for key, line in (lines or {}).items():
            try:
                entry = line_value(line)
                rows, tokens = entry["chunks"], entry["tokens"]
                if not isinstance(rows, list) or not isinstance(tokens, list) or len(rows) != len(tokens):
                    continue
                self._chunks[key] = rows
                for row, made in zip(rows, tokens, strict=True):
                    if isinstance(row, dict) and isinstance(made, list):
                        self._tokens[str(row.get("hash"))] = made
            except (ValueError, KeyError, TypeError) as exc:
                log.debug("chunk cache line for %s is damaged: %s", key[:12], exc)
        self._used_chunks: dict[str, Any] = {}
        self._used_tokens: dict[str, Any] = {}
        self._changed = False
        self.hits = 0

    def chunks(self, pattern: Pattern, make: Callable[[Pattern], list[Chunk]]) -> list[Chunk]:
        """The pattern's chunks from the cache, or made (and remembered)."""
        key = fingerprint(pattern, self.tokenizer)
        entry = self._chunks.get(key)
        if entry is not None:
            try:
                chunks = [Chunk(slug=pattern.slug, title=pattern.title, **row) for row in entry]
            except (TypeError, ValueError) as exc:
                log.debug("chunk cache entry for %s is damaged: %s", pattern.slug, exc)
            else:
                self._used_chunks[key] = entry
                self.hits += 1
                return chunks
        chunks = make(pattern)
        self._used_chunks[key] = [_row(c) for c in chunks]
        self._changed = True
        return chunks

    def tokens(self, chunks: list[Chunk], make: Callable[[list[str]], list[Tokens]]) -> list[Tokens]:
        """BM25 tokens of each chunk, in order: cached by chunk hash, the rest made in one call."""
        missing = [c for c in chunks if not isinstance(self._tokens.get(c.hash), list)]
        if missing:
            for chunk, tokens in zip(missing, make([c.text for c in missing]), strict=True):
                self._tokens[chunk.hash] = tokens
            self._changed = True
        out = []
        for chunk in chunks:
            tokens = self._tokens[chunk.hash]
            self._used_tokens[chunk.hash] = tokens
            out.append(tokens)
        return out

    def add(self) -> None:
        """Add what a run over a few patterns made at the end of the file, the rest left unread (the entries
        it replaces drop out at the next full run's :meth:`save`). Never raises."""
        if self.file is not None and self._changed:
            self._write(append_keyed_lines)

    def _entries(self) -> Iterator[bytes]:
        for key, rows in self._used_chunks.items():
            tokens = [self._used_tokens.get(str(row.get("hash")), []) for row in rows]
            yield keyed_line(key, {"chunks": rows, "tokens": tokens})

    def _write(self, how: Callable[[Path, bytes, Iterable[bytes]], None]) -> None:
        assert self.file is not None
        try:
            how(self.file, _header(self.tokenizer), self._entries())
        except (OSError, ValueError) as exc:
            log.debug("chunk cache %s not written: %s", self.file, exc)

    def save(self) -> None:
        """Write what this run used (stale entries drop out), only when something changed; never raises."""
        if self.file is None:
            return
        stale = self._used_chunks.keys() != self._chunks.keys()
        if not self._changed and not stale:
            return
        self._write(write_keyed_lines)
