"""The parsed-library cache: a second load equals the first, and only changed bytes are parsed again."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from pattern_guide.library import loader
from pattern_guide.library.loader import Library, load_libraries
from tests.conftest import COMMONS, needs_commons

DATED = (
    "---\nslug: dated\ntitle: Dated\nsummary: Has dates.\ncreated: 2024-01-01\nseen: {2024-02-02: yes}\n---\nBody.\n"
)
BROKEN = "---\nslug: broken\ntitle: Broken\nsummary: [unclosed\nlicense: x\n---\nbody\n"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files actually parsed (not taken from the cache), in order."""
    seen: list[str] = []
    real = loader.parse_pattern

    def counting(text: str, name: str, library: str = "") -> loader.Pattern:
        seen.append(Path(name).name)
        return real(text, name, library)

    monkeypatch.setattr(loader, "parse_pattern", counting)
    return seen


@pytest.fixture
def library_dir(tmp_path: Path, make_pattern: Callable[..., Path]) -> Path:
    """Good files, one with raw HTML, one with dates, one dangling reference, one broken file."""
    folder = tmp_path / "lib"
    make_pattern(folder, "alpha")
    make_pattern(folder, "beta", requires="alpha", problem="Things go <div>wrong</div>.")
    make_pattern(folder, "gamma", requires="nowhere-at-all")
    (folder / "dated.md").write_text(DATED, encoding="utf-8")
    (folder / "broken.md").write_text(BROKEN, encoding="utf-8")
    return folder


def problems(library: Library) -> list[tuple[str, int, str, str]]:
    return [(Path(p.file).name, p.line, p.severity, p.message) for p in library.problems]


def test_second_load_equals_the_first_without_parsing(library_dir: Path, tmp_path: Path, parses: list[str]) -> None:
    cache = tmp_path / "cache"
    first = load_libraries([library_dir], cache_dir=cache)
    assert len(parses) == 5 and list(cache.glob("*.json"))
    parses.clear()
    second = load_libraries([library_dir], cache_dir=cache)
    assert parses == []
    assert second == first == load_libraries([library_dir])
    kinds = {(name, severity) for name, _, severity, _ in problems(second)}
    assert {("broken.md", "error"), ("beta.md", "warning"), ("gamma.md", "warning")} <= kinds
    assert any("raw HTML" in p.message for p in second.warnings)  # a hygiene warning of a cached file
    assert second.patterns["dated"].meta.model_extra == first.patterns["dated"].meta.model_extra


