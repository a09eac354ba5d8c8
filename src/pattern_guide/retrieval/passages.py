"""The paragraphs of one pattern that speak to a question (the pattern in hand answers first)."""

from __future__ import annotations

import math

from pattern_guide import text as toolkit
from pattern_guide.library.model import Passage, Pattern
from pattern_guide.library.parser import paragraphs

MIN_SHARED = 2.0  # a paragraph must share at least this much (weighted) with a question to answer it


def best_paragraphs(pattern: Pattern, question: str, limit: int = 2) -> list[tuple[float, Passage]]:
    """The pattern's paragraphs that share most with the question, best first, with their weighted overlap.

    A word the question shares with only a few paragraphs of the pattern counts more than one
    every section uses (the pattern's own name, "group", "people").
    """
    asked = set(toolkit.terms(question))
    found: list[tuple[str, str, set[str]]] = []
    for section in pattern.sections:
        for paragraph in paragraphs(section.text):
            found.append((section.heading, paragraph, set(toolkit.terms(paragraph))))
    if not asked or not found:
        return []
    spread = {stem: sum(stem in words for _, _, words in found) for stem in asked}
    scored: list[tuple[float, Passage]] = []
    for heading, paragraph, words in found:
        shared = asked & words
        score = sum(math.log(1 + len(found) / spread[s]) for s in shared) if shared else 0.0
        if score > 0:
            scored.append((round(score, 3), Passage(slug=pattern.slug, section=heading, text=paragraph)))
    scored.sort(key=lambda pair: -pair[0])
    return scored[:limit]


def shared_words(question: str, text: str) -> int:
    """How many content words a passage shares with a question."""
    return len(set(toolkit.terms(question)) & set(toolkit.terms(text)))
