"""The end of the conversation and its beginning from a pattern: the reading, the plan, back, help, plain words."""

from __future__ import annotations

import pytest

from pattern_guide.assistant import Engine
from pattern_guide.conversation.state import GuideState, Role, Stage
from pattern_guide.errors import InputError
from pattern_guide.guide.machine import Event, transition
from pattern_guide.guide.runner import Guide
from pattern_guide.llm.interface import OfflineComposer
from pattern_guide.vitality.signs import Answer, VitalityItem
from tests.ui.test_browser import SITUATION


def say(guide: Guide, state: GuideState, text: str) -> tuple[GuideState, list[str]]:
    state, turn = guide.handle(state, text)
    return state, [guide.deliver(state, request).complete().text for request in turn.requests]


@pytest.fixture
def guide(hashing_starter: Engine) -> Guide:
    return hashing_starter.guide(OfflineComposer())


def answered(n: int = 3) -> list[VitalityItem]:
    return [VitalityItem(kind="life", text=f"sign {i}", answer=Answer.NO) for i in range(n)]


def test_back_from_the_plan_reopens_the_last_sign() -> None:
    state = GuideState(stage=Stage.PLAN, pattern="p", situation="s", vitality=answered(), vitality_index=3)
    after, actions = transition(state, Event(kind="back"))
    assert (after.stage, after.vitality_index) == (Stage.VITALITY, 2)
    assert [a.task for a in actions] == ["reading"]
    # Answering it again changes that answer and gives the reading once more.
    again, actions = transition(after, Event(kind="rate", answer=Answer.YES))
    assert again.vitality[2].answer == Answer.YES and again.vitality_index == 3
    assert [a.task for a in actions] == ["reading"]


def test_a_situation_told_at_the_adapt_stage_is_kept_for_the_plan() -> None:
    state = GuideState(stage=Stage.ADAPT, pattern="p")
    after, actions = transition(state, Event(kind="note", text="Our meetings run long."), steps=3)
    assert after.situation == "Our meetings run long." and after.notes == {}
    assert (after.stage, [(a.task, a.text) for a in actions]) == (Stage.STEPS, [("step", "situation")])
    # With a situation already told (the usual way in), a note at the adapt stage is what they have in place.
    told = GuideState(stage=Stage.ADAPT, pattern="p", situation="Meetings.")
    after, _ = transition(told, Event(kind="note", text="We have a list."), steps=3)
    assert after.situation == "Meetings." and after.notes == {0: "We have a list."}


def test_starting_from_a_pattern_greets_keeps_the_context_and_asks_the_situation_first(guide: Guide) -> None:
    state, turn = guide.open_at("meeting-diet", "government")
    assert (state.stage, state.pattern, state.context, state.context_detected) == (
        Stage.ADAPT,
        "meeting-diet",
        "government",
        False,
    )
    assert [m.role for m in state.messages] == [Role.ASSISTANT]  # no typed slug in the transcript
    assert "**Meeting Diet**" in state.messages[0].content and "public service" in state.messages[0].content
    adapt = [guide.deliver(state, r).complete().text for r in turn.requests]
    assert len(adapt) == 1 and "Before the 5 steps" in adapt[0] and "a public service" in adapt[0]
    state, replies = say(guide, state, "Our council's weekly meetings run long and decide very little.")
    assert state.situation.startswith("Our council's weekly meetings")
    assert "your situation, for the plan" in replies[-1] and "Step 1 of 5" in replies[-1]
    with pytest.raises(InputError, match="No pattern 'nope'"):
        guide.open_at("nope")


def walk_to_reading(guide: Guide) -> GuideState:
    state = guide.start()
    state, _ = say(guide, state, SITUATION)
    state, _ = say(guide, state, "meeting-diet")
    state, _ = say(guide, state, "vitality")
    while state.vitality_index < len(state.vitality):
        state, replies = say(guide, state, "no")
    assert "Vitality reading:" in replies[-1]
    return state


def test_plain_words_at_the_end(guide: Guide) -> None:
    state = walk_to_reading(guide)
    state, replies = say(guide, state, "show me the plan")
    assert state.stage == Stage.PLAN and replies[-1].startswith("# Plan: Meeting Diet")
    assert "just below this conversation" in replies[-1]
    state, replies = say(guide, state, "what's next")
    assert state.stage == Stage.PLAN and "What next" in replies[-1]
    state, replies = say(guide, state, "go back to the reading")
    assert state.stage == Stage.VITALITY and state.vitality_index == len(state.vitality) - 1
    assert "Vitality reading:" in replies[-1]
    assert f"{len(state.vitality)} of {len(state.vitality)}:**" in replies[-1]  # the last sign, shown again


def test_the_reading_has_no_doubled_bullets_and_gives_each_move_once(guide: Guide) -> None:
    state = walk_to_reading(guide)
    reading = state.messages[-1].content
    lines = reading.splitlines()
    assert not [line for line in lines if line.startswith(("- •", "- ✓", "- ✗"))]
    moves = [line for line in lines if line.startswith("- Replant:")]
    assert moves and len(moves) == len(set(moves))
    related = [line for line in lines if line.startswith("- **")]
    assert related and all("— its " in line and "“" in line for line in related)
    assert "speaks of" not in reading


def test_help_on_the_web_and_in_the_terminal(guide: Guide) -> None:
    state, (web,) = say(guide, guide.start(), "help")
    assert "quit" not in web and "slug" not in web and "terminal" not in web
    assert "buttons" in web and "show me the plan" in web
    guide.terminal = True
    _, (terminal,) = say(guide, state, "help")
    assert "`quit` to stop" in terminal and "slug" not in terminal
