"""Markup inside a pattern file, or typed by a person, cannot inject HTML or script."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from pattern_guide.conversation.state import GuideState
from pattern_guide.library.loader import load_libraries
from pattern_guide.replies import composer
from pattern_guide.text import escape, safe_markdown
from tests.conftest import write_pattern


def unsafe(markdown: str) -> bool:
    """Markup that a Markdown renderer would turn into a tag or a script link (escaped text is fine)."""
    return bool(
        re.search(r"(?<!\\)<[a-zA-Z/!]", markdown) or re.search(r"(?<!\\)\]\(\s*(?:javascript|data):", markdown, re.I)
    )


EVIL = "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3))"


def evil_library(tmp_path: Path):  # type: ignore[no-untyped-def]
    write_pattern(tmp_path, "evil", title="Evil <b>Title</b>", solution=f"do this {EVIL}", corporate=EVIL, problem=EVIL)
    return load_libraries([tmp_path])


def test_composer_escapes_pattern_and_person_text(tmp_path: Path) -> None:
    library = evil_library(tmp_path)
    pattern = library.get("evil")
    state = GuideState(situation=EVIL, context="corporate", pattern="evil")
    for text, _ in (composer.adapt(state, pattern, library), composer.step(state, pattern)):
        assert "script" in text  # the text is shown, as text
        assert not unsafe(text), text
    assert unsafe(EVIL) and not unsafe(escape(EVIL))


def test_safe_markdown_neutralises_html_and_script_links() -> None:
    out = safe_markdown(f"**bold** and {EVIL}")
    assert "**bold**" in out
    assert not unsafe(out), out


def _library_script() -> None:
    from pattern_guide.ui import library_page

    library_page.render()


def test_library_page_renders_evil_pattern_as_text(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lib_dir = tmp_path / "lib"
    evil_library(lib_dir)
    monkeypatch.setenv("PATTERN_GUIDE_LIBRARY", str(lib_dir))
    monkeypatch.setenv("PATTERN_GUIDE_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("PATTERN_GUIDE_EMBEDDER", "hashing")
    from pattern_guide.assistant import build_engine

    build_engine().index()
    app = AppTest.from_function(_library_script, default_timeout=120)
    app.run()
    assert not app.exception, app.exception
    rendered = [m.value for m in app.markdown] + [e.value for e in app.get("info")] + [h.value for h in app.header]
    assert rendered
    assert any("script" in value for value in rendered)
    for value in rendered:
        assert not unsafe(value), value
