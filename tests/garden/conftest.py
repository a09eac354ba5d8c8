"""Fixtures for the garden: the starter library's vectors from the hashing index, and copies to write into."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pattern_guide.assistant import Engine
from pattern_guide.garden import PatternVectors, index_vectors
from tests.conftest import STARTER


@pytest.fixture(scope="session")
def starter_vectors(hashing_starter: Engine) -> PatternVectors:
    engine = hashing_starter
    return index_vectors(engine.vector_index, engine.settings.index_dir, sorted(engine.library.patterns))


@pytest.fixture
def starter_copy(tmp_path: Path) -> Path:
    """A copy of the starter library to write into (the working tree is never written)."""
    target = tmp_path / "starter"
    shutil.copytree(STARTER, target)
    return target
