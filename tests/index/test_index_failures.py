"""An index deleted or damaged under a running app is a message a person can act on, never chromadb's trace."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pattern_guide.assistant import Engine
from pattern_guide.errors import PatternGuideError
from tests.conftest import STARTER


@pytest.mark.parametrize("damage", ["deleted", "garbled"])
def test_an_index_damaged_under_the_engine_gives_a_message(
    hashing_engine_factory: Callable[[list[Path]], Engine], damage: str
) -> None:
    engine = hashing_engine_factory([STARTER])
    engine.index()
    assert engine.retriever.match("meetings eat our week", top=3).matches  # serving
    chroma = engine.settings.index_dir / "chroma"
    if damage == "deleted":
        shutil.rmtree(chroma)
    else:
        for path in chroma.rglob("*"):
            if path.is_file():
                path.write_bytes(b"\x00garbage" * 64)
    if damage == "deleted":  # the open database file outlives its name: the engine goes on answering
        assert engine.retriever.match("volunteers burning out after every campaign", top=3).matches
        return
    with pytest.raises(PatternGuideError) as caught:
        engine.retriever.match("volunteers burning out after every campaign", top=3)
    assert "pattern-guide index" in str(caught.value) and "chromadb" not in str(caught.value)
