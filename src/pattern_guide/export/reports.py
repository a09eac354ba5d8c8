"""Reports: a self-assessment with its trend, and a workshop's report for the facilitator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pattern_guide.export.parts import closing, lib, vitality_part
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern
from pattern_guide.text import escape
from pattern_guide.vitality.assessment import Assessment
from pattern_guide.vitality.reading import reading
from pattern_guide.vitality.replanting import replanting
from pattern_guide.vitality.signs import Answer, VitalityItem, signs
from pattern_guide.workshop.model import Workshop, WorkshopAnswer
from pattern_guide.workshop.room import nearest_answer, room_reading, tally_votes


def assessment_markdown(
    pattern: Pattern, history: list[Assessment], library: Library, today: dt.date | None = None
) -> str:
    """A self-assessment to take away: the latest reading in full, and the trend of all of them."""
    if not history:
        raise ValueError("no assessment to export")
    latest = history[-1]
    items = [VitalityItem(kind=s.kind, text=s.text, answer=s.answer) for s in latest.reading.items]
    out = [f"# Self-assessment: {lib(pattern.title)}", ""]
    if pattern.tension:
        out += [f"**Tension:** {lib(pattern.tension)}", ""]
    out += vitality_part(items, pattern, library)
    if len(history) > 1:
        out += ["## Trend", "", "| # | When | Score | Level |", "|---|---|---|---|"]
        for n, assessment in enumerate(history, start=1):
            score = f"{assessment.reading.score:.1f}" if assessment.reading.score is not None else "—"
            when = assessment.created_at.strftime("%Y-%m-%d %H:%M")
            out.append(f"| {n} | {when} | {score} | {assessment.reading.level or '—'} |")
        out.append("")
    out += closing(pattern, today or dt.date.today(), "Self-assessment")
    return "\n".join(out).rstrip() + "\n"


def _licence_line(pattern: Pattern) -> str:
    """The pattern's licence and attribution, as every export of it carries them."""
    licence = escape(pattern.meta.license or "licence not stated in the pattern file")
    attribution = escape(pattern.meta.attribution or "attribution not stated in the pattern file")
    return f"_{escape(pattern.title)}: {licence} — {attribution}_"


def report_markdown(
    workshop: Workshop,
    library: Library,
    answers: Sequence[WorkshopAnswer],
    votes: dict[str, str],
    participants: int,
    now: dt.datetime | None = None,
) -> str:
    """The facilitator's report: the votes, the room's reading of each pattern, what to replant."""
    when = (now or dt.datetime.now(dt.UTC)).strftime("%d %B %Y")
    out = [
        f"# Workshop report: {escape(workshop.title)}",
        "",
        f"{when} · code `{workshop.code}` · {participants} participant{'s' if participants != 1 else ''}",
        "",
        "## What the room chose to work on",
        "",
        "| Pattern | Votes |",
        "|---|---|",
    ]
    for slug, count in tally_votes(votes, workshop.patterns):
        title = library.patterns[slug].title if slug in library.patterns else slug
        out.append(f"| {escape(title)} | {count} |")
    out.append("")
    for slug in workshop.patterns:
        pattern = library.patterns.get(slug)
        if pattern is None:
            out += [f"## {escape(slug)}", "", "_This pattern is no longer in the library._", ""]
            continue
        room = room_reading(pattern, answers)
        out += [f"## {escape(pattern.title)}", ""]
        if pattern.tension:
            out += [f"**Tension:** {escape(pattern.tension)}", ""]
        if room.score is None:
            out += ["_Nobody rated its signs._", "", _licence_line(pattern), ""]
            continue
        out += [
            f"**Room reading:** {room.score:.1f} / 5 — {room.level} ({room.participants} rated). {room.meaning}",
            "",
            "| Sign | Yes | Partly | No | Health |",
            "|---|---|---|---|---|",
        ]
        for n, sign in enumerate(room.signs, start=1):
            health = f"{sign.health:.2f}" if sign.health is not None else "—"
            counts = " | ".join(str(sign.counts[a]) for a in Answer)
            out.append(f"| {n}. ({sign.kind}) {escape(sign.text)} | {counts} | {health} |")
        out.append("")
        weakest = room.weakest()
        if weakest:
            # The replanting suggestions are worked out as for one person whose answers are the room's.
            items = signs(pattern)
            for item, sign in zip(items, room.signs, strict=True):
                if sign.health is not None:
                    item.answer = nearest_answer(sign.health, item.kind)
            suggestions = replanting(pattern, reading(items), library)
            out += ["**Where to replant**", ""]
            for suggestion in suggestions:
                line = f"- {escape(suggestion.sign)}"
                if suggestion.patterns:
                    line += " — see " + ", ".join(escape(r.title) for r in suggestion.patterns)
                out.append(line)
            if pattern.when_to_replant:
                out += ["", f"_When to replant:_ {escape(pattern.when_to_replant)}"]
            out.append("")
        out += [_licence_line(pattern), ""]
    return "\n".join(out).rstrip() + "\n"
