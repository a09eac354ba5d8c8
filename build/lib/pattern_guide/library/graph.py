"""The relationship graph of a library: which patterns link to which, in either direction."""

from __future__ import annotations

from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern


def related(pattern: Pattern, library: Library) -> list[tuple[Pattern, str, bool, float]]:
    """Every loaded pattern linked to this one in either direction: (pattern, type, incoming, weight)."""
    seen: dict[str, tuple[Pattern, str, bool, float]] = {}
    for kind, refs in pattern.meta.relationships.by_type().items():
        for ref in refs:
            other = library.patterns.get(ref.slug)
            if other is not None and other.slug != pattern.slug and other.slug not in seen:
                seen[other.slug] = (other, kind, False, ref.weight or 0.0)
    for other in sorted(library.patterns.values(), key=lambda p: p.slug):
        if other.slug == pattern.slug or other.slug in seen:
            continue
        for kind, refs in other.meta.relationships.by_type().items():
            back = next((r for r in refs if r.slug == pattern.slug), None)
            if back is not None:
                seen[other.slug] = (other, kind, True, back.weight or 0.0)
                break
    return list(seen.values())
