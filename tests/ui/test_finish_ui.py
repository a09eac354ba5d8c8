"""The Guide page's finish through AppTest: named quick buttons, the end of the check, the plan in the chat,
and a conversation begun from the Library."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from pattern_guide.assistant import Engine
from pattern_guide.conversation.state import Candidate, GuideState, Stage
from pattern_guide.ui.guide_page import quick_buttons
from pattern_guide.vitality.signs import Answer, VitalityItem
from tests import conftest
from tests.ui.test_browser import SITUATION


def _guide() -> None:
    from pattern_guide.ui import guide_page

    guide_page.render()


def _from_library() -> None:
    from pattern_guide.ui import guide_page, resources

    if "started" not in __import__("streamlit").session_state:
        __import__("streamlit").session_state.started = True
        resources.start_with("meeting-diet", "activist")
    guide_page.render()


def say(app: AppTest, text: str) -> None:
    app.chat_input[0].set_value(text).run()
    assert not app.exception, app.exception


def labels(app: AppTest) -> list[str]:
    return [b.label for b in app.main.button]


def assistant_texts(app: AppTest) -> list[str]:
    return [m.markdown[0].value for m in app.chat_message if m.name == "assistant" and m.markdown]


def test_quick_buttons_by_stage() -> None:
    candidates = [Candidate(slug=f"p{i}", title=f"A rather long pattern name {i}", score=1.0) for i in range(6)]
    first = quick_buttons(GuideState(stage=Stage.MATCHES, candidates=candidates, shown=3))
    assert [word for _, word in first] == ["1", "2", "3", "more"]
    assert first[0][0] == "1 · A rather long…"  # the name, cut short at a word
    after_more = quick_buttons(GuideState(stage=Stage.MATCHES, candidates=candidates, shown=6))
    assert [word for _, word in after_more] == ["4", "5", "6"]  # no `more`: there are no others
    signs = [VitalityItem(kind="life", text="a", answer=Answer.NO), VitalityItem(kind="decay", text="b")]
    asking = quick_buttons(GuideState(stage=Stage.VITALITY, pattern="p", vitality=signs, vitality_index=1))
    assert [w for _, w in asking] == ["yes", "partly", "no", "back"]
    signs[1].answer = Answer.YES
    done = quick_buttons(GuideState(stage=Stage.VITALITY, pattern="p", vitality=signs, vitality_index=2))
    assert [w for _, w in done] == ["plan", "back", "restart"]
    reopened = quick_buttons(GuideState(stage=Stage.VITALITY, pattern="p", vitality=signs, vitality_index=1))
    assert [w for _, w in reopened] == ["yes", "partly", "no", "back", "plan"]
    assert [w for _, w in quick_buttons(GuideState(stage=Stage.PLAN))] == ["back", "what next", "restart"]


def test_the_page_from_matches_to_the_plan(page_env: Path) -> None:
    app = conftest.open_page(_guide)
    say(app, SITUATION)
    shown = labels(app)
    assert [label.split(" · ")[0] for label in shown[:3]] == ["1", "2", "3"] and shown[3] == "more"
    app.main.button(key="quick-more").click().run()
    assert [label.split(" · ")[0] for label in labels(app) if " · " in label] == ["4", "5", "6"]
    say(app, "meeting-diet")
    say(app, "vitality")
    state = app.session_state["guide_state"]
    for _ in range(len(state.vitality)):
        app.main.button(key="quick-no").click().run()
    assert "Vitality reading:" in assistant_texts(app)[-1]
    assert labels(app) == ["plan", "back", "restart"]
    assert not app.main.get("download_button"), "the plan's download joins the chat once the plan is given"
    app.main.button(key="quick-plan").click().run()
    assert assistant_texts(app)[-1].startswith("# Plan: Meeting Diet")
    (download,) = app.main.get("download_button")
    assert download.proto.label == "Download plan (Markdown)"
    assert labels(app) == ["back", "what next", "restart"]
    app.main.button(key="quick-back").click().run()
    assert "Vitality reading:" in assistant_texts(app)[-1]
    assert labels(app) == ["yes", "partly", "no", "back", "plan"]


def test_starting_from_the_library_greets_and_asks_the_situation(page_env: Path, hashing_starter: Engine) -> None:
    app = conftest.open_page(_from_library)
    replies = assistant_texts(app)
    assert len(replies) == 2, replies
    assert "You chose **Meeting Diet**" in replies[0] and "a movement" in replies[0]
    assert "Before the 5 steps" in replies[1]
    assert any("activist" in c.value and "chosen" in c.value for c in app.sidebar.caption)
    say(app, "Our volunteer meetings run long and decide little.")
    assert "your situation, for the plan" in assistant_texts(app)[-1]
    assert app.session_state["guide_state"].situation == "Our volunteer meetings run long and decide little."
