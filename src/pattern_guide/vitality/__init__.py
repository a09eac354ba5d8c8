"""Vitality: a pattern's signs of life and decay, a person's answers to them, the reading and replanting.

``signs`` lists the signs and scores an answer, ``reading`` turns answers into a score on the
rubric, ``replanting`` finds the advice and related patterns for the weakest signs,
``assessment`` is a reading as it is kept.
"""

from pattern_guide.vitality.reading import VitalityReading, reading
from pattern_guide.vitality.replanting import Suggestion, replanting
from pattern_guide.vitality.signs import Answer, VitalityItem, signs

__all__ = ["Answer", "Suggestion", "VitalityItem", "VitalityReading", "reading", "replanting", "signs"]
