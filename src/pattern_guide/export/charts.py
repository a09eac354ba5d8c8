"""Charts for the printed exports, as inline SVG: no script, no font or image fetched, nothing remote.

Each function returns one ``<svg>`` element sized to the page width (``width="100%"`` and a
viewBox), with every value also written as text so the chart still reads in black and white.
Labels come from pattern files or people, so they pass through :func:`inert` first.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from pattern_guide.text import plain, safe_markdown, shorten, unescape
from pattern_guide.vitality.reading import LEVELS, SignHealth
from pattern_guide.vitality.signs import Answer
from pattern_guide.workshop.room import SignTally

WIDTH = 640
ROW = 22
CHAR = 6.6  # width of an average character at the charts' 11 px, to fit labels in their column
_FONT = 'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"'
# Health 0 → 1 as a warm-to-green ramp that also differs in lightness, for grey printers.
_RAMP = ((0.0, (0xB4, 0x45, 0x1D)), (0.5, (0xE3, 0xB5, 0x3C)), (1.0, (0x3C, 0x8A, 0x3E)))


def plain_text(text: str | None) -> str:
    """Untrusted Markdown read through the rendering policy as the words a reader sees, on one line."""
    return " ".join(plain(unescape(safe_markdown(text))).split())


def inert(text: str | None) -> str:
    """Untrusted text as inert HTML/SVG text: read through the policy, then escaped."""
    return html.escape(plain_text(text), quote=True)


def health_colour(health: float) -> str:
    """A sign's health (0 = unhealthy, 1 = healthy) as a fill colour."""
    health = min(1.0, max(0.0, health))
    for (low, a), (high, b) in zip(_RAMP, _RAMP[1:], strict=False):
        if health <= high:
            t = (health - low) / (high - low)
            return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))
    return "#3c8a3e"


def _sign_label(n: int, kind: str, text: str, room: float) -> str:
    """ "3. (life) Sign text…", cut to fit ``room`` px; the full sign is in the text beside the chart."""
    prefix = f"{n}. ({'life' if kind == 'life' else 'decay'}) "
    return html.escape(prefix + shorten(plain_text(text), max(8, int(room / CHAR) - len(prefix))))


def _on(fill_health: float) -> str:
    """Text colour that reads on a health-coloured cell."""
    return ' fill="#fff"' if fill_health < 0.3 or fill_health > 0.75 else ' fill="#1a1a1a"'


def _svg(height: int, body: list[str], title: str) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" '
            f'viewBox="0 0 {WIDTH} {height}" {_FONT} font-size="11">',
            f"<title>{html.escape(title)}</title>",
            *body,
            "</svg>",
        ]
    )


def _text(x: float, y: float, words: str, anchor: str = "start", extra: str = "") -> str:
    """An SVG text element; ``words`` must already be escaped."""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{words}</text>'


def sign_health_bars(items: Sequence[SignHealth]) -> str:
    """One bar per sign: how healthy its answer is (a full bar is healthy), unanswered signs marked."""
    left, right = 320, WIDTH - 50
    body: list[str] = []
    y = 18
    body.append(_text(left, y - 6, "unhealthy", extra=' fill="#555" font-size="9"'))
    body.append(_text(right, y - 6, "healthy", "end", ' fill="#555" font-size="9"'))
    for n, item in enumerate(items, start=1):
        body.append(_text(0, y + 14, _sign_label(n, item.kind, item.text, left - 8)))
        body.append(f'<rect x="{left}" y="{y + 3}" width="{right - left}" height="14" fill="#eee"/>')
        if item.health is None:
            body.append(_text(left + 4, y + 14, "not answered", extra=' fill="#555" font-style="italic"'))
        else:
            width = max(1.0, (right - left) * item.health)
            body.append(
                f'<rect x="{left}" y="{y + 3}" width="{width:.1f}" height="14" fill="{health_colour(item.health)}"/>'
            )
            answer = item.answer.value if item.answer else ""
            body.append(_text(right + 4, y + 14, html.escape(answer)))
        y += ROW
    return _svg(y + 6, body, "Health of each sign")


