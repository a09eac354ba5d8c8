"""Building the index: chunk the library, bring Chroma and BM25 in step with it, record what it was built from."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from stat import S_ISREG
from typing import Any

from pydantic import BaseModel

from pattern_guide.errors import IndexMissingError
from pattern_guide.index.chunk_cache import ChunkCache, fingerprint, readable
from pattern_guide.index.embedder import Embedder
from pattern_guide.index.lexical import CURRENT, LexicalIndex, load_lexical, tokenize
from pattern_guide.index.vectors import Progress, VectorIndex
from pattern_guide.library.loader import Library

MANIFEST = "manifest.json"
# At most this many patterns changed or gone for a re-index that touches only them; beyond, a full run.
REFRESH_MAX = 256


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
    embedder: Callable[[], Embedder] | None = None,
    sources: dict[str, object] | None = None,
) -> IndexReport:
    """Bring the vector index and the lexical index in step with the library (many chunks embedded with the
    embedder ``embedder`` makes, a few with the index's own)."""
    started = time.perf_counter()
    tokenizer = vector_index.embedder.name
    prints = {slug: fingerprint(pattern, tokenizer) for slug, pattern in library.patterns.items()}
    done = _refresh(library, vector_index, index_dir, prints, progress, embedder, sources)
    if done is None:
        cache = ChunkCache(index_dir, tokenizer)
        chunks = vector_index.chunks(library, chunk_progress, cache)
        embedded, deleted = vector_index.sync(chunks, progress, embedder)
        LexicalIndex.build(chunks, cache.tokens(chunks, tokenize)).save(index_dir / "lexical")
        cache.save()
        total = len(chunks)
        write_manifest(index_dir, total, library, prints, vector_index, sources)
    else:
        total, embedded, deleted = done
    return IndexReport(
        patterns=len(library.patterns),
        chunks=total,
        embedded=embedded,
        deleted=deleted,
        seconds=round(time.perf_counter() - started, 3),
    )


def _refresh(
    library: Library,
    vector_index: VectorIndex,
    index_dir: Path,
    prints: dict[str, str],
    progress: Progress | None,
    embedder: Callable[[], Embedder] | None,
    sources: dict[str, object] | None,
) -> tuple[int, int, int] | None:
    """Bring the index in step by touching only the patterns whose fingerprint changed since the last run;
    (chunks, embedded, deleted), or None when the last run left nothing to build on (no such run, another
    setting, many files changed, the vector store not holding what it stored) and a full run is due."""
    manifest = _manifest(index_dir)
    before = manifest.get("fingerprints")
    tokenizer = vector_index.embedder.name
    if not isinstance(before, dict) or sources is None or not isinstance(manifest.get("sources"), dict):
        return None
    if manifest["sources"].get("settings") != sources.get("settings") or not readable(index_dir, tokenizer):
        return None
    changed = {slug for slug, key in prints.items() if before.get(slug) != key}
    gone = {slug for slug in before if slug not in prints}
    if len(changed) + len(gone) > REFRESH_MAX or vector_index.count() != manifest.get("vectors"):
        return None
    try:
        lexical = load_lexical(index_dir)
    except IndexMissingError:
        return None
    if not {r.slug for r in lexical.refs} <= before.keys():
        return None  # the lexical index is not the one the manifest describes (a run stopped half-way)
    cache = ChunkCache(index_dir, tokenizer, read=False)
    chunks = vector_index.chunks(library, None, cache, only=changed)
    tokens = cache.tokens(chunks, tokenize)
    touched = changed | gone
    total = len(lexical.refs) - sum(1 for r in lexical.refs if r.slug in touched) + len(chunks)
    if vector_index.mode(total) != manifest.get("mode"):
        return None  # the library grew or shrank past what "auto" embeds all of
    embedded, deleted = vector_index.sync_patterns(touched, chunks, total, progress, embedder)
    lexical.updated(list(library.patterns), changed, chunks, tokens).save(index_dir / "lexical")
    cache.add()
    write_manifest(index_dir, total, library, prints, vector_index, sources)
    return total, embedded, deleted


def _manifest(index_dir: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def write_manifest(
    index_dir: Path,
    chunks: int,
    library: Library,
    prints: dict[str, str],
    vector_index: VectorIndex,
    sources: dict[str, object] | None = None,
) -> None:
    """Record what the index was built from; :func:`check_manifest` reads it before serving, and
    :func:`up_to_date` and the next run before indexing again."""
    index_dir.mkdir(parents=True, exist_ok=True)
    manifest = {
        "embedder": vector_index.embedder.name,
        "chunks": chunks,
        "patterns": len(library.patterns),
        "built": time.time(),
        "sources": sources,
        "vectors": vector_index.count(),
        "mode": vector_index.mode(chunks),
        "fingerprints": prints,
    }
    (index_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def source_stats(folders: Sequence[Path], settings_key: str) -> dict[str, object]:
    """What an index run reads, cheaply: every file under the library folders by size and modification
    time (as make and git judge a file unchanged), and the settings that shape the index."""
    files: dict[str, list[int]] = {}
    for folder in (f.resolve() for f in folders):
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(root, name)
                stat = os.stat(path)
                if S_ISREG(stat.st_mode):
                    files[path] = [stat.st_size, stat.st_mtime_ns]
    return {"settings": settings_key, "folders": [str(f.resolve()) for f in folders], "files": files}


def up_to_date(index_dir: Path, sources: dict[str, object], vectors: Callable[[], int]) -> IndexReport | None:
    """The last run's report (nothing embedded or deleted) when no file and no setting changed since, and
    the vector store still holds what it stored; else None, and the index is brought in step as usual."""
    manifest = _manifest(index_dir)
    try:
        if manifest.get("sources") != sources or not (index_dir / "lexical" / CURRENT).is_file():
            return None
        if manifest.get("vectors") is None or vectors() != manifest["vectors"]:
            return None
        return IndexReport(
            patterns=int(manifest["patterns"]), chunks=int(manifest["chunks"]), embedded=0, deleted=0, seconds=0.0
        )
    except Exception:  # a damaged manifest, a damaged or unreachable vector store: index as usual
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
