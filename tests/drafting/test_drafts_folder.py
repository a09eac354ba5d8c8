"""The drafts folder: configured by PATTERN_GUIDE_DRAFTS, loaded as one more library once it exists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pattern_guide.assistant import build_engine
from pattern_guide.drafting.interview import DraftAnswers
from pattern_guide.drafting.store import save_draft
from pattern_guide.drafting.writer import write_draft
from pattern_guide.index.embedder import HashingEmbedder
from pattern_guide.settings import DEFAULT_DRAFTS, Settings


def test_where_drafts_go() -> None:
    assert Settings.from_env({}).drafts == DEFAULT_DRAFTS
    assert Settings.from_env({"PATTERN_GUIDE_DRAFTS": "/srv/drafts"}).drafts == Path("/srv/drafts")
    # Folders named on the command line stand alone, unless a drafts folder is set explicitly.
    assert Settings.from_env({}, libraries=[Path("x")]).drafts is None
    assert Settings.from_env({"PATTERN_GUIDE_DRAFTS": "/d"}, libraries=[Path("x")]).drafts == Path("/d")
    assert Settings().drafts is None


def test_a_missing_or_empty_folder_is_fine(tmp_path: Path, make_pattern: Callable[..., Path]) -> None:
    library = tmp_path / "patterns"
    make_pattern(library, "meeting-diet")
    missing = Settings(libraries=[library], drafts=tmp_path / "drafts")
    assert missing.catalogue == [library]
    (tmp_path / "drafts").mkdir()
    empty = Settings(libraries=[library], drafts=tmp_path / "drafts", index_dir=tmp_path / "index", embedder="hashing")
    assert empty.catalogue == [library, tmp_path / "drafts"]
    engine = build_engine(empty, HashingEmbedder())
    assert list(engine.library.patterns) == ["meeting-diet"] and engine.library.problems == []
    again = Settings(libraries=[library, tmp_path / "drafts"], drafts=tmp_path / "drafts")
    assert again.catalogue == [library, tmp_path / "drafts"]  # never loaded twice


def test_a_saved_draft_is_loaded_and_indexed_with_the_library(
    tmp_path: Path, make_pattern: Callable[..., Path]
) -> None:
    library, drafts = tmp_path / "patterns", tmp_path / "drafts"
    make_pattern(library, "meeting-diet")
    settings = Settings(libraries=[library], drafts=drafts, index_dir=tmp_path / "index", embedder="hashing")
    engine = build_engine(settings, HashingEmbedder())
    first = engine.index()
    answers = DraftAnswers(offered=["meeting-diet"], answers={"problem": "Our rota of food bank volunteers collapses."})
    made = write_draft(answers, "", set(engine.library.patterns))
    save_draft(drafts, made.slug, made.text)
    library_now, retriever = engine.reload()
    report = engine.last_index
    assert report is not None and report.patterns == 2 and report.deleted == 0
    assert 0 < report.embedded == report.chunks - first.chunks  # only the draft's chunks were embedded
    assert set(library_now.patterns) == {"meeting-diet", made.slug} and library_now.problems == []
    assert library_now.patterns[made.slug].meta.lifecycle.status == "draft"
    ranked, _, _ = retriever.rank("food bank volunteers rota collapses")
    assert ranked[0][0] == made.slug
