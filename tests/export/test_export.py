"""The take-away plan: every step in order, the vitality reading, what next, licence, and safe Markdown."""

from __future__ import annotations

import datetime as dt

import pytest

from pattern_guide.conversation.state import GuideState, Stage
from pattern_guide.export.plans import plan_filename, plan_markdown
from pattern_guide.export.reports import assessment_markdown
from pattern_guide.library.loader import Library, load_libraries, parse_pattern
from pattern_guide.library.model import Pattern
from pattern_guide.text import escape
from pattern_guide.vitality.signs import Answer, VitalityItem
from tests.conftest import STARTER

DAY = dt.date(2026, 11, 26)
SCRIPT = "<script>alert(1)</script>"
JS_LINK = "[x](javascript:alert(1))"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_libraries([STARTER])


def diet_state(library: Library, answered: bool = True) -> GuideState:
    diet = library.get("meeting-diet")
    items = [VitalityItem(kind="life", text=t, answer=Answer.YES) for t in diet.signs_of_life]
    items += [VitalityItem(kind="decay", text=t, answer=Answer.NO) for t in diet.signs_of_decay]
    if answered:
        items[2].answer = Answer.NO  # "Written updates are read."
        items[4].answer = Answer.PARTLY  # "Zombie meetings return."
    else:
        items = [i.model_copy(update={"answer": None}) for i in items]
    return GuideState(
        stage=Stage.PLAN,
        situation="Too many meetings in our product team.",
        context="corporate",
        pattern="meeting-diet",
        notes={0: "Mostly syncs that could be emails", 1: "Listed 14 recurring meetings", 3: "Cut the Friday sync"},
        skipped=[2],
        vitality=items,
    )


def render(markdown: str) -> str:
    """HTML as a CommonMark renderer with raw HTML allowed would make it."""
    markdown_it = pytest.importorskip("markdown_it")
    return str(markdown_it.MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown))


def test_plan_walks_every_step_in_order(library: Library) -> None:
    diet = library.get("meeting-diet")
    md = plan_markdown(diet_state(library), diet, library, today=DAY)
    positions = [md.index(f"### Step {s.number}: {s.title}") for s in diet.steps]
    assert positions == sorted(positions) and len(positions) == 5
    sections = md.split("### Step ")[1:]
    assert "Listed 14 recurring meetings" in sections[0]
    assert "_Skipped._" in sections[1]
    assert "Cut the Friday sync" in sections[2]
    assert "_No note yet._" in sections[3] and "_No note yet._" in sections[4].split("## ")[0]
    assert md.index("Mostly syncs that could be emails") < positions[0]


def test_plan_names_the_situation_and_the_pattern_in_their_context(library: Library) -> None:
    diet = library.get("meeting-diet")
    md = plan_markdown(diet_state(library), diet, library, today=DAY)
    assert md.startswith("# Plan: Meeting Diet\n")
    assert "> Too many meetings in our product team." in md
    assert "**Meeting Audit**" in md  # context_labels.corporate
    assert "**Tension:** Alignment vs. Time" in md
    assert f"**Solution:** {diet.solution}" in md


def test_plan_carries_the_vitality_reading_and_replanting(library: Library) -> None:
    diet = library.get("meeting-diet")
    md = plan_markdown(diet_state(library), diet, library, today=DAY)
    assert "## Vitality check" in md
    assert "**4.1 / 5 — Sustaining.**" in md  # 6 healthy, one partly, one no: 5 × 6.5 / 8 = 4.0625
    assert "- **no** — Written updates are read." in md
    weakest = md.split("### Weakest signs")[1].split("### When to replant")[0]
    assert weakest.index("Written updates are read") < weakest.index("Zombie meetings return")
    assert "Async-First Communication (`async-first-communication`; requires)" in weakest
    assert "Replant: Check whether written updates are being read" in weakest
    assert "### When to replant" in md


def test_plan_without_answers_has_no_reading(library: Library) -> None:
    diet = library.get("meeting-diet")
    md = plan_markdown(diet_state(library, answered=False), diet, library, today=DAY)
    assert "Vitality check" not in md and "Weakest signs" not in md


