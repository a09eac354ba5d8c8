"""Writing the garden into pattern files: only the ``graph_garden`` block of the front matter changes.

The block runs from the top-level ``graph_garden:`` line to the next top-level line (a key, a
comment banner) or the closing ``---``, trailing blank lines left where they were. A file without
the block gets it just before its closing ``---``. Every other byte — comments, key order, the
curated ``relationships``, the body, the line endings — stays as it was.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pattern_guide.errors import PatternFileError
from pattern_guide.library.meta import GraphGarden

_FENCE = re.compile(r"^---[ \t]*$")
_KEY = re.compile(r"^graph_garden[ \t]*:")


def _q(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(value, ensure_ascii=False)


def _number(value: float | None) -> str:
    return "null" if value is None else str(round(float(value), 2))


def garden_yaml(garden: GraphGarden, newline: str = "\n") -> str:
    """The block as YAML, in the seed's shape (entities, communities, inferred links)."""
    lines = ["graph_garden:", f"  last_pruned: {garden.last_pruned or 'null'}"]
    groups: list[tuple[str, list[list[tuple[str, str]]]]] = [
        (
            "entities",
            [
                [
                    ("id", _q(e.id or "")),
                    ("type", _q(e.type or "concept")),
                    ("label", _q(e.label or "")),
                    ("relevance", _number(e.relevance)),
                ]
                for e in garden.entities
            ],
        ),
        (
            "communities",
            [
                [
                    ("id", _q(c.id or "")),
                    ("label", _q(c.label or "")),
                    ("source", _q(c.source or "")),
                    ("confidence", _number(c.confidence)),
                ]
                for c in garden.communities
            ],
        ),
        (
            "inferred_links",
            [
                [
                    ("target", _q(link.target or "")),
                    ("type", _q(link.type or "")),
                    ("confidence", _number(link.confidence)),
                    ("reason", _q(link.reason or "")),
                ]
                for link in garden.inferred_links
            ],
        ),
    ]
    for name, items in groups:
        if not items:
            lines.append(f"  {name}: []")
            continue
        lines.append(f"  {name}:")
        for fields in items:
            for n, (key, value) in enumerate(fields):
                lines.append(f"    {'- ' if n == 0 else '  '}{key}: {value}")
    return newline.join(lines) + newline


def _front_lines(text: str, name: str) -> tuple[list[str], int, int]:
    """The file's lines (endings kept), the index of the opening and of the closing fence."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or not _FENCE.match(lines[start].lstrip("\ufeff").rstrip("\r\n")):
        raise PatternFileError(name, 1, "no front matter — the garden can only be written between '---' lines")
    for end in range(start + 1, len(lines)):
        if _FENCE.match(lines[end].rstrip("\r\n")):
            return lines, start, end
    raise PatternFileError(name, start + 1, "front matter is not closed — add a line with '---' after the YAML")


def replace_garden(text: str, garden: GraphGarden, name: str = "<text>") -> str:
    """The file's text with its graph_garden block replaced (or added); nothing else changes."""
    lines, start, end = _front_lines(text, name)
    newline = "\r\n" if lines[start].endswith("\r\n") else "\n"
    block = garden_yaml(garden, newline)
    at = next((i for i in range(start + 1, end) if _KEY.match(lines[i])), None)
    if at is None:
        return "".join(lines[:end]) + block + "".join(lines[end:])
    stop = at + 1
    while stop < end and (not lines[stop].strip() or lines[stop][0] in " \t"):
        stop += 1
    while stop > at + 1 and not lines[stop - 1].strip():
        stop -= 1  # blank lines after the block belong to what follows
    return "".join(lines[:at]) + block + "".join(lines[stop:])


def write_garden(path: Path, garden: GraphGarden) -> bool:
    """Rewrite one file's garden block; returns whether the file changed (an unchanged file is not touched)."""
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    updated = replace_garden(text, garden, str(path))
    if updated == text:
        return False
    path.write_bytes(updated.encode("utf-8"))
    return True
