"""`make bench`: throughput and latency, measured side by side in one run, medians.

Writes bench/results.md. The full Commons library is measured when ../shared is present;
match latency on it needs its index (PATTERN_GUIDE_COMMONS_INDEX, built once with
`pattern-guide index --library ../shared/commons-library/patterns --index-dir DIR`).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from pattern_guide.assistant import build_engine
from pattern_guide.evaluation import read_cases
from pattern_guide.index.embedder import MiniLMEmbedder
from pattern_guide.library.loader import load_libraries
from pattern_guide.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
STARTER = ROOT / "data" / "patterns"
COMMONS = ROOT.parent / "shared" / "commons-library" / "patterns"
COMMONS_INDEX = Path(os.environ.get("PATTERN_GUIDE_COMMONS_INDEX", "/work/commons-index"))
QUERIES = [c.text for c in read_cases(ROOT / "tests" / "eval" / "situations.jsonl") if not c.off_topic]


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def library_loads(folder: Path, rounds: int = 3) -> dict[str, list[float]]:
    """Loading a library without the parsed-library cache, filling an empty one, and from a full one,
    taken in turn each round so the three see the same machine."""
    out: dict[str, list[float]] = {"uncached": [], "filling": [], "cached": []}
    with tempfile.TemporaryDirectory() as scratch:
        for round_ in range(rounds):
            cache = Path(scratch) / f"cache-{round_}"
            out["uncached"] += timed(lambda: load_libraries([folder]), 1)
            out["filling"] += timed(lambda: load_libraries([folder], cache_dir=cache), 1)  # noqa: B023
            out["cached"] += timed(lambda: load_libraries([folder], cache_dir=cache), 1)  # noqa: B023
    return out


def sgemm_peak(n: int = 2048, repeat: int = 7) -> float:
    a = np.random.default_rng(0).random((n, n), dtype=np.float32)
    b = np.random.default_rng(1).random((n, n), dtype=np.float32)
    a @ b
    return 2 * n**3 / statistics.median(timed(lambda: a @ b, repeat)) / 1e9


@contextlib.contextmanager
def chroma_server(data: Path) -> Iterator[int]:
    """`chroma run` on loopback over a copy of this Chroma folder; yields its port."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(data, Path(tmp) / "db")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        binary = Path(sys.executable).with_name("chroma")
        command = [str(binary), "run", "--path", str(Path(tmp) / "db"), "--host", "127.0.0.1", "--port", str(port)]
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("chroma run did not start") from None
                    time.sleep(0.2)
            yield port
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def latency(engine, rounds: int = 3) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    retriever = engine.retriever
    for text in QUERIES[:5]:
        retriever.match(text)
    samples: list[float] = []
    for _ in range(rounds):
        for text in QUERIES:
            start = time.perf_counter()
            retriever.match(text)
            samples.append((time.perf_counter() - start) * 1000)
    return percentile(samples, 50), percentile(samples, 95)


def first_replies(engine) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds from a person's first message to the whole offline reply (matches, tension, signs), warm."""
    guide = engine.guide()
    guide.handle(guide.start(), QUERIES[0])  # warm: the index, the embedder and the sign vectors are loaded
    samples: list[float] = []
    for text in QUERIES:
        start = time.perf_counter()
        state, turn = guide.handle(guide.start(), text)
        for request in turn.requests:
            "".join(guide.deliver(state, request))
        samples.append(time.perf_counter() - start)
    return samples


