"""Load and validate pattern libraries: files in, patterns and a list of problems out.

A broken file never stops the rest: every problem is collected as ``file:line: message``
and the good patterns load.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from frontmatter.default_handlers import YAMLHandler
from pydantic import BaseModel, Field, ValidationError

from pattern_guide.errors import LibraryError, PatternFileError, UnknownPatternError
from pattern_guide.library import hygiene
from pattern_guide.library.cache import LibraryCache, Parsed
from pattern_guide.library.meta import FrontMatter
from pattern_guide.library.model import Pattern
from pattern_guide.library.parser import (
    parse_steps,
    solution_sentence,
    split_sections,
    tension_from_problem,
    vitality_parts,
)
from pattern_guide.text import plain

MAX_FILE_BYTES = 2 * 1024 * 1024
PATTERN_SUFFIXES = (".md", ".markdown", ".txt")

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FENCE = YAMLHandler().FM_BOUNDARY


class Problem(BaseModel):
    """One thing wrong with one file."""

    file: str
    line: int
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class Library(BaseModel):
    """Every loaded pattern by slug, the files seen and the problems found."""

    patterns: dict[str, Pattern] = Field(default_factory=dict)
    files: int = 0
    problems: list[Problem] = Field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def get(self, slug: str) -> Pattern:
        """The pattern with this slug, or an error naming close matches."""
        if slug in self.patterns:
            return self.patterns[slug]
        near = [s for s in self.patterns if slug.lower() in s][:5]
        hint = f" Did you mean: {', '.join(near)}?" if near else " `pattern-guide validate` lists what loaded."
        raise UnknownPatternError(f"No pattern with slug '{slug}' in the loaded libraries.{hint}")


def _line_of_key(front: str, loc: Sequence[int | str]) -> int:
    """1-based line (within the front matter) of a pydantic error location.

    Walks the path: each key is looked for after the line of its parent, each list
    index counts the parent's items.
    """
    lines = front.splitlines()
    current = 0
    found = 1
    for part in loc:
        if isinstance(part, int):
            seen = -1
            indent: int | None = None
            for number in range(current + 1, len(lines)):
                stripped = lines[number].lstrip()
                if stripped.startswith("- "):
                    depth = len(lines[number]) - len(stripped)
                    indent = depth if indent is None else indent
                    if depth == indent:
                        seen += 1
                        if seen == part:
                            current, found = number, number + 1
                            break
            continue
        pattern = re.compile(rf"\s*-?\s*['\"]?{re.escape(part)}['\"]?\s*:")
        for number in range(current, len(lines)):
            if pattern.match(lines[number]):
                current, found = number, number + 1
                break
    return found


def _decode(raw: bytes, name: str) -> str:
    if not raw.strip():
        raise PatternFileError(name, 1, "the file is empty — write front matter between '---' lines and a body")
    if b"\x00" in raw[:8192]:
        raise PatternFileError(name, 1, "this is a binary file, not a pattern — remove it from the library folder")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PatternFileError(
            name, line, f"byte 0x{raw[exc.start]:02x} is not UTF-8 — re-save the file as UTF-8"
        ) from None


def parse_pattern(text: str, name: str, library: str = "") -> Pattern:
    """Parse one pattern file's text; raises PatternFileError with the line at fault."""
    stripped = text.lstrip("\ufeff")
    lead = len(stripped) - len(stripped.lstrip())
    first_line = stripped[:lead].count("\n") + 1
    stripped = stripped.lstrip()
    if not _FENCE.match(stripped.split("\n", 1)[0]):
        raise PatternFileError(
            name, first_line, "no front matter — the file must start with '---', YAML fields, then '---'"
        )
    match = re.match(r"---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|$)", stripped, re.DOTALL)
    if not match:
        raise PatternFileError(name, first_line, "front matter is not closed — add a line with '---' after the YAML")
    front = match.group(1) or ""
    body = stripped[match.end() :]
    body_line = first_line + stripped[: match.end()].count("\n")
    try:
        data = yaml.load(front, Loader=_Loader)  # noqa: S506 - CSafeLoader or SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + 1 + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PatternFileError(name, line, f"front matter is not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise PatternFileError(
            name, first_line + 1, "front matter must be YAML fields (key: value), not a list or text"
        )
    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        if err["type"] == "missing":
            line = first_line + 1 + (_line_of_key(front, err["loc"][:-1]) if len(err["loc"]) > 1 else 0)
            message = f"{loc} — required field is missing; add `{loc}:` to the front matter"
        else:
            line = first_line + _line_of_key(front, err["loc"])
            message = f"{loc} — {err['msg']}"
        raise PatternFileError(name, line, message) from None
    return build_pattern(meta, body, body_line, name, library)


