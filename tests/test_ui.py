"""The page, driven by Streamlit's AppTest: a situation in, patterns and why out."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from pattern_guide.assistant import Engine
from tests.conftest import ROOT


def test_situation_shows_matches(starter_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATTERN_GUIDE_LIBRARY", ":".join(map(str, starter_engine.settings.libraries)))
    monkeypatch.setenv("PATTERN_GUIDE_INDEX", str(starter_engine.settings.index_dir))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    assert not app.exception
    app.text_area[0].input("Half our week disappears into recurring meetings that decide nothing, and staff are tired.")
    app.button[0].click()
    app.run()
    assert not app.exception
    assert app.subheader[0].value.startswith("I hear a tension of ")
    shown = " ".join(m.value for m in app.markdown)
    assert "Meeting Diet" in shown
    quotes = [t.value for t in app.text if t.value.startswith("“")]
    assert quotes and all(" — Section " in q for q in quotes)
