"""Printable pattern cards: one card per pattern, well-formed, self-contained, and inert pattern text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pattern_guide.cli import main
from pattern_guide.export.cards import cards_html
from pattern_guide.library.loader import Library, load_libraries, parse_pattern
from pattern_guide.library.model import Pattern
from tests.conftest import STARTER

SLUGS = ("meeting-diet", "sustainable-pace", "decision-rights-zones")
VOID = {"meta", "br", "hr", "img", "link", "input", "wbr", "col", "area", "base", "source"}


class Page(HTMLParser):
    """The parts of a cards document the tests look at: tags, nesting errors, and each card's text."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cards: list[list[str]] = []
        self.card_classes: list[set[str]] = []
        self.card_depth: int | None = None
        self.feed(document)
        self.close()
        self.errors += [f"<{tag}> never closed" for tag in self.stack]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        classes = set((attributes.get("class") or "").split())
        if tag == "article" and "card" in classes:
            if self.card_depth is not None:
                self.errors.append("a card inside a card")
            self.card_depth = len(self.stack)
            self.cards.append([])
            self.card_classes.append(set())
        elif self.card_depth is not None:
            self.card_classes[-1] |= classes
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag == "article" and self.card_depth == len(self.stack):
            self.card_depth = None

    def handle_data(self, data: str) -> None:
        if self.card_depth is not None:
            self.cards[-1].append(data)

    def card_text(self, index: int) -> str:
        return " ".join("".join(self.cards[index]).split())

    def tag_names(self) -> set[str]:
        return {tag for tag, _ in self.tags}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_libraries([STARTER])


@pytest.fixture(scope="module")
def three(library: Library) -> list[Pattern]:
    return [library.get(slug) for slug in SLUGS]


def test_one_card_per_pattern_with_its_parts(three: list[Pattern]) -> None:
    page = Page(cards_html(three))
    assert page.errors == []
    assert len(page.cards) == 3
    for index, pattern in enumerate(three):
        text = page.card_text(index)
        assert pattern.title in text
        assert pattern.tension and pattern.tension in text
        assert pattern.solution and pattern.solution.startswith("Therefore, ") and pattern.solution in text
        assert len(pattern.steps) >= 4
        for step in pattern.steps:
            assert step.title in text, step.title
        assert "CC-BY-SA-4.0" in text
        assert pattern.meta.attribution and pattern.meta.attribution in text
        # Every sign of each kind, in the file's order: none is left in the pattern file only.
        assert len(pattern.signs_of_life) >= 4 and len(pattern.signs_of_decay) >= 4
        positions = [text.index(sign) for sign in pattern.signs_of_life + pattern.signs_of_decay]
        assert positions == sorted(positions)
        assert not re.search(r"and \d+ more", text)
    # Cards come out in the order asked for.
    assert [page.card_text(i).find(p.title) for i, p in enumerate(three)] == [0, 0, 0]


def test_document_is_complete_html_with_print_rules(three: list[Pattern]) -> None:
    document = cards_html(three, title="Spring retreat, 14 March")
    assert document.lower().startswith("<!doctype html>")
    assert '<meta charset="utf-8">' in document
    assert "<title>Spring retreat, 14 March</title>" in document
    style = document.split("<style>")[1].split("</style>")[0]
    assert "@page" in style and "size: A4" in style
    assert "break-inside: avoid" in style and "page-break-inside: avoid" in style
    page = Page(document)
    assert page.errors == []
    assert all("Spring retreat, 14 March" in page.card_text(i) for i in range(3))


def test_card_without_workshop_title_has_no_workshop_line(three: list[Pattern]) -> None:
    page = Page(cards_html(three[:1]))
    assert "workshop" not in page.card_classes[0]
    assert "<title>Pattern cards</title>" in cards_html(three[:1])


def test_context_label_is_shown_for_the_chosen_context(three: list[Pattern]) -> None:
    diet = three[0]
    assert diet.context_label("activist") == "Meeting Detox"
    page = Page(cards_html(three, context="activist"))
    assert "goes-by" in page.card_classes[0]
    assert "In activist settings it goes by Meeting Detox" in page.card_text(0)
    for index, pattern in enumerate(three):
        label = pattern.context_label("activist")
        assert label and f"goes by {label}" in page.card_text(index)


def test_no_context_prints_no_goes_by_line(three: list[Pattern]) -> None:
    document = cards_html(three, context=None)
    page = Page(document)
    assert all("goes-by" not in classes for classes in page.card_classes)
    assert "goes by" not in document
    for pattern in three:
        for label in pattern.meta.context_labels.values():
            assert label not in document, label


