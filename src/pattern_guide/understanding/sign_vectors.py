"""The embeddings of every sign of a library, computed once and kept beside the index.

A first turn compares the situation with the signs of many patterns (on the Commons library, tens of
thousands of signs), so a sign is never embedded per turn: :func:`sign_vectors` loads
``sign-vectors.npy`` and ``sign-vectors.json`` from the index folder, embeds only the signs it has
not seen (keyed by the sha256 of what the sign describes, so an edited sign is embedded again and an
unchanged one never is) and writes both files back when something was added. The index build can call
it once after the chunks are embedded; the engine calls it on first use, which then only reads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from pattern_guide import text as toolkit
from pattern_guide.files import write_atomically
from pattern_guide.index.embedder import Embedder, Vectors
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern

VECTORS_FILE = "sign-vectors.npy"
KEYS_FILE = "sign-vectors.json"


def description(sign: str) -> str:
    """What a sign says is seen, without its headline ("Sessions are skipped whenever …"); the sign if it has none."""
    return " ".join(toolkit.sentences(sign)[1:]) or sign


def sign_key(sign: str) -> str:
    """The key a sign's vector is kept under: the sha256 of its description."""
    return hashlib.sha256(description(sign).encode("utf-8")).hexdigest()


def pattern_signs(pattern: Pattern) -> list[str]:
    """A pattern's signs, life first, then decay (the order :mod:`pattern_guide.vitality.signs` numbers them)."""
    return pattern.signs_of_life + pattern.signs_of_decay


class SignVectors:
    """Sign description vectors by key, added to in batches and read as one matrix per set of signs."""

    def __init__(self, embed: Callable[[list[str]], Vectors], model: str = "", dim: int = 0) -> None:
        self.embed = embed
        self.model = model  # the embedder the vectors came from; a file from another is not read
        self._rows: dict[str, int] = {}
        self._keys: dict[str, str] = {}  # sign -> its key, worked out once (splitting sentences is not free)
        self._matrix = np.zeros((0, dim), dtype=np.float32)
        self.added = 0  # signs embedded since the vectors were loaded (0: the files are up to date)

    def key(self, sign: str) -> str:
        key = self._keys.get(sign)
        if key is None:
            key = self._keys[sign] = sign_key(sign)
        return key

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, signs: Iterable[str]) -> None:
        """Embed, in one batch, each sign whose description has no vector yet."""
        todo = {key: sign for sign in signs if (key := self.key(sign)) not in self._rows}
        todo = {key: description(sign) for key, sign in todo.items()}
        if not todo:
            return
        vectors = np.asarray(self.embed(list(todo.values())), dtype=np.float32)
        start = len(self._rows)
        self._rows.update({key: start + i for i, key in enumerate(todo)})
        self._matrix = vectors if start == 0 else np.vstack([self._matrix, vectors])
        self.added += len(todo)

    def matrix(self, signs: list[str]) -> Vectors:
        """One row per sign, in the order given (embedding any not seen before)."""
        self.add(signs)
        if not signs:
            return np.zeros((0, self._matrix.shape[1]), dtype=np.float32)
        rows = np.fromiter((self._rows[self.key(s)] for s in signs), dtype=np.int64, count=len(signs))
        if len(rows) == len(self._matrix) and np.array_equal(rows, np.arange(len(rows))):
            return self._matrix  # the library's signs in the order they were stored: no copy of them all
        picked: Vectors = self._matrix[rows]
        return picked

    def save(self, folder: Path) -> None:
        """Write the vectors and their keys to ``folder`` (the index folder)."""
        folder.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._rows, key=self._rows.__getitem__)
        # Each file whole or not at all; a reader between the two sees counts that differ and embeds afresh.
        write_atomically(folder / VECTORS_FILE, lambda out: np.save(out, self._matrix))
        about = json.dumps({"model": self.model, "keys": keys}).encode("utf-8")
        write_atomically(folder / KEYS_FILE, lambda out: out.write(about))
        self.added = 0

    def load(self, folder: Path) -> bool:
        """Read the vectors kept in ``folder``; False (nothing read) when missing, unreadable or of another model."""
        try:
            meta = json.loads((folder / KEYS_FILE).read_text(encoding="utf-8"))
            matrix = np.load(folder / VECTORS_FILE)
        except (OSError, ValueError):
            return False
        if not isinstance(meta, dict):
            return False
        keys = meta.get("keys")
        if meta.get("model") != self.model or not isinstance(keys, list) or len(keys) != len(matrix):
            return False
        self._rows = {str(key): i for i, key in enumerate(keys)}
        self._matrix = matrix.astype(np.float32, copy=False)
        return True


def sign_vectors(library: Library, embedder: Embedder, index_dir: Path) -> SignVectors:
    """Every sign of the library embedded once: read from ``index_dir``, the missing ones added and saved."""
    vectors = SignVectors(embedder.embed, embedder.name, embedder.dim)
    vectors.load(index_dir)
    vectors.add(s for p in library.patterns.values() for s in pattern_signs(p))
    if vectors.added:
        vectors.save(index_dir)
    return vectors
