"""Printable pages and their charts: Markdown to inert HTML, inline SVG that carries only text and shapes."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from pattern_guide.export.charts import health_colour, room_heat_map, score_line, sign_health_bars, vote_bars
from pattern_guide.export.html import after_heading, document, markdown_body
from pattern_guide.vitality.reading import SignHealth
from pattern_guide.vitality.signs import Answer
from pattern_guide.workshop.room import SignTally

HOSTILE = '<script>alert(1)</script> <img src="http://127.0.0.1:9/x"> **Bold** [site](https://evil.example/a)'
SVG_TAGS = {"svg", "title", "text", "rect", "line", "polyline", "circle"}


def test_markdown_keeps_formatting_but_no_html_image_or_link() -> None:
    body = markdown_body(f"# Head\n\n{HOSTILE}\n\n![pic](http://127.0.0.1:9/pic)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h1>Head</h1>" in body and "<strong>Bold</strong>" in body and "<table>" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "&lt;img src=" in body
    assert not re.search(r"<(script|img|a)\b", body)
    assert "site" in body and "href" not in body and "src=" not in body.replace("&lt;img src=", "")


def test_document_is_self_contained() -> None:
    page = document("Plan: <b>x</b>", "<p>hi</p>")
    assert page.startswith("<!doctype html>") and "<title>Plan: &lt;b&gt;x&lt;/b&gt;</title>" in page
    style = page.split("<style>")[1].split("</style>")[0]
    assert "size: A4" in style and "counter(pages)" in style
    for needle in ("url(", "@import", "http", "<link", "<script"):
        assert needle not in page, needle


def test_after_heading_inserts_in_order_and_never_loses_the_insert() -> None:
    body = "<h2>A</h2><p>a</p><h2>B</h2><p>b</p>"
    body, at = after_heading(body, "<h2>A</h2>", "[1]")
    body, at = after_heading(body, "<h2>B</h2>", "[2]", at)
    assert body.index("[1]") < body.index("<h2>B</h2>") < body.index("[2]") < body.index("<p>b</p>")
    body, _ = after_heading(body, "<h2>A</h2>", "[3]", at)  # already passed: goes to the end
    assert body.endswith("[3]")


def parse(svg: str) -> ElementTree.Element:
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own output, made in this test)
    tags = {element.tag.split("}")[1] for element in root.iter()}
    assert tags <= SVG_TAGS, tags
    assert all(not name.startswith("on") and "href" not in name for e in root.iter() for name in e.attrib)
    return root


def texts(root: ElementTree.Element) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter() if e.tag.endswith("text")]


def widths(root: ElementTree.Element, fill: str | None = None) -> list[float]:
    return [float(e.attrib["width"]) for e in root.iter() if e.tag.endswith("rect") and fill in (None, e.get("fill"))]


def test_health_colour_runs_from_warm_to_green() -> None:
    assert health_colour(0) == "#b4451d" and health_colour(1) == "#3c8a3e" and health_colour(0.5) == "#e3b53c"
    assert health_colour(-3) == health_colour(0) and health_colour(7) == health_colour(1)


def test_sign_bars_are_as_long_as_the_sign_is_healthy_and_labels_stay_text() -> None:
    items = [
        SignHealth(kind="life", text=HOSTILE, answer=Answer.YES, health=1.0),
        SignHealth(kind="decay", text="Zombie meetings return.", answer=Answer.PARTLY, health=0.5),
        SignHealth(kind="life", text="Unanswered.", answer=None, health=None),
    ]
    root = parse(sign_health_bars(items))
    words = texts(root)
    assert words[2].startswith("1. (life) <script>alert(1)</script>")  # shown as text, the element has no children
    assert "2. (decay) Zombie meetings return." in words and "not answered" in words
    track = widths(root, "#eee")
    bars = [float(e.attrib["width"]) for e in root.iter() if e.tag.endswith("rect") and e.get("fill") != "#eee"]
    assert len(track) == 3 and len(bars) == 2  # no bar for the unanswered sign
    assert bars[0] == track[0] and abs(bars[1] * 2 - bars[0]) < 0.2


def test_score_line_has_a_point_and_label_per_reading() -> None:
    root = parse(score_line([("01 Sep", 1.0), ("08 Sep", 4.5), ("15 Sep", None)]))
    assert len([e for e in root.iter() if e.tag.endswith("circle")]) == 2
    assert {"1.0", "4.5", "01 Sep", "15 Sep", "Generative", "Extractive"} <= set(texts(root))
    [line] = [e for e in root.iter() if e.tag.endswith("polyline")]
    (_, y1), (_, y2) = (map(float, p.split(",")) for p in line.attrib["points"].split())
    assert y2 < y1  # a higher score is drawn higher


def test_vote_bars_are_proportional_to_votes() -> None:
    root = parse(vote_bars([("Sustainable Pace", 4), ("Meeting <Diet>", 2), ("Nobody", 0)]))
    assert widths(root, "#1f4e79") == [widths(root, "#1f4e79")[0], widths(root, "#1f4e79")[0] / 2]
    assert {"Sustainable Pace", "Meeting <Diet>", "Nobody", "0"} <= set(texts(root))


def test_heat_map_counts_and_health_per_sign() -> None:
    tally = SignTally(kind="life", text="Read.", counts={Answer.YES: 3, Answer.PARTLY: 1, Answer.NO: 0}, health=0.875)
    root = parse(room_heat_map([tally, SignTally(kind="decay", text="Nobody answered.")]))
    words = texts(root)
    assert words[:4] == ["yes", "partly", "no", "health"]
    assert {"1. (life) Read.", "3", "1", "0", "0.88", "2. (decay) Nobody answered.", "—"} <= set(words)
