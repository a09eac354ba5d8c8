"""Replanting: for the weakest signs, the pattern's own advice and the related patterns that address them.

Each related pattern comes with its reason: the sentence of its Solution, Implementation or Signs
of life that shares the most words with the weak sign, quoted as it stands. Pure functions: the
same reading and library always give the same suggestions.
"""

from __future__ import annotations

import math
import re

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
    part: str = ""  # the part of the related pattern that answers the sign: "Solution", "Implementation", ...
    reason: str = ""  # its sentence that answers the sign, as written

    @property
    def because(self) -> str:
        """The reason as a reader sees it: "its Solution: “…”" (empty when the pattern has no such text)."""
        return f"its {self.part}: “{self.reason}”" if self.reason else ""


class Suggestion(BaseModel):
    """What to do about one weak sign: the pattern's own replanting advice and related patterns."""

    sign: str
    kind: str
    answer: Answer | None = None
    advice: list[str] = Field(default_factory=list)
    general: bool = False  # True when no replanting sentence speaks to this sign: the advice is the whole text
    patterns: list[Remedy] = Field(default_factory=list)


def _profile(pattern: Pattern) -> set[str]:
    parts = [pattern.title, pattern.meta.summary or pattern.one_liner, pattern.tension or "", *pattern.signs_of_life]
    return set(text.terms(" ".join(parts)))


def _parts(pattern: Pattern) -> list[tuple[str, str]]:
    """A pattern's sentences that say what to do or what health looks like, each with the part it is from."""
    gist = re.sub(r"^\W*therefore,?\s*", "", pattern.solution or "", flags=re.IGNORECASE)  # the solution's lead-in
    out = [("Solution", s[:1].upper() + s[1:]) for s in text.sentences(gist)]
    out += [("Implementation", s) for step in pattern.steps for s in text.sentences(f"{step.title}. {step.text}")]
    out += [("Signs of life", sign) for sign in pattern.signs_of_life]
    return [(part, " ".join(s.replace("**", "").split())) for part, s in out if s.strip()]


MIN_SHARED = 2  # words a sentence must share with a sign to be quoted as its answer

_RARITY: dict[int, tuple[Library, dict[str, float]]] = {}  # per library: how rare each stem is across its patterns


def rarity(library: Library) -> dict[str, float]:
    """Each stem's inverse document frequency over the library's patterns: "short" says less than "escalation"."""
    held = _RARITY.get(id(library))
    if held is not None and held[0] is library:
        return held[1]
    counts: dict[str, int] = {}
    for pattern in library.patterns.values():
        for stem in {stem for _, sentence in _parts(pattern) for stem in text.terms(sentence)}:
            counts[stem] = counts.get(stem, 0) + 1
    total = max(len(library.patterns), 1)
    weights = {stem: math.log((1 + total) / n) for stem, n in counts.items()}
    if len(_RARITY) > 8:
        _RARITY.clear()
    _RARITY[id(library)] = (library, weights)
    return weights


def reason(sign: str, other: Pattern, weights: dict[str, float] | None = None) -> tuple[str, str]:
    """The part and the sentence of ``other`` that best answer a weak sign.

    A sentence scores the rarity of the words it shares with the sign — twice for the words of the sign's name
    (its first sentence) — over the square root of its own length; ties go to the earlier part and sentence. When
    no sentence shares two words, the first sentence of its Solution (or of whatever it has) stands for it.
    """
    parts = _parts(other)
    if not parts:
        return "", ""
    name = set(text.terms((text.sentences(sign) or [sign])[0]))
    words = set(text.terms(sign))
    weights = weights or {}
    best, choice = 0.0, parts[0]
    for part, sentence in parts:
        own = text.terms(sentence)
        shared = words & own.keys()
        if len(shared) < MIN_SHARED:
            continue  # one word in common is chance more often than an answer
        score = sum(weights.get(stem, 1.0) * (2.0 if stem in name else 1.0) for stem in shared)
        score /= math.sqrt(max(len(own), 1))
        if score > best + 1e-9:
            best, choice = score, (part, sentence)
    return choice


def _advice(sign: dict[str, str], replant: str) -> tuple[list[str], bool]:
    """The replanting sentences that share words with the sign, best first; all of them if none do (general)."""
    sentences = text.sentences(replant)
    scored = [(len(sign.keys() & text.terms(s).keys()), i, s) for i, s in enumerate(sentences)]
    best = [s for n, _, s in sorted(scored, key=lambda t: (-t[0], t[1])) if n > 0][:2]
    if best:
        return best, False
    return ([replant.strip()] if replant.strip() else []), True


def replanting(pattern: Pattern, reading: VitalityReading, library: Library, per_sign: int = 2) -> list[Suggestion]:
    """For each of the weakest signs, the replanting advice and the related patterns that best address it."""
    if per_sign < 0:
        raise ValueError("per_sign must be 0 or more")
    candidates = [
        (other, kind, incoming, weight, _profile(other)) for other, kind, incoming, weight in related(pattern, library)
    ]
    order = {name: i for i, name in enumerate(RELATIONSHIP_TYPES)}
    weights = rarity(library) if candidates else {}
    suggestions: list[Suggestion] = []
    for sign in reading.weakest:
        words = text.terms(sign.text)
        ranked: list[tuple[tuple[int, float, bool, int, str], Remedy]] = []
        for other, kind, incoming, weight, profile in candidates:
            shared = [surface for stem, surface in words.items() if stem in profile]
            if not shared:
                continue
            key = (-len(shared), -weight, incoming, order.get(kind, len(order)), other.slug)
            part, sentence = reason(sign.text, other, weights)
            remedy = Remedy(
                slug=other.slug,
                title=other.title,
                relationship=kind,
                incoming=incoming,
                why=shared,
                part=part,
                reason=text.shorten(sentence, 240),
            )
            ranked.append((key, remedy))
        ranked.sort(key=lambda pair: pair[0])
        advice, general = _advice(words, pattern.when_to_replant)
        suggestions.append(
            Suggestion(
                sign=sign.text,
                kind=sign.kind,
                answer=sign.answer,
                advice=advice,
                general=general,
                patterns=[remedy for _, remedy in ranked[:per_sign]],
            )
        )
    return suggestions
