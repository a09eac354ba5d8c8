"""`--write` changes only the graph_garden block: on copies of the seed and of the starter library."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pattern_guide.assistant import Engine
from pattern_guide.garden import PatternVectors, grow, index_vectors, replace_garden, write
from pattern_guide.library.loader import load_file, load_libraries
from pattern_guide.library.meta import GardenEntity, GraphGarden, InferredLink
from tests.conftest import COMMONS, SEED, needs_commons, needs_seed

TODAY = dt.date(2026, 12, 2)


def _outside(text: str) -> tuple[str, str]:
    """What comes before the graph_garden key and from the next top-level banner or key on."""
    start = text.index("\ngraph_garden:") + 1
    rest = text[start:].split("\n")
    for n, line in enumerate(rest[1:], start=1):
        if line and not line[0].isspace():
            end = start + len("\n".join(rest[:n])) + 1
            while text[end - 2] == "\n":  # blank lines before the next group stay with it
                end -= 1
            return text[:start], text[end:]
    raise AssertionError("no end of block")


def _check_only_the_block_changed(before: dict[Path, bytes], directory: Path) -> None:
    for path, old in before.items():
        new = path.read_bytes()
        old_text, new_text = old.decode("utf-8"), new.decode("utf-8")
        if "\ngraph_garden:" in old_text:
            assert _outside(old_text) == _outside(new_text), path.name
        else:
            close = old_text.index("\n---", 4) + 1
            assert new_text.startswith(old_text[:close]) and new_text.endswith(old_text[close:]), path.name


def test_write_on_the_starter_changes_only_the_garden_block(
    starter_copy: Path, starter_vectors: PatternVectors
) -> None:
    readme = (starter_copy / "README.md").read_bytes()
    before = {p: p.read_bytes() for p in starter_copy.glob("*.md") if p.name != "README.md"}
    library = load_libraries([starter_copy])
    garden = grow(library, starter_vectors, today=TODAY)
    assert write(library, garden) == len(library.patterns)
    _check_only_the_block_changed(before, starter_copy)
    assert (starter_copy / "README.md").read_bytes() == readme
    again = load_libraries([starter_copy])
    assert again.errors == [] and len(again.patterns) == len(library.patterns)
    for slug, pattern in again.patterns.items():
        assert pattern.meta.relationships == library.patterns[slug].meta.relationships
        assert pattern.meta.graph_garden.model_dump() == garden.blocks[slug].model_dump()
        old_sections = library.patterns[slug].sections
        assert [(s.heading, s.text) for s in pattern.sections] == [(s.heading, s.text) for s in old_sections]
    # A second run finds nothing to change and touches no file.
    after = {p: p.read_bytes() for p in starter_copy.glob("*.md")}
    assert write(again, grow(again, starter_vectors, today=TODAY)) == 0
    assert {p: p.read_bytes() for p in starter_copy.glob("*.md")} == after


@needs_seed
def test_write_on_the_seed_keeps_its_banners_relationships_and_body(
    starter_copy: Path, tmp_path: Path, hashing_engine_factory: Callable[[list[Path]], Engine]
) -> None:
    seed_dir = tmp_path / "seed"
    seed_dir.mkdir()
    seed = seed_dir / SEED.name
    shutil.copy(SEED, seed)
    (starter_copy / "distributed-leadership-in-complexity.md").unlink()  # the seed's own slug
    engine = hashing_engine_factory([seed_dir, starter_copy])
    engine.index()
    library = engine.library
    vectors = index_vectors(engine.vector_index, engine.settings.index_dir, sorted(library.patterns))
    garden = grow(library, vectors, today=TODAY)
    old = seed.read_bytes()
    write(library, garden)
    new_text = seed.read_text(encoding="utf-8")
    assert _outside(old.decode("utf-8")) == _outside(new_text)
    assert "# GROUP 6: GRAPH GARDEN (Machine-Written Graph)\n# ═" in new_text
    reread = load_file(seed)
    slug = reread.slug
    assert reread.meta.relationships == library.patterns[slug].meta.relationships
    assert reread.meta.graph_garden.model_dump() == garden.blocks[slug].model_dump()
    assert reread.meta.graph_garden.inferred_links and reread.meta.graph_garden.entities


def _block(**fields: object) -> GraphGarden:
    return GraphGarden(
        last_pruned="2026-12-02",
        entities=[GardenEntity(id="x", type="concept", label='A "quoted" label: yes', relevance=0.5)],
        inferred_links=[InferredLink(target="1984", type="enables", confidence=0.25, reason="Because: “#1” \\ ok.")],
        **fields,
    )


def test_a_file_without_the_block_gets_it_before_the_closing_fence(
    make_pattern: Callable[..., Path], tmp_path: Path
) -> None:
    path = make_pattern(tmp_path, "no-garden")
    text = path.read_text(encoding="utf-8")
    updated = replace_garden(text, _block())
    close = text.index("\n---\n", 4) + 1
    assert updated.startswith(text[:close]) and updated.endswith(text[close:])
    path.write_text(updated, encoding="utf-8")
    assert load_file(path).meta.graph_garden.model_dump() == _block().model_dump()


def test_line_endings_and_awkward_text_survive(make_pattern: Callable[..., Path], tmp_path: Path) -> None:
    path = make_pattern(tmp_path, "crlf")
    text = path.read_text(encoding="utf-8").replace("license:", "graph_garden:\n  last_pruned: null\nlicense:")
    crlf = text.replace("\n", "\r\n")
    updated = replace_garden(crlf, _block())
    assert "\n" not in updated.replace("\r\n", "")
    assert updated.split("graph_garden:")[0] == crlf.split("graph_garden:")[0]
    assert updated.split("license:")[1] == crlf.split("license:")[1]
    path.write_bytes(updated.encode("utf-8"))
    assert load_file(path).meta.graph_garden.model_dump() == _block().model_dump()
    assert replace_garden(updated, _block()) == updated, "writing twice changes nothing"


def test_a_file_without_front_matter_is_refused(tmp_path: Path) -> None:
    from pattern_guide.errors import PatternFileError

    with pytest.raises(PatternFileError, match="no front matter"):
        replace_garden("just text\n", _block())


@pytest.mark.slow
@needs_commons
def test_write_on_three_hundred_commons_files_of_both_generations(
    tmp_path: Path, hashing_engine_factory: Callable[[list[Path]], Engine]
) -> None:
    files = sorted(COMMONS.glob("*.md"))[::12][:300]
    target = tmp_path / "commons"
    target.mkdir()
    for path in files:
        shutil.copy(path, target / path.name)
    before = {p: p.read_bytes() for p in target.glob("*.md")}
    engine = hashing_engine_factory([target])
    engine.index()
    library = engine.library
    assert {p.generation for p in library.patterns.values()} == {"v7", "legacy"}
    vectors = index_vectors(engine.vector_index, engine.settings.index_dir, sorted(library.patterns))
    garden = grow(library, vectors, today=TODAY)
    write(library, garden)
    _check_only_the_block_changed(
        {p: b for p, b in before.items() if Path(p).stem in {Path(x.path).stem for x in library.patterns.values()}},
        target,
    )
    again = load_libraries([target])
    assert len(again.errors) == len(library.errors)
    for slug, pattern in again.patterns.items():
        assert pattern.meta.relationships == library.patterns[slug].meta.relationships
        assert pattern.meta.graph_garden.model_dump() == garden.blocks[slug].model_dump()
