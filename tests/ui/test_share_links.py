"""Read-only share links: a plan or a reading shown to whoever has the link, with nothing to write with."""

from __future__ import annotations

from pathlib import Path

from pattern_guide.assistant import Engine
from pattern_guide.conversation.ids import mint_id
from pattern_guide.conversation.state import GuideState, Role, Stage
from pattern_guide.store import ConversationStore, ShareKind
from pattern_guide.vitality.reading import reading
from pattern_guide.vitality.signs import Answer, signs
from tests import conftest


def _guide() -> None:
    from pattern_guide.ui import guide_page

    guide_page.render()


def _assess() -> None:
    from pattern_guide.ui import assess_page

    assess_page.render()


def texts(app: object) -> str:
    return "\n".join(
        [m.value for m in app.markdown] + [c.value for c in app.caption] + [i.value for i in app.info]  # type: ignore[attr-defined]
    )


def test_a_shared_plan_is_read_only_and_shows_no_conversation(page_env: Path) -> None:
    store = ConversationStore(page_env / "conversations.sqlite3")
    state = GuideState(
        stage=Stage.PLAN, pattern="meeting-diet", situation="Meetings eat our week", notes={0: "List them"}
    )
    state.add(Role.USER, "Our private worry: the director never comes")
    store.save(state)
    token = store.share(ShareKind.PLAN, state.id)

    app = conftest.open_page(_guide, share=token)
    shown = texts(app)
    assert "Meeting Diet" in shown and "List them" in shown
    assert "director never comes" not in shown, "the link shows the plan, not the conversation"
    assert not app.chat_input, "nothing to write with"
    assert app.query_params.get("c") is None

    for bogus in (state.id, mint_id(), "<script>"):
        other = conftest.open_page(_guide, share=bogus)
        assert "not one this guide made" in texts(other) and not other.chat_input


def test_a_shared_reading_shows_the_trend_and_no_form(page_env: Path, hashing_starter: Engine) -> None:
    store = ConversationStore(page_env / "conversations.sqlite3")
    owner = store.new_owner()
    items = signs(hashing_starter.library.patterns["sustainable-pace"])
    for answer in (Answer.NO, Answer.YES):
        for item in items:
            item.answer = answer
        store.save_assessment("sustainable-pace", {i.text: answer.value for i in items}, reading(items), owner)
    token = store.share(ShareKind.READING, owner, "sustainable-pace")

    app = conftest.open_page(_assess, share=token)
    assert app.metric and "since the last one" in str(app.metric[0].delta)
    assert not app.radio and not app.button, "no form and no share button: read-only"
    assert owner not in texts(app), "the owner's own id is not shown to a reader"
    assert conftest.open_page(_assess, share=mint_id()).info
