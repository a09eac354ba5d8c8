"""Pages and exports show a pattern file's images and links by the rendering policy: nothing to fetch or follow."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from pattern_guide.conversation.state import GuideState
from pattern_guide.export.cards import cards_html
from pattern_guide.export.plans import plan_markdown
from pattern_guide.library.loader import Library, load_libraries
from tests.conftest import open_page, write_pattern

LEAK = "http://127.0.0.1:9/leak?q=situation"
RENDER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def remote(rendered_html: str) -> list[str]:
    """Every <img>, <script> and link out of the app in a piece of HTML."""
    return re.findall(r"<img\b[^>]*>|<script\b|<a href=\"(?:[a-z]+:|//)[^\"]*\"", rendered_html, re.IGNORECASE)


def imaged_library(directory: Path) -> Library:
    write_pattern(
        directory,
        "imaged",
        title="Imaged ![t](http://127.0.0.1:9/leak-title)",
        summary=f"A pattern with pictures ![s]({LEAK}).",
        problem=f"Things go wrong ![chart]({LEAK}) — see [the source](https://example.com/study).",
        solution=f"show the ![diagram]({LEAK}) and <img src={LEAK}> to the team",
        corporate=f"the business version ![c]({LEAK}) [ref][r].\n\n[r]: {LEAK}",
    )
    return load_libraries([directory])


def _library_script() -> None:
    from pattern_guide.ui import library_page

    library_page.render()


def shown(app: Any) -> list[str]:
    """Every piece of Markdown the page renders: text, notes, headings, expander and tab labels."""
    values = [e.value for kind in ("markdown", "caption", "info", "header", "subheader") for e in app.get(kind)]
    values += [e.label for e in app.expander] + [e.label for e in app.tabs]
    return [str(v) for v in values]


def test_library_page_shows_a_remote_image_as_its_alt_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    imaged_library(tmp_path / "lib")
    monkeypatch.setenv("PATTERN_GUIDE_LIBRARY", str(tmp_path / "lib"))
    monkeypatch.setenv("PATTERN_GUIDE_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("PATTERN_GUIDE_EMBEDDER", "hashing")
    monkeypatch.setenv("PATTERN_GUIDE_STATE", str(tmp_path / "state"))
    from pattern_guide.assistant import build_engine

    build_engine().index()
    app = open_page(_library_script, pattern="imaged")
    pieces = shown(app)
    assert any("image: diagram" in p for p in pieces), pieces
    assert any("the source (example.com)" in p for p in pieces), pieces
    for piece in pieces:
        assert remote(RENDER.render(piece)) == [], piece


def test_exports_embed_no_remote_image_or_script(tmp_path: Path) -> None:
    library = imaged_library(tmp_path)
    pattern = library.get("imaged")
    cards = cards_html([pattern], "corporate")
    assert remote(cards) == []
    assert "[image: diagram]" in cards
    plan = plan_markdown(GuideState(situation=f"our ![me]({LEAK}) situation", context="corporate"), pattern, library)
    assert remote(RENDER.render(plan)) == []
    assert "image: diagram" in plan
