"""Building the index: chunk the library, bring Chroma and BM25 in step with it, record what it was built from."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel

from pattern_guide.errors import IndexMissingError
from pattern_guide.index.chunk_cache import ChunkCache
from pattern_guide.index.chunking import Chunk
from pattern_guide.index.embedder import Embedder
from pattern_guide.index.lexical import LexicalIndex, tokenize
from pattern_guide.index.vectors import Progress, VectorIndex
from pattern_guide.library.loader import Library

MANIFEST = "manifest.json"


class IndexReport(BaseModel):
    """What one `index` run did (the `--json` output of the CLI)."""

    patterns: int
    chunks: int
    embedded: int
    deleted: int
    seconds: float


def build_index(
    library: Library,
    vector_index: VectorIndex,
    index_dir: Path,
    progress: Progress | None = None,
    chunk_progress: Progress | None = None,
    embedder: Embedder | None = None,
    sources: dict[str, object] | None = None,
) -> IndexReport:
    """Bring the vector index and the lexical index in step with the library (chunks embedded with ``embedder``,
    by default the index's own)."""
    started = time.perf_counter()
    cache = ChunkCache(index_dir, vector_index.embedder.name)
    chunks = vector_index.chunks(library, chunk_progress, cache)
    embedded, deleted = vector_index.sync(chunks, progress, embedder)
    LexicalIndex.build(chunks, cache.tokens(chunks, tokenize)).save(index_dir / "lexical")
    cache.save()
    write_manifest(index_dir, chunks, vector_index.embedder.name, sources, vector_index.count())
    return IndexReport(
        patterns=len(library.patterns),
        chunks=len(chunks),
        embedded=embedded,
        deleted=deleted,
        seconds=round(time.perf_counter() - started, 3),
    )


def write_manifest(
    index_dir: Path,
    chunks: Sequence[Chunk],
    embedder: str,
    sources: dict[str, object] | None = None,
    vectors: int | None = None,
) -> None:
    """Record what the index was built from; :func:`check_manifest` reads it before serving, and
    :func:`up_to_date` before indexing again."""
    index_dir.mkdir(parents=True, exist_ok=True)
    manifest = {
        "embedder": embedder,
        "chunks": len(chunks),
        "patterns": len({c.slug for c in chunks}),
        "built": time.time(),
        "sources": sources,
        "vectors": vectors,
    }
    (index_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def source_stats(folders: Sequence[Path], settings_key: str) -> dict[str, object]:
    """What an index run reads, cheaply: every file under the library folders by size and modification
    time (as make and git judge a file unchanged), and the settings that shape the index."""
    files: dict[str, list[int]] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                stat = path.stat()
                files[str(path.resolve())] = [stat.st_size, stat.st_mtime_ns]
    return {"settings": settings_key, "folders": [str(f.resolve()) for f in folders], "files": files}


def up_to_date(index_dir: Path, sources: dict[str, object], vectors: Callable[[], int]) -> IndexReport | None:
    """The last run's report (nothing embedded or deleted) when no file and no setting changed since, and
    the vector store still holds what it stored; else None, and the index is brought in step as usual."""
    try:
        manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("sources") != sources or not (index_dir / "lexical" / "chunks.jsonl").is_file():
            return None
        if manifest.get("vectors") is None or vectors() != manifest["vectors"]:
            return None
        return IndexReport(
            patterns=int(manifest["patterns"]), chunks=int(manifest["chunks"]), embedded=0, deleted=0, seconds=0.0
        )
    except Exception:  # unreadable manifest, damaged or unreachable vector store: index as usual
        return None


def check_manifest(index_dir: Path, embedder: str) -> None:
    """Refuse an index built with another embedder: its vectors would not compare with the queries'."""
    path = index_dir / MANIFEST
    if not path.is_file():
        raise IndexMissingError(f"No index at {index_dir} — run `pattern-guide index`")
    try:
        built_with = json.loads(path.read_text(encoding="utf-8")).get("embedder")
    except (OSError, ValueError, AttributeError):
        raise IndexMissingError(f"The index manifest {path} cannot be read — run `pattern-guide index`") from None
    if built_with != embedder:
        raise IndexMissingError(
            f"The index at {index_dir} was built with the {built_with} embedder, not {embedder} — "
            "run `pattern-guide index` (or set PATTERN_GUIDE_EMBEDDER to match)"
        )
