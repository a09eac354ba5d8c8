"""Saving a draft: one file per draft in the drafts folder, written atomically, checked before and after.

A draft is checked with the library's own parser before it is written (it must load with no
error and keep the eight sections), and a model's polish of its prose is accepted only when the
polished file keeps the same front matter, the same headings, steps and signs.
"""

from __future__ import annotations

import re
from pathlib import Path

from pattern_guide.drafting.writer import SECTION_HEADINGS
from pattern_guide.errors import PatternFileError
from pattern_guide.files import write_atomically
from pattern_guide.library.loader import parse_pattern, pattern_files
from pattern_guide.library.model import Pattern


def saved_slugs(folder: Path) -> set[str]:
    """The file names already in the drafts folder (a fresh slug avoids them, even if one does not load)."""
    return {p.stem for p in pattern_files(folder)} if folder.is_dir() else set()


def check_draft(text: str, name: str = "draft.md") -> Pattern:
    """The draft as the library loads it; PatternFileError when it would not load or lost a section."""
    pattern = parse_pattern(text, name)
    headings = [s.heading for s in pattern.sections]
    if headings != list(SECTION_HEADINGS):
        raise PatternFileError(name, 1, f"the draft's sections are {headings}, not the format's eight")
    if pattern.meta.lifecycle.status != "draft":
        raise PatternFileError(name, 1, "a draft must keep `lifecycle.status: draft`")
    return pattern


# The lines that make a draft's shape: rules, headings, the note, the conflict and the solution, each step,
# the vitality headings, and the notes that say what is missing. A polish keeps them all, in order.
_SKELETON = re.compile(
    r"^(?:---\s*$|#{1,6}\s|> \[!NOTE\]|> \*\*The core conflict is|> \*\*Therefore,|\*\*Step \d+:"
    r"|\*\*(?:Signs of life|Signs of decay|When to replant):\*\*\s*$|_Not written yet:)"
)


def skeleton(body: str) -> list[str]:
    """The structural lines of a draft's body, reduced to what must not change."""
    out = []
    for line in body.splitlines():
        if match := _SKELETON.match(line.strip()):
            kept = line.strip() if line.strip().startswith(("#", "_Not", "**Signs", "**When")) else match.group()
            out.append(kept)
    return out


def same_structure(original: str, polished: str) -> bool:
    """Whether a polished draft keeps the original's front matter, headings, steps and signs exactly."""
    try:
        before, after = check_draft(original), check_draft(polished)
    except PatternFileError:
        return False
    return (
        before.meta == after.meta
        and skeleton(front_matter(original)[1]) == skeleton(front_matter(polished)[1])
        and [s.heading for s in before.sections] == [s.heading for s in after.sections]
        and len(before.steps) == len(after.steps)
        and len(before.signs_of_life) == len(after.signs_of_life)
        and len(before.signs_of_decay) == len(after.signs_of_decay)
        and bool(before.tension) == bool(after.tension)
        and bool(before.solution) == bool(after.solution)
    )


def front_matter(text: str) -> tuple[str, str]:
    """A draft split into its front matter (with both fences) and its body."""
    head, sep, body = text.partition("\n---\n")
    return head + sep, body


def save_draft(folder: Path, slug: str, text: str) -> Path:
    """Write ``<folder>/<slug>.md`` atomically (a temporary file, then a rename); never over another draft."""
    check_draft(text, f"{folder / slug}.md")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{slug}.md"
    if target.exists():
        raise FileExistsError(f"{target} exists already")
    write_atomically(target, lambda out: out.write(text.encode("utf-8")), durable=True)
    return target
