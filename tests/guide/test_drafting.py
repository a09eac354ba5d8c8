"""Drafting a pattern when none fits: a whole conversation in plain words, offline, then the model's polish."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from pattern_guide.assistant import Engine, build_engine
from pattern_guide.cli import main
from pattern_guide.conversation.state import Candidate, GuideState, Stage
from pattern_guide.drafting.interview import DraftAnswers
from pattern_guide.drafting.store import front_matter
from pattern_guide.drafting.writer import SECTION_HEADINGS, write_draft
from pattern_guide.export.plans import plan_markdown
from pattern_guide.guide.machine import Event, transition
from pattern_guide.guide.runner import Guide
from pattern_guide.index.embedder import HashingEmbedder
from pattern_guide.library.loader import load_libraries
from pattern_guide.llm.interface import ScriptedChatModel
from pattern_guide.replies.tasks import ReplyTask
from pattern_guide.settings import Settings

SITUATION = (
    "Our volunteers keep burning out because the same three people close the food bank every Saturday night "
    "and nobody else steps in."
)


@pytest.fixture
def engine(tmp_path: Path, make_pattern: Callable[..., Path]) -> Engine:
    library = tmp_path / "patterns"
    make_pattern(library, "meeting-diet", summary="Cut the recurring meetings that eat the week.", keyword="meetings")
    burnout = "Volunteers burn out when the same people carry every shift."
    make_pattern(library, "sustainable-pace", summary=burnout, keyword="pace")
    make_pattern(library, "decision-rights", summary="Say who decides what, so nothing waits.", keyword="decide")
    settings = Settings(
        libraries=[library], index_dir=tmp_path / "index", embedder="hashing", drafts=tmp_path / "drafts"
    )
    built = build_engine(settings, HashingEmbedder())
    built.index()
    return built


def say(guide: Guide, state: GuideState, text: str) -> tuple[GuideState, list[ReplyTask], str]:
    """One message: the new state, the reply tasks and the replies' text as the person reads them."""
    state, turn = guide.handle(state, text)
    replies = [guide.deliver(state, request).complete().text for request in turn.requests]
    return state, [r.task for r in turn.requests], "\n".join(replies)


def to_the_interview(guide: Guide) -> GuideState:
    state = guide.start()
    state, _, _ = say(guide, state, SITUATION)
    assert state.stage == Stage.MATCHES and state.candidates
    state, tasks, text = say(guide, state, "hmm, none of these fit us")
    assert tasks == [ReplyTask.DRAFT_OFFER] and "new pattern of your own" in text
    assert state.draft is not None and state.draft.pending
    state, tasks, text = say(guide, state, "yes please")
    assert state.stage == Stage.DRAFT and tasks == [ReplyTask.DRAFT_QUESTION]
    assert "Question 1 of 8" in text and "skip" in text and "save it" in text
    return state


