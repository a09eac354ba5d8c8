"""Vitality readings: answers to the signs of life and decay turned into a score, and what to do next.

Pure functions: the same answers and library always give the same reading and suggestions.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from pydantic import BaseModel, Field

from pattern_guide.library import Library
from pattern_guide.model import RELATIONSHIP_TYPES, Pattern
from pattern_guide.state import ANSWER_SCORE, Answer, VitalityItem

# The rubric of PATTERN_SPEC.md "Vitality Scoring Guidance": lowest score of each level.
LEVELS: tuple[tuple[str, float, str], ...] = (
    (
        "Generative",
        4.5,
        "The pattern actively creates conditions for new life and adaptation to emerge.",
    ),
    ("Sustaining", 3.5, "The pattern maintains and renews existing vitality."),
    (
        "Functional",
        2.0,
        "The pattern works but does not add to, and may dampen, the system's aliveness.",
    ),
    ("Extractive", 0.0, "The pattern actively depletes vitality."),
)
WEAKEST_MAX = 3


class SignHealth(BaseModel):
    """One sign, its answer and how healthy that answer is (1 = healthy, 0 = not; None = unanswered)."""

    kind: str  # "life" | "decay"
    text: str
    answer: Answer | None = None
    health: float | None = None


class VitalityReading(BaseModel):
    """A score on 0–5, its rubric level, and the signs that pull it down most."""

    score: float | None = None  # None until at least one sign is answered
    level: str | None = None
    meaning: str | None = None
    answered: int = 0
    total: int = 0
    items: list[SignHealth] = Field(default_factory=list)
    weakest: list[SignHealth] = Field(default_factory=list)


def signs(pattern: Pattern) -> list[VitalityItem]:
    """A pattern's signs, unanswered, in the order they are numbered: life first, then decay."""
    return [VitalityItem(kind="life", text=s) for s in pattern.signs_of_life] + [
        VitalityItem(kind="decay", text=s) for s in pattern.signs_of_decay
    ]


def health(item: VitalityItem) -> float | None:
    """How healthy one answer is: a sign of life scores its answer, a sign of decay the inverse."""
    if item.answer is None:
        return None
    value = ANSWER_SCORE[item.answer]
    return 1.0 - value if item.kind == "decay" else value


def level_for(score: float) -> tuple[str, str]:
    """The rubric level and its meaning for a score on 0–5."""
    for name, floor, meaning in LEVELS:
        if score >= floor:
            return name, meaning
    return LEVELS[-1][0], LEVELS[-1][2]


def round_half_up(value: Fraction) -> float:
    # Exact arithmetic, so that 4.25 rounds to 4.3 rather than to float round()'s banker's 4.2.
    return math.floor(value * 10 + Fraction(1, 2)) / 10


def reading(items: list[VitalityItem]) -> VitalityReading:
    """Score the answered signs: 5 × their mean health, with the rubric level and the weakest signs."""
    signs = [SignHealth(kind=i.kind, text=i.text, answer=i.answer, health=health(i)) for i in items]
    answered = [s for s in signs if s.health is not None]
    result = VitalityReading(answered=len(answered), total=len(signs), items=signs)
    if not answered:
        return result
    total = sum((Fraction(s.health or 0.0) for s in answered), Fraction(0))
    result.score = round_half_up(5 * total / len(answered))
    result.level, result.meaning = level_for(result.score)
    weak = [s for s in answered if (s.health or 0.0) < 1.0]
    # Stable sort: equally weak signs keep the order the pattern lists them in.
    result.weakest = sorted(weak, key=lambda s: s.health or 0.0)[:WEAKEST_MAX]
    return result


# --- replanting ------------------------------------------------------------------------------------------

_STOP_WORDS = """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing done down during each even every few for from
    further had has have having he her here hers him his how i if in into is it its itself just last
    least less like made make makes many may more most much must my no nor not now of off often on once
    one only or other others our ours out over own people per same she should so some someone still such
    than that the their theirs them then there these they thing things this those through to too under
    until up upon us use used uses very was way ways we well were what when where whether which while who
    whom why will with within without would yet you your yours two three four five first second third
    across around along among always never ever really actually instead rather almost already usually
    anyone everyone nobody something anything everything nothing whole kind lot lots get gets got
    keep keeps kept take takes taken come comes"""
_STOP = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[a-z]+")


def _stem(word: str) -> str:
    """A crude English stem: enough that "meetings", "meeting" and "meet" agree."""
    for _ in range(2):
        before = word
        if word.endswith(("ies", "ied")) and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith(("sses", "xes", "ches", "shes", "zes")):
            word = word[:-2]
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            word = word[:-1]
        elif word.endswith(("ing", "ed")) and len(word) - (3 if word.endswith("ing") else 2) >= 3:
            word = word[: -3 if word.endswith("ing") else -2]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
        elif word.endswith("ly") and len(word) > 5:
            word = word[:-2]
        if word == before:
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def terms(text: str) -> dict[str, str]:
    """Content words of a text by stem, each with the first surface form seen."""
    out: dict[str, str] = {}
    for word in _WORD.findall(text.lower()):
        if word in _STOP or len(word) < 3:
            continue
        out.setdefault(_stem(word), word)
    return out


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
            ref = next((r for r in refs if r.slug == pattern.slug), None)
            if ref is not None:
                seen[other.slug] = (other, kind, True, ref.weight or 0.0)
                break
    return list(seen.values())


def _profile(pattern: Pattern) -> set[str]:
    parts = [pattern.title, pattern.meta.summary or pattern.one_liner, pattern.tension or "", *pattern.signs_of_life]
    return set(terms(" ".join(parts)))


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]


def _advice(sign: dict[str, str], replant: str) -> list[str]:
    """The replanting sentences that share words with the sign, best first; all of them if none do."""
    sentences = _sentences(replant)
    scored = [(len(sign.keys() & terms(s).keys()), i, s) for i, s in enumerate(sentences)]
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
        words = terms(sign.text)
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
