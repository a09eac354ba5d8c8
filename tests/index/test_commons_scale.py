"""The index at real scale: a few hundred Commons files, both format generations, incremental and resumed runs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import frontmatter
import pytest

from pattern_guide.assistant import Engine, build_engine
from pattern_guide.index.embedder import HashingEmbedder
from pattern_guide.index.lexical import load_lexical
from pattern_guide.library.parser import section_role
from pattern_guide.settings import Settings
from tests.conftest import COMMONS, RememberingEmbedder, needs_commons
from tests.index.test_index import FlakyEmbedder

pytestmark = [pytest.mark.slow, needs_commons]

EVERY = 14  # every 14th Commons file: 259 of 3,616
SITUATION_ROLES = {"context", "problem"}
ADDED = "A rarely seen zyxquorbic tangle makes the problem harder still."
_PROBLEM_HEADING = re.compile(r"^#{2,3} Section \d+: Problem\s*$")
_ANY_HEADING = re.compile(r"^#{2,3} ")


def _generation(path: Path) -> str:
    """ "v7": summary, context_labels and ontology in the front matter, "Section N: Problem" headings;
    "classic": a classification block and "N. Overview" / "N. Core Principles" headings."""
    keys = set(frontmatter.load(path).metadata)
    if "ontology" in keys:
        return "v7"
    if "classification" in keys:
        return "classic"
    return "other"


@pytest.fixture(scope="module")
def commons_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fixed selection of Commons files, copied once into a temporary folder (never into the repository)."""
    files = [p for p in sorted(COMMONS.glob("*.md")) if p.name != "README.md"][::EVERY]
    folder = tmp_path_factory.mktemp("commons-sample")
    for path in files:
        shutil.copyfile(path, folder / path.name)
    return folder


def _copy(sample: Path, dest: Path) -> Path:
    shutil.copytree(sample, dest)
    return dest


def _is_situation(chunk_id: str, section: str) -> bool:
    return chunk_id.split("#")[1] == "summary" or section_role(section) in SITUATION_ROLES


