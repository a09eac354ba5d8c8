"""The Self-assessment page through Streamlit's AppTest: a reading, what to replant, the trend, kept across reloads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from pattern_guide.assistant import Engine
from pattern_guide.export.reports import assessment_markdown
from pattern_guide.store import ConversationStore
from tests import conftest


def _script() -> None:
    from pattern_guide.ui import assess_page

    assess_page.render()


def open_page(**query: str) -> AppTest:
    return conftest.open_page(_script, **query)


def answer_all(app: AppTest, answer: str, overrides: dict[int, str] | None = None) -> None:
    for i, radio in enumerate(app.radio):
        radio.set_value((overrides or {}).get(i, answer))
    app.button[0].click().run()
    assert not app.exception, app.exception


def texts(app: AppTest) -> str:
    return "\n".join([m.value for m in app.markdown] + [c.value for c in app.caption])


def test_assessment_gives_a_reading_and_a_trend_that_survive_a_reload(page_env: Path, hashing_starter: Engine) -> None:
    pattern = hashing_starter.library.patterns["sustainable-pace"]
    app = open_page(p="sustainable-pace")
    assert app.selectbox[0].value == "sustainable-pace"
    me = app.query_params["me"]
    kinds = ["life"] * len(pattern.signs_of_life) + ["decay"] * len(pattern.signs_of_decay)
    assert len(app.radio) == len(kinds) >= 8
    assert [r.options for r in app.radio][0] == ["yes", "partly", "no"]
    assert not app.metric, "no reading before anything is answered"

    # All signs of life "no" and all signs of decay "yes": the weakest possible reading.
    answer_all(app, "no", {i: "yes" for i, kind in enumerate(kinds) if kind == "decay"})
    assert app.metric[0].value == "0.0 / 5 · Extractive"
    assert "Where to replant" in [h.value for h in app.subheader]
    assert app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart"), "signs drawn as a chart"
    assert "Trend" not in [h.value for h in app.subheader], "one assessment has no trend yet"

    # Everything healthy the second time: the score rises and the trend appears.
    answer_all(app, "yes", {i: "no" for i, kind in enumerate(kinds) if kind == "decay"})
    assert app.metric[0].value == "5.0 / 5 · Generative"
    assert app.metric[0].delta == "+5.0 since the last one"
    assert "Trend" in [h.value for h in app.subheader]
    assert "No weak signs" in "\n".join(s.value for s in app.success)

    stored = ConversationStore(page_env / "conversations.sqlite3").assessments("sustainable-pace", me)
    assert [a.reading.score for a in stored] == [0.0, 5.0]
    labels = [d.proto.label for d in app.get("download_button")]
    assert labels == ["Download this reading (Markdown)", "Download this reading (PDF, with charts)"]

    report = assessment_markdown(pattern, stored, hashing_starter.library, today=dt.date(2026, 11, 26))
    assert report.startswith("# Self-assessment: Sustainable Pace\n")
    assert "**5.0 / 5 — Generative.**" in report and "Every sign you answered is healthy." in report
    assert "| 1 |" in report and "| 0.0 | Extractive |" in report and "| 5.0 | Generative |" in report
    assert "Self-assessment made on 2026-11-26 with Pattern Guide." in report and "CC-BY-SA-4.0" in report

    again = open_page(p="sustainable-pace", me=me)  # a reload, or a server restart, with the same URL
    assert again.metric[0].value == "5.0 / 5 · Generative"
    assert "2 assessments of this pattern" in texts(again)

    stranger = open_page(p="sustainable-pace")
    assert stranger.query_params["me"] != me and not stranger.metric, "another person does not see these"


def test_partial_answers_score_only_what_was_answered(page_env: Path) -> None:
    app = open_page(p="meeting-diet")
    app.radio[0].set_value("partly")
    app.button[0].click().run()
    assert not app.exception, app.exception
    assert app.metric[0].value == "2.5 / 5 · Functional"
    assert f"(1 of {len(app.radio)} signs answered)" in texts(app)


def test_submitting_nothing_asks_for_an_answer(page_env: Path) -> None:
    app = open_page(p="meeting-diet")
    app.button[0].click().run()
    assert "Answer at least one sign" in app.warning[0].value
    assert not app.metric
