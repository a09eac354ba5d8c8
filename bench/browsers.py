"""`make bench`: five real browser sessions on the Guide at once — time to first reply, each.

Starts `streamlit run app.py` on a loopback port over the default index (data/index, built by
`make index`), warms it with one session, then opens five Chromium pages on threads; each
types the same situation at the same moment and waits for its reply to settle. Writes
bench/browsers.md. Bounded: five sessions, one turn each, a 120 s limit per reply.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright import sync_api  # noqa: E402

from tests.conftest import free_port  # noqa: E402
from tests.ui.test_browser import CHROMIUM, CHROMIUM_ARGS, INPUT, SETTLED_JS, SITUATION, Server  # noqa: E402

SESSIONS = 5
LIMIT_MS = 120_000


def one_session(url: str, start: threading.Barrier, out: dict[int, float], n: int) -> None:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto(url)
            page.wait_for_function(SETTLED_JS, arg=0, timeout=LIMIT_MS, polling=100)
            page.locator(INPUT).fill(SITUATION)
            start.wait(timeout=LIMIT_MS / 1000)
            began = time.perf_counter()
            page.locator(INPUT).press("Enter")
            page.wait_for_function(SETTLED_JS, arg=1, timeout=LIMIT_MS, polling=50)
            out[n] = time.perf_counter() - began
        finally:
            browser.close()


def main() -> int:
    if not CHROMIUM.exists():
        print("chromium is not installed (make browser): skipped", file=sys.stderr)
        return 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    state = Path(tempfile.mkdtemp(prefix="bench-browsers-"))
    env["PATTERN_GUIDE_STATE"] = str(state)
    server = Server(env, free_port(), name="bench")
    server.start()
    try:
        warm: dict[int, float] = {}
        one_session(server.url, threading.Barrier(1), warm, 0)  # builds the engine once, as the first visitor does
        times: dict[int, float] = {}
        barrier = threading.Barrier(SESSIONS)
        threads = [
            threading.Thread(target=one_session, args=(server.url, barrier, times, n)) for n in range(SESSIONS)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=LIMIT_MS / 1000 * 2)
    finally:
        server.stop()
    each = [times[n] for n in sorted(times)]
    lines = [
        "# Five browser sessions on the Guide at once",
        "",
        "`make bench` (`bench/browsers.py`): `streamlit run app.py` on loopback over the default index,",
        "offline composer, Debian's Chromium. One warm-up session first (the first visitor builds the engine);",
        f"then {SESSIONS} sessions send the same situation at the same moment. Time from Enter to the",
        "settled reply (the page idle, the input enabled again).",
        "",
        f"- warm-up (single session): {warm.get(0, float('nan')):.2f} s",
        f"- sessions that got a reply: {len(each)} of {SESSIONS}",
    ]
    if each:
        lines += [
            f"- each: {', '.join(f'{t:.2f}' for t in each)} s",
            f"- median {statistics.median(each):.2f} s, max {max(each):.2f} s",
        ]
    (ROOT / "bench" / "browsers.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0 if len(each) == SESSIONS else 1


if __name__ == "__main__":
    sys.exit(main())
