"""The signs of a pattern's vitality, and the answers a person gives to them."""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import BaseModel

from pattern_guide.library.model import Pattern

SignKind = Literal["life", "decay"]


class Answer(enum.StrEnum):
    """A vitality sign answered yes / partly / no."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


ANSWER_SCORE = {Answer.YES: 1.0, Answer.PARTLY: 0.5, Answer.NO: 0.0}


class VitalityItem(BaseModel):
    """One sign of life or decay and the person's answer to it."""

    kind: SignKind
    text: str
    answer: Answer | None = None


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
