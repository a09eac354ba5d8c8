"""Printable pattern cards for workshops: one self-contained HTML file, one card per pattern.

Pattern files are user content, so every piece of their text goes through the rendering
policy (images to "[image: alt]", links to their text and host), is stripped of Markdown
emphasis and then HTML-escaped; nothing from a pattern ever reaches the page as markup.
The document loads nothing from outside (no fonts, scripts or images), so it prints the
same offline as on.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from pattern_guide.errors import InputError
from pattern_guide.export.charts import inert as _esc
from pattern_guide.export.charts import plain_text as _plain
from pattern_guide.library.contexts import normalise_context
from pattern_guide.library.model import Pattern
from pattern_guide.text import sentences

# Longer step lists go in two columns so the card still fits half a page.
TWO_COLUMN_STEPS = 6
# Every sign is printed; past this many (life and decay together) they are set smaller.
DENSE_SIGNS = 8

# Cards are A5 landscape, so two share an A4 portrait page and are cut along the dashed border.
# No forced page breaks: a card too long for half a page (long commons patterns) simply takes
# a page of its own, and `break-inside: avoid` keeps every card in one piece.
_STYLE = """
@page { size: A4 portrait; margin: 8mm; }
* { box-sizing: border-box; }
html { font-size: 9.5pt; }
body {
  margin: 0; color: #1a1a1a; background: #fff;
  font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; line-height: 1.35;
}
.card {
  display: flex; flex-direction: column;
  width: 100%; min-height: 136mm; margin: 0 0 4mm; padding: 6mm 7mm 4mm;
  border: 0.3mm dashed #888; break-inside: avoid; page-break-inside: avoid;
}
.workshop { margin: 0 0 1.5mm; font-size: 0.85rem; color: #555; text-transform: uppercase; letter-spacing: 0.04em; }
h2 {
  margin: 0; font-family: Georgia, "Times New Roman", "Liberation Serif", serif; font-size: 1.75rem; line-height: 1.15;
}
.goes-by { margin: 0.8mm 0 0; font-style: italic; color: #333; }
.tension { margin: 2.5mm 0 0; font-weight: bold; }
.tension span {
  font-weight: normal; color: #555; text-transform: uppercase; font-size: 0.8rem; letter-spacing: 0.05em;
}
.solution { margin: 2mm 0 0; padding: 1.5mm 3mm; border-left: 1mm solid #444; background: #f2f2f2; }
h3 {
  margin: 3mm 0 1mm; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: #555;
}
ol, ul { margin: 0; padding-left: 5mm; }
li { margin: 0 0 0.6mm; break-inside: avoid; }
ol.many { columns: 2; column-gap: 8mm; }
.signs { display: flex; gap: 5mm; }
.signs > section { flex: 1; }
.signs li { font-size: 0.9rem; }
.signs.dense li { font-size: 0.78rem; margin-bottom: 0.3mm; }
.life h3 { color: #2d6a2d; }
.decay h3 { color: #8a3b12; }
footer {
  margin-top: auto; padding-top: 2mm; border-top: 0.2mm solid #ccc; font-size: 0.75rem; color: #555;
}
@media screen {
  body { background: #e8e8e8; padding: 6mm; }
  .card { max-width: 210mm; margin: 0 auto 6mm; background: #fff; }
}
"""

# "Headline. The detail." — the headline is printed bold; longer first sentences are not headlines.
_HEADLINE = re.compile(r"^(.{3,80}?[.!?])\s+(\S.*)$", re.DOTALL)
# A sign longer than this is cut to its first sentence: the card is a prompt, the pattern file the reference.
LONG_SIGN = 180


def _shorten(sign: str) -> str:
    """A long sign cut to its first sentence (marked "…"), and that to LONG_SIGN characters at a word."""
    if len(sign) <= LONG_SIGN:
        return sign
    first = (sentences(sign) or [sign])[0]
    if len(first) <= LONG_SIGN:
        return first + " …"
    return first[:LONG_SIGN].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _sign(text: str) -> str:
    sign = _shorten(_plain(text))
    match = _HEADLINE.match(sign)
    if not match:
        return f"<li>{html.escape(sign)}</li>"
    return f"<li><strong>{html.escape(match.group(1))}</strong> {html.escape(match.group(2))}</li>"


def _signs(kind: str, heading: str, signs: list[str]) -> list[str]:
    if not signs:
        return []
    items = [_sign(s) for s in signs]
    return [f'<section class="{kind}">', f"<h3>{heading}</h3>", "<ul>", *items, "</ul>", "</section>"]


def _footer(pattern: Pattern) -> str:
    meta = pattern.meta
    licence = f"Licence: {_esc(meta.license)}" if meta.license else "Licence not stated in the pattern file"
    attribution = f"Attribution: {_esc(meta.attribution)}" if meta.attribution else "attribution not stated"
    parts = [_esc(pattern.slug), licence, attribution]
    return f"<footer>{' · '.join(parts)}</footer>"


def _card(pattern: Pattern, context: str | None, title: str | None) -> list[str]:
    out = ['<article class="card">', "<header>"]
    if title:
        out.append(f'<p class="workshop">{_esc(title)}</p>')
    out.append(f"<h2>{_esc(pattern.title)}</h2>")
    label = pattern.context_label(context)
    if context and label:
        out.append(f'<p class="goes-by">In {_esc(context)} settings it goes by <strong>{_esc(label)}</strong></p>')
    out.append("</header>")
    if pattern.tension:
        out.append(f'<p class="tension"><span>Tension</span> {_esc(pattern.tension)}</p>')
    solution = pattern.solution or pattern.meta.summary
    if solution:
        out.append(f'<p class="solution">{_esc(solution)}</p>')
    if pattern.steps:
        many = ' class="many"' if len(pattern.steps) > TWO_COLUMN_STEPS else ""
        out += ["<h3>Steps</h3>", f"<ol{many}>", *(f"<li>{_esc(step.title)}</li>" for step in pattern.steps), "</ol>"]
    signs = [
        *_signs("life", "Signs of life", pattern.signs_of_life),
        *_signs("decay", "Signs of decay", pattern.signs_of_decay),
    ]
    if signs:
        dense = len(pattern.signs_of_life) + len(pattern.signs_of_decay) > DENSE_SIGNS
        out += ['<div class="signs dense">' if dense else '<div class="signs">', *signs, "</div>"]
    out += [_footer(pattern), "</article>"]
    return out


def cards_html(patterns: Sequence[Pattern], context: str | None = None, title: str | None = None) -> str:
    """A complete, self-contained HTML document with one printable card per pattern."""
    if not patterns:
        raise InputError("No patterns to print — choose at least one pattern for the cards.")
    context = normalise_context(context)
    heading = _esc(title) if title else "Pattern cards"
    body = [line for pattern in patterns for line in _card(pattern, context, title)]
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{heading}</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )
