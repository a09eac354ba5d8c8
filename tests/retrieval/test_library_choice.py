"""A person who chose one of the configured libraries is matched in that library only."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from pattern_guide.assistant import Engine
from pattern_guide.settings import DEFAULT_DRAFTS, DEFAULT_LIBRARY, library_label

BURNOUT = "Our volunteers are exhausted and the same few people carry every evening shift."


def _split_starter(tmp_path: Path) -> tuple[Path, Path]:
    files = sorted(DEFAULT_LIBRARY.glob("*.md"))
    first, second = tmp_path / "first" / "patterns", tmp_path / "second-shelf"
    for folder, part in ((first, files[::2]), (second, files[1::2])):
        folder.mkdir(parents=True)
        for path in part:
            shutil.copy(path, folder / path.name)
    return first, second


def test_matches_come_only_from_the_chosen_library(
    tmp_path: Path, hashing_engine_factory: Callable[[list[Path]], Engine]
) -> None:
    first, second = _split_starter(tmp_path)
    engine = hashing_engine_factory([first, second])
    engine.index()
    guide = engine.guide()
    counts = guide.libraries()
    assert list(counts) == [str(first), str(second)]
    assert sum(counts.values()) == len(engine.library.patterns) == 41 and min(counts.values()) >= 20
    everywhere = engine.retriever.match(BURNOUT, top=9)
    assert {engine.library.patterns[m.slug].library for m in everywhere.matches} == {str(first), str(second)}
    for folder in (first, second):
        only = engine.retriever.match(BURNOUT, top=9, library=str(folder))
        assert len(only.matches) == 9
        assert {engine.library.patterns[m.slug].library for m in only.matches} == {str(folder)}
        state = guide.start()
        state.library = str(folder)
        state, _ = guide.handle(state, BURNOUT)
        assert state.candidates
        assert all(engine.library.patterns[c.slug].library == str(folder) for c in state.candidates)


def test_a_library_no_longer_configured_matches_everywhere(
    tmp_path: Path, hashing_engine_factory: Callable[[list[Path]], Engine]
) -> None:
    first, second = _split_starter(tmp_path)
    engine = hashing_engine_factory([first, second])
    engine.index()
    guide = engine.guide()
    state = guide.start()
    state.library = str(tmp_path / "gone")  # saved before the server's libraries changed
    state, _ = guide.handle(state, BURNOUT)
    assert {engine.library.patterns[c.slug].library for c in state.candidates} == {str(first), str(second)}


def test_libraries_have_names_a_person_reads() -> None:
    assert library_label(DEFAULT_LIBRARY) == "Starter library"
    assert library_label(DEFAULT_DRAFTS) == "Your drafts"
    assert library_label("/work/shared/commons-library/patterns") == "Commons library"
    assert library_label("/srv/team_playbook") == "Team playbook"