def test_context_synonym_is_accepted_and_unknown_context_refused(three: list[Pattern]) -> None:
    assert "goes by Meeting Detox" in Page(cards_html(three[:1], context="Movement")).card_text(0)
    with pytest.raises(ValueError, match="Unknown context 'martian'"):
        cards_html(three, context="martian")


HOSTILE = """---
slug: hostile
title: '<script>alert(1)</script> Takeover'
summary: a summary
context_labels:
  activist: "<b onmouseover=alert(4)>Detox</b>"
ontology:
  search_hints:
    primary_tension: "Safety vs. <iframe src=javascript:alert(5)>"
license: "CC-BY-4.0 <a href=https://evil.example>x</a>"
attribution: "Ana & Ben <svg onload=alert(6)>"
---

A hostile pattern.

### Section 3: Solution

> **Therefore, trust <img src=x onerror=alert(7)> nothing.**

### Section 4: Implementation

**Step 1: Open <script>alert(2)</script> the door.**

Do it.

**Step 2: Keep *calm* and `carry` on.**

Still.

### Section 8: Vitality

**Signs of life:**

- **Alive <img src=x onerror=alert(1)>.** People use it.
- **Plain.** It is *really* used.

**Signs of decay:**

- **Hollow.** Nobody does </article></div> anything.
"""


def hostile() -> Pattern:
    return parse_pattern(HOSTILE, "hostile.md")


def test_hostile_pattern_text_stays_text() -> None:
    pattern = hostile()
    # The parser keeps the markup, so the cards are what must neutralise it.
    assert "<script>" in pattern.title and "<script>" in pattern.steps[0].title
    assert "onerror=" in pattern.signs_of_life[0] and "onerror=" in (pattern.solution or "")
    document = cards_html([pattern], context="activist")
    page = Page(document)
    assert page.errors == []
    assert len(page.cards) == 1
    body = document.split("</style>")[1]
    for raw in ("<script", "<img", "<iframe", "<svg", "<b ", "<a ", "</article></div>"):
        assert raw not in body, raw
    assert not {"script", "img", "iframe", "svg", "a", "b"} & page.tag_names()
    assert all(not name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Takeover" in document
    assert "&lt;img src=x onerror=alert(1)&gt;" in document
    assert "&lt;b onmouseover=alert(4)&gt;Detox&lt;/b&gt;" in document
    assert "Ana &amp; Ben &lt;svg onload=alert(6)&gt;" in document
    text = page.card_text(0)
    assert "Open <script>alert(2)</script> the door" in text
    assert "Therefore, trust <img src=x onerror=alert(7)> nothing." in text
    assert "Nobody does </article></div> anything." in text


def test_markdown_emphasis_is_stripped_to_plain_text() -> None:
    text = Page(cards_html([hostile()])).card_text(0)
    assert "Keep calm and carry on" in text
    assert "Plain. It is really used." in text
    assert "*" not in text and "`" not in text


def test_long_sign_is_cut_to_its_first_sentence() -> None:
    long_sign = "Newcomers teach the practice to others within weeks. " + "They explain why it matters. " * 8
    text = HOSTILE.replace("- **Plain.** It is *really* used.", f"- {long_sign}")
    card = Page(cards_html([parse_pattern(text, "hostile.md")])).card_text(0)
    assert "Newcomers teach the practice to others within weeks." in card
    assert "They explain why it matters." not in card


def test_no_external_resources(library: Library) -> None:
    document = cards_html(list(library.patterns.values()), context="tech", title="All starter cards")
    page = Page(document)
    assert page.errors == []
    assert len(page.cards) == len(library.patterns) == 41
    lowered = document.lower()
    for needle in ("http://", "https://", "<script", "<link", "<img", "<iframe", "@import", "url("):
        assert needle not in lowered, needle
    assert all("src" not in attrs and "href" not in attrs for _, attrs in page.tags)
    assert page.tag_names() <= {
        "html", "head", "meta", "title", "style", "body", "article", "header", "footer",
        "section", "div", "h2", "h3", "p", "span", "strong", "ol", "ul", "li",
    }  # fmt: skip


def test_empty_selection_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one pattern"):
        cards_html([])


def test_cards_command_writes_a_printable_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cards.html"
    code = main(["cards", "meeting-diet", "sustainable-pace", "--context", "activist", "--title", "Retreat",
                 "-o", str(out), "--library", str(STARTER)])  # fmt: skip
    assert code == 0 and "2 card(s) written" in capsys.readouterr().err
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and html.count('<article class="card"') == 2
    assert "Meeting Diet" in html and "Sustainable Pace" in html and "Retreat" in html

    assert main(["cards", "no-such-pattern", "--library", str(STARTER)]) == 2
    assert "no-such-pattern" in capsys.readouterr().err
