"""Section-aware chunks with stable ids and content hashes.

Each chunk fits the embedding model's 256-token window: long sections split at
paragraphs (then sentences, then words), and every chunk starts with the pattern
title and the section heading so it stands on its own.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from pydantic import BaseModel

from pattern_guide import text as toolkit
from pattern_guide.library.model import Pattern
from pattern_guide.library.parser import paragraphs, strip_section_number

TokenCounter = Callable[[list[str]], list[int]]
_KEY = re.compile(r"[^a-z0-9]+")


class Chunk(BaseModel):
    """One embeddable passage of one pattern."""

    id: str
    slug: str
    title: str
    section: str
    text: str
    hash: str
    # "summary", the section's role (context, problem, solution, ...) or "" when its heading names none.
    role: str = ""

    def metadata(self) -> dict[str, str]:
        """What is stored beside the vector."""
        return {"slug": self.slug, "title": self.title, "section": self.section, "hash": self.hash}


def section_key(heading: str) -> str:
    """A stable id part for a heading: "Section 4: Implementation" -> "implementation"."""
    name = strip_section_number(heading)
    return _KEY.sub("-", name.lower()).strip("-") or "section"


def _split_long(text: str, limit: int, count: TokenCounter) -> list[str]:
    """Split one over-long paragraph at sentences, then at words."""
    pieces = toolkit.sentences(text)
    out: list[str] = []
    for piece in pieces:
        if count([piece])[0] <= limit:
            out.append(piece)
            continue
        words = piece.split()
        step = max(8, len(words) // (count([piece])[0] // limit + 1))
        out.extend(" ".join(words[i : i + step]) for i in range(0, len(words), step))
    return out


def _pack(parts: list[str], sizes: list[int], limit: int) -> list[str]:
    """Greedily join consecutive parts while they fit the limit."""
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for part, size in zip(parts, sizes, strict=True):
        if current and used + size > limit:
            chunks.append("\n\n".join(current))
            current, used = [], 0
        current.append(part)
        used += size
    if current:
        chunks.append("\n\n".join(current))
    return chunks


def chunk_pattern(pattern: Pattern, count: TokenCounter, max_tokens: int = 256) -> list[Chunk]:
    """All chunks of one pattern: a summary chunk, then each section in order."""
    title = pattern.title
    meta = pattern.meta
    head_lines = [title]
    if pattern.tension:
        head_lines.append(f"Tension: {pattern.tension}")
    if meta.summary:
        head_lines.append(meta.summary.strip())
    if pattern.one_liner and pattern.one_liner != meta.summary:
        head_lines.append(pattern.one_liner)
    if meta.ontology.search_hints.vector_keywords:
        head_lines.append("Keywords: " + ", ".join(meta.ontology.search_hints.vector_keywords))
    labels = [v for v in meta.context_labels.values() if v and v != title]
    if labels:
        head_lines.append("Also known as: " + "; ".join(labels + meta.aliases))
    groups: list[tuple[str, str, str, list[str]]] = [("summary", "Summary", "summary", ["\n".join(head_lines)])]
    seen: dict[str, int] = {}
    for section in pattern.sections:
        key = section_key(section.heading)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}-{seen[key]}"
        paras = paragraphs(section.text)
        if paras:
            groups.append((key, section.heading, section.role or "", paras))

    # One tokenizer call per pattern for every paragraph and prefix.
    flat = [p for _, _, _, paras in groups for p in paras]
    prefixes = [f"{title} — {heading}" for _, heading, _, _ in groups]
    sizes = count(prefixes + flat)
    prefix_sizes, para_sizes = sizes[: len(prefixes)], sizes[len(prefixes) :]
    chunks: list[Chunk] = []
    offset = 0
    for (key, heading, role, paras), prefix, prefix_size in zip(groups, prefixes, prefix_sizes, strict=True):
        # Special tokens and the prefix come out of the window.
        limit = max(32, max_tokens - prefix_size - 2)
        parts: list[str] = []
        part_sizes: list[int] = []
        for para in paras:
            size = para_sizes[offset]
            offset += 1
            if size - 2 > limit:
                pieces = _split_long(para, limit, count)
                parts.extend(pieces)
                part_sizes.extend(s - 2 for s in count(pieces))
            else:
                parts.append(para)
                part_sizes.append(size - 2)
        for n, body in enumerate(_pack(parts, part_sizes, limit)):
            text = f"{prefix}\n{body}"
            digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()
            chunks.append(
                Chunk(
                    id=f"{pattern.slug}#{key}#{n}",
                    slug=pattern.slug,
                    title=title,
                    section=heading,
                    text=text,
                    hash=digest,
                    role=role,
                )
            )
    return chunks
