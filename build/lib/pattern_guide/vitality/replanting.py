"""Replanting: for the weakest signs, the pattern's own advice and the related patterns that address them.

Pure functions: the same reading and library always give the same suggestions.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from pattern_guide import text
from pattern_guide.library.graph import related
from pattern_guide.library.loader import Library
from pattern_guide.library.meta import RELATIONSHIP_TYPES
from pattern_guide.library.model import Pattern
from pattern_guide.vitality.reading import VitalityReading
from pattern_guide.vitality.signs import Answer


class Remedy(BaseModel):
    """A related pattern that speaks to a weak sign, and the words they share."""

    slug: str
    title: str
    relationship: str  # the relationship type, e.g. "complementary"
    incoming: bool = False  # True when the other pattern names this one, not the other way round
    why: list[str] = Field(default_factory=list)  # the sign's words the related pattern also uses


class Suggestion(BaseModel):
    """What to do about one weak sign: the pattern's own replanting advice and related patterns."""

    sign: str
    kind: str
    answer: Answer | None = None
    advice: list[str] = Field(default_factory=list)
    patterns: list[Remedy] = Field(default_factory=list)


def _profile(pattern: Pattern) -> set[str]:
    parts = [pattern.title, pattern.meta.summary or pattern.one_liner, pattern.tension or "", *pattern.signs_of_life]
    return set(text.terms(" ".join(parts)))


def _advice(sign: dict[str, str], replant: str) -> list[str]:
    """The replanting sentences that share words with the sign, best first; all of them if none do."""
    sentences = text.sentences(replant)
    scored = [(len(sign.keys() & text.terms(s).keys()), i, s) for i, s in enumerate(sentences)]
    best = [s for n, _, s in sorted(scored, key=lambda t: (-t[0], t[1])) if n > 0][:2]
    return best or ([replant.strip()] if replant.strip() else [])


def replanting(pattern: Pattern, reading: VitalityReading, library: Library, per_sign: int = 2) -> list[Suggestion]:
    """For each of the weakest signs, the replanting advice and the related patterns that best address it."""
    if per_sign < 0:
        raise ValueError("per_sign must be 0 or more")
    candidates = [
        (other, kind, incoming, weight, _profile(other)) for other, kind, incoming, weight in related(pattern, library)
    ]
    order = {name: i for i, name in enumerate(RELATIONSHIP_TYPES)}
    suggestions: list[Suggestion] = []
    for sign in reading.weakest:
        words = text.terms(sign.text)
        ranked: list[tuple[tuple[int, float, bool, int, str], Remedy]] = []
        for other, kind, incoming, weight, profile in candidates:
            shared = [surface for stem, surface in words.items() if stem in profile]
            if not shared:
                continue
            key = (-len(shared), -weight, incoming, order.get(kind, len(order)), other.slug)
            remedy = Remedy(slug=other.slug, title=other.title, relationship=kind, incoming=incoming, why=shared)
            ranked.append((key, remedy))
        ranked.sort(key=lambda pair: pair[0])
        suggestions.append(
            Suggestion(
                sign=sign.text,
                kind=sign.kind,
                answer=sign.answer,
                advice=_advice(words, pattern.when_to_replant),
                patterns=[remedy for _, remedy in ranked[:per_sign]],
            )
        )
    return suggestions
