"""The plan a person takes away: their situation, the pattern, their notes, the vitality check, what next.

The person's own words are escaped so that, rendered as Markdown, they stay plain text: no
links, images, HTML or headings can be smuggled in through a note.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from pattern_guide.library import Library
from pattern_guide.model import Pattern
from pattern_guide.state import GuideState, VitalityItem
from pattern_guide.vitality import reading, replanting

if TYPE_CHECKING:  # the store imports the workshop module, which imports this one
    from pattern_guide.store import Assessment

# Relationship type -> (heading, what it means for the person).
NEXT_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("requires", "Before", "patterns this one needs in place first"),
    ("enables", "After", "patterns this one makes possible"),
    ("complementary", "Beside", "patterns that work well alongside it"),
    ("alternatives", "Instead", "other ways to meet the same tension"),
)

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_BLOCK_START = re.compile(r"^([#+\-=])")
_ORDERED = re.compile(r"^(\d+)([.)])")
_URL_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*):(?=//)")
_WWW = re.compile(r"(?i)\b(www)\.")


def escape_text(text: str) -> str:
    """A person's text made inert for Markdown: HTML as entities, markup characters backslash-escaped."""
    lines: list[str] = []
    for raw in text.strip().splitlines():
        line = raw.strip()  # leading spaces would make an indented code block
        line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        line = _INLINE_SPECIAL.sub(r"\\\1", line)
        # GFM turns bare "https://..." and "www...." into links; an escape breaks the match.
        line = _URL_SCHEME.sub(r"\1\\:", line)
        line = _WWW.sub(r"\1\\.", line)
        line = _BLOCK_START.sub(r"\\\1", line)
        line = _ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


def _lib(text: str | None) -> str:
    """Library text is trusted Markdown, but never raw HTML."""
    return (text or "").replace("<", "&lt;").strip()


def _code(slug: str) -> str:
    return f"`{slug.replace('`', '')}`"


def _quote(text: str) -> list[str]:
    escaped = escape_text(text)
    return [f"> {line}".rstrip() for line in escaped.splitlines()] if escaped else []


def _pattern_part(state: GuideState, pattern: Pattern) -> list[str]:
    out = [f"## The pattern: {_lib(pattern.title)}", ""]
    label = pattern.context_label(state.context)
    if label and state.context:
        out += [f"In your world ({_lib(state.context)}) it goes by **{_lib(label)}**.", ""]
    if pattern.tension:
        out += [f"**Tension:** {_lib(pattern.tension)}", ""]
    if pattern.solution:
        out += [f"**Solution:** {_lib(pattern.solution)}", ""]
    lifecycle = pattern.meta.lifecycle
    facts = []
    if lifecycle.status:
        facts.append(f"status: {_lib(lifecycle.status)}")
    if lifecycle.confidence is not None:
        facts.append(f"confidence: {lifecycle.confidence:g} of 3")
    if facts:
        out += [f"_Pattern {', '.join(facts)}._", ""]
    return out


def _steps_part(state: GuideState, pattern: Pattern) -> list[str]:
    out = ["## Your steps", ""]
    if state.notes.get(0):
        out += ["**How it looks for you:**", "", escape_text(state.notes[0]), ""]
    if not pattern.steps:
        return [*out, "_This pattern lists no implementation steps._", ""]
    # The guide keys notes by position (1 = first step); 0 is the note made before the steps.
    for position, step in enumerate(pattern.steps, start=1):
        note = state.notes.get(position, "").strip()
        if note:
            body = escape_text(note)
        elif position in state.skipped:
            body = "_Skipped._"
        else:
            body = "_No note yet._"
        out += [f"### Step {step.number}: {_lib(step.title)}", "", body, ""]
    return out