def score_line(points: Sequence[tuple[str, float | None]]) -> str:
    """The score (0–5) of each assessment in order, as a line over the rubric's level bands."""
    left, right, top, bottom = 90, WIDTH - 20, 12, 182
    span = bottom - top

    def y_of(score: float) -> float:
        return bottom - span * score / 5

    body: list[str] = []
    ceiling = 5.0
    for name, floor, _ in LEVELS:  # highest level first
        shade = health_colour(floor / 5)
        body.append(
            f'<rect x="{left}" y="{y_of(ceiling):.1f}" width="{right - left}" '
            f'height="{y_of(floor) - y_of(ceiling):.1f}" fill="{shade}" fill-opacity="0.15"/>'
        )
        body.append(_text(left - 6, (y_of(ceiling) + y_of(floor)) / 2 + 4, name, "end", ' fill="#555"'))
        ceiling = floor
    body.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#888"/>')
    inner_left, inner_right = left + 36, right - 36  # room for the first and last date
    step = (inner_right - inner_left) / max(1, len(points) - 1)
    xs = [inner_left + step * i if len(points) > 1 else (left + right) / 2 for i in range(len(points))]
    scored = [(x, score) for x, (_, score) in zip(xs, points, strict=True) if score is not None]
    if len(scored) > 1:
        path = " ".join(f"{x:.1f},{y_of(score):.1f}" for x, score in scored)
        body.append(f'<polyline points="{path}" fill="none" stroke="#1f4e79" stroke-width="2"/>')
    for x, score in scored:
        body.append(f'<circle cx="{x:.1f}" cy="{y_of(score):.1f}" r="3.5" fill="#1f4e79"/>')
        body.append(_text(x, y_of(score) - 7, f"{score:.1f}", "middle", ' font-weight="bold"'))
    for x, (when, _) in zip(xs, points, strict=True):
        body.append(_text(x, bottom + 14, html.escape(when), "middle", ' fill="#555" font-size="9"'))
    return _svg(bottom + 22, body, "Score over time")


def vote_bars(rows: Sequence[tuple[str, int]]) -> str:
    """One bar per pattern: how many votes it got. ``rows`` are (title, votes), most votes first."""
    left, right = 260, WIDTH - 40
    most = max((count for _, count in rows), default=0) or 1
    body: list[str] = []
    y = 4
    for title, count in rows:
        body.append(_text(0, y + 13, html.escape(shorten(plain_text(title), int((left - 8) / CHAR)))))
        width = (right - left) * count / most
        if count:
            body.append(f'<rect x="{left}" y="{y + 2}" width="{width:.1f}" height="14" fill="#1f4e79"/>')
        body.append(_text(left + width + 5, y + 13, str(count)))
        y += ROW
    return _svg(y + 4, body, "Votes per pattern")


def room_heat_map(signs: Sequence[SignTally]) -> str:
    """The room per sign: how many answered yes / partly / no (shaded by share) and the sign's health."""
    left, cell = 330, 64
    columns = [a.value for a in Answer] + ["health"]
    body = [_text(left + cell * (i + 0.5), 14, name, "middle", ' font-weight="bold"') for i, name in enumerate(columns)]
    y = 20
    for n, sign in enumerate(signs, start=1):
        body.append(_text(0, y + 15, _sign_label(n, sign.kind, sign.text, left - 8)))
        total = sign.answered or 1
        for i, answer in enumerate(Answer):
            count = sign.counts.get(answer, 0)
            x = left + cell * i
            body.append(
                f'<rect x="{x}" y="{y + 2}" width="{cell - 2}" height="{ROW - 2}" '
                f'fill="#1f4e79" fill-opacity="{0.08 + 0.72 * count / total:.2f}"/>'
            )
            colour = ' fill="#fff"' if count / total > 0.5 else ""
            body.append(_text(x + cell / 2 - 1, y + 15, str(count), "middle", colour))
        x = left + cell * 3
        if sign.health is None:
            body.append(f'<rect x="{x}" y="{y + 2}" width="{cell - 2}" height="{ROW - 2}" fill="#eee"/>')
            body.append(_text(x + cell / 2 - 1, y + 15, "—", "middle"))
        else:
            fill = health_colour(sign.health)
            body.append(f'<rect x="{x}" y="{y + 2}" width="{cell - 2}" height="{ROW - 2}" fill="{fill}"/>')
            body.append(_text(x + cell / 2 - 1, y + 15, f"{sign.health:.2f}", "middle", _on(sign.health)))
        y += ROW
    return _svg(y + 4, body, "The room's reading per sign")
