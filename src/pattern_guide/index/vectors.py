"""The vector index: chunks in Chroma (embedded by default, or a `chroma run` server).

Re-indexing embeds only chunks whose content hash changed and deletes chunks that
disappeared; work is written in batches, so an interrupted run resumes where it was.
Chroma is told not to send telemetry (``anonymized_telemetry=False``); nothing here changes
the process environment.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

import chromadb
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function

from pattern_guide.errors import ConfigError, IndexMissingError, PatternGuideError
from pattern_guide.index.chunk_cache import ChunkCache
from pattern_guide.index.chunking import Chunk, chunk_pattern
from pattern_guide.index.embedder import Embedder, Vectors
from pattern_guide.index.models import build_embedder
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern

COLLECTION = "patterns"
WRITE_BATCH = 256
# What gets a vector. Every chunk stays in the lexical index either way.
# - "situation": the summary and the sections that tell the situation a pattern is for; steps, known uses and
#   the rest are found by BM25. On the Commons tuning set (tests/eval/commons.jsonl) these three gave the best
#   vector MRR of the choices measured (0.185; with the solution 0.140, the summary alone 0.130), and they
#   are a fifth of the Commons chunks (16,402 of 77,247), so the first index takes a fifth of the time.
# - "all": every chunk. On the starter library this ranks better (hybrid MRR 0.855 vs 0.830 tuning, 0.747
#   vs 0.710 held out) and costs little.
# - "auto" (the default): all while the libraries have at most AUTO_ALL_CHUNKS chunks, the situation beyond.
SITUATION_SECTIONS = frozenset({"summary", "context", "problem"})
SECTIONS = ("auto", "situation", "all")
AUTO_ALL_CHUNKS = 20_000
# Up to this many chunks to embed, the index's own embedder does it: building a faster one costs more.
FEW = 64
Progress = Callable[[int, int], None]
EmbedderFactory = Callable[[], Embedder]


@register_embedding_function
class PatternGuideEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of the project's Embedder (registered, so Chroma can rebuild it)."""

    def __init__(self, embedder: Embedder | None = None, kind: str = "minilm") -> None:
        self._kind = kind
        self._embedder = embedder

    def _get(self) -> Embedder:
        if self._embedder is None:
            self._embedder = build_embedder(self._kind)
        return self._embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._get().embed(list(input)))

    @staticmethod
    def name() -> str:
        return "pattern-guide"

    def get_config(self) -> dict[str, Any]:
        return {"kind": self._kind}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> PatternGuideEmbeddingFunction:
        return PatternGuideEmbeddingFunction(kind=str(config.get("kind", "minilm")))

    def default_space(self) -> Any:
        return "cosine"


def chroma_client(index_dir: Path, host: str | None = None, port: int = 8000) -> Any:
    """An embedded PersistentClient, or an HttpClient when a server host is set."""
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if host:
        try:
            return chromadb.HttpClient(host=host, port=port, settings=settings)
        except Exception as exc:
            raise ConfigError(
                f"Cannot reach the Chroma server at {host}:{port} ({exc}) — start it with "
                f"`chroma run --path DIR --port {port}` or unset CHROMA_HOST"
            ) from None
    index_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=settings)


