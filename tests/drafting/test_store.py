"""Saving a draft: atomic, never over another file, loadable by `pattern-guide validate` with no errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pattern_guide.cli import main
from pattern_guide.drafting.interview import DraftAnswers
from pattern_guide.drafting.store import check_draft, front_matter, same_structure, save_draft, saved_slugs
from pattern_guide.drafting.writer import write_draft
from pattern_guide.errors import PatternFileError

ANSWERS = {
    "problem": "Decisions wait a month for the director.",
    "tension": "speed vs. inclusion",
    "solution": "name who decides what",
    "steps": "List the decisions\nName an owner for each",
    "life": "decisions land in a week",
    "decay": "everything goes back to the director",
}


def made(taken: set[str] | None = None) -> tuple[str, str]:
    file = write_draft(DraftAnswers(offered=["decision-rights"], answers=ANSWERS), "Decisions wait.", taken or set())
    return file.slug, file.text


def test_save_writes_one_file_and_validate_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "drafts"
    slug, text = made()
    path = save_draft(folder, slug, text)
    assert path == folder / f"{slug}.md" and path.read_text(encoding="utf-8") == text
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temporary file left behind
    assert saved_slugs(folder) == {slug}
    code = main(["validate", "--library", str(folder), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["errors"] == [] and report["loaded"] == 1
    # Alone, the link to the offered pattern points outside the folder: a warning, never an error.
    assert [w["message"] for w in report["warnings"]] == [
        "relationships.alternatives names 'decision-rights', which no loaded library has"
    ]


def test_save_never_overwrites(tmp_path: Path) -> None:
    slug, text = made()
    save_draft(tmp_path, slug, text)
    with pytest.raises(FileExistsError):
        save_draft(tmp_path, slug, text.replace("speed", "pace"))
    again, _ = made(saved_slugs(tmp_path))
    assert again == f"{slug}-2"


def test_a_broken_draft_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    slug, text = made()
    head, body = front_matter(text)
    with pytest.raises(PatternFileError, match="sections"):
        save_draft(tmp_path / "drafts", slug, head + body.replace("### Section 6: Known Uses", "### Stories"))
    assert not (tmp_path / "drafts").exists()
    with pytest.raises(PatternFileError):
        check_draft(text.replace("status: draft", "status: stable"))


def test_same_structure_accepts_prose_and_refuses_shape_changes() -> None:
    _, text = made()
    head, body = front_matter(text)
    assert same_structure(text, head + body.replace("Decisions wait a month", "Each decision waits a month"))
    assert not same_structure(text, head + body.replace("**Step 2: ", "**Step 2 "))  # a step lost
    assert not same_structure(text, head + body.replace("- decisions land in a week\n", ""))  # a sign lost
    assert not same_structure(text, head.replace("speed vs. inclusion", "speed vs. care") + body)
    assert not same_structure(text, head + body.replace("### Section 7: Cognitive Era", "### Section 7: AI"))
    assert not same_structure(text, head + "---\nslug: evil\n---\n" + body)  # a front matter of its own
    assert not same_structure(text, head + body.replace("_Not written yet: how AI", "_How AI"))  # a gap hidden
    assert not same_structure(text, "not a pattern at all")
