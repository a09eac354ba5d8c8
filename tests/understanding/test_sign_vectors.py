"""Sign vectors: each sign embedded once, kept beside the index, read back without embedding again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pattern_guide.assistant import Engine
from pattern_guide.index.embedder import Vectors
from pattern_guide.library.loader import Library, load_file
from pattern_guide.understanding.sign_vectors import (
    KEYS_FILE,
    VECTORS_FILE,
    SignVectors,
    description,
    pattern_signs,
    sign_key,
    sign_vectors,
)
from tests.conftest import STARTER


class CountingEmbedder:
    """A deterministic embedder that remembers every batch it was asked for."""

    name = "counting"
    dim = 4

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def embed(self, texts: list[str]) -> Vectors:
        self.batches.append(list(texts))
        rows = np.array([[len(t), t.count(" ") + 1, sum(map(ord, t)) % 97 + 1, 1.0] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True) if len(texts) else rows.reshape(0, self.dim)

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(t.split()) for t in texts]


def library(*slugs: str) -> Library:
    return Library(patterns={s: load_file(STARTER / f"{s}.md") for s in slugs})


def all_signs(lib: Library) -> list[str]:
    return [s for p in lib.patterns.values() for s in pattern_signs(p)]


def test_every_sign_is_embedded_once_and_saved_beside_the_index(tmp_path: Path) -> None:
    lib, embedder = library("care-for-the-carers", "meeting-diet"), CountingEmbedder()
    vectors = sign_vectors(lib, embedder, tmp_path)
    signs = all_signs(lib)
    assert len(embedder.batches) == 1 and sorted(embedder.batches[0]) == sorted(description(s) for s in signs)
    assert (tmp_path / VECTORS_FILE).is_file() and (tmp_path / KEYS_FILE).is_file()
    assert len(vectors) == len(signs) and vectors.matrix(signs).shape == (len(signs), embedder.dim)


def test_vectors_read_back_need_no_embedding_and_match_the_first(tmp_path: Path) -> None:
    lib = library("care-for-the-carers")
    first = sign_vectors(lib, CountingEmbedder(), tmp_path).matrix(all_signs(lib))
    again = CountingEmbedder()
    second = sign_vectors(lib, again, tmp_path).matrix(all_signs(lib))
    assert again.batches == [] and np.allclose(first, second)


def test_a_new_pattern_embeds_only_its_own_signs(tmp_path: Path) -> None:
    sign_vectors(library("care-for-the-carers"), CountingEmbedder(), tmp_path)
    embedder = CountingEmbedder()
    sign_vectors(library("care-for-the-carers", "rotating-roles"), embedder, tmp_path)
    added = load_file(STARTER / "rotating-roles.md")
    assert len(embedder.batches) == 1 and sorted(embedder.batches[0]) == sorted(map(description, pattern_signs(added)))


@pytest.mark.parametrize(
    "spoil",
    [
        lambda folder: (folder / KEYS_FILE).write_text("not json", encoding="utf-8"),
        lambda folder: (folder / KEYS_FILE).write_text('{"model": "another", "keys": []}', encoding="utf-8"),
        lambda folder: (folder / VECTORS_FILE).unlink(),
        lambda folder: (folder / KEYS_FILE).write_text('{"model": "counting", "keys": ["one"]}', encoding="utf-8"),
    ],
    ids=["unreadable keys", "another model", "no vectors", "keys and vectors disagree"],
)
def test_kept_vectors_that_cannot_be_trusted_are_embedded_again(tmp_path: Path, spoil: object) -> None:
    lib = library("care-for-the-carers")
    sign_vectors(lib, CountingEmbedder(), tmp_path)
    assert callable(spoil)
    spoil(tmp_path)
    embedder = CountingEmbedder()
    vectors = sign_vectors(lib, embedder, tmp_path)
    assert len(embedder.batches) == 1 and len(vectors) == len(all_signs(lib))


def test_a_sign_is_kept_under_what_it_describes() -> None:
    a = "Sessions are cancelled first. Reflection and debriefs are the first thing dropped."
    b = "Cancelled first. Reflection and debriefs are the first thing dropped."
    assert sign_key(a) == sign_key(b) != sign_key("Leave is taken. Holiday is used.")


def test_rows_come_in_the_order_asked_and_no_signs_is_an_empty_matrix() -> None:
    vectors = SignVectors(CountingEmbedder().embed, "counting", 4)
    signs = ["Alpha. One two three.", "Beta. Four five."]
    forward, backward = vectors.matrix(signs), vectors.matrix(signs[::-1])
    assert np.allclose(forward, backward[::-1])
    assert vectors.matrix([]).shape == (0, 4)


def test_indexing_stores_every_signs_vector_beside_the_index(hashing_starter: Engine) -> None:
    """`pattern-guide index` embeds the signs too, so no first turn of a served library embeds one."""
    index_dir = hashing_starter.settings.index_dir
    assert (index_dir / KEYS_FILE).is_file() and (index_dir / VECTORS_FILE).is_file()
    signs = {sign_key(s) for p in hashing_starter.library.patterns.values() for s in pattern_signs(p)}
    stored = sign_vectors(hashing_starter.library, hashing_starter.embedder, index_dir)
    assert signs and len(stored) >= len(signs) and stored.added == 0  # every one read back, none embedded


def test_the_whole_library_in_stored_order_is_the_stored_matrix_itself() -> None:
    """On the Commons library the matrix of every sign is 17 MB: asked for in the order kept, it is not copied."""
    vectors = SignVectors(CountingEmbedder().embed, "counting", 4)
    signs = ["Alpha. One two three.", "Beta. Four five.", "Gamma. Six."]
    whole = vectors.matrix(signs)
    assert vectors.matrix(signs) is whole
    part = vectors.matrix(signs[1:])
    assert part is not whole and np.allclose(part, whole[1:])