def test_next_patterns_by_relationship(library: Library) -> None:
    diet = library.get("meeting-diet")
    md = plan_markdown(diet_state(library), diet, library, today=DAY)
    after_next = md.split("## What to look at next")[1]
    before, after, beside = (after_next.split(f"**{h}**")[1].split("\n\n**")[0] for h in ("Before", "After", "Beside"))
    assert "- Async-First Communication (`async-first-communication`)" in before
    assert "Protected Focus Blocks (`protected-focus-blocks`)" in after and "(`sustainable-pace`)" in after
    assert all(s in beside for s in ("adaptive-facilitation", "open-decision-log", "work-in-progress-limits"))
    assert "**Instead**" not in md  # meeting-diet names no alternatives


def tiny(slug: str, relationships: str, license: str = "CC-BY-SA-4.0", attribution: str = "Ana & Ben") -> Pattern:
    text = f"""---
slug: {slug}
title: "{slug.replace("-", " ").title()}"
relationships:
{relationships}
license: {license}
attribution: "{attribution}"
---

A tiny pattern.

### Section 4: Implementation

**Step 1: Only step.**

Do it.
"""
    return parse_pattern(text, f"{slug}.md")


def test_instead_group_and_slugs_missing_from_the_library(library: Library) -> None:
    focal = tiny("daily-sync", "  alternatives: [meeting-diet, ghost-pattern]\n  requires: [nowhere]")
    both = Library(patterns={**library.patterns, focal.slug: focal})
    md = plan_markdown(GuideState(pattern=focal.slug), focal, both, today=DAY)
    instead = md.split("**Instead**")[1]
    assert "- Meeting Diet (`meeting-diet`)" in instead
    assert "- `ghost-pattern` (not in the loaded libraries)" in instead
    assert "- `nowhere` (not in the loaded libraries)" in md.split("**Before**")[1]
    assert "_Not described._" in md and "_No note yet._" in md


def test_closing_line_has_licence_attribution_and_date(library: Library) -> None:
    diet = library.get("meeting-diet")
    md = plan_markdown(diet_state(library), diet, library, today=DAY)
    last = md.rstrip().splitlines()[-1]
    assert last.startswith("Pattern text: CC-BY-SA-4.0, attribution: Pattern Guide starter library")
    assert "(`meeting-diet`)" in last and "2026-11-26" in last


def test_missing_licence_is_said_not_invented() -> None:
    focal = tiny("bare", "  requires: []", license="null", attribution="")
    md = plan_markdown(GuideState(), focal, Library(patterns={"bare": focal}), today=DAY)
    assert "licence not stated in the pattern file" in md


def test_person_text_cannot_inject_html_or_links(library: Library) -> None:
    diet = library.get("meeting-diet")
    state = diet_state(library)
    state.situation = f"# Big heading\n{JS_LINK} and https://evil.example and <img src=x onerror=alert(1)>"
    state.notes = {1: SCRIPT, 2: f"{JS_LINK}\n![pic](http://evil.example/x.png)", 3: "    indented code\n- a list"}
    md = plan_markdown(state, diet, library, today=DAY)
    assert "<script" not in md and "<img" not in md
    assert JS_LINK not in md and "\\[x\\](javascript" in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md

    html = render(md)
    assert "<script" not in html and "<img" not in html and "<a " not in html
    steps = html.split("<h2>Your steps</h2>")[1].split("<h2>")[0]
    assert "<pre>" not in steps and "<code>" not in steps and "<ul>" not in steps  # no code block, no list
    assert html.count("<h1>") == 1  # the person's "# Big heading" stays text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, not run
    assert "[x](javascript:alert(1))" in html  # shown as typed


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
        ("**bold** _it_ `code` ~~gone~~ | pipe", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~gone\\~\\~ \\| pipe"),
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("- not a bullet", "\\- not a bullet"),
        ("see www.example.org", "see www\u2060.example.org"),  # a backslash does not stop GFM's autolink
        ("back\\slash", "back\\\\slash"),
        ("plain words stay plain.", "plain words stay plain."),
    ],
)
def test_escape_text(typed: str, escaped: str) -> None:
    assert escape(typed) == escaped


def test_plan_filename(library: Library) -> None:
    diet = library.get("meeting-diet")
    assert plan_filename(diet_state(library), diet, today=DAY) == "plan-meeting-diet-2026-11-26.md"
    odd = tiny("Odd Slug/../x", "  requires: []")
    assert plan_filename(GuideState(), odd, today=DAY) == "plan-odd-slug-x-2026-11-26.md"


def test_an_assessment_report_needs_an_assessment() -> None:
    library = load_libraries([STARTER])
    with pytest.raises(ValueError, match="no assessment"):
        assessment_markdown(library.patterns["meeting-diet"], [], library)