def test_a_whole_conversation_drafts_a_pattern_that_validates_and_matches(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    guide = engine.guide()
    state = to_the_interview(guide)
    state, _, text = say(guide, state, "A food bank run by forty volunteers in a church hall; it feels tired.")
    assert "Noted." in text and "Question 2 of 8" in text
    state, _, text = say(guide, state, "The same three close up every week, and they are exhausted.")
    assert "Question 3 of 8" in text
    state, _, text = say(guide, state, "skip")
    assert "Skipped." in text and "Question 4 of 8" in text
    # A reload in the middle of the interview keeps every answer and the question reached.
    state = GuideState.model_validate_json(state.model_dump_json())
    assert state.stage == Stage.DRAFT and state.draft is not None and state.draft.question == 3
    assert state.draft.skipped == ["tension"] and set(state.draft.answers) == {"context", "problem"}
    state, _, _ = say(guide, state, "Rotate the Saturday closing shift in pairs of volunteers.")
    state, _, _ = say(guide, state, "Ask who has closed this year; make a rota of pairs")
    state, tasks, text = say(guide, state, "that's enough, save it")

    assert tasks == [ReplyTask.DRAFT_SAVED] and state.draft is not None and state.draft.saved
    path = Path(state.draft.path or "")
    assert path.parent == engine.settings.drafts and path.is_file()
    assert f"`{path.name}`" in text and "no errors" in text and "`plan`" in text
    assert list(path.parent.iterdir()) == [path]
    assert main(["validate", "--library", str(path.parent), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["errors"] == []

    drafted = engine.library.patterns[state.draft.slug or ""]  # indexed, and loaded with the library
    assert drafted.meta.lifecycle.status == "draft" and drafted.meta.lifecycle.usage_stage == "creation"
    assert [s.heading for s in drafted.sections] == list(SECTION_HEADINGS)
    assert "exhausted" in (drafted.section("problem") or drafted.sections[0]).text  # their own words
    assert "Not written yet" in (drafted.section("known_uses") or drafted.sections[0]).text
    assert [s.title for s in drafted.steps] == ["Ask who has closed this year", "make a rota of pairs"]
    offered = [c.slug for c in state.candidates[:3]]
    assert [r.slug for r in drafted.meta.relationships.alternatives] == offered
    assert guide.library.patterns[drafted.slug] == drafted and state.pattern == drafted.slug
    found = engine.match("the same three volunteers close the food bank every Saturday", top=3)
    assert drafted.slug in [m.slug for m in found.matches]

    state, tasks, text = say(guide, state, "plan")
    assert tasks == [ReplyTask.PLAN] and "Your own pattern (draft)" in text
    assert path.read_text(encoding="utf-8").strip().splitlines()[-1] in plan_markdown(state, drafted, engine.library)


def test_a_new_conversation_gets_a_fresh_slug(engine: Engine) -> None:
    guide = engine.guide()
    slugs = []
    for _ in range(2):
        state = to_the_interview(guide)
        state, _, _ = say(guide, state, "A food bank.")
        state, _, _ = say(guide, state, "done")
        assert state.draft is not None and state.draft.saved
        slugs.append(state.draft.slug)
    assert slugs[1] == f"{slugs[0]}-2"
    assert len(load_libraries([engine.settings.drafts or Path()]).patterns) == 2


def test_no_thanks_goes_back_to_looking(engine: Engine) -> None:
    guide = engine.guide()
    state = guide.start()
    state, _, _ = say(guide, state, SITUATION)
    state, _, _ = say(guide, state, "none of these")
    state, tasks, _ = say(guide, state, "no thanks")
    assert tasks == [ReplyTask.NONE_FIT] and state.draft is None and state.stage == Stage.MATCHES
    assert not (engine.settings.drafts or Path("/nonexistent")).exists()


def test_without_a_drafts_folder_nothing_is_offered(engine: Engine) -> None:
    guide = Guide(engine.library, engine.retriever, engine.chat_model, engine.echoes)
    state = guide.start()
    state, _, _ = say(guide, state, SITUATION)
    state, tasks, _ = say(guide, state, "none of these fit")
    assert tasks == [ReplyTask.NONE_FIT] and state.draft is None


def test_a_weak_best_match_offers_to_draft_under_the_matches(engine: Engine) -> None:
    guide = engine.guide()
    guide.weak_match = 1.01  # every match is weak
    state, tasks, text = say(guide, guide.start(), SITUATION)
    assert tasks == [ReplyTask.MATCHES, ReplyTask.DRAFT_OFFER] and "None of these is a close match" in text
    guide.weak_match = -1.0  # none is
    _, tasks, _ = say(guide, guide.start(), SITUATION)
    assert tasks == [ReplyTask.MATCHES]
    state, _, _ = say(guide, state, "sure")
    assert state.stage == Stage.DRAFT


def _answers_then_save(guide: Guide, model: ScriptedChatModel, rewrite: Callable[[str], str]) -> GuideState:
    state = to_the_interview(guide)
    state, _, _ = say(guide, state, "A food bank run by volunteers.")
    state, _, _ = say(guide, state, "The same three close up, and they are exhausted.")
    assert state.draft is not None
    offline = front_matter(write_draft(state.draft, state.situation, set()).text)[1]
    model.enqueue(rewrite(offline))
    state, _, _ = say(guide, state, "save it")
    assert state.draft is not None and state.draft.saved
    assert model.requests[-1].task == ReplyTask.DRAFT_POLISH and model.requests[-1].draft == offline
    return state


def test_a_model_may_polish_the_prose(engine: Engine) -> None:
    model = ScriptedChatModel()
    guide = engine.guide(model)
    state = _answers_then_save(guide, model, lambda body: body.replace("they are exhausted", "they are worn out"))
    assert state.draft is not None and state.draft.polished
    head, body = front_matter(Path(state.draft.path or "").read_text(encoding="utf-8"))
    assert "worn out" in body and "exhausted" not in body and "exhausted" in head  # the front matter never changes
    assert load_libraries([engine.settings.drafts or Path()]).errors == []


@pytest.mark.parametrize(
    "rewrite",
    [
        lambda body: body.replace("### Section 6: Known Uses", "### Stories"),
        lambda body: "---\nslug: evil\ntitle: Evil\n---\n" + body,
        lambda body: body.split("### Section 5")[0],
        lambda body: "Sure! Here is your polished pattern.",
    ],
    ids=["renamed-heading", "own-front-matter", "cut-short", "chatter"],
)
def test_a_rewrite_that_breaks_the_structure_keeps_the_offline_draft(
    engine: Engine, rewrite: Callable[[str], str]
) -> None:
    model = ScriptedChatModel()
    guide = engine.guide(model)
    state = _answers_then_save(guide, model, rewrite)
    assert state.draft is not None and not state.draft.polished
    saved = Path(state.draft.path or "").read_text(encoding="utf-8")
    assert "exhausted" in saved and "evil" not in saved and "### Section 6: Known Uses" in saved
    assert load_libraries([engine.settings.drafts or Path()]).errors == []


def _at(stage: Stage, question: int = 0, pending: bool = False) -> GuideState:
    state = GuideState(stage=stage, situation="Volunteers burn out.", shown=2)
    state.candidates = [Candidate(slug=s, title=s, score=1.0) for s in ("a", "b", "c")]
    if stage == Stage.DRAFT or pending:
        state.draft = DraftAnswers(offered=["a", "b"], asking=not pending, question=question)
    return state


@pytest.mark.parametrize(
    ("state", "event", "drafting", "stage", "actions"),
    [
        (_at(Stage.MATCHES), {"kind": "none_fit"}, False, Stage.MATCHES, ["say:none_fit"]),
        (_at(Stage.MATCHES), {"kind": "none_fit"}, True, Stage.MATCHES, ["say:draft_offer"]),
        (_at(Stage.MATCHES, pending=True), {"kind": "draft"}, True, Stage.DRAFT, ["say:draft_question"]),
        (_at(Stage.MATCHES, pending=True), {"kind": "decline"}, True, Stage.MATCHES, ["say:none_fit"]),
        (_at(Stage.MATCHES), {"kind": "draft"}, False, Stage.MATCHES, ["say:none_fit"]),
        (_at(Stage.DRAFT), {"kind": "note", "text": "A hall."}, True, Stage.DRAFT, ["say:draft_question"]),
        (_at(Stage.DRAFT, 3), {"kind": "skip"}, True, Stage.DRAFT, ["say:draft_question"]),
        (_at(Stage.DRAFT, 3), {"kind": "back"}, True, Stage.DRAFT, ["say:draft_question"]),
        (_at(Stage.DRAFT, 3), {"kind": "more"}, True, Stage.DRAFT, ["say:draft_question"]),
        (_at(Stage.DRAFT, 2), {"kind": "save"}, True, Stage.DRAFT, ["save_draft:", "say:draft_saved"]),
        (_at(Stage.DRAFT, 7), {"kind": "note", "text": "Pairs"}, True, Stage.DRAFT, ["save_draft:", "say:draft_saved"]),
        (_at(Stage.DRAFT, 7), {"kind": "skip"}, True, Stage.DRAFT, ["save_draft:", "say:draft_saved"]),
        (_at(Stage.DRAFT, 2), {"kind": "context", "choice": "tech"}, True, Stage.DRAFT, ["say:draft_question"]),
        (_at(Stage.DRAFT, 2), {"kind": "restart"}, True, Stage.INTAKE, ["say:welcome"]),
        (_at(Stage.MATCHES, pending=True), {"kind": "pick", "choice": "1"}, True, Stage.ADAPT, ["say:adapt"]),
        (
            _at(Stage.MATCHES),
            {"kind": "retrieved", "weak": True},
            True,
            Stage.MATCHES,
            ["say:matches", "say:draft_offer"],
        ),
        (_at(Stage.MATCHES), {"kind": "retrieved", "weak": True}, False, Stage.MATCHES, ["say:matches"]),
    ],
)
def test_the_drafting_transitions(
    state: GuideState, event: dict[str, object], drafting: bool, stage: Stage, actions: list[str]
) -> None:
    before = state.model_copy(deep=True)
    after, done = transition(state, Event.model_validate(event), 0, drafting)
    assert after.stage == stage and [f"{a.kind}:{a.task or ''}" for a in done] == actions
    assert state == before  # pure
    if event["kind"] == "pick":
        assert after.draft is None  # a chosen pattern ends the offer
    if event["kind"] == "note" and stage == Stage.DRAFT and after.draft is not None and after.draft.answers:
        assert list(after.draft.answers.values())[-1] == event["text"]


def test_a_failed_save_says_why_and_keeps_the_answers(engine: Engine) -> None:
    blocker = engine.settings.drafts or Path()
    blocker.write_text("not a folder", encoding="utf-8")  # the drafts folder cannot be made
    guide = engine.guide()
    state = to_the_interview(guide)
    state, _, _ = say(guide, state, "A food bank run by volunteers.")
    state, tasks, text = say(guide, state, "save it")
    assert tasks == [ReplyTask.DRAFT_SAVED] and "couldn't save the draft" in text and "`save`" in text
    assert "PATTERN\\_GUIDE\\_DRAFTS" in text
    assert "Traceback" not in text
    assert state.stage == Stage.DRAFT and state.draft is not None and not state.draft.saved
    assert state.draft.answers == {"context": "A food bank run by volunteers."}
    blocker.unlink()
    state, _, text = say(guide, state, "save")
    assert state.draft is not None and state.draft.saved and "no errors" in text