def _append_to_problem(path: Path, sentence: str) -> None:
    """Add a paragraph at the end of the file's "Section N: Problem" (before any closing rule)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if _PROBLEM_HEADING.match(line))
    end = next((n for n in range(start + 1, len(lines)) if _ANY_HEADING.match(lines[n])), len(lines))
    while end - 1 > start and lines[end - 1].strip() in ("", "---"):
        end -= 1
    lines.insert(end, f"\n{sentence}\n")
    path.write_text("".join(lines), encoding="utf-8")


def test_sample_holds_both_format_generations(commons_sample: Path) -> None:
    files = sorted(commons_sample.glob("*.md"))
    generations = [_generation(p) for p in files]
    assert 200 <= len(files) <= 300
    assert generations.count("v7") >= 50 and generations.count("classic") >= 50
    v7 = next(p for p, g in zip(files, generations, strict=True) if g == "v7")
    classic = next(p for p, g in zip(files, generations, strict=True) if g == "classic")
    assert re.search(r"^#{2,3} Section \d+: Problem", v7.read_text(encoding="utf-8"), re.M)
    assert re.search(r"^#{2,3} \d+\. (Overview|Core Principles)", classic.read_text(encoding="utf-8"), re.M)


def test_commons_index_is_incremental_with_the_real_model(
    commons_sample: Path, tmp_path: Path, shared_minilm: RememberingEmbedder
) -> None:
    library = _copy(commons_sample, tmp_path / "lib")
    index_dir = tmp_path / "index"

    def engine() -> Engine:
        # A fresh engine each run, as each `pattern-guide index` is: the library is read from the files again.
        settings = Settings(libraries=[library], index_dir=index_dir, embed_sections="situation")
        return build_engine(settings, shared_minilm)

    # -- the first index: every pattern in BM25, only the situation chunks as vectors
    first_engine = engine()
    first = first_engine.index()
    files = sorted(library.glob("*.md"))
    loaded = first_engine.library
    assert not loaded.errors, loaded.errors[:5]
    assert first.patterns == len(loaded.patterns) == len(files)
    refs = load_lexical(index_dir).refs
    assert len(refs) == first.chunks
    assert {r.slug for r in refs} == set(loaded.patterns)  # every loaded pattern has chunks in BM25
    stored = first_engine.vector_index.stored_hashes()
    assert len(stored) == first_engine.vector_index.count() == first.embedded
    assert set(stored) == {r.id for r in refs if _is_situation(r.id, r.section)}
    assert first.patterns < first.embedded < first.chunks / 2 and first.deleted == 0

    # -- nothing changed: nothing embedded, nothing deleted
    again = engine().index()
    assert (again.embedded, again.deleted, again.chunks) == (0, 0, first.chunks)

    # -- one v7 file's Problem grows by a sentence: only that pattern's problem chunks are embedded again
    changed = next(p for p in files if _generation(p) == "v7" and "\n### Section 2: Problem" in p.read_text())
    slug = str(frontmatter.load(changed).metadata["slug"])
    assert loaded.patterns[slug].section("problem") is not None
    _append_to_problem(changed, ADDED)
    edit_engine = engine()
    edited = edit_engine.index()
    after = edit_engine.vector_index.stored_hashes()
    touched = {cid for cid, digest in after.items() if stored.get(cid) != digest}
    situation = [r.id for r in load_lexical(index_dir).refs if r.slug == slug and _is_situation(r.id, r.section)]
    assert 1 <= edited.embedded <= len(situation)
    assert edited.embedded == len(touched) and edited.deleted == 0
    assert touched and all(cid.startswith(f"{slug}#problem#") for cid in touched)
    assert set(after) >= set(stored)  # nothing else was dropped
    lexical = load_lexical(index_dir)
    top = lexical.query("zyxquorbic tangle", 3)
    assert top and top[0][0].startswith(f"{slug}#problem#")  # BM25 has the new text
    assert ADDED in lexical.by_id[top[0][0]].text

    # -- one classic file is deleted: exactly its vectors and its BM25 chunks go
    gone_path = next(p for p in files if _generation(p) == "classic")
    gone = str(frontmatter.load(gone_path).metadata["slug"])
    overview = edit_engine.library.patterns[gone].section("context")
    assert overview is not None
    query = f"{edit_engine.library.patterns[gone].title}: {overview.text[:300]}"
    assert gone in [m.slug for m in edit_engine.match(query, top=3).matches]  # the query finds it while it exists
    assert any(cid.startswith(f"{gone}#") for cid, _ in edit_engine.vector_index.query(query, 10))
    gone_vectors = [cid for cid in after if cid.startswith(f"{gone}#")]
    assert gone_vectors
    gone_path.unlink()
    final_engine = engine()
    final = final_engine.index()
    assert (final.patterns, final.embedded, final.deleted) == (first.patterns - 1, 0, len(gone_vectors))
    assert final_engine.vector_index.count() == len(after) - len(gone_vectors)
    assert not any(cid.startswith(f"{gone}#") for cid in final_engine.vector_index.stored_hashes())
    final_refs = load_lexical(index_dir).refs
    assert gone not in {r.slug for r in final_refs}
    assert len(final_refs) == final.chunks
    assert not any(cid.startswith(f"{gone}#") for cid, _ in final_engine.vector_index.query(query, 50))
    result = final_engine.match(query, top=5)
    assert result.matches and gone not in [m.slug for m in result.matches]


def test_interrupted_commons_index_resumes(
    commons_sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch, batches = 64, 5
    monkeypatch.setattr("pattern_guide.index.vectors.WRITE_BATCH", batch)
    index_dir = tmp_path / "index"
    settings = Settings(libraries=[commons_sample], index_dir=index_dir, embedder="hashing", embed_sections="all")

    flaky = FlakyEmbedder(calls_before_failure=batches)
    engine = build_engine(settings, flaky)
    with pytest.raises(KeyboardInterrupt):
        engine.index()
    partial = engine.vector_index.stored_hashes()
    assert len(partial) == engine.vector_index.count() == flaky.embedded == batches * batch
    assert not (index_dir / "manifest.json").exists()  # a half-built index is not served

    resumed = build_engine(settings, HashingEmbedder())
    report = resumed.index()
    total = report.chunks
    assert total > 20 * batch  # "all" embeds every chunk: thousands at this scale
    assert report.deleted == 0 and report.embedded == total - batches * batch
    assert resumed.vector_index.count() == total
    refs = [r.id for r in load_lexical(index_dir).refs]
    assert len(refs) == total
    # The batches the interrupted run wrote are the first ones in library order, and were kept as they were.
    assert set(partial) == set(refs[: batches * batch])
    stored = resumed.vector_index.stored_hashes()
    assert set(stored) == set(refs)
    assert all(stored[cid] == digest for cid, digest in partial.items())
    assert resumed.index().embedded == 0  # the resumed index is complete and its hashes match the chunks
