"""Printable HTML of the Markdown exports — the plan, a self-assessment, a workshop report — with charts.

The Markdown is the export (already safe: people's words escaped, pattern text through the
rendering policy); this module only turns it into a page. The converter runs with raw HTML
and images off and shows links as their text, so even a Markdown string that skipped the
policy cannot put markup, a fetch or a link into the page. Charts are inline SVG
(:mod:`charts`); the document loads nothing from outside, so :func:`pdf.pdf_bytes` prints
it as it is.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt

from pattern_guide.conversation.state import GuideState
from pattern_guide.export.charts import room_heat_map, score_line, sign_health_bars, vote_bars
from pattern_guide.export.plans import plan_markdown
from pattern_guide.export.reports import assessment_markdown, report_markdown
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern
from pattern_guide.text import escape
from pattern_guide.vitality.assessment import Assessment
from pattern_guide.workshop.model import Workshop, WorkshopAnswer
from pattern_guide.workshop.room import room_reading, tally_votes

# At most this many dates under the trend line; with more assessments every n-th is labelled.
MAX_DATE_LABELS = 8

_STYLE = """
@page {
  size: A4 portrait; margin: 18mm 16mm 20mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #777; }
}
* { box-sizing: border-box; }
html { font-size: 10pt; }
body {
  margin: 0; color: #1a1a1a; background: #fff; line-height: 1.4;
  font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
}
h1 { font-family: "DejaVu Serif", Georgia, serif; font-size: 1.9rem; line-height: 1.15; margin: 0 0 4mm; }
h2 { font-size: 1.3rem; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 0.3mm solid #ccc; }
h3 { font-size: 1.05rem; margin: 5mm 0 1.5mm; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
p, li { orphans: 2; widows: 2; }
ul, ol { padding-left: 6mm; }
li { margin: 0 0 1mm; }
blockquote { margin: 2mm 0; padding: 1mm 4mm; border-left: 1mm solid #999; color: #333; background: #f5f5f5; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm; font-size: 0.9rem; }
th, td { border: 0.2mm solid #bbb; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
tr { break-inside: avoid; page-break-inside: avoid; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }
pre { white-space: pre-wrap; font-size: 0.8rem; background: #f5f5f5; padding: 2mm; border: 0.2mm solid #ddd; }
hr { border: 0; border-top: 0.3mm solid #ccc; margin: 6mm 0 2mm; }
hr + p { font-size: 0.85rem; color: #444; }
figure { margin: 2mm 0 4mm; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 0.8rem; color: #555; margin-top: 1mm; }
svg.chart { display: block; width: 100%; height: auto; }
"""


def _no_markup(*_: Any) -> str:
    return ""


def _converter() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").disable("image")
    # A link prints as its text: nothing in a printed page should point anywhere.
    md.add_render_rule("link_open", _no_markup)
    md.add_render_rule("link_close", _no_markup)
    return md


_MD = _converter()


def markdown_body(markdown: str) -> str:
    """Safe Markdown as an HTML fragment: no raw HTML, no image, no link."""
    return str(_MD.render(markdown))


def document(title: str, body: str) -> str:
    """A complete, self-contained, printable HTML page around a body; ``title`` is plain text."""
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{html.escape(title)}</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            body.rstrip("\n"),
            "</body>",
            "</html>",
            "",
        ]
    )


def figure(svg: str, caption: str) -> str:
    """A chart with its caption (plain text)."""
    return f"<figure>\n{svg}\n<figcaption>{html.escape(caption)}</figcaption>\n</figure>\n"


def _heading(level: int, markdown: str) -> str:
    return markdown_body(f"{'#' * level} {markdown}").strip()


def after_heading(body: str, heading: str, insert: str, start: int = 0) -> tuple[str, int]:
    """``insert`` placed right after the first ``heading`` (rendered HTML) at or after ``start``.

    Returns the new body and where the search may go on from. A heading that is not there
    (a report that changed shape) puts the insert at the end rather than losing it.
    """
    at = body.find(heading, start)
    if at < 0:
        return body + insert, len(body) + len(insert)
    end = at + len(heading)
    return body[:end] + "\n" + insert + body[end:], end + 1 + len(insert)


def plan_html(state: GuideState, pattern: Pattern, library: Library, today: dt.date | None = None) -> str:
    """The take-away plan as a printable page."""
    return document(f"Plan: {pattern.title}", markdown_body(plan_markdown(state, pattern, library, today)))


def _when_labels(history: Sequence[Assessment]) -> list[str]:
    every = math.ceil(len(history) / MAX_DATE_LABELS)
    same_day = len({a.created_at.date() for a in history}) < len(history)
    form = "%d %b %H:%M" if same_day else "%d %b %Y"
    return [a.created_at.strftime(form) if i % every == 0 else "" for i, a in enumerate(history)]


def assessment_html(pattern: Pattern, history: list[Assessment], library: Library, today: dt.date | None = None) -> str:
    """A self-assessment as a printable page: its health bars and, over several readings, the trend line."""
    body = markdown_body(assessment_markdown(pattern, history, library, today))
    latest = history[-1].reading
    if latest.score is not None:
        bars = figure(sign_health_bars(latest.items), "How healthy each sign is in the latest reading.")
        body, _ = after_heading(body, _heading(2, "Vitality check"), bars)
    if len(history) > 1:
        points = [(when, a.reading.score) for when, a in zip(_when_labels(history), history, strict=True)]
        line = figure(score_line(points), "The score of each reading, over the rubric's levels.")
        body, _ = after_heading(body, _heading(2, "Trend"), line)
    return document(f"Self-assessment: {pattern.title}", body)


def report_html(
    workshop: Workshop,
    library: Library,
    answers: Sequence[WorkshopAnswer],
    votes: dict[str, str],
    participants: int,
    now: dt.datetime | None = None,
) -> str:
    """A workshop report as a printable page: the vote tally as bars, each pattern's room reading as a heat map."""
    body = markdown_body(report_markdown(workshop, library, answers, votes, participants, now))
    tally = tally_votes(votes, workshop.patterns)
    rows = [(library.patterns[s].title if s in library.patterns else s, n) for s, n in tally]
    chart = figure(vote_bars(rows), "Votes per pattern.")
    body, at = after_heading(body, _heading(2, "What the room chose to work on"), chart)
    for slug in workshop.patterns:
        pattern = library.patterns.get(slug)
        if pattern is None:
            continue
        room = room_reading(pattern, answers)
        if room.score is None:
            continue
        heat = figure(room_heat_map(room.signs), "How many in the room answered yes, partly or no to each sign.")
        body, at = after_heading(body, _heading(2, escape(pattern.title)), heat, at)
    return document(f"Workshop report: {workshop.title}", body)
