"""Vitality readings: answers to the signs of life and decay turned into a score on the rubric.

Pure functions: the same answers and library always give the same reading and suggestions.
"""

from __future__ import annotations

import math
from fractions import Fraction

from pydantic import BaseModel, Field

from pattern_guide.vitality.signs import Answer, SignKind, VitalityItem, health

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

    kind: SignKind
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
