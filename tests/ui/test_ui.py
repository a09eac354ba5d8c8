"""The web app through Streamlit's AppTest, offline: the whole guided flow, and reloads."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from pattern_guide.store import ConversationStore
from tests.conftest import ROOT


def new_app() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    app.run()
    assert not app.exception, app.exception
    return app


def say(app: AppTest, text: str) -> None:
    app.chat_input[0].set_value(text).run()
    assert not app.exception, app.exception


def assistant_texts(app: AppTest) -> list[str]:
    return [m.markdown[0].value for m in app.chat_message if m.name == "assistant" and m.markdown]


def test_full_flow_and_restore(app_env: Path) -> None:
    app = new_app()
    assert "Tell me what keeps happening" in assistant_texts(app)[0]
    say(app, "Half our week disappears into recurring meetings that decide nothing, and people are tired.")
    replies = assistant_texts(app)
    assert "What I hear in" in replies[-1] and "Meeting Diet" in replies[-1]
    assert "Tension:" in replies[-1] and "— *Section" in replies[-1]
    number = next(n for n in "123" if f"**{n}. Meeting Diet**" in replies[-1])
    say(app, number)
    assert "## Meeting Diet" in assistant_texts(app)[-1]
    say(app, "next")
    assert "Step 1 of" in assistant_texts(app)[-1]
    say(app, "We would list every recurring call on one shared page.")
    assert "Step 2 of" in assistant_texts(app)[-1]
    say(app, "We would ask each owner what decision the meeting makes.")
    assert "Step 3 of" in assistant_texts(app)[-1]
    say(app, "context activist")
    latest = assistant_texts(app)[-1]
    assert "Step 3 of" in latest and "activist" in latest
    assert any("activist" in c.value for c in app.sidebar.caption)
    say(app, "vitality")
    assert "Sign of life 1 of" in assistant_texts(app)[-1]
    state_id = app.query_params["c"]
    total = len(ConversationStore(app_env / "conversations.sqlite3").load(state_id).vitality)  # type: ignore[union-attr]
    for n in range(total):
        say(app, ["yes", "partly", "no"][n % 3])
    assert "Vitality reading:" in assistant_texts(app)[-1]
    say(app, "plan")
    plan = assistant_texts(app)[-1]
    assert plan.index("every recurring call") < plan.index("what decision the meeting makes")
    downloads = [b for b in app.sidebar.get("download_button")]
    assert downloads, "the sidebar offers the plan as a download"
    [link] = app.sidebar.get("page_link")
    assert link.proto.label == "Track its vitality over time" and link.proto.page.endswith("assess")
    assert "p=meeting-diet" in link.proto.query_string

    # A reload (new session, same URL id) restores the whole conversation from the store.
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    again.query_params["c"] = state_id
    again.run()
    assert not again.exception
    assert assistant_texts(again) == assistant_texts(app)
    say(again, "back")
    assert "Vitality reading:" in assistant_texts(again)[-1]


def _library_script() -> None:
    from pattern_guide.ui import library_page

    library_page.render()


def test_library_page_shows_a_pattern(app_env: Path) -> None:
    app = AppTest.from_function(_library_script, default_timeout=180)
    app.run()
    assert not app.exception, app.exception
    assert "41 patterns loaded" in app.caption[0].value
    app.text_input[0].input("too many meetings eat the week").run()
    options = app.selectbox[0].options
    assert "Meeting Diet" in options[0]
    app.selectbox[0].select_index(0).run()
    assert not app.exception, app.exception
    assert app.header[0].value == "Meeting Diet"
    app.radio[0].set_value("activist").run()
    assert any("Meeting Detox" in m.value or "activist contexts" in m.value for m in app.markdown)
    assert app.get("graphviz_chart"), "relationships are drawn as a graph"
    assert app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart"), "assessment radar chart"
    expanders = [e.label for e in app.expander]
    assert expanders[0].startswith("Step 1:")
