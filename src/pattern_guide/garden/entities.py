"""The concepts a pattern names: its keywords, the two sides of its tension, the people and
frameworks its sources and body name — each typed (concept, practice, framework, person) and
weighted by where it comes from and how often the body returns to it.
"""

from __future__ import annotations

import re

from pattern_guide.library.meta import GardenEntity
from pattern_guide.library.model import Pattern
from pattern_guide.text import STOP_WORDS, plain

LIMIT = 10
_SLUG = re.compile(r"[^a-z0-9]+")
_PERSON = re.compile(
    r"^\s*([A-Z][a-z]+(?:\s+(?:[A-Z]\.\s*)+|\s+)(?:(?:van|de|von|der)\s+)?[A-Z][A-Za-z'’-]+)\s*(?:,|and\b)"
)
_FRAMEWORK_WORDS = r"(?:Theory|Framework|Model|Method|Methodology|Principles?|Cycle|Canvas|Protocol|Loop|Matrix|System)"
_FRAMEWORK = re.compile(rf"\b((?:[A-Z][A-Za-z'’-]+\s+){{1,3}}{_FRAMEWORK_WORDS})\b")
_NOT_A_NAME = ("tion", "ity", "ment", "ing", "ism", "ics", "al", "ance", "ence", "ness", "ship", "ogy", "ure")
_BOLD = re.compile(r"\*\*([A-Z][A-Za-z'’ -]{3,48}?)\*\*")
_ARTICLE = re.compile(r"^(?:The|A|An|This|That|Our|Each|Every|In|On|Of)\s+")


def entity_id(label: str) -> str:
    """A stable id for a label: lower-case words joined by hyphens."""
    return _SLUG.sub("-", label.lower()).strip("-")


def _kind(label: str) -> str:
    words = label.lower().split()
    last = words[-1] if words else ""
    return "practice" if last.endswith("ing") and last not in STOP_WORDS and len(words) > 1 else "concept"


def _person(source: str) -> str | None:
    """The author a source line starts with ("Elinor Ostrom, Governing the Commons"), if it looks like a name."""
    match = _PERSON.match(source)
    if not match:
        return None
    name = match.group(1)
    return None if any(w.lower().endswith(_NOT_A_NAME) for w in name.split()) else name


def _tension_sides(tension: str | None) -> list[str]:
    if not tension:
        return []
    parts = re.split(r"\s+(?:vs\.?|versus)\s+", tension.strip().rstrip("."), flags=re.I)
    return [p.strip(" .") for p in parts if p.strip(" .")] if len(parts) == 2 else []


def _label(text: str) -> str:
    words = text.split()
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)


def _useful(label: str) -> bool:
    words = [w for w in re.findall(r"[a-z]+", label.lower()) if w not in STOP_WORDS]
    return bool(words) and len(label) <= 60


def find_entities(pattern: Pattern, body: str | None = None, limit: int = LIMIT) -> list[GardenEntity]:
    """The pattern's entities, most relevant first (``body``: its plain body text, if already at hand)."""
    meta = pattern.meta
    body = plain(" ".join(s.text for s in pattern.sections)) if body is None else body
    lowered = body.lower()
    found: dict[str, GardenEntity] = {}

    def add(label: str, kind: str, base: float) -> None:
        label = _ARTICLE.sub("", " ".join(label.split()).strip(" .,:;\"'"))
        key = entity_id(label)
        if not key or not _useful(label) or key == entity_id(meta.title):
            return
        mentions = lowered.count(label.lower())
        relevance = round(min(0.99, base + 0.02 * min(mentions, 5)), 2)
        held = found.get(key)
        if held is None or (held.relevance or 0.0) < relevance:
            found[key] = GardenEntity(id=key, type=kind, label=_label(label), relevance=relevance)

    for n, keyword in enumerate(meta.ontology.search_hints.vector_keywords):
        add(keyword, _kind(keyword), 0.9 - 0.03 * n)
    for side in _tension_sides(pattern.tension):
        add(side, "concept", 0.85)
    for source in meta.sources:
        if isinstance(source, str) and (person := _person(source)):
            add(person, "person", 0.7)
    for match in _FRAMEWORK.finditer(body):
        add(match.group(1), "framework", 0.75)
    for section in pattern.sections:  # the terms a body sets in bold: how older files name their concepts
        for match in _BOLD.finditer(section.text):
            words = _ARTICLE.sub("", match.group(1).strip()).split()
            if 2 <= len(words) <= 4 and words[-1].lower() not in STOP_WORDS:
                add(" ".join(words), _kind(" ".join(words)), 0.6)
    ranked = sorted(found.values(), key=lambda e: (-(e.relevance or 0.0), e.id or ""))
    return ranked[:limit]
