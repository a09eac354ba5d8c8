"""Indexing shows progress in every mode: a bar on a terminal, periodic lines in a log."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import pattern_guide.cli.common as common
from pattern_guide.cli.common import progress_bar
from tests.conftest import STARTER


def test_a_log_gets_lines_with_done_total_rate_and_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    log = io.StringIO()
    clock = iter([0.0, 0.0, 1.0, 5.0, 11.0, 12.0, 25.0, 30.0])
    monkeypatch.setattr(common.time, "monotonic", lambda: next(clock))
    update = progress_bar("Embedding", stream=log, every=10)
    for done in (0, 100, 500, 1100, 1200, 2500, 3000):
        update(done, 3000)
    monkeypatch.undo()
    lines = log.getvalue().splitlines()
    assert lines[0] == "Embedding: 1,100/3,000 chunks (100.0/s, about 19 s left)"
    assert lines[1] == "Embedding: 2,500/3,000 chunks (100.0/s, about 5 s left)"
    assert lines[-1] == "Embedding: 3,000/3,000 chunks — done in 30 s"
    assert len(lines) == 3, "a line every 10 s, not every batch"


def test_index_into_a_log_file_prints_progress_lines(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pattern_guide.cli", "index", "--library", str(STARTER), "--index-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATTERN_GUIDE_EMBEDDER": "hashing", "PATH": "/usr/bin:/bin", "ANONYMIZED_TELEMETRY": "False"},
    )
    assert run.returncode == 0, run.stderr
    assert "Embedding: " in run.stderr and "chunks — done in" in run.stderr
    assert "Chunking: " in run.stderr and "patterns — done in" in run.stderr


def test_index_json_keeps_stdout_for_the_report_and_shows_progress_on_stderr(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pattern_guide.cli", "index", "--library", str(STARTER), "--index-dir", str(tmp_path),
         "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATTERN_GUIDE_EMBEDDER": "hashing", "PATH": "/usr/bin:/bin", "ANONYMIZED_TELEMETRY": "False"},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["patterns"] == 41 and report["embedded"] == report["chunks"]
    assert "Embedding: " in run.stderr and f"{report['chunks']:,}/{report['chunks']:,} chunks — done in" in run.stderr
