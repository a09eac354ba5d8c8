"""Report word sequences shared between project files and a reference corpus.

Usage: python scripts/check_overlap.py [--n 10] PROJECT_FILE... [--ref DIR_OR_FILE]...

Exits 1 when any N-word sequence of a project file also appears in the reference
texts (default: ../shared/seeds and ../shared/commons-library/patterns).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    """Lower-case word tokens, punctuation and markup dropped."""
    return WORD.findall(text.lower())


PROSE_FIELDS = ("summary", "vitality_reasoning", "reason", "label")


def prose(text: str) -> str:
    """The text worth comparing: the body plus the prose fields of the front matter.

    YAML keys and scores are structure every pattern file shares, not wording.
    """
    if not text.startswith("---"):
        return text
    end = text.find("\n---", 3)
    if end < 0:
        return text
    head, body = text[3:end], text[end + 4 :]
    kept: list[str] = []
    keep_block = False
    for line in head.splitlines():
        stripped = line.strip()
        key = stripped.split(":", 1)[0].lstrip("- ")
        if ":" in stripped and re.fullmatch(r"[A-Za-z_]+", key):
            keep_block = key in PROSE_FIELDS
            if keep_block:
                kept.append(stripped.split(":", 1)[1])
        elif keep_block:
            kept.append(stripped)
    return "\n".join(kept) + "\n" + body


def wording(text: str) -> str:
    """Prose only: markdown headings ("### Section 2: Problem") are format, not wording."""
    return "\n".join(line for line in prose(text).splitlines() if not line.lstrip().startswith("#"))


def shingles(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    """All n-word sequences of a token list."""
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def reference_files(refs: list[Path]) -> list[Path]:
    """Expand directories into their files."""
    out: list[Path] = []
    for ref in refs:
        if ref.is_dir():
            out.extend(sorted(p for p in ref.iterdir() if p.is_file()))
        elif ref.is_file():
            out.append(ref)
    return out


def find_overlaps(project: list[Path], refs: list[Path], n: int) -> dict[Path, set[str]]:
    """Map each project file to the n-word sequences it shares with the references."""
    wanted: dict[tuple[str, ...], set[Path]] = {}
    for path in project:
        for sh in shingles(words(wording(path.read_text(encoding="utf-8", errors="replace"))), n):
            wanted.setdefault(sh, set()).add(path)
    hits: dict[Path, set[str]] = {}
    for ref in reference_files(refs):
        tokens = words(wording(ref.read_text(encoding="utf-8", errors="replace")))
        for i in range(len(tokens) - n + 1):
            owners = wanted.get(tuple(tokens[i : i + n]))
            if owners:
                for owner in owners:
                    hits.setdefault(owner, set()).add(" ".join(tokens[i : i + n]))
    return hits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--ref", action="append", type=Path)
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent
    refs = args.ref or [here.parent / "shared" / "seeds", here.parent / "shared" / "commons-library" / "patterns"]
    hits = find_overlaps(args.files, refs, args.n)
    for path, seqs in sorted(hits.items()):
        for seq in sorted(seqs):
            print(f"{path}: shares '{seq}'")
    print(f"{len(hits)} of {len(args.files)} file(s) share {args.n}-word sequences with the reference texts")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
