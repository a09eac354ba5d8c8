"""The Library page shows the graph garden: a map coloured by community and a pattern's inferred links."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from pattern_guide.assistant import Engine
from pattern_guide.garden import grow, index_vectors, write
from pattern_guide.library.loader import load_libraries
from tests.conftest import STARTER, open_page


def _library_script() -> None:
    from pattern_guide.ui import library_page

    library_page.render()


@pytest.fixture
def gardened(page_env: Path, hashing_starter: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the starter library with its garden written, served over the hashing index."""
    copy = tmp_path / "gardened"
    shutil.copytree(STARTER, copy)
    library = load_libraries([copy])
    engine = hashing_starter
    vectors = index_vectors(engine.vector_index, engine.settings.index_dir, sorted(library.patterns))
    write(library, grow(library, vectors, today=dt.date(2026, 12, 2)))
    monkeypatch.setenv("PATTERN_GUIDE_LIBRARY", str(copy))
    return copy


def _charts(app: Any) -> list[tuple[str, list[dict[str, object]]]]:
    """Every vega-lite chart on the page: its spec and the rows of its first dataset."""
    import pyarrow as pa

    out = []
    for chart in app.get("vega_lite_chart"):
        proto = chart.proto
        rows = pa.ipc.open_stream(proto.datasets[0].data.data).read_all().to_pylist() if proto.datasets else []
        out.append((proto.spec, rows))
    return out


def test_the_map_colours_every_pattern_by_its_community_and_links_carry_reasons(gardened: Path) -> None:
    app = open_page(_library_script, pattern="meeting-diet")
    assert app.header[0].value == "Meeting Diet"
    [(spec, rows)] = [(spec, rows) for spec, rows in _charts(app) if '"field": "community"' in spec]
    library = load_libraries([gardened])
    written = {slug: p.meta.graph_garden.communities[0].label for slug, p in library.patterns.items()}
    assert {row["slug"]: row["community"] for row in rows} == written, "every pattern, coloured by its community"
    labels = set(written.values())
    captions = " ".join(c.value for c in app.caption)
    assert f"{len(labels)} communities found by Louvain" in captions
    inferred = [m.value for m in app.markdown if "inferred" in m.value and "confidence" in m.value]
    pattern = library.patterns["meeting-diet"]
    assert len(inferred) == len(pattern.meta.graph_garden.inferred_links)
    first = pattern.meta.graph_garden.inferred_links[0]
    assert f"confidence {first.confidence:.2f}" in inferred[0] and "┈" in inferred[0]
    assert any("Machine-inferred links" in m.value for m in app.markdown)


@pytest.fixture
def ungardened(page_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the starter library with every graph_garden block emptied, as before any `garden --write`."""
    copy = tmp_path / "ungardened"
    shutil.copytree(STARTER, copy)
    empty = "graph_garden:\n  last_pruned: null\n  entities: []\n  communities: []\n  inferred_links: []\n\n"
    for path in copy.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?ms)^graph_garden:.*?(?=^# ═|^---)", empty, text), encoding="utf-8")
    monkeypatch.setenv("PATTERN_GUIDE_LIBRARY", str(copy))
    return copy


def test_an_ungardened_library_says_how_to_grow_it(ungardened: Path) -> None:
    assert not any(p.meta.graph_garden.inferred_links for p in load_libraries([ungardened]).patterns.values())
    app = open_page(_library_script, pattern="meeting-diet")
    captions = " ".join(c.value for c in app.caption)
    assert "pattern-guide garden --write" in captions
