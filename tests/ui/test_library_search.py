"""The Library page's list: readable domains, badges, filters, paging, search results and "no pattern matches"."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from pattern_guide.assistant import Engine
from pattern_guide.library.loader import Library, load_libraries
from pattern_guide.replies.phrasing import status
from pattern_guide.text import unescape
from pattern_guide.ui.library_page import radar
from pattern_guide.ui.library_search import Filters, badge, catalogue, domain_name, filtered, page_of
from tests.conftest import COMMONS, needs_commons, open_page


def _library_script() -> None:
    from pattern_guide.ui import library_page

    library_page.render()


def captions(app: Any) -> list[str]:
    """The captions as a person reads them (Markdown escapes undone)."""
    return [unescape(c.value) for c in app.caption]


def open_buttons(app: Any) -> list[Any]:
    return [b for b in app.button if b.key and str(b.key).startswith("open-")]


def titles(app: Any) -> dict[str, str]:
    """Each listed pattern's slug and its title as the person reads it (bold, escapes undone)."""
    return {str(b.key).removeprefix("open-"): unescape(b.label.strip("*")) for b in open_buttons(app)}


# -- the pure parts -------------------------------------------------------------------------------------


def test_domain_names_read_as_words() -> None:
    assert domain_name("deep-work-flow") == "Deep work & flow"
    assert domain_name("governance-decisions") == "Governance & decisions"
    assert domain_name("cognitive-biases-heuristics") == "Cognitive Biases Heuristics"
    assert domain_name("platform_governance") == "Platform Governance"
    assert domain_name(None) == domain_name("  ") == "No domain"


def test_the_badge_warns_about_early_drafts_only() -> None:
    assert badge("draft", 1.0, early=True) == "draft · confidence 1/3 — an early pattern, use with care"
    assert badge("stable", 3.0, early=False) == "stable · confidence 3/3"
    assert badge(None, None, early=False) == "status not stated · confidence not stated"


def test_the_guide_says_when_an_offered_pattern_is_an_early_draft(hashing_starter: Engine) -> None:
    library = hashing_starter.library
    early = library.patterns["acceptance-and-commitment"]  # status draft, confidence 2
    assert (early.meta.lifecycle.status, early.meta.lifecycle.confidence) == ("draft", 2)
    assert "draft — an early pattern" in status(early)
    tried = library.patterns["meeting-diet"]  # stable
    assert "early" not in status(tried) and "stable" in status(tried)


def test_filters_keep_only_what_they_name_and_pages_cover_the_rest(hashing_starter: Engine) -> None:
    library = hashing_starter.library
    found = catalogue(library)
    assert catalogue(library) is found, "built once per library"
    assert len(found.entries) == len(library.patterns) == 41
    assert [e.title.lower() for e in found.entries] == sorted(e.title.lower() for e in found.entries)
    deep = filtered(found.entries, Filters(domains=frozenset({"deep-work-flow"})))
    assert deep and {e.domain for e in deep} == {"deep-work-flow"}
    assert len(deep) == sum(1 for p in library.patterns.values() if p.meta.ontology.domain == "deep-work-flow")
    sure = filtered(found.entries, Filters(min_confidence=3))
    assert sure and all(library.patterns[e.slug].meta.lifecycle.confidence == 3 for e in sure)
    drafts = filtered(found.entries, Filters(statuses=frozenset({"draft"})))
    assert {e.slug for e in drafts} == {s for s, p in library.patterns.items() if p.meta.lifecycle.status == "draft"}
    assert all("an early pattern" in e.badge for e in drafts if e.confidence <= 2)
    first, second = page_of(found.entries, 1), page_of(found.entries, 2)
    assert first.caption == "Patterns 1–25 of 41" and second.caption == "Patterns 26–41 of 41"
    assert first.items + second.items == found.entries
    assert page_of(found.entries, 9).number == 2 and page_of([], 1).caption == "No patterns to show."


def test_a_reloaded_library_gets_its_own_catalogue(tmp_path: Path, make_pattern: Any) -> None:
    make_pattern(tmp_path, "only-one")
    before = load_libraries([tmp_path])
    make_pattern(tmp_path, "and-another")
    after = load_libraries([tmp_path])
    assert len(catalogue(before).entries) == 1 and len(catalogue(after).entries) == 2


def test_the_radar_labels_each_axis_with_its_score() -> None:
    chart = radar({"resilience": 3.0, "ownership": 4.5, "vitality": 2.25})
    spec = chart.to_dict()
    datasets = [rows for rows in spec["datasets"].values()]
    labels = {row["label"] for rows in datasets for row in rows if "label" in row}
    assert {"resilience 3.0", "ownership 4.5", "vitality 2.2"} <= labels
    assert any(layer.get("encoding", {}).get("text", {}).get("field") == "label" for layer in spec["layer"])


# -- the page over the starter library (hashing index: the words, not their meaning) ------------------


def test_browsing_pages_through_the_library(page_env: Path) -> None:
    app = open_page(_library_script)
    assert captions(app)[0] == "41 patterns loaded"
    assert "Patterns 1–25 of 41" in captions(app)
    listed = titles(app)
    assert len(listed) == 25 and listed["acceptance-and-commitment"] == "Acceptance and Commitment (draft)"
    assert "Culture & wellbeing · draft · confidence 2/3 — an early pattern, use with care" in captions(app)
    previous, following = (next(b for b in app.button if b.label.startswith(w)) for w in ("← Previous", "Next"))
    assert previous.disabled and not following.disabled
    following.click().run()
    assert not app.exception, app.exception
    assert "Patterns 26–41 of 41" in captions(app) and len(open_buttons(app)) == 16
    assert len(app.selectbox[0].options) == 16, "the picker offers the page, not the whole library"
    assert next(b for b in app.button if b.label.startswith("Next")).disabled


