"""`make bench`: the running app's cold start and memory, on the starter library and on the Commons library.

For each library, starts `streamlit run app.py` (offline composer) over its index, times the cold start
(process launched -> the Guide page settled with its chat input ready) and the first reply, then opens
20 conversations one after another, each in a fresh browser context sending a different situation
(the first turns of 20 people), and reads the server process's resident memory from /proc: VmRSS
after the 20 turns and VmHWM, its peak. Writes bench/app.md.

The Commons row needs its index (PATTERN_GUIDE_COMMONS_INDEX, default /work/commons-index, built
with `PATTERN_GUIDE_LIBRARY=../shared/commons-library/patterns PATTERN_GUIDE_INDEX=... pattern-guide index`);
without it the row says so.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright import sync_api  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.ui.test_browser import CHROMIUM, CHROMIUM_ARGS, INPUT, OUTPUT, SETTLED_JS, Server  # noqa: E402

CONVERSATIONS = 20
COLD_STARTS = 3  # the server started this many times; the last one then serves the 20 conversations
LIMIT_MS = 180_000
COMMONS = ROOT.parent / "shared" / "commons-library" / "patterns"
COMMONS_INDEX = Path(os.environ.get("PATTERN_GUIDE_COMMONS_INDEX", "/work/commons-index"))
GOALS = {"starter": 350, "Commons": 700}


def situations(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]
    return texts[:CONVERSATIONS]


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def first_turn(browser, url: str, text: str) -> float:  # type: ignore[no-untyped-def]
    """One person's first turn in a fresh context: open the Guide, send the situation, wait for the reply."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(SETTLED_JS, arg=0, timeout=LIMIT_MS, polling=100)
        page.locator(INPUT).fill(text)
        began = time.perf_counter()
        page.locator(INPUT).press("Enter")
        page.wait_for_function(SETTLED_JS, arg=1, timeout=LIMIT_MS, polling=50)
        return time.perf_counter() - began
    finally:
        context.close()


def measure(name: str, library: Path | None, index: Path, texts: list[str]) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["PATTERN_GUIDE_STATE"] = tempfile.mkdtemp(prefix="bench-app-")
    env["PATTERN_GUIDE_INDEX"] = str(index)
    if library is not None:
        env["PATTERN_GUIDE_LIBRARY"] = str(library)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    readies: list[float] = []
    for start in range(COLD_STARTS):
        server = Server(env, free_port(), name=f"bench-app-{name}")
        launched = time.perf_counter()
        server.start()
        assert server.proc is not None
        try:
            with sync_api.sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    page.goto(server.url)
                    page.wait_for_function(SETTLED_JS, arg=0, timeout=LIMIT_MS, polling=100)
                    page.locator(INPUT).wait_for(state="visible", timeout=LIMIT_MS)
                    readies.append(time.perf_counter() - launched)
                    context.close()
                    if start < COLD_STARTS - 1:
                        continue
                    replies = [first_turn(browser, server.url, text) for text in texts]
                finally:
                    browser.close()
            rss, peak = memory_mb(server.proc.pid)
        finally:
            server.stop()
    return {
        "ready": statistics.median(readies),
        "readies": readies,
        "first": replies[0],
        "median": statistics.median(replies),
        "rss": rss,
        "peak": peak,
    }


def main() -> int:
    if not CHROMIUM.exists():
        print("chromium is not installed (make browser): skipped", file=sys.stderr)
        return 0
    rows = [
        ("starter", measure("starter", None, ROOT / "data" / "index", situations(ROOT / "tests/eval/situations.jsonl")))
    ]
    commons_note = ""
    if COMMONS.is_dir() and (COMMONS_INDEX / "manifest.json").is_file():
        texts = situations(ROOT / "tests/eval/commons.jsonl")
        rows.append(("Commons", measure("commons", COMMONS, COMMONS_INDEX, texts)))
    else:
        commons_note = f"- Commons: not measured (no index at {COMMONS_INDEX}, or ../shared is absent)"
    lines = [
        "# The running app: cold start and memory",
        "",
        "`make bench` (`bench/app_memory.py`): `streamlit run app.py`, offline composer, Debian's Chromium.",
        "*Ready*: process launched -> the Guide page settled with its chat input shown (the engine, library",
        f"and index loaded), median of {COLD_STARTS} starts (each in brackets). Then {CONVERSATIONS} people's first",
        "turns, one after another, each in a fresh browser context with a different situation; memory is the",
        "server process's, from /proc, after them.",
        f"Load average at the end: {os.getloadavg()[0]:.1f} (the machine is shared).",
        "",
        "| library | ready s, median (goal ≤ 15) | first s | median reply s | RSS MB after 20 | peak MB | goal MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows:
        each = ", ".join(f"{x:.1f}" for x in r["readies"])
        lines.append(
            f"| {name} | {r['ready']:.1f} ({each}) | {r['first']:.2f} | {r['median']:.2f} | {r['rss']:.0f} "
            f"| {r['peak']:.0f} | ≤ {GOALS[name]} |"
        )
    if commons_note:
        lines += ["", commons_note]
    (ROOT / "bench" / "app.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
