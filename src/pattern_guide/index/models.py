"""Which embedder computes the vectors, by the name in the settings (PATTERN_GUIDE_EMBEDDER).

- ``minilm`` (default): all-MiniLM-L6-v2 through ONNX Runtime, its graph built from the packaged
  weights (about 2.6× the numpy forward pass on this machine, see bench/embedding.md);
- ``minilm-numpy``: the same model in numpy (the same vectors, cosine ≥ 0.9999);
- ``hashing``: the deterministic fake for tests where meaning is not under test.

Serving embeds one short query a turn, so ``minilm`` answers queries with the numpy forward pass: it
holds only the weights (about 115 MB resident), where an ONNX Runtime session holds about 240 MB and
peaks near 550 MB while its graph is built — the difference decides whether the app fits its memory
goal (bench/app.md). A query takes a few milliseconds either way; the vectors are the same model's.
"""

from __future__ import annotations

from pattern_guide.index.embedder import Embedder, HashingEmbedder, MiniLMEmbedder
from pattern_guide.index.onnx_embedder import OnnxMiniLMEmbedder

EMBEDDERS = ("minilm", "minilm-numpy", "hashing")


def build_embedder(kind: str, batch_size: int = 32, queries: bool = False) -> Embedder:
    """The embedder named in the settings; with ``queries``, the one a running app embeds its queries with."""
    if kind == "hashing":
        return HashingEmbedder()
    if kind == "minilm-numpy" or queries:
        return MiniLMEmbedder(batch_size=batch_size)
    # ONNX Runtime pads less with smaller batches (measured: 16 is the sweet spot on 256-token chunks).
    return OnnxMiniLMEmbedder(batch_size=min(batch_size, 16))