def _vitality_part(items: list[VitalityItem], pattern: Pattern, library: Library) -> list[str]:
    result = reading(items)
    if result.score is None:
        return []
    out = [
        "## Vitality check",
        "",
        f"**{result.score:.1f} / 5 — {result.level}.** {result.meaning} "
        f"({result.answered} of {result.total} signs answered.)",
        "",
    ]
    for kind, heading in (("life", "Signs of life"), ("decay", "Signs of decay")):
        items = [i for i in result.items if i.kind == kind]
        if items:
            out += [f"**{heading}:**", ""]
            out += [f"- {f'**{i.answer.value}**' if i.answer else '_not answered_'} — {_lib(i.text)}" for i in items]
            out.append("")
    suggestions = replanting(pattern, result, library)
    out += ["### Weakest signs", ""]
    if not suggestions:
        out += ["Every sign you answered is healthy.", ""]
    for suggestion in suggestions:
        kind = "sign of life" if suggestion.kind == "life" else "sign of decay"
        answer = suggestion.answer.value if suggestion.answer else "not answered"
        out += [f"**{_lib(suggestion.sign)}** ({kind}; you said {answer})", ""]
        out += [f"- Replant: {_lib(advice)}" for advice in suggestion.advice]
        for remedy in suggestion.patterns:
            link = f"it names this one under {remedy.relationship}" if remedy.incoming else remedy.relationship
            out.append(
                f"- Look at {_lib(remedy.title)} ({_code(remedy.slug)}; {link}) — "
                f"it also speaks of: {', '.join(remedy.why)}"
            )
        out.append("")
    if pattern.when_to_replant.strip():
        out += ["### When to replant", "", _lib(pattern.when_to_replant), ""]
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
                out.append(f"- {_lib(other.title)} ({_code(other.slug)})")
            else:
                out.append(f"- {_code(ref.slug)} (not in the loaded libraries)")
        out.append("")
    if not found:
        out += ["_The pattern names no patterns to use before, after, beside or instead of it._", ""]
    return out


def _closing(pattern: Pattern, today: dt.date, what: str = "Plan") -> list[str]:
    licence = _lib(pattern.meta.license) or "licence not stated in the pattern file"
    attribution = _lib(pattern.meta.attribution) or "not stated in the pattern file"
    return [
        "---",
        "",
        f"Pattern text: {licence}, attribution: {attribution} — “{_lib(pattern.title)}” ({_code(pattern.slug)}). "
        f"{what} made on {today.isoformat()} with Pattern Guide.",
        "",
    ]


def plan_markdown(state: GuideState, pattern: Pattern, library: Library, today: dt.date | None = None) -> str:
    """The whole take-away plan as Markdown, safe to render."""
    out = [f"# Plan: {_lib(pattern.title)}", "", "## Your situation", ""]
    out += (_quote(state.situation) or ["_Not described._"]) + [""]
    out += _pattern_part(state, pattern)
    out += _steps_part(state, pattern)
    out += _vitality_part(state.vitality, pattern, library)
    out += _next_part(pattern, library)
    out += _closing(pattern, today or dt.date.today())
    return "\n".join(out).rstrip() + "\n"


def plan_filename(state: GuideState, pattern: Pattern, today: dt.date | None = None) -> str:
    """A file name for the plan, e.g. ``plan-meeting-diet-2026-11-26.md``."""
    slug = re.sub(r"[^a-z0-9]+", "-", pattern.slug.lower()).strip("-") or "pattern"
    return f"plan-{slug}-{(today or dt.date.today()).isoformat()}.md"


def assessment_markdown(
    pattern: Pattern, history: list[Assessment], library: Library, today: dt.date | None = None
) -> str:
    """A self-assessment to take away: the latest reading in full, and the trend of all of them."""
    if not history:
        raise ValueError("no assessment to export")
    latest = history[-1]
    items = [VitalityItem(kind=s.kind, text=s.text, answer=s.answer) for s in latest.reading.items]
    out = [f"# Self-assessment: {_lib(pattern.title)}", ""]
    if pattern.tension:
        out += [f"**Tension:** {_lib(pattern.tension)}", ""]
    out += _vitality_part(items, pattern, library)
    if len(history) > 1:
        out += ["## Trend", "", "| # | When | Score | Level |", "|---|---|---|---|"]
        for n, assessment in enumerate(history, start=1):
            score = f"{assessment.reading.score:.1f}" if assessment.reading.score is not None else "—"
            when = assessment.created_at.strftime("%Y-%m-%d %H:%M")
            out.append(f"| {n} | {when} | {score} | {assessment.reading.level or '—'} |")
        out.append("")
    out += _closing(pattern, today or dt.date.today(), "Self-assessment")
    return "\n".join(out).rstrip() + "\n"
