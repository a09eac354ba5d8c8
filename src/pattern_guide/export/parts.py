"""Pieces every export shares: library text made safe, the vitality section, the licence line."""

from __future__ import annotations

import datetime as dt

from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern
from pattern_guide.text import safe_markdown
from pattern_guide.vitality.reading import reading
from pattern_guide.vitality.replanting import replanting
from pattern_guide.vitality.signs import VitalityItem


def lib(text: str | None) -> str:
    """Library text through the rendering policy: its formatting, but no HTML, image or link out of the app."""
    return safe_markdown(text)


def code(slug: str) -> str:
    """A slug as inline code."""
    return f"`{slug.replace('`', '')}`"


def vitality_part(items: list[VitalityItem], pattern: Pattern, library: Library) -> list[str]:
    """The vitality check as Markdown lines: the reading, every sign, the weakest and how to replant."""
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
        shown = [i for i in result.items if i.kind == kind]
        if shown:
            out += [f"**{heading}:**", ""]
            out += [f"- {f'**{i.answer.value}**' if i.answer else '_not answered_'} — {lib(i.text)}" for i in shown]
            out.append("")
    suggestions = replanting(pattern, result, library)
    out += ["### Weakest signs", ""]
    if not suggestions:
        out += ["Every sign you answered is healthy.", ""]
    given: set[str] = set()  # a replanting sentence is written once, under the first sign it answers
    for suggestion in suggestions:
        kind = "sign of life" if suggestion.kind == "life" else "sign of decay"
        answer = suggestion.answer.value if suggestion.answer else "not answered"
        out += [f"**{lib(suggestion.sign)}** ({kind}; you said {answer})", ""]
        moves = [a for a in ([] if suggestion.general else suggestion.advice) if a not in given]
        given.update(moves)
        out += [f"- Replant: {lib(advice)}" for advice in moves]
        if suggestion.general:
            out.append("- Replant: see “When to replant” below.")
        for remedy in suggestion.patterns:
            link = f"it names this one under {remedy.relationship}" if remedy.incoming else remedy.relationship
            because = f" — {lib(remedy.because)}" if remedy.because else ""
            out.append(f"- Look at {lib(remedy.title)} ({code(remedy.slug)}; {link}){because}")
        out.append("")
    if pattern.when_to_replant.strip():
        out += ["### When to replant", "", lib(pattern.when_to_replant), ""]
    return out


def closing(pattern: Pattern, today: dt.date, what: str = "Plan") -> list[str]:
    """The licence and attribution line every export ends with."""
    licence = lib(pattern.meta.license) or "licence not stated in the pattern file"
    attribution = lib(pattern.meta.attribution) or "not stated in the pattern file"
    return [
        "---",
        "",
        f"Pattern text: {licence}, attribution: {attribution} — “{lib(pattern.title)}” ({code(pattern.slug)}). "
        f"{what} made on {today.isoformat()} with Pattern Guide.",
        "",
    ]
