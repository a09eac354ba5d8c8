"""`make bench`: re-indexing the Commons library — unchanged, and after one file changed.

Needs the Commons index (PATTERN_GUIDE_COMMONS_INDEX, default /work/commons-index). The library and its
index are copied to a temporary folder (nothing under ../shared is touched); one warm-up run fills the
parsed-library cache for the copy's path, then: unchanged re-runs (median of 3), and one file's Problem
changed before each of 3 runs (median). Each run is one `Engine.index()`, as `pattern-guide index` does,
in this process with the library read again from disk. Writes bench/reindex.md.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pattern_guide.assistant import build_engine  # noqa: E402
from pattern_guide.settings import Settings  # noqa: E402

COMMONS = ROOT.parent / "shared" / "commons-library" / "patterns"
COMMONS_INDEX = Path(os.environ.get("PATTERN_GUIDE_COMMONS_INDEX", "/work/commons-index"))
ROUNDS = 3
PROBLEM = re.compile(r"^#{2,3} [^\n]*Problem[^\n]*\n", re.MULTILINE)


def run(library: Path, index: Path) -> tuple[float, int, int]:
    """One re-index as the CLI does it: a fresh engine, the library read again; (seconds, embedded, deleted)."""
    started = time.perf_counter()
    engine = build_engine(Settings(libraries=[library], index_dir=index))
    report = engine.index()
    return time.perf_counter() - started, report.embedded, report.deleted


def main() -> int:
    out = ROOT / "bench" / "reindex.md"
    if not COMMONS.is_dir() or not (COMMONS_INDEX / "manifest.json").is_file():
        print(f"no Commons library or no index at {COMMONS_INDEX}: skipped", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-reindex-") as tmp:
        library, index = Path(tmp) / "patterns", Path(tmp) / "index"
        shutil.copytree(COMMONS, library)
        shutil.copytree(COMMONS_INDEX, index, ignore=shutil.ignore_patterns("library-cache", "run.*"))
        warm = run(library, index)
        unchanged = [run(library, index) for _ in range(ROUNDS)]
        target = next(p for p in sorted(library.glob("*.md")) if PROBLEM.search(p.read_text(encoding="utf-8")))
        changed = []
        for n in range(ROUNDS):
            text = target.read_text(encoding="utf-8")
            heading = PROBLEM.search(text)
            assert heading is not None
            added = f"\nA sentence changed for the benchmark, round {n}.\n"
            text = text[: heading.end()] + added + text[heading.end() :]
            target.write_text(text, encoding="utf-8")
            changed.append(run(library, index))
    lines = [
        "# Re-indexing the Commons library",
        "",
        "`make bench` (`bench/reindex.py`): a copy of the library and its index; each run is a fresh engine's",
        "`index()`, the library read from disk (through the parsed-library cache) and brought in step with",
        f"Chroma and BM25. Load average at the end: {os.getloadavg()[0]:.1f} (the machine is shared).",
        "",
        "| run | seconds (median of 3) | embedded | deleted | goal |",
        "|---|---:|---:|---:|---|",
        f"| warm-up (fills the library cache for the copy) | {warm[0]:.1f} | {warm[1]} | {warm[2]} | |",
        f"| unchanged | {statistics.median(r[0] for r in unchanged):.1f} | {max(r[1] for r in unchanged)} "
        f"| {max(r[2] for r in unchanged)} | ≤ 3 s |",
        f"| one file's Problem changed ({target.name}) | {statistics.median(r[0] for r in changed):.1f} "
        f"| {max(r[1] for r in changed)} | {max(r[2] for r in changed)} | ≤ 10 s |",
    ]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
