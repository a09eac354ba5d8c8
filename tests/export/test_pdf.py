"""PDF exports: real PDFs of the cards, the plan, a self-assessment and a workshop report, read back.

Each PDF is read with poppler's ``pdftotext`` (its text must carry the title, every sign and
the licence line) and its first page rendered with ``pdftoppm`` into test-output/export/ to
be looked at. A hostile pattern and plan must not make the renderer fetch anything: a
loopback HTTP server counts the requests it gets.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pattern_guide.cli import main
from pattern_guide.conversation.state import GuideState, Stage
from pattern_guide.export.cards import cards_html
from pattern_guide.export.html import assessment_html, plan_html, report_html
from pattern_guide.export.pdf import pdf_bytes, pdf_problem
from pattern_guide.library.loader import Library, load_libraries, parse_pattern
from pattern_guide.library.model import Pattern
from pattern_guide.vitality.assessment import Assessment
from pattern_guide.vitality.reading import reading
from pattern_guide.vitality.signs import Answer, VitalityItem, signs
from pattern_guide.workshop.model import Workshop, WorkshopAnswer
from tests.conftest import COMMONS, ROOT, STARTER, needs_commons

OUTPUT = ROOT / "test-output" / "export"
# A 1×1 PNG, for the one kind of URL the renderer may load: data:.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
STARTER_LICENCE = "CC-BY-SA-4.0"
STARTER_ATTRIBUTION = "Pattern Guide starter library, written for the Pattern Guide project"

pytestmark = [
    pytest.mark.skipif(pdf_problem() is not None, reason="WeasyPrint or Pango is missing (make install)"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is missing (make install)"),
]


def words(text: str) -> str:
    """Text with its whitespace collapsed, so line breaks in the PDF do not matter."""
    return " ".join(text.split())


def read_pdf(data: bytes, path: Path) -> tuple[int, str]:
    """Write the PDF, render its first page for a person to look at, return its page count and text."""
    assert data.startswith(b"%PDF-")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    preview = OUTPUT / path.stem
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(path), str(preview)])
    return pages, words(text)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_libraries([STARTER])


def assert_every_sign(pattern: Pattern, text: str) -> None:
    for sign in pattern.signs_of_life + pattern.signs_of_decay:
        assert words(sign) in text, sign


def test_a_page_becomes_a_pdf() -> None:
    data = pdf_bytes("<!doctype html><title>t</title><p>Hello, printed world.</p>")
    pages, text = read_pdf(data, OUTPUT / "hello.pdf")
    assert pages == 1 and "Hello, printed world." in text


def test_cards_pdf_shows_every_sign_and_the_licence(library: Library) -> None:
    pace = library.get("sustainable-pace")
    assert len(pace.signs_of_life) == 5
    chosen = [library.get("meeting-diet"), pace]
    pages, text = read_pdf(pdf_bytes(cards_html(chosen, "activist", title="Team day")), OUTPUT / "cards.pdf")
    assert 1 <= pages <= 2  # two cards share an A4 sheet; a long one may take its own
    for pattern in chosen:
        assert pattern.title in text
        assert_every_sign(pattern, text)
    assert text.count(f"Licence: {STARTER_LICENCE}") == 2
    assert text.count(f"Attribution: {STARTER_ATTRIBUTION}") == 2
    assert not re.search(r"and \d+ more", text)


@needs_commons
def test_a_commons_card_with_fifteen_signs_shows_them_all() -> None:
    path = COMMONS / "knowledge-commons-governance.md"
    if not path.is_file():
        pytest.skip("the Commons library has no knowledge-commons-governance.md")
    pattern = parse_pattern(path.read_text(encoding="utf-8"), str(path))
    assert len(pattern.signs_of_life) + len(pattern.signs_of_decay) >= 12
    pages, text = read_pdf(pdf_bytes(cards_html([pattern])), OUTPUT / "commons-card.pdf")
    assert pages <= 2
    html = cards_html([pattern])
    assert html.count("<li>") - len(pattern.steps) == len(pattern.signs_of_life) + len(pattern.signs_of_decay)
    for sign in pattern.signs_of_life + pattern.signs_of_decay:
        # Long signs are cut to their first sentence, marked with "…"; each one is there.
        assert words(sign)[:60] in text, sign
    assert "CC-BY-SA-4.0" in text and "commons.engineering by cloudsters" in text


def diet_state(library: Library) -> GuideState:
    diet = library.get("meeting-diet")
    items = [VitalityItem(kind=i.kind, text=i.text, answer=Answer.YES) for i in signs(diet)]
    items[2].answer, items[4].answer = Answer.NO, Answer.PARTLY
    return GuideState(
        stage=Stage.PLAN,
        situation="Too many meetings in our product team.",
        context="corporate",
        pattern="meeting-diet",
        notes={0: "Mostly syncs that could be emails", 1: "Listed 14 recurring meetings"},
        skipped=[2],
        vitality=items,
    )


def test_plan_pdf_has_the_steps_signs_and_licence(library: Library) -> None:
    diet = library.get("meeting-diet")
    html = plan_html(diet_state(library), diet, library, today=dt.date(2026, 11, 26))
    pages, text = read_pdf(pdf_bytes(html), OUTPUT / "plan.pdf")
    assert 2 <= pages <= 5
    assert "Plan: Meeting Diet" in text and "Too many meetings in our product team." in text
    for step in diet.steps:
        assert f"Step {step.number}: {step.title}" in text
    assert_every_sign(diet, text)
    assert f"Pattern text: {STARTER_LICENCE}, attribution: {STARTER_ATTRIBUTION}" in text


def history(pattern: Pattern) -> list[Assessment]:
    """Four readings, each with one more sign turned unhealthy: a falling score."""
    out = []
    for n in range(4):
        items = [VitalityItem(kind=i.kind, text=i.text, answer=Answer.YES) for i in signs(pattern)]
        for item in items[:n]:
            item.answer = Answer.NO if item.kind == "life" else Answer.YES
        out.append(
            Assessment(
                id=n,
                pattern_slug=pattern.slug,
                owner="me",
                answers={},
                reading=reading(items),
                created_at=dt.datetime(2026, 9, 1 + 7 * n, 10),
            )
        )
    return out


def test_assessment_pdf_has_its_charts_every_sign_and_licence(library: Library) -> None:
    diet = library.get("meeting-diet")
    kept = history(diet)
    scores = [a.reading.score for a in kept]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4
    html = assessment_html(diet, kept, library, today=dt.date(2026, 11, 26))
    assert html.count("<svg") == 2 and "<script" not in html
    pages, text = read_pdf(pdf_bytes(html), OUTPUT / "assessment.pdf")
    assert 2 <= pages <= 5
    assert "Self-assessment: Meeting Diet" in text
    assert_every_sign(diet, text)
    # The charts are drawn as text too: the health bar's scale, the levels and each score on the line.
    assert "unhealthy" in text and "Generative" in text and "Extractive" in text
    for score in scores:
        assert f"{score:.1f}" in text
    assert "08 Sep 2026" in text  # a date under the trend line
    assert f"{STARTER_LICENCE}, attribution: {STARTER_ATTRIBUTION}" in text


def test_report_pdf_has_vote_bars_heat_map_and_every_licence(library: Library) -> None:
    workshop = Workshop(
        id="w1", code="ABC234", key="k", title="Team day", patterns=["meeting-diet", "sustainable-pace"],
        created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    answers = [
        WorkshopAnswer(participant_id=person, pattern_slug="meeting-diet", sign=sign, answer=answer)
        for person, answer in (("p1", Answer.YES), ("p2", Answer.PARTLY), ("p3", Answer.NO))
        for sign in range(6)
    ]
    votes = {"p1": "sustainable-pace", "p2": "meeting-diet", "p3": "sustainable-pace"}
    html = report_html(workshop, library, answers, votes, 3, now=dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
    assert html.count("<svg") == 2  # the votes, and the one pattern the room rated
    assert html.index("Votes per pattern") < html.index("The room&#x27;s reading per sign")
    pages, text = read_pdf(pdf_bytes(html), OUTPUT / "report.pdf")
    assert 1 <= pages <= 4
    assert "Workshop report: Team day" in text and "Nobody rated its signs." in text
    assert "yes partly no health" in text  # the heat map's columns
    # Both patterns carry their licence, the one nobody rated too.
    assert text.count(f"{STARTER_LICENCE} — {STARTER_ATTRIBUTION}") == 2


class Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        Counting.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    Counting.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], Counting.requests
    finally:
        server.shutdown()
        server.server_close()


def hostile(port: int) -> Pattern:
    img = f'<img src="http://127.0.0.1:{port}/img">'
    text = f"""---
