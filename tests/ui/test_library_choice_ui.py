"""The library in use is on the page, and a person chooses among the configured ones (AppTest)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pattern_guide.assistant import build_engine
from pattern_guide.index.embedder import HashingEmbedder
from pattern_guide.settings import DEFAULT_LIBRARY, Settings
from tests import conftest

BURNOUT = "Our volunteers are exhausted and the same few people carry every evening shift."


def _guide() -> None:
    from pattern_guide.ui import guide_page

    guide_page.render()


def _library() -> None:
    from pattern_guide.ui import library_page

    library_page.render()


@pytest.fixture
def two_libraries(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[Path, Path]:
    files = sorted(DEFAULT_LIBRARY.glob("*.md"))
    first, second = tmp_path / "team-playbook", tmp_path / "movement-notes"
    for folder, part in ((first, files[::2]), (second, files[1::2])):
        folder.mkdir()
        for path in part:
            shutil.copy(path, folder / path.name)
    index = tmp_path / "index"
    build_engine(Settings(libraries=[first, second], index_dir=index, embedder="hashing"), HashingEmbedder()).index()
    monkeypatch.setenv("PATTERN_GUIDE_LIBRARY", f"{first}:{second}")
    monkeypatch.setenv("PATTERN_GUIDE_INDEX", str(index))
    monkeypatch.setenv("PATTERN_GUIDE_EMBEDDER", "hashing")
    monkeypatch.setenv("PATTERN_GUIDE_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("PATTERN_GUIDE_DRAFTS", str(tmp_path / "drafts"))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    return first, second


def test_the_one_library_in_use_is_named(page_env: Path) -> None:
    app = conftest.open_page(_guide)
    assert any("Library: **Starter library** (41 patterns)" in c.value for c in app.sidebar.caption)
    assert not [s for s in app.sidebar.selectbox if s.label == "Library"]
    library = conftest.open_page(_library)
    assert library.caption[1].value == "Library in use: **Starter library** (41)"


def test_choosing_a_library_matches_in_it_only_and_survives_a_reload(two_libraries: tuple[Path, Path]) -> None:
    first, second = two_libraries
    app = conftest.open_page(_guide)
    choice = next(s for s in app.sidebar.selectbox if s.label == "Library")
    assert choice.value.startswith("All libraries (41 patterns)")
    assert [o.split(" (")[0] for o in choice.options] == ["All libraries", "Team playbook", "Movement notes"]
    choice.set_value(next(o for o in choice.options if o.startswith("Movement notes"))).run()
    assert not app.exception, app.exception
    app.chat_input[0].set_value(BURNOUT).run()
    assert not app.exception, app.exception
    state = app.session_state["guide_state"]
    assert state.library == str(second) and state.candidates
    own = {p.stem for p in second.glob("*.md")}
    assert {c.slug for c in state.candidates} <= own
    # The choice is part of the saved conversation: the same link in a new browser keeps it.
    again = conftest.open_page(_guide, c=state.id)
    assert again.session_state["guide_state"].library == str(second)
    kept = next(s for s in again.sidebar.selectbox if s.label == "Library")
    assert kept.value.startswith("Movement notes")
    page = conftest.open_page(_library)
    assert page.caption[1].value == "Libraries in use: **Team playbook** (20) · **Movement notes** (21)"