def build_pattern(meta: FrontMatter, body: str, body_line: int, name: str, library: str = "") -> Pattern:
    """Derive sections, steps, tension, solution and vitality parts from the body."""
    preamble, sections = split_sections(body, body_line)
    pattern = Pattern(meta=meta, path=name, library=library, sections=sections)
    pattern.generation = "v7" if any(s.heading.lower().startswith("section") for s in sections) else "legacy"
    lines = [ln.strip() for ln in preamble.splitlines() if ln.strip() and not ln.startswith(">")]
    pattern.one_liner = plain(lines[0]) if lines else (meta.summary or "")
    pattern.tension = meta.ontology.search_hints.primary_tension or tension_from_problem(pattern.section("problem"))
    pattern.solution = solution_sentence(pattern.section("solution"))
    implementation = pattern.section("implementation")
    pattern.steps = parse_steps(implementation) if implementation else []
    life, decay, replant = vitality_parts(pattern.section("vitality"))
    pattern.signs_of_life, pattern.signs_of_decay, pattern.when_to_replant = life, decay, replant
    return pattern


def load_file(path: Path, library: str = "") -> Pattern:
    """Read and parse one file; every failure becomes a PatternFileError."""
    return parse_pattern(read_file(path), str(path), library)


def read_file(path: Path) -> str:
    """One pattern file's text; a file too big, unreadable, binary or not UTF-8 is a PatternFileError."""
    return _decode(_read_bytes(path), str(path))


def _read_bytes(path: Path) -> bytes:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PatternFileError(
                name,
                1,
                f"file is {size / 1_048_576:.1f} MB; a pattern must be under "
                f"{MAX_FILE_BYTES // 1_048_576} MB — split it",
            )
        return path.read_bytes()
    except OSError as exc:
        raise PatternFileError(name, 1, f"cannot read the file: {exc.strerror}") from None


def pattern_files(directory: Path) -> list[Path]:
    """Pattern files of a library folder, in a stable order (README files excluded)."""
    if not directory.is_dir():
        raise LibraryError(f"No pattern library at {directory} — create it or set PATTERN_GUIDE_LIBRARY")
    return sorted(
        p
        for p in directory.rglob("*")
        if p.is_file() and p.suffix.lower() in PATTERN_SUFFIXES and p.stem.upper() != "README"
    )


def external_slugs(libraries: Iterable[Path | str]) -> set[str]:
    """Slugs a library README declares as living outside it (an `external_slugs:` list)."""
    found: set[str] = set()
    for directory in map(Path, libraries):
        readme = directory / "README.md"
        if not readme.is_file():
            continue
        collecting = False
        for line in readme.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip().startswith("external_slugs:"):
                collecting = True
                continue
            if collecting:
                item = line.strip()
                if item.startswith("- "):
                    found.add(item[2:].strip().strip("`"))
                elif item:
                    collecting = False
    return found