slug: hostile
title: 'Takeover <script>alert(1)</script> {img}'
license: "CC-BY-4.0 ![x](http://127.0.0.1:{port}/md-image)"
attribution: "Mallory <link rel=stylesheet href=http://127.0.0.1:{port}/css>"
---

A hostile pattern.

### Section 3: Solution

> **Therefore, trust {img} nothing.**

### Section 4: Implementation

**Step 1: Open <script>fetch('http://127.0.0.1:{port}/js')</script> the door.**

Do it.

### Section 8: Vitality

**Signs of life:**

- **Alive {img}.** People use it.
- **Styled.** <style>@import url(http://127.0.0.1:{port}/import);</style> quietly.
- **Three.** Yes.
- **Four.** Yes.
- **Five.** ![pic](http://127.0.0.1:{port}/sign-image) yes.

**Signs of decay:**

- **Hollow.** Nobody does anything.
"""
    return parse_pattern(text, "hostile.md")


def test_hostile_text_fetches_nothing(library: Library, listener: tuple[int, list[str]]) -> None:
    port, requests = listener
    pattern = hostile(port)
    assert len(pattern.signs_of_life) == 5
    state = GuideState(
        stage=Stage.PLAN,
        situation=f'<img src="http://127.0.0.1:{port}/situation"> <script>alert(1)</script>',
        pattern="hostile",
        notes={1: f"![x](http://127.0.0.1:{port}/note) <iframe src=http://127.0.0.1:{port}/frame>"},
    )
    texts = []
    for name, html in (
        ("hostile-cards", cards_html([pattern])),
        ("hostile-plan", plan_html(state, pattern, library)),
        ("hostile-assessment", assessment_html(pattern, history(pattern), library)),
    ):
        texts.append(read_pdf(pdf_bytes(html), OUTPUT / f"{name}.pdf")[1])
    assert requests == []
    cards_text, plan_text, _ = texts
    assert "Takeover <script>alert(1)</script>" in cards_text  # shown as text, never run
    assert "Five." in cards_text and "[image: pic]" in cards_text  # all 5 signs; the image as its alt text
    assert "<script>alert(1)</script>" in plan_text


def test_the_renderer_itself_refuses_every_url_but_data(listener: tuple[int, list[str]]) -> None:
    """Raw HTML that skipped every policy still fetches nothing: the fetcher refuses it."""
    port, requests = listener
    base = f"http://127.0.0.1:{port}"
    pixel = "data:image/png;base64," + base64.b64encode(PIXEL).decode()
    html = f"""<!doctype html><html><head>
<link rel="stylesheet" href="{base}/link.css">
<style>@import url("{base}/import.css");
@font-face {{ font-family: Remote; src: url("{base}/font.woff2"); }}
body {{ font-family: Remote; background: url("{base}/background.png"); }}</style>
</head><body><p>Still printed.</p><img src="{base}/img.png"><img src="file:///etc/hostname">
<object data="{base}/object"></object><iframe src="{base}/frame"></iframe>
<img src="{pixel}" alt="pixel"></body></html>"""
    data = pdf_bytes(html)
    pages, text = read_pdf(data, OUTPUT / "raw-hostile.pdf")
    assert requests == []
    assert pages == 1 and "Still printed." in text
    images = subprocess.run(
        ["pdfimages", "-list", str(OUTPUT / "raw-hostile.pdf")], capture_output=True, text=True, check=True
    ).stdout
    kinds = [line.split()[2] for line in images.splitlines()[2:]]
    assert kinds.count("image") == 1  # the data: pixel, and nothing else


def test_cards_command_writes_a_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    by_extension, by_flag = tmp_path / "cards.pdf", tmp_path / "cards.out"
    assert main(["cards", "sustainable-pace", "-o", str(by_extension), "--library", str(STARTER)]) == 0
    assert main(["cards", "sustainable-pace", "--pdf", "-o", str(by_flag), "--library", str(STARTER)]) == 0
    assert "1 card(s) written" in capsys.readouterr().err
    for path in (by_extension, by_flag):
        pages, text = read_pdf(path.read_bytes(), tmp_path / f"{path.stem}-read.pdf")
        assert pages == 1 and "Sustainable Pace" in text and "People stay." in text