class VectorIndex:
    """Chunks of a library in one Chroma collection, kept in step with the files."""

    def __init__(self, client: Any, embedder: Embedder, collection: str = COLLECTION, sections: str = "auto") -> None:
        if sections not in SECTIONS:
            raise ValueError(f"sections must be one of {SECTIONS}, not {sections!r}")
        self.embedder = embedder
        self.sections = sections
        self.client = client
        # A small cache per index object, so a turn's checks and its ranking embed its text once.
        self._query_vectors = functools.lru_cache(maxsize=256)(self._embed_one)
        kind = "hashing" if embedder.name == "hashing" else "minilm"
        self.collection = client.get_or_create_collection(
            name=f"{collection}-{kind}",
            embedding_function=PatternGuideEmbeddingFunction(embedder, kind),
            metadata={"hnsw:space": "cosine", "embedder": embedder.name},
        )

    def chunks(
        self, library: Library, progress: Progress | None = None, cache: ChunkCache | None = None,
        only: Collection[str] | None = None,
    ) -> list[Chunk]:  # fmt: skip
        """Every chunk of every loaded pattern (or of the ``only`` ones), in a stable order (unchanged patterns'
        from the cache)."""
        out: list[Chunk] = []
        patterns = [p for slug, p in library.patterns.items() if only is None or slug in only]

        def make(pattern: Pattern) -> list[Chunk]:
            return chunk_pattern(pattern, self.embedder.count_tokens)

        for n, pattern in enumerate(patterns, start=1):
            out.extend(cache.chunks(pattern, make) if cache else make(pattern))
            if progress:
                progress(n, len(patterns))
        return out

    def mode(self, total: int) -> str:
        """What gets a vector when the libraries have ``total`` chunks: "all" or "situation" (see SECTIONS)."""
        if self.sections == "all" or (self.sections == "auto" and total <= AUTO_ALL_CHUNKS):
            return "all"
        return "situation"

    def embedded(self, chunks: Sequence[Chunk], total: int | None = None) -> list[Chunk]:
        """The chunks that get a vector, of these of the libraries' ``total`` chunks (by default, all of them)."""
        if self.mode(len(chunks) if total is None else total) == "all":
            return list(chunks)
        return [c for c in chunks if c.role in SITUATION_SECTIONS]

    def stored_hashes(self) -> dict[str, str]:
        """Chunk id -> content hash of everything in the collection."""
        got = self.collection.get(include=["metadatas"])
        return {cid: str((meta or {}).get("hash", "")) for cid, meta in zip(got["ids"], got["metadatas"], strict=True)}

    def sync(
        self, chunks: Sequence[Chunk], progress: Progress | None = None, embedder: EmbedderFactory | None = None
    ) -> tuple[int, int]:
        """Embed new or changed chunks, delete vanished ones; returns (embedded, deleted). Many chunks are
        embedded with the embedder ``embedder`` makes (it must compute the same model), a few with the index's own."""
        return self._apply(self.stored_hashes(), self.embedded(chunks), progress, embedder)

    def sync_patterns(
        self, slugs: Collection[str], chunks: Sequence[Chunk], total: int, progress: Progress | None = None,
        embedder: EmbedderFactory | None = None,
    ) -> tuple[int, int]:  # fmt: skip
        """:meth:`sync` for these patterns only: ``chunks`` are all their chunks now, of ``total`` in all."""
        stored: dict[str, str] = {}
        names = sorted(slugs)
        for start in range(0, len(names), 100):
            got = self.collection.get(where={"slug": {"$in": names[start : start + 100]}}, include=["metadatas"])
            metas = zip(got["ids"], got["metadatas"], strict=True)
            stored.update((cid, str((meta or {}).get("hash", ""))) for cid, meta in metas)
        return self._apply(stored, self.embedded(chunks, total), progress, embedder)

    def _apply(
        self, stored: dict[str, str], chunks: list[Chunk], progress: Progress | None, factory: EmbedderFactory | None
    ) -> tuple[int, int]:
        todo = [c for c in chunks if stored.get(c.id) != c.hash]
        embedder = factory() if factory is not None and len(todo) > FEW else self.embedder
        if embedder.name != self.embedder.name:  # before anything is deleted
            raise ValueError(f"cannot index {self.embedder.name} vectors with the {embedder.name} embedder")
        wanted = {c.id for c in chunks}
        stale = [cid for cid in stored if cid not in wanted]
        for start in range(0, len(stale), 5000):
            self.collection.delete(ids=stale[start : start + 5000])
        done = 0
        if progress:
            progress(0, len(todo))
        for start in range(0, len(todo), WRITE_BATCH):
            batch = todo[start : start + WRITE_BATCH]
            vectors = embedder.embed([c.text for c in batch])
            self.collection.upsert(
                ids=[c.id for c in batch],
                embeddings=[v.tolist() for v in vectors],
                documents=[c.text for c in batch],
                metadatas=[c.metadata() for c in batch],
            )
            done += len(batch)
            if progress:
                progress(done, len(todo))
        return done, len(stale)

    def count(self) -> int:
        with _readable():
            return int(self.collection.count())

    def query_vector(self, text: str) -> Vectors:
        """The query's embedding (the off-topic check and the ranking of one turn share it)."""
        return self._query_vectors(text)

    def _embed_one(self, text: str) -> Vectors:
        vector: Vectors = self.embedder.embed([text])[0]
        return vector

    def query(self, text: str, n: int) -> list[tuple[str, float]]:
        """Chunk ids nearest to the text, best first, with cosine similarity."""
        total = self.count()
        if total == 0:
            raise IndexMissingError("The index is empty — run `pattern-guide index` first")
        vector = self.query_vector(text)
        with _readable():
            got = self.collection.query(
                query_embeddings=[vector.tolist()], n_results=min(n, total), include=["distances"]
            )
        return [(cid, 1.0 - float(d)) for cid, d in zip(got["ids"][0], got["distances"][0], strict=True)]


@contextlib.contextmanager
def _readable() -> Iterator[None]:
    """Chroma's own errors (an index deleted, damaged or unreachable under a running app) as a message."""
    try:
        yield
    except PatternGuideError:
        raise
    except Exception as exc:  # chromadb raises many kinds, and sqlite's and httpx's through it
        raise IndexMissingError(
            f"The search index cannot be read just now ({type(exc).__name__}) — rebuild it with "
            "`pattern-guide index` (or restart the app), then try again"
        ) from exc
