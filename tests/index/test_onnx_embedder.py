"""The ONNX Runtime embedder computes all-MiniLM-L6-v2: the reference vectors, and the numpy embedder's."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from pattern_guide.errors import EmbeddingModelError
from pattern_guide.index.embedder import MAX_TOKENS, Embedder, MiniLMEmbedder
from pattern_guide.index.onnx_embedder import OnnxMiniLMEmbedder

FIXTURES = Path(__file__).parents[1] / "fixtures"

# Lengths from a couple of tokens to past the 256-token window, in no particular order.
MIXED = [
    "Our meetings take the whole week.",
    "x " * 400,
    "short",
    "A team that never says no to new work slowly stops finishing any of it; the backlog grows, "
    "priorities blur and people quietly start working on whatever feels most urgent to them. " * 3,
    "",
    "Trust grows when commitments are small, visible and kept.",
    "Retrospectives " * 90,
]


@pytest.fixture(scope="module")
def onnx_minilm() -> OnnxMiniLMEmbedder:
    """The real model on ONNX Runtime, built once for this module."""
    return OnnxMiniLMEmbedder()


@pytest.mark.slow
def test_implements_the_embedder_interface(onnx_minilm: OnnxMiniLMEmbedder) -> None:
    assert isinstance(onnx_minilm, Embedder)
    assert (onnx_minilm.name, onnx_minilm.dim) == (MiniLMEmbedder.name, MiniLMEmbedder.dim)


@pytest.mark.slow
def test_matches_reference_vectors(onnx_minilm: OnnxMiniLMEmbedder) -> None:
    texts = json.loads((FIXTURES / "reference_texts.json").read_text(encoding="utf-8"))
    reference = np.load(FIXTURES / "reference_vectors.npy")
    vectors = onnx_minilm.embed(texts)
    assert vectors.shape == reference.shape == (50, 384)
    assert vectors.dtype == np.float32
    cosines = (vectors * reference).sum(axis=1)
    assert cosines.min() >= 0.999, np.argsort(cosines)[:5]
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_matches_the_numpy_embedder_row_by_row(onnx_minilm: OnnxMiniLMEmbedder, minilm: MiniLMEmbedder) -> None:
    lengths = onnx_minilm.count_tokens(MIXED)
    assert lengths == minilm.count_tokens(MIXED)
    assert max(lengths) == MAX_TOKENS and min(lengths) == 2  # one text was truncated; "" is [CLS] [SEP]
    ours, theirs = onnx_minilm.embed(MIXED), minilm.embed(MIXED)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() >= 0.9999, cosines


@pytest.mark.slow
def test_batching_and_order_do_not_change_vectors(onnx_minilm: OnnxMiniLMEmbedder) -> None:
    together = onnx_minilm.embed(MIXED)
    alone = np.vstack([onnx_minilm.embed([t]) for t in MIXED])
    assert np.allclose(together, alone, atol=1e-5)
    reversed_rows = onnx_minilm.embed(MIXED[::-1])[::-1]
    assert np.allclose(together, reversed_rows, atol=1e-5)
    # Small batches on two workers and one batch on one worker give the same rows too.
    serial = OnnxMiniLMEmbedder(batch_size=len(MIXED), workers=1).embed(MIXED)
    parallel = OnnxMiniLMEmbedder(batch_size=2, workers=2).embed(MIXED)
    assert np.allclose(together, serial, atol=1e-5)
    assert np.allclose(together, parallel, atol=1e-5)


@pytest.mark.slow
def test_empty_input_gives_no_rows(onnx_minilm: OnnxMiniLMEmbedder) -> None:
    vectors = onnx_minilm.embed([])
    assert vectors.shape == (0, 384)
    assert vectors.dtype == np.float32
    assert onnx_minilm.count_tokens([]) == []


def test_missing_onnx_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)  # what `import onnx` sees when it is not installed
    with pytest.raises(EmbeddingModelError, match=r"onnx.*make install"):
        OnnxMiniLMEmbedder()


def test_rejects_non_positive_settings() -> None:
    with pytest.raises(ValueError, match="positive"):
        OnnxMiniLMEmbedder(batch_size=0)
