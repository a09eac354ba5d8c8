"""Drafts in the pages: marked as drafts in the Library, and downloadable from the guide's sidebar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pattern_guide.conversation.state import GuideState, Stage
from pattern_guide.drafting.interview import DraftAnswers
from pattern_guide.drafting.store import save_draft
from pattern_guide.drafting.writer import write_draft


def _library_script() -> None:
    from pattern_guide.ui import library_page

    library_page.render()


def _guide_script() -> None:
    from pattern_guide.ui import guide_page

    guide_page.render()


@pytest.fixture
def drafted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_pattern: Callable[..., Path]) -> str:
    """A library of one pattern and a drafts folder of one draft, indexed; returns the draft's file text."""
    make_pattern(tmp_path / "lib", "meeting-diet")
    made = write_draft(DraftAnswers(answers={"name": "Closing in pairs", "tension": "fairness vs. habit"}), "", set())
    save_draft(tmp_path / "drafts", made.slug, made.text)
    for var, value in {
        "PATTERN_GUIDE_LIBRARY": tmp_path / "lib",
        "PATTERN_GUIDE_DRAFTS": tmp_path / "drafts",
        "PATTERN_GUIDE_INDEX": tmp_path / "index",
        "PATTERN_GUIDE_STATE": tmp_path / "state",
        "PATTERN_GUIDE_EMBEDDER": "hashing",
    }.items():
        monkeypatch.setenv(var, str(value))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    from pattern_guide.assistant import build_engine

    build_engine().index()
    return made.text


def test_the_library_marks_a_draft(drafted: str) -> None:
    app = AppTest.from_function(_library_script, default_timeout=120)
    app.query_params["pattern"] = "closing-in-pairs"
    app.run()
    assert not app.exception, app.exception
    assert "2 patterns loaded" in [c.value for c in app.caption][0]
    box = app.selectbox[0]
    assert box.value == "closing-in-pairs"
    assert any("draft" in w.value for w in app.warning)
    labels = list(box.options)  # as the person reads them
    assert any(label.startswith("Closing in pairs (draft)") for label in labels), labels
    assert not any("Meeting Diet (draft)" in label for label in labels)


def test_the_guide_offers_the_draft_file_for_download(drafted: str) -> None:
    state = GuideState(stage=Stage.PLAN, situation="Volunteers burn out.")
    state.draft = DraftAnswers(asking=True, slug="closing-in-pairs", path="x/closing-in-pairs.md", text=drafted)
    app = AppTest.from_function(_guide_script, default_timeout=120)
    app.session_state["guide_state"] = state
    app.run()
    assert not app.exception, app.exception
    buttons = app.get("download_button")
    assert buttons, "no download button"
    assert any("draft pattern" in str(b.proto.label) for b in buttons)