def main() -> int:
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    say("# Benchmarks")
    say()
    say(
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}. Medians of repeated runs; this machine is "
        "shared, so compare the ratios measured in the same run."
    )
    say()

    peak = sgemm_peak()
    embedder = MiniLMEmbedder()
    library = load_libraries([STARTER])
    from pattern_guide.index.chunking import chunk_pattern

    chunks = [c.text for p in library.patterns.values() for c in chunk_pattern(p, embedder.count_tokens)][:256]
    lengths = embedder.count_tokens(chunks)
    runs = timed(lambda: embedder.embed(chunks), 3)
    seconds = statistics.median(runs)
    gflops = embedder.flops(lengths) / seconds / 1e9
    peak_after = sgemm_peak()
    peak_both = statistics.median([peak, peak_after])
    say("## Embedding throughput (all-MiniLM-L6-v2, numpy)")
    say()
    say("| measure | value |")
    say("| --- | --- |")
    say(f"| chunks embedded per run | {len(chunks)} ({sum(lengths)} tokens, mean {statistics.mean(lengths):.0f}) |")
    say(f"| chunks/s | {len(chunks) / seconds:.1f} |")
    say(f"| tokens/s | {sum(lengths) / seconds:.0f} |")
    say(f"| achieved GFLOP/s | {gflops:.1f} |")
    say(f"| sgemm peak GFLOP/s (2048², before and after) | {peak:.1f}, {peak_after:.1f} |")
    say(f"| **ratio to peak** | **{gflops / peak_both:.2f}** (goal ≥ 0.4) |")
    say()

    say("## Index build (starter library)")
    say()
    with tempfile.TemporaryDirectory() as tmp:
        engine = build_engine(Settings(libraries=[STARTER], index_dir=Path(tmp)), embedder)
        cold = engine.index()
        again = [engine.index() for _ in range(5)]
        say("| run | seconds | embedded |")
        say("| --- | --- | --- |")
        say(f"| cold ({cold.chunks} chunks) | {cold.seconds:.1f} | {cold.embedded} |")
        say(
            f"| unchanged re-run (median of 5) | {statistics.median(r.seconds for r in again):.2f} | "
            f"{max(r.embedded for r in again)} |"
        )
        say()
        p50, p95 = latency(engine)
        say("## Match latency, warm (hybrid: BM25 + Chroma + RRF)")
        say()
        say("| library | queries | p50 ms | p95 ms | goal p95 |")
        say("| --- | --- | --- | --- | --- |")
        say(f"| starter (41 patterns) | {len(QUERIES) * 3} | {p50:.1f} | {p95:.1f} | ≤ 50 ms |")
        replies = first_replies(engine)

    if COMMONS.is_dir() and (COMMONS_INDEX / "manifest.json").is_file():
        commons = build_engine(Settings(libraries=[COMMONS], index_dir=COMMONS_INDEX), embedder)
        _ = commons.library
        p50, p95 = latency(commons, rounds=2)
        say(
            f"| Commons ({len(commons.library.patterns)} patterns, {commons.vector_index.count()} chunks) | "
            f"{len(QUERIES) * 2} | {p50:.1f} | {p95:.1f} | ≤ 150 ms |"
        )
        with chroma_server(COMMONS_INDEX / "chroma") as port:
            served = build_engine(
                Settings(libraries=[COMMONS], index_dir=COMMONS_INDEX, chroma_host="127.0.0.1", chroma_port=port),
                embedder,
            )
            p50, p95 = latency(served, rounds=2)
            say(f"| Commons through `chroma run` (loopback) | {len(QUERIES) * 2} | {p50:.1f} | {p95:.1f} | ≤ 150 ms |")
    else:
        say(f"| Commons | — | not measured: no index at {COMMONS_INDEX} | | |")
    say()
    say("## First reply, warm (starter library, offline composer)")
    say()
    say("From a person's first message to the whole reply: matches, the tension, the signs it echoes.")
    say()
    say("| situations | median s | p95 s | max s | goal |")
    say("| --- | --- | --- | --- | --- |")
    say(
        f"| {len(replies)} | {statistics.median(replies):.3f} | {percentile(replies, 95):.3f} | "
        f"{max(replies):.3f} | ≤ 1 s |"
    )
    say()

    if COMMONS.is_dir():
        loads = {kind: statistics.median(runs) for kind, runs in library_loads(COMMONS).items()}
        say("## Commons library")
        say()
        say(
            f"- load + validate {len(list(COMMONS.glob('*.md')))} files (median of 3, side by side): "
            f"{loads['uncached']:.1f} s without the parsed-library cache, {loads['filling']:.1f} s filling it, "
            f"{loads['cached']:.1f} s from it ({loads['uncached'] / loads['cached']:.1f}× faster; "
            "goal: cold start of the app ≤ 15 s)"
        )
        # Written by the one first full build of the Commons index (see the README's "Commons library").
        report = COMMONS_INDEX / "run.json"
        if report.is_file() and report.read_text().strip().startswith("{"):
            data = json.loads(report.read_text())
            say(
                f"- first full index build (one `pattern-guide index --json` run into an empty folder): "
                f"{data['patterns']} patterns, {data['chunks']} chunks in BM25, {data['embedded']} embedded "
                f"(PATTERN_GUIDE_EMBED_SECTIONS=auto: the summary, context and problem) in "
                f"{data['seconds'] / 60:.1f} min (goal ≤ 30 min)"
            )
        say()

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(f"Peak RSS of this benchmark process: {rss:.0f} MB")
    (ROOT / "bench" / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