def test_filters_narrow_the_list_with_readable_names(page_env: Path) -> None:
    app = open_page(_library_script)
    domain = app.multiselect[0]
    assert "Deep work & flow (6)" in domain.options and all("-" not in o for o in domain.options)
    domain.select("deep-work-flow").run()
    assert not app.exception, app.exception
    assert "Patterns 1–6 of 6 (filtered from 41)" in captions(app)
    assert all(c.startswith("Deep work & flow ·") for c in captions(app) if " · confidence" in c)
    app.multiselect[1].select("draft").run()
    app.select_slider[0].set_value(3).run()
    assert "No patterns to show. (filtered from 41)" in captions(app)


def test_a_result_shows_its_name_in_the_context_and_opens(page_env: Path) -> None:
    app = open_page(_library_script)
    app.text_input[0].input("too many meetings").run()
    app.get("button_group")[0].set_value("activist").run()
    assert not app.exception, app.exception
    rows = open_buttons(app)
    assert list(titles(app).values())[0] == "Meeting Diet"
    text = " ".join(m.value for m in app.markdown)
    assert "In activist contexts: **Meeting Detox**" in text and "*Why it matched* — “" in text
    assert "Deep work & flow · stable · confidence 2/3" in captions(app)
    rows[0].click().run()
    assert app.header[0].value == "Meeting Diet" and app.query_params["pattern"] == "meeting-diet"
    assert app.radio[0].value == "activist", "the lens starts in the context chosen for the results"


def test_nonsense_matches_nothing(page_env: Path) -> None:
    app = open_page(_library_script)
    app.text_input[0].input("asdf qwerty").run()
    assert not app.exception, app.exception
    notes = [i.value for i in app.info]
    assert "No pattern matches “asdf qwerty”. Try describing what keeps happening in your group." in notes
    assert not open_buttons(app)


# -- meaning: the real model over the starter library --------------------------------------------------


@pytest.mark.parametrize("query", ["asdf qwerty", "what's the weather in Paris"])
def test_off_topic_and_nonsense_queries_match_nothing(app_env: Path, query: str) -> None:
    app = open_page(_library_script)
    app.text_input[0].input(query).run()
    assert any(i.value.startswith(f"No pattern matches “{query}”") for i in app.info), [i.value for i in app.info]
    assert not open_buttons(app)


def test_an_on_topic_query_is_answered_with_results(app_env: Path) -> None:
    app = open_page(_library_script)
    app.text_input[0].input("our volunteers are exhausted and keep dropping out").run()
    assert not [i.value for i in app.info if i.value.startswith("No pattern matches")]
    found = [t.removesuffix(" (draft)") for t in titles(app).values()]
    assert "Care for the Carers" in found[:3], found
    assert "Why it matched" in " ".join(m.value for m in app.markdown)


# -- scale: the Commons library (3,616 files), browsing and filtering without a search ------------------


@pytest.fixture(scope="module")
def commons() -> Library:
    return load_libraries([COMMONS])


@needs_commons
@pytest.mark.slow
def test_the_commons_catalogue_filters_and_pages_fast(commons: Library) -> None:
    started = time.perf_counter()
    found = catalogue(commons)
    built = time.perf_counter() - started
    assert len(found.entries) == len(commons.patterns) > 3000
    names = {domain_name(d) for d in found.domains}
    assert "Deep work & flow" in names and "Change Adaptation" in names and "No domain" in names
    started = time.perf_counter()
    for _ in range(20):
        narrowed = filtered(found.entries, Filters(statuses=frozenset({"draft"}), min_confidence=2))
        page = page_of(narrowed, 3)
    per_rerun = (time.perf_counter() - started) / 20
    assert page.caption == f"Patterns 51–75 of {len(narrowed):,}"
    assert built < 3.0 and per_rerun < 0.05, (built, per_rerun)


@needs_commons
@pytest.mark.slow
def test_the_page_renders_3616_patterns_fast(commons: Library, page_env: Path) -> None:
    from pattern_guide.ui import resources

    engine = resources.engine()
    engine.__dict__["library"] = commons  # browsing needs no index of the Commons: no search here
    app = AppTest.from_function(_library_script, default_timeout=300)
    app.run()
    assert not app.exception, app.exception
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        app.run()
        timings.append(time.perf_counter() - started)
    assert captions(app)[0] == f"{len(commons.patterns):,} patterns loaded"
    assert f"Patterns 1–25 of {len(commons.patterns):,}" in captions(app)
    assert len(app.selectbox[0].options) == 25
    started = time.perf_counter()
    app.multiselect[1].select("draft").run()
    app.select_slider[0].set_value(2).run()
    filtering = time.perf_counter() - started
    assert not app.exception, app.exception
    shown = [c for c in captions(app) if c.startswith("Patterns 1–25 of")]
    assert shown and "filtered from" in shown[0]
    print(json.dumps({"rerun_seconds": [round(t, 3) for t in timings], "two_filter_changes": round(filtering, 3)}))
    assert min(timings) < 1.0 and filtering < 3.0, (timings, filtering)
