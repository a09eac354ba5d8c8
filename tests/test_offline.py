"""Load -> index -> match with every non-loopback connection refused in this process."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from pattern_guide.assistant import build_engine
from pattern_guide.settings import Settings
from tests.conftest import STARTER


def test_guard_refuses_the_outside_world(no_network: list[Any]) -> None:
    with pytest.raises(OSError), socket.create_connection(("192.0.2.1", 80), timeout=1):
        pass
    assert no_network


def test_load_index_match_offline(tmp_path: Path, no_network: list[Any]) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    for slug in ("meeting-diet", "protected-focus-blocks", "care-for-the-carers", "decision-rights-zones"):
        shutil.copy(STARTER / f"{slug}.md", library)
    engine = build_engine(Settings(libraries=[library], index_dir=tmp_path / "index"))
    assert len(engine.library.patterns) == 4
    report = engine.index()
    assert report.embedded == report.chunks > 0
    result = engine.retriever.match("Half our week disappears into recurring meetings that decide nothing.")
    assert result.matches[0].slug == "meeting-diet"
    assert no_network == []
