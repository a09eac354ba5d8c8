"""One vector per pattern, read back from the index: the mean of its chunk vectors, unit length.

Nothing is embedded here — the garden reuses what `pattern-guide index` stored in Chroma.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pattern_guide.errors import IndexMissingError
from pattern_guide.index.build import check_manifest
from pattern_guide.index.vectors import VectorIndex

PAGE = 5000


class PatternVectors:
    """Slugs and their unit-length mean chunk vectors (row ``i`` is ``slugs[i]``)."""

    def __init__(self, slugs: Sequence[str], matrix: np.ndarray[Any, Any]) -> None:
        if len(slugs) != matrix.shape[0]:
            raise ValueError("one vector per slug")
        self.slugs = list(slugs)
        self.matrix = matrix
        self.row = {slug: i for i, slug in enumerate(self.slugs)}

    def __len__(self) -> int:
        return len(self.slugs)

    def similarity(self) -> np.ndarray[Any, Any]:
        """Cosine similarity of every pair (the diagonal set to -1, so nothing is its own neighbour)."""
        sims = self.matrix @ self.matrix.T
        np.fill_diagonal(sims, -1.0)
        return np.asarray(sims)


def read_pattern_vectors(collection: Any, wanted: Sequence[str]) -> PatternVectors:
    """Average each wanted pattern's stored chunk vectors; a pattern with none is an error naming the fix."""
    sums: dict[str, np.ndarray[Any, Any]] = {}
    counts: dict[str, int] = {}
    keep = set(wanted)
    total = int(collection.count())
    for offset in range(0, total, PAGE):
        got = collection.get(include=["embeddings", "metadatas"], limit=PAGE, offset=offset)
        vectors = np.asarray(got["embeddings"], dtype=np.float32)
        for meta, vector in zip(got["metadatas"], vectors, strict=True):
            slug = str((meta or {}).get("slug", ""))
            if slug not in keep:
                continue
            if slug in sums:
                sums[slug] += vector
                counts[slug] += 1
            else:
                sums[slug] = vector.copy()
                counts[slug] = 1
    missing = [s for s in wanted if s not in sums]
    if missing:
        named = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise IndexMissingError(
            f"{len(missing)} of {len(wanted)} patterns have no vectors in the index ({named}) — "
            "run `pattern-guide index` first"
        )
    slugs = list(wanted)
    matrix = np.stack([sums[s] / counts[s] for s in slugs]) if slugs else np.zeros((0, 1), dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return PatternVectors(slugs, matrix / np.where(norms == 0, 1.0, norms))


def index_vectors(vector_index: VectorIndex, index_dir: Path, slugs: Sequence[str]) -> PatternVectors:
    """The pattern vectors of a built index, refused when it was built with another embedder."""
    check_manifest(index_dir, vector_index.embedder.name)
    return read_pattern_vectors(vector_index.collection, slugs)


def summary_vectors(collection: Any, slugs: Sequence[str]) -> PatternVectors:
    """Each pattern's summary-chunk vector (one fast lookup by id); patterns the index lacks are left out."""
    got = collection.get(ids=[f"{slug}#summary#0" for slug in slugs], include=["embeddings", "metadatas"])
    found = [str((meta or {}).get("slug", "")) for meta in got["metadatas"]]
    matrix = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(found), -1)
    order = sorted(range(len(found)), key=lambda n: found[n])
    return PatternVectors([found[n] for n in order], matrix[order] if order else matrix)


def plane(vectors: PatternVectors) -> np.ndarray[Any, Any]:
    """The vectors' first two principal components (n × 2): a map where near patterns sit near."""
    if len(vectors) < 3:
        return np.zeros((len(vectors), 2))
    centred = vectors.matrix - vectors.matrix.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    points: np.ndarray[Any, Any] = centred @ axes[:2].T
    return points
