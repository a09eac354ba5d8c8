"""Which embedder computes the vectors, by the name in the settings (PATTERN_GUIDE_EMBEDDER).

- ``minilm`` (default): all-MiniLM-L6-v2 through ONNX Runtime, its graph built from the packaged
  weights (about 2.6× the numpy forward pass on this machine, see bench/embedding.md);
- ``minilm-numpy``: the same model in numpy (the same vectors, cosine ≥ 0.9999);
- ``hashing``: the deterministic fake for tests where meaning is not under test.
"""

from __future__ import annotations

from pattern_guide.index.embedder import Embedder, HashingEmbedder, MiniLMEmbedder
from pattern_guide.index.onnx_embedder import OnnxMiniLMEmbedder

EMBEDDERS = ("minilm", "minilm-numpy", "hashing")


def build_embedder(kind: str, batch_size: int = 32) -> Embedder:
    """The embedder named in the settings."""
    if kind == "hashing":
        return HashingEmbedder()
    if kind == "minilm-numpy":
        return MiniLMEmbedder(batch_size=batch_size)
    # ONNX Runtime pads less with smaller batches (measured: 16 is the sweet spot on 256-token chunks).
    return OnnxMiniLMEmbedder(batch_size=min(batch_size, 16))