def load_libraries(
    directories: Sequence[Path | str], external: Iterable[str] | None = None, cache_dir: Path | None = None
) -> Library:
    """Load every library; the first library (then the first file) wins a duplicate slug.

    Relationships may name the slugs the libraries' READMEs list as external (or ``external``).
    With ``cache_dir``, files whose bytes were parsed before are taken from the parsed-library
    cache there; cross-file checks (duplicates, dangling references) run on every load.
    """
    library = Library()
    origin: dict[str, str] = {}
    ref_lines: dict[str, dict[str, int]] = {}  # slug -> the line of each slug its relationships name
    for directory in map(Path, directories):
        files = pattern_files(directory)
        cache = LibraryCache(cache_dir, directory)
        for path in files:
            library.files += 1
            try:
                raw, parsed = _parse_cached(path, str(directory), cache)
            except PatternFileError as exc:
                library.problems.append(Problem(file=exc.file, line=exc.line, message=exc.message))
                continue
            pattern, findings = parsed.pattern, parsed.findings
            if pattern is None:
                line, message = parsed.error or (1, "")
                library.problems.append(Problem(file=str(path), line=line, message=message))
                continue
            slug = pattern.slug
            if slug in library.patterns:
                library.problems.append(
                    Problem(
                        file=str(path),
                        line=_slug_line(path),
                        message=f"duplicate slug '{slug}' — already loaded from {origin[slug]}, which wins; "
                        "rename one of them",
                    )
                )
                continue
            library.patterns[slug] = pattern
            origin[slug] = str(path)
            ref_lines[slug] = _ref_lines(raw, pattern)
            library.problems += [
                Problem(file=str(path), line=line, message=message, severity="warning") for line, message in findings
            ]
        cache.save()
    known_outside = external_slugs(directories) if external is None else set(external)
    library.problems.extend(_dangling(library, known_outside, ref_lines))
    return library


def _parse_cached(path: Path, directory: str, cache: LibraryCache) -> tuple[bytes, Parsed]:
    """One file's bytes, parsed and scanned or taken from the cache when they are the same; a file
    that cannot be read raises PatternFileError, one that cannot be parsed carries its error."""
    raw = _read_bytes(path)
    cached = cache.get(raw, str(path), directory)
    if cached is not None:
        return raw, cached
    try:
        text = _decode(raw, str(path))
        pattern = parse_pattern(text, str(path), directory)
    except PatternFileError as exc:
        parsed = Parsed(None, [], (exc.line, exc.message))
    else:
        parsed = Parsed(pattern, [(f.line, f.message) for f in hygiene.scan(text)])
    cache.put(raw, parsed)
    return raw, parsed


def _slug_line(path: Path) -> int:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if line.startswith("slug:"):
                return number
    except OSError:
        pass
    return 1


def _dangling(library: Library, external: set[str], ref_lines: dict[str, dict[str, int]]) -> list[Problem]:
    """Relationships to slugs that exist nowhere: warnings, since libraries grow unevenly."""
    problems: list[Problem] = []
    known = set(library.patterns) | external
    for pattern in library.patterns.values():
        for kind, refs in pattern.meta.relationships.by_type().items():
            for ref in refs:
                if ref.slug not in known:
                    problems.append(
                        Problem(
                            file=pattern.path,
                            line=ref_lines.get(pattern.slug, {}).get(ref.slug, 1),
                            message=f"relationships.{kind} names '{ref.slug}', which no loaded library has",
                            severity="warning",
                        )
                    )
    return problems


def _ref_lines(raw: bytes, pattern: Pattern) -> dict[str, int]:
    """The line where each slug the pattern's relationships name first appears, in the bytes read this load
    (so the file is reported as it is now, without reading it again: on the Commons library, 4,000 reads)."""
    lines: dict[str, int] = {}
    for refs in pattern.meta.relationships.by_type().values():
        for ref in refs:
            if ref.slug not in lines:
                index = raw.find(ref.slug.encode("utf-8"))
                lines[ref.slug] = raw.count(b"\n", 0, index) + 1 if index >= 0 else 1
    return lines
