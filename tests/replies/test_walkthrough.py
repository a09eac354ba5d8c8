"""A step written only per context, walked: the person's paragraph when their context is known, one labelled
paragraph and the question of their context when it is not."""

from __future__ import annotations

from pattern_guide.conversation.state import GuideState
from pattern_guide.library.loader import parse_pattern
from pattern_guide.replies import walkthrough

FILE = """---
slug: review-rhythm
title: Review Rhythm
summary: A regular review that the group keeps.
---
## Problem

Reviews are promised and never held.

## Implementation

**For companies**: Put the review on the quarterly calendar and name who chairs it.

**Activist translation**: Rotate who convenes the review so no one organiser carries it.

**Across all contexts**: Start with one review in the next month.
"""


def test_the_persons_context_gets_its_own_paragraph_and_no_other() -> None:
    pattern = parse_pattern(FILE, "review-rhythm.md")
    text, _ = walkthrough.step(GuideState(pattern=pattern.slug, context="activist"), pattern)
    assert "Step 1 of 2: In your setting" in text
    assert "Rotate who convenes" in text and "quarterly calendar" not in text


def test_with_the_context_unknown_one_paragraph_is_shown_labelled_and_the_context_is_asked() -> None:
    pattern = parse_pattern(FILE, "review-rhythm.md")
    text, _ = walkthrough.step(GuideState(pattern=pattern.slug), pattern)
    assert "**In corporate contexts:**" in text and "quarterly calendar" in text
    assert "Rotate who convenes" not in text
    assert "To show you yours" in text
    second, _ = walkthrough.step(GuideState(pattern=pattern.slug, step=1), pattern)
    assert "Step 2 of 2: Across all contexts" in second and "one review in the next month" in second
