"""The four contexts a pattern speaks to, and the lens that picks a step's paragraphs for one of them."""

from __future__ import annotations

from pattern_guide.errors import InputError

CONTEXTS: tuple[str, ...] = ("corporate", "government", "activist", "tech")


def normalise_context(name: str | None) -> str | None:
    """Accept a context name in any case, or a few synonyms; reject the rest."""
    if name is None:
        return None
    key = name.strip().lower()
    aliases = {
        "business": "corporate",
        "company": "corporate",
        "public": "government",
        "gov": "government",
        "movement": "activist",
        "nonprofit": "activist",
        "product": "tech",
        "technology": "tech",
    }
    key = aliases.get(key, key)
    if key not in CONTEXTS:
        raise InputError(f"Unknown context '{name}' — use one of: {', '.join(CONTEXTS)}")
    return key


# When a step has no paragraph for a context, the nearest world that has one.
_NEAREST: dict[str, tuple[str, ...]] = {
    "corporate": ("tech", "government", "activist"),
    "government": ("corporate", "activist", "tech"),
    "activist": ("government", "corporate", "tech"),
    "tech": ("corporate", "activist", "government"),
}


def lens(paragraphs_by_context: dict[str, list[str]], context: str | None) -> tuple[str | None, list[str]]:
    """The paragraphs for a context, or for the nearest context that has some.

    Returns the context actually used (None when the step has no per-context text).
    """
    if not paragraphs_by_context:
        return None, []
    order = (context, *_NEAREST.get(context, ())) if context else CONTEXTS
    for name in order:
        if name and paragraphs_by_context.get(name):
            return name, paragraphs_by_context[name]
    name, paras = next(iter(paragraphs_by_context.items()))
    return name, paras
