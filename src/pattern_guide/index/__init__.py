"""Stage 2 — the index: each pattern cut into section chunks (stable ids, content hashes), embedded into
Chroma (embedded or a server) and indexed for BM25; re-indexing touches only what changed.

``chunking`` cuts, ``embedder`` computes all-MiniLM-L6-v2 offline (or a hashing fake for
tests), ``vectors`` keeps Chroma in step, ``lexical`` is BM25, ``build`` runs both and records
what the index was built from.
"""

from pattern_guide.index.embedder import Embedder, HashingEmbedder, MiniLMEmbedder
from pattern_guide.index.models import build_embedder
from pattern_guide.index.onnx_embedder import OnnxMiniLMEmbedder

__all__ = ["Embedder", "HashingEmbedder", "MiniLMEmbedder", "OnnxMiniLMEmbedder", "build_embedder"]
