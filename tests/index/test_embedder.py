"""The numpy embedder computes all-MiniLM-L6-v2: same vectors as the reference."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from pattern_guide.index.embedder import MAX_TOKENS, HashingEmbedder, MiniLMEmbedder

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_matches_reference_vectors(minilm: MiniLMEmbedder) -> None:
    texts = json.loads((FIXTURES / "reference_texts.json").read_text(encoding="utf-8"))
    reference = np.load(FIXTURES / "reference_vectors.npy")
    vectors = minilm.embed(texts)
    assert vectors.shape == reference.shape == (50, 384)
    cosines = (vectors * reference).sum(axis=1)
    assert cosines.min() >= 0.999, np.argsort(cosines)[:5]
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batching_and_order_do_not_change_vectors(minilm: MiniLMEmbedder) -> None:
    texts = ["short", "a somewhat longer sentence about meetings", "x " * 400]
    together = minilm.embed(texts)
    alone = np.vstack([minilm.embed([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)
    assert minilm.count_tokens(texts)[2] == MAX_TOKENS


def test_meaning_is_captured(minilm: MiniLMEmbedder) -> None:
    a, b, c = minilm.embed(
        ["Our meetings take the whole week.", "Too many meetings eat our time.", "The cat sat on a mat."]
    )
    assert a @ b > a @ c + 0.3


def test_hashing_embedder_is_deterministic() -> None:
    emb = HashingEmbedder(dim=64)
    first, second = emb.embed(["same words here"]), emb.embed(["same words here"])
    assert np.array_equal(first, second)
    assert abs(float(np.linalg.norm(first[0])) - 1.0) < 1e-6


def test_the_word_table_is_mapped_from_the_model_file_not_read(minilm: MiniLMEmbedder, tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    from pattern_guide.index.embedder import _mapped

    assert isinstance(minilm._word, np.memmap) and minilm._word.shape == (30522, 384)
    table = np.arange(12, dtype=np.float32).reshape(3, 4)
    save_file({"other": np.ones(5, dtype=np.float32), "t": table}, str(tmp_path / "f32.safetensors"))
    mapped = _mapped(tmp_path / "f32.safetensors", "t")
    assert isinstance(mapped, np.memmap) and np.array_equal(mapped, table)
    save_file({"t": table.astype(np.float16)}, str(tmp_path / "f16.safetensors"))  # not float32: read
    read = _mapped(tmp_path / "f16.safetensors", "t")
    assert not isinstance(read, np.memmap) and read.dtype == np.float32 and np.array_equal(read, table)
