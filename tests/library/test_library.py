"""Bad input: every problem reported as file:line: message, the rest still loads."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from pattern_guide.cli import main
from pattern_guide.library.loader import load_libraries


def validate(capsys: pytest.CaptureFixture[str], *dirs: Path) -> tuple[int, dict]:  # type: ignore[type-arg]
    args = ["validate", "--json"]
    for d in dirs:
        args += ["--library", str(d)]
    code = main(args)
    return code, json.loads(capsys.readouterr().out)


def only_error(data: dict, name: str) -> dict:  # type: ignore[type-arg]
    found = [e for e in data["errors"] if Path(e["file"]).name == name]
    assert len(found) == 1, data["errors"]
    return found[0]


def test_valid_library_exits_zero(tmp_path: Path, make_pattern: Callable[..., Path], capsys) -> None:  # type: ignore[no-untyped-def]
    make_pattern(tmp_path, "alpha")
    make_pattern(tmp_path, "beta", requires="alpha")
    code, data = validate(capsys, tmp_path)
    assert code == 0
    assert data == {"files": 2, "loaded": 2, "errors": [], "warnings": []}


def test_malformed_yaml_names_the_line(tmp_path: Path, make_pattern: Callable[..., Path], capsys) -> None:  # type: ignore[no-untyped-def]
    make_pattern(tmp_path, "good")
    bad = tmp_path / "broken.md"
    bad.write_text("---\nslug: broken\ntitle: Broken\nsummary: [unclosed\nlicense: x\n---\nbody\n", encoding="utf-8")
    code, data = validate(capsys, tmp_path)
    assert code == 1
    assert data["loaded"] == 1
    error = only_error(data, "broken.md")
    assert error["line"] in (4, 5, 6)
    assert "not valid YAML" in error["message"]


def test_no_front_matter(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "plain.md").write_text("# Just a heading\n\nSome text.\n", encoding="utf-8")
    code, data = validate(capsys, tmp_path)
    assert code == 1
    error = only_error(data, "plain.md")
    assert error["line"] == 1 and "no front matter" in error["message"]


@pytest.mark.parametrize("missing", ["slug", "title"])
def test_missing_required_field(tmp_path: Path, make_pattern: Callable[..., Path], capsys, missing: str) -> None:  # type: ignore[no-untyped-def]
    path = make_pattern(tmp_path, "lacking")
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith(f"{missing}:")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    make_pattern(tmp_path, "fine")
    code, data = validate(capsys, tmp_path)
    assert code == 1 and data["loaded"] == 1
    error = only_error(data, "lacking.md")
    assert error["message"].startswith(f"{missing} — required field is missing")


def test_duplicate_slugs_across_files_and_libraries(tmp_path: Path, make_pattern: Callable[..., Path], capsys) -> None:  # type: ignore[no-untyped-def]
    first, second = tmp_path / "first", tmp_path / "second"
    make_pattern(first, "shared", title="From First")
    (first / "zz-copy.md").write_text((first / "shared.md").read_text(encoding="utf-8"), encoding="utf-8")
    make_pattern(second, "shared", title="From Second")
    code, data = validate(capsys, first, second)
    assert code == 1
    assert data["files"] == 3 and data["loaded"] == 1
    messages = [e for e in data["errors"] if "duplicate slug 'shared'" in e["message"]]
    assert len(messages) == 2
    assert all(str(first / "shared.md") in e["message"] and "wins" in e["message"] for e in messages)
    assert {Path(e["file"]).parent.name for e in messages} == {"first", "second"}
    assert all(e["line"] == 3 for e in messages)
    library = load_libraries([first, second])
    assert library.get("shared").title == "From First"


def test_non_utf8_bytes(tmp_path: Path, make_pattern: Callable[..., Path], capsys) -> None:  # type: ignore[no-untyped-def]
    path = make_pattern(tmp_path, "latin")
    raw = path.read_bytes().replace(b"Things go wrong.", b"Things go wr\xf6ng.")
    path.write_bytes(raw)
    code, data = validate(capsys, tmp_path)
    error = only_error(data, "latin.md")
    assert code == 1
    assert error["line"] == raw[: raw.index(b"\xf6")].count(b"\n") + 1
    assert "not UTF-8" in error["message"] and "0xf6" in error["message"]


def test_empty_binary_and_huge_files(tmp_path: Path, make_pattern: Callable[..., Path], capsys) -> None:  # type: ignore[no-untyped-def]
    make_pattern(tmp_path, "survivor")
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "image.md").write_bytes(bytes(range(256)) * 40)
    huge = tmp_path / "huge.md"
    huge.write_text("---\nslug: huge\ntitle: Huge\n---\n" + "word " * (5 * 1024 * 1024 // 5), encoding="utf-8")
    code, data = validate(capsys, tmp_path)
    assert code == 1
    assert data["loaded"] == 1
    assert "empty" in only_error(data, "empty.md")["message"]
    assert "binary" in only_error(data, "image.md")["message"]
    assert "MB" in only_error(data, "huge.md")["message"]


def test_dangling_relationship_is_a_warning(tmp_path: Path, make_pattern: Callable[..., Path], capsys) -> None:  # type: ignore[no-untyped-def]
    path = make_pattern(tmp_path, "lonely", requires="nowhere-to-be-found")
    code, data = validate(capsys, tmp_path)
    assert code == 0
    assert data["errors"] == []
    (warning,) = data["warnings"]
    assert warning["file"] == str(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "nowhere-to-be-found" in lines[warning["line"] - 1]
    assert "nowhere-to-be-found" in warning["message"]


def test_text_output_is_file_line_message(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "plain.md").write_text("no front matter here\n", encoding="utf-8")
    assert main(["validate", "--library", str(tmp_path)]) == 1
    out = capsys.readouterr().out.strip()
    assert (
        out == f"{tmp_path / 'plain.md'}:1: no front matter — the file must start with '---', YAML fields, then '---'"
    )


def test_missing_library_folder_is_a_clean_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["validate", "--library", str(tmp_path / "nope")]) == 2
    assert "No pattern library at" in capsys.readouterr().err


def test_bare_string_relationships_and_unknown_fields_are_kept(tmp_path: Path) -> None:
    text = (
        "---\nslug: odd\ntitle: Odd\nsector: health\nrelationships:\n  requires: other\n  enables:\n"
        "    - third\n    - slug: fourth\n      weight: 0.5\n  inspires: [fifth]\n---\nBody.\n"
    )
    (tmp_path / "odd.md").write_text(text, encoding="utf-8")
    pattern = load_libraries([tmp_path]).get("odd")
    rels = pattern.meta.relationships.by_type()
    assert [r.slug for r in rels["requires"]] == ["other"]
    assert [(r.slug, r.weight) for r in rels["enables"]] == [("third", None), ("fourth", 0.5)]
    assert [r.slug for r in rels["inspires"]] == ["fifth"]
    assert pattern.meta.model_extra == {"sector": "health"}
