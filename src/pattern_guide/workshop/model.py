"""What a workshop is made of: the workshop, its participants and their answers."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from pattern_guide.library.contexts import normalise_context
from pattern_guide.vitality.signs import Answer
from pattern_guide.workshop.codes import MAX_PARTICIPANTS
from pattern_guide.workshop.timer import StepTimer


class Workshop(BaseModel):
    """One workshop: its code, the facilitator's key, the patterns and where the walk-through is."""

    id: str
    code: str
    key: str  # the facilitator's secret, carried only in the facilitator's URL
    title: str
    patterns: list[str]
    focus: str | None = None  # the pattern being walked through
    step: int = 0  # 0 = not started; otherwise the step number on screen
    created_at: dt.datetime
    closed_at: dt.datetime | None = None  # once closed: no joins, answers and votes read-only, the report final
    max_participants: int = MAX_PARTICIPANTS
    context: str | None = None  # the room's context, set by the facilitator: the projector speaks it
    notes_shown: bool = False  # whether the room sees the participants' notes (without their names)
    timer: StepTimer = StepTimer()  # the countdown of the step on screen

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


class Participant(BaseModel):
    id: str
    workshop_id: str
    name: str
    joined_at: dt.datetime


class WorkshopAnswer(BaseModel):
    participant_id: str
    pattern_slug: str
    sign: int  # the sign's position in the pattern: signs of life first, then signs of decay
    answer: Answer


class WorkshopNote(BaseModel):
    """A participant's note or idea on one step (one per step; a new one replaces it)."""

    participant_id: str
    name: str  # shown to the facilitator only; the room sees notes without names
    pattern_slug: str
    step: int
    text: str
    updated_at: dt.datetime


def checked_context(name: str | None) -> str | None:
    """A context as a workshop keeps it: one of the four (any case, a few synonyms), or None."""
    return normalise_context(name or None)
