"""The chunk cache: each pattern's chunks and their BM25 tokens, by a fingerprint of what chunking reads.

Chunking counts every paragraph with the model's tokenizer and BM25 stems every chunk; on the Commons
library that is most of a re-index when one file changed. Both are kept here (JSON, never pickle), so a
re-index chunks and stems only the patterns that changed. The fingerprint covers the pattern's title,
front-matter lines that go into its summary chunk, and every section, plus the embedder's tokenizer and
the versions of the chunker and the stemmer: any change to them is a miss. A missing, damaged or
unwritable cache is a normal, slower index run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pattern_guide.index.chunking import Chunk
from pattern_guide.library.model import Pattern

log = logging.getLogger(__name__)
# Bump when chunk_pattern or the lexical tokenizer changes what it makes of the same pattern.
FORMAT = 1
FILE = "chunk-cache.json"
Tokens = list[str]


def fingerprint(pattern: Pattern, tokenizer: str) -> str:
    """What chunk_pattern reads of a pattern, hashed."""
    meta = pattern.meta
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
        [(s.heading, s.role, s.text) for s in pattern.sections],
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


class ChunkCache:
    """Cached chunks per pattern fingerprint and BM25 tokens per chunk hash; ``save`` once at the end."""

    def __init__(self, folder: Path | None, tokenizer: str) -> None:
        self.file = None if folder is None else folder / FILE
        self.tokenizer = tokenizer
        old = self._read()
        self._chunks: dict[str, Any] = old.get("chunks", {})
        self._tokens: dict[str, Any] = old.get("tokens", {})
        self._used_chunks: dict[str, Any] = {}
        self._used_tokens: dict[str, Any] = {}
        self._changed = False
        self.hits = 0

    def _read(self) -> dict[str, Any]:
        if self.file is None:
            return {}
        try:
            data = json.loads(self.file.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.debug("chunk cache %s unreadable, chunking afresh: %s", self.file, exc)
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("tokenizer") != self.tokenizer:
            return {}
        if not isinstance(data.get("chunks"), dict) or not isinstance(data.get("tokens"), dict):
            return {}
        return data

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
        self._used_chunks[key] = [c.model_dump(exclude={"slug", "title"}) for c in chunks]
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

    def save(self) -> None:
        """Write what this run used (stale entries drop out), only when something changed; never raises."""
        if self.file is None:
            return
        stale = self._used_chunks.keys() != self._chunks.keys() or self._used_tokens.keys() != self._tokens.keys()
        if not self._changed and not stale:
            return
        data = {"format": FORMAT, "tokenizer": self.tokenizer, "chunks": self._used_chunks, "tokens": self._used_tokens}
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=self.file.parent, prefix=".chunks-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
                os.replace(name, self.file)
            except BaseException:
                Path(name).unlink(missing_ok=True)
                raise
        except (OSError, ValueError) as exc:
            log.debug("chunk cache %s not written: %s", self.file, exc)