def test_a_changed_file_is_parsed_again(
    library_dir: Path, tmp_path: Path, make_pattern: Callable[..., Path], parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    load_libraries([library_dir], cache_dir=cache)
    make_pattern(library_dir, "alpha", summary="A new summary.")
    parses.clear()
    again = load_libraries([library_dir], cache_dir=cache)
    assert parses == ["alpha.md"]
    assert again.patterns["alpha"].meta.summary == "A new summary."
    assert again == load_libraries([library_dir])


def test_a_file_broken_after_caching_is_reported_at_its_line(
    library_dir: Path, tmp_path: Path, parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    load_libraries([library_dir], cache_dir=cache)
    (library_dir / "alpha.md").write_text(BROKEN.replace("broken", "alpha"), encoding="utf-8")
    cached = load_libraries([library_dir], cache_dir=cache)
    assert cached == load_libraries([library_dir])
    assert "alpha" not in cached.patterns
    errors = {(Path(p.file).name, p.line) for p in cached.errors}
    assert errors == {("alpha.md", 5), ("broken.md", 5)}  # where YAML notices the unclosed list
    parses.clear()
    assert load_libraries([library_dir], cache_dir=cache) == cached and parses == []  # errors come from the cache


def test_cross_file_checks_run_on_every_load(
    library_dir: Path, tmp_path: Path, make_pattern: Callable[..., Path], parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    load_libraries([library_dir], cache_dir=cache)
    make_pattern(library_dir, "nowhere-at-all")  # gamma's reference now resolves
    other = make_pattern(tmp_path / "other", "alpha")  # a duplicate slug in a second library
    parses.clear()
    loaded = load_libraries([library_dir, other.parent], cache_dir=cache)
    assert sorted(parses) == ["alpha.md", "nowhere-at-all.md"]
    assert not any("nowhere-at-all" in p.message for p in loaded.warnings)
    assert any("duplicate slug 'alpha'" in p.message for p in loaded.errors)
    assert loaded == load_libraries([library_dir, other.parent])


@pytest.mark.parametrize(
    "damage",
    [
        b"{not json",
        b"",
        b"[1, 2, 3]",
        b"\xff\xfe garbage",
    ],
)
def test_a_corrupt_cache_file_is_ignored(library_dir: Path, tmp_path: Path, damage: bytes, parses: list[str]) -> None:
    cache = tmp_path / "cache"
    first = load_libraries([library_dir], cache_dir=cache)
    for file in cache.glob("*.json"):
        file.write_bytes(damage)
    parses.clear()
    assert load_libraries([library_dir], cache_dir=cache) == first
    assert len(parses) == 5
    assert load_libraries([library_dir], cache_dir=cache) == first  # and it was rewritten whole


def test_damaged_entries_and_foreign_signatures_are_parsed_afresh(
    library_dir: Path, tmp_path: Path, parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    first = load_libraries([library_dir], cache_dir=cache)
    (file,) = cache.glob("*.json")
    data = json.loads(file.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        if "rest" in entry:
            entry["rest"]["sections"] = "not a list"
            break
    file.write_text(json.dumps(data), encoding="utf-8")
    parses.clear()
    assert load_libraries([library_dir], cache_dir=cache) == first
    assert len(parses) == 1
    parses.clear()
    assert load_libraries([library_dir], cache_dir=cache) == first
    assert parses == []  # the damaged entry was written anew
    data["signature"] = "from another version"
    file.write_text(json.dumps(data), encoding="utf-8")
    parses.clear()
    assert load_libraries([library_dir], cache_dir=cache) == first
    assert len(parses) == 5


def test_an_unwritable_cache_is_tolerated(library_dir: Path, tmp_path: Path, parses: list[str]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    plain = load_libraries([library_dir])
    assert load_libraries([library_dir], cache_dir=blocker / "library-cache") == plain
    assert load_libraries([library_dir], cache_dir=blocker) == plain
    assert blocker.read_text(encoding="utf-8").startswith("a file")


def test_paths_follow_how_the_folder_was_named(
    library_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    load_libraries([library_dir], cache_dir=cache)
    monkeypatch.chdir(library_dir.parent)
    parses.clear()
    relative = load_libraries([Path("lib")], cache_dir=cache)
    assert parses == []
    assert relative == load_libraries([Path("lib")])
    assert relative.patterns["alpha"].path == str(Path("lib") / "alpha.md")


@needs_commons
def test_cached_commons_load_equals_the_uncached_one(tmp_path: Path) -> None:
    plain = load_libraries([COMMONS])
    assert load_libraries([COMMONS], cache_dir=tmp_path) == plain
    assert load_libraries([COMMONS], cache_dir=tmp_path) == plain


def test_values_orjson_cannot_carry_still_load_as_written(tmp_path: Path, parses: list[str]) -> None:
    """An integer beyond 64 bits is never cached (orjson would read it back as a float); a NaN is read by json."""
    folder = tmp_path / "lib"
    folder.mkdir()
    big = "---\nslug: big\ntitle: Big\nsummary: A big number.\nserial: 123456789012345678901234567890\n---\nBody.\n"
    nan = "---\nslug: nan\ntitle: Nan\nsummary: Not a number.\nratio: .nan\n---\nBody.\n"
    (folder / "big.md").write_text(big, encoding="utf-8")
    (folder / "nan.md").write_text(nan, encoding="utf-8")
    cache = tmp_path / "cache"
    load_libraries([folder], cache_dir=cache)
    parses.clear()
    second = load_libraries([folder], cache_dir=cache)
    assert parses == ["big.md"]  # parsed again each load; the NaN one came from the cache
    extra = second.patterns["big"].meta.model_extra or {}
    assert extra["serial"] == 123456789012345678901234567890 and isinstance(extra["serial"], int)
    ratio = (second.patterns["nan"].meta.model_extra or {})["ratio"]
    assert ratio != ratio  # NaN
