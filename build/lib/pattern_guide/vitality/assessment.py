"""A self-assessment as it is kept: one person's answers to a pattern's signs, and the reading they gave."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from pattern_guide.vitality.reading import VitalityReading


class Assessment(BaseModel):
    """One saved self-assessment of a pattern."""

    id: int
    pattern_slug: str
    owner: str
    answers: dict[str, str]
    reading: VitalityReading
    created_at: dt.datetime
