"""`make bench`: a room answering one workshop at once, through the store the Workshop page uses.

30 and 100 participants (threads) join one workshop and answer every sign of a pattern, either
one save per sign or one save per form, on SQLite (a temporary file) and on PostgreSQL (a
throw-away cluster on loopback, started as the tests start theirs; skipped with a note when
PostgreSQL is not installed). Every answer the store acknowledged is then looked for in the
database: lost must be 0. Bounded: a fixed number of submits per thread, and a deadline.

Writes bench/load.md.
"""

from __future__ import annotations

import glob
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pattern_guide.errors import PatternGuideError
from pattern_guide.library.loader import load_libraries
from pattern_guide.store import ConversationStore
from pattern_guide.store.database import close_pools

ROOT = Path(__file__).resolve().parents[1]
PATTERN = "meeting-diet"
ROOMS = (30, 100)
DEADLINE_S = 300.0  # the whole of one run; past it the run is reported as unfinished
ANSWERS = ("yes", "partly", "no")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def run_room(store: ConversationStore, people: int, signs: int, per_form: bool) -> dict[str, object]:
    """One room: everyone joins, then at a signal everyone answers every sign."""
    workshop = store.create_workshop(f"Load {people}", [PATTERN], max_participants=people)
    seats = [store.join_workshop(workshop.id, f"P{n}", client=f"bench-{n}") for n in range(people)]
    start = threading.Barrier(people + 1)
    latencies: list[float] = []
    acknowledged: set[tuple[str, int]] = set()
    errors: list[str] = []
    guard = threading.Lock()

    def participant(n: int) -> None:
        pid = seats[n].id
        forms = [dict.fromkeys(range(signs))] if per_form else [{s: None} for s in range(signs)]
        start.wait()
        for form in forms:
            answers = {s: ANSWERS[(n + s) % 3] for s in form}
            began = time.perf_counter()
            try:
                store.save_workshop_answers(workshop.id, pid, PATTERN, answers)
            except PatternGuideError as exc:  # the page shows these as a message
                with guard:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            except Exception as exc:  # noqa: BLE001 — a traceback on the page: counted, never hidden
                with guard:
                    errors.append(f"UNEXPECTED {type(exc).__name__}: {exc}")
                continue
            took = time.perf_counter() - began
            with guard:
                latencies.append(took)
                acknowledged.update((pid, s) for s in answers)

    threads = [threading.Thread(target=participant, args=(n,), daemon=True) for n in range(people)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(max(0.0, DEADLINE_S - (time.perf_counter() - began)))
    wall = time.perf_counter() - began
    unfinished = sum(t.is_alive() for t in threads)
    stored = {(a.participant_id, a.sign) for a in store.workshop_answers(workshop.id)}
    return {
        "submits": len(latencies) + len(errors),
        "acknowledged": len(acknowledged),
        "stored": len(stored),
        "lost": len(acknowledged - stored),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "unfinished": unfinished,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "max": max(latencies, default=float("nan")),
        "answers_per_s": len(acknowledged) / wall if wall else 0.0,
        "wall": wall,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres() -> Iterator[str | None]:
    """A throw-away PostgreSQL cluster on loopback (as tests/conftest.py starts one), or None."""
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdb:
        yield None
        return
    bin_dir = Path(initdb[-1]).parent
    home = Path(tempfile.mkdtemp(prefix="pattern-guide-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    data, port = home / "data", free_port()
    run = lambda cmd: subprocess.run(_as_server_user(cmd), capture_output=True, text=True, timeout=60, check=True)  # noqa: E731
    run([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "guide", "--no-sync", "-E", "UTF8"])
    # Durable settings (fsync on), unlike the tests' cluster: the numbers are for a real server.
    options = f"-p {port} -k {home} -h 127.0.0.1 -c max_connections=50"
    run([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(home / "log"), "-w", "start"])
    try:
        run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "guide", "bench"])
        yield f"postgresql://guide@127.0.0.1:{port}/bench"
    finally:
        close_pools()
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(home, ignore_errors=True)


def measure(name: str, open_store: Callable[[], ConversationStore], signs: int) -> list[str]:
    rows = []
    store = open_store()
    for people in ROOMS:
        for per_form in (False, True):
            result = run_room(store, people, signs, per_form)
            print(name, people, "per form" if per_form else "per sign", result, file=sys.stderr)
            rows.append(
                f"| {name} | {people} | {'form' if per_form else 'sign'} | {result['submits']} | "
                f"{result['acknowledged']} | {result['stored']} | {result['lost']} | {result['errors']} | "
                f"{result['p50'] * 1000:.0f} | {result['p95'] * 1000:.0f} | {result['max'] * 1000:.0f} | "
                f"{result['answers_per_s']:.0f} |"
                + (f" {result['unfinished']} unfinished" if result["unfinished"] else "")
                + (f" first error: {str(result['first_error'])[:120]}" if result["errors"] else "")
            )
    return rows


def main() -> None:
    pattern = load_libraries([ROOT / "data" / "patterns"]).patterns[PATTERN]
    signs = len(pattern.signs_of_life) + len(pattern.signs_of_decay)
    rows: list[str] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pattern-guide-bench-") as tmp:
        rows += measure("SQLite", lambda: ConversationStore(Path(tmp) / "load.sqlite3"), signs)
    with postgres() as url:
        if url is None:
            notes.append("PostgreSQL is not installed here (`make postgres`), so it was not measured.")
        else:
            rows += measure("PostgreSQL", lambda: ConversationStore(url), signs)
    header = [
        "# A room answering one workshop at once",
        "",
        f"`make bench` (bench/load.py) · {platform.machine()} · {os.cpu_count()} cores · Python "
        f"{platform.python_version()} · {time.strftime('%Y-%m-%d')} · load average at the end "
        f"{os.getloadavg()[0]:.1f} (the machine is shared; the numbers move with it)",
        "",
        f"Each participant is a thread that answers all {signs} signs of `{PATTERN}` through "
        "`ConversationStore.save_workshop_answers` — the call the Workshop page makes — either one save per sign "
        "or one save per form, all starting together with no pause between saves (a harder room than a real one). "
        "SQLite is a temporary file (WAL, synchronous=FULL, the store's group commit: threads writing at the "
        "same moment share one transaction and one fsync, each in its own savepoint); PostgreSQL a throw-away "
        "local cluster with fsync on and the store's pool of 10 connections. *Acknowledged* answers are those "
        "whose save returned; each is "
        "then looked for in the database (*lost* = acknowledged but not stored). Latency is per submit, in ms.",
        "",
        "Goals: 100 participants per sign with 0 errors and p95 ≤ 1000 ms on both databases; per form p95 ≤ 300 ms.",
        "",
        "| database | participants | save per | submits | acknowledged | stored | lost | errors | p50 | p95 | max "
        "| answers/s |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    text = "\n".join([*header, *rows, "", *notes]).rstrip() + "\n"
    (ROOT / "bench" / "load.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
