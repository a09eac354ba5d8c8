"""The plan a person takes away: their situation, the pattern, their notes, the vitality check, what next.

The person's own words are escaped so that, rendered as Markdown, they stay plain text: no
links, images, HTML or headings can be smuggled in through a note.
"""

from __future__ import annotations

import datetime as dt
import re

from pattern_guide.conversation.state import GuideState
from pattern_guide.export.parts import closing, code, lib, vitality_part
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern
from pattern_guide.text import escape

# Relationship type -> (heading, what it means for the person).
NEXT_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("requires", "Before", "patterns this one needs in place first"),
    ("enables", "After", "patterns this one makes possible"),
    ("complementary", "Beside", "patterns that work well alongside it"),
    ("alternatives", "Instead", "other ways to meet the same tension"),
)


def _quote(text: str) -> list[str]:
    escaped = escape(text)
    return [f"> {line}".rstrip() for line in escaped.splitlines()] if escaped else []


def _pattern_part(state: GuideState, pattern: Pattern) -> list[str]:
    out = [f"## The pattern: {lib(pattern.title)}", ""]
    label = pattern.context_label(state.context)
    if label and state.context:
        out += [f"In your world ({lib(state.context)}) it goes by **{lib(label)}**.", ""]
    if pattern.tension:
        out += [f"**Tension:** {lib(pattern.tension)}", ""]
    if pattern.solution:
        out += [f"**Solution:** {lib(pattern.solution)}", ""]
    lifecycle = pattern.meta.lifecycle
    facts = []
    if lifecycle.status:
        facts.append(f"status: {lib(lifecycle.status)}")
    if lifecycle.confidence is not None:
        facts.append(f"confidence: {lifecycle.confidence:g} of 3")
    if facts:
        out += [f"_Pattern {', '.join(facts)}._", ""]
    return out


def _steps_part(state: GuideState, pattern: Pattern) -> list[str]:
    out = ["## Your steps", ""]
    if state.notes.get(0):
        out += ["**How it looks for you:**", "", escape(state.notes[0]), ""]
    if not pattern.steps:
        return [*out, "_This pattern lists no implementation steps._", ""]
    # The guide keys notes by position (1 = first step); 0 is the note made before the steps.
    for position, step in enumerate(pattern.steps, start=1):
        note = state.notes.get(position, "").strip()
        if note:
            body = escape(note)
        elif position in state.skipped:
            body = "_Skipped._"
        else:
            body = "_No note yet._"
        out += [f"### Step {step.number}: {lib(step.title)}", "", body, ""]
    return out


def _next_part(pattern: Pattern, library: Library) -> list[str]:
    out = ["## What to look at next", ""]
    relationships = pattern.meta.relationships.by_type()
    found = False
    for kind, heading, meaning in NEXT_GROUPS:
        refs = relationships.get(kind, [])
        if not refs:
            continue
        found = True
        out += [f"**{heading}** — {meaning} ({kind}):", ""]
        for ref in refs:
            other = library.patterns.get(ref.slug)
            if other is not None:
                out.append(f"- {lib(other.title)} ({code(other.slug)})")
            else:
                out.append(f"- {code(ref.slug)} (not in the loaded libraries)")
        out.append("")
    if not found:
        out += ["_The pattern names no patterns to use before, after, beside or instead of it._", ""]
    return out


def _draft_part(state: GuideState) -> list[str]:
    """The pattern this conversation drafted, as its file: fenced, so nothing in it renders as markup."""
    draft = state.draft
    if draft is None or not draft.text:
        return []
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", draft.text)), default=0))
    where = f" It is saved as {code(draft.path)}." if draft.path else ""
    out = ["## Your own pattern (draft)", "", f"Drafted in this conversation (`status: draft`).{where}", ""]
    return [*out, f"{fence}markdown", draft.text.rstrip("\n"), fence, ""]


def plan_markdown(state: GuideState, pattern: Pattern, library: Library, today: dt.date | None = None) -> str:
    """The whole take-away plan as Markdown, safe to render."""
    out = [f"# Plan: {lib(pattern.title)}", "", "## Your situation", ""]
    out += (_quote(state.situation) or ["_Not described._"]) + [""]
    out += _pattern_part(state, pattern)
    out += _steps_part(state, pattern)
    out += vitality_part(state.vitality, pattern, library)
    out += _next_part(pattern, library)
    out += _draft_part(state)
    out += closing(pattern, today or dt.date.today())
    return "\n".join(out).rstrip() + "\n"


def plan_filename(state: GuideState, pattern: Pattern, today: dt.date | None = None) -> str:
    """A file name for the plan, e.g. ``plan-meeting-diet-2026-11-26.md``."""
    slug = re.sub(r"[^a-z0-9]+", "-", pattern.slug.lower()).strip("-") or "pattern"
    return f"plan-{slug}-{(today or dt.date.today()).isoformat()}.md"
