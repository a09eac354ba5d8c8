"""The guide that listens: plain words at every stage, over the real starter library (offline)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from pattern_guide.assistant import Engine
from pattern_guide.conversation.state import GuideState, Stage
from pattern_guide.evaluation.understanding import ContextCase, evaluate_contexts, read_rows
from pattern_guide.guide.runner import Guide
from pattern_guide.llm.interface import OfflineComposer
from pattern_guide.replies.listening import CONTEXT_QUESTION
from pattern_guide.text import escape
from tests.conftest import EVAL, ROOT

SITUATION = "Half our week disappears into recurring meetings that decide nothing, and people are tired."


def say(guide: Guide, state: GuideState, text: str) -> tuple[GuideState, str]:
    state, turn = guide.handle(state, text)
    replies = [guide.deliver(state, request).complete().text for request in turn.requests]
    return state, "\n\n".join(replies)


def test_plain_words_from_situation_to_plan(starter_engine: Engine) -> None:
    guide = starter_engine.guide(OfflineComposer())
    state = guide.start()
    state, reply = say(guide, state, SITUATION)
    assert state.stage == Stage.MATCHES and CONTEXT_QUESTION in reply  # no world named: asked once
    state, reply = say(guide, state, "we're a product team at a software startup")
    assert state.context == "tech" and state.stage == Stage.MATCHES
    first = state.candidates[0]
    state, reply = say(guide, state, "the first one sounds closest to what we are living")
    assert state.pattern == first.slug and state.stage == Stage.ADAPT
    state, reply = say(guide, state, "sounds good, let's start")
    assert state.stage == Stage.STEPS and "Step 1 of" in reply
    state, reply = say(guide, state, "We would list every recurring call in one shared sheet on Monday.")
    assert "Noted for step 1" in reply and state.notes[1].startswith("We would list")
    state, reply = say(guide, state, "how would this look in a council?")
    assert state.context == "government" and state.stage == Stage.STEPS
    state, reply = say(guide, state, "Write me a poem about autumn leaves")
    assert "haven't kept that as a note" in reply and 2 not in state.notes
    state, reply = say(guide, state, "back up one")
    assert state.step == 0
    while state.stage == Stage.STEPS:
        state, reply = say(guide, state, "skip this one, we already do it")
    assert state.stage == Stage.VITALITY
    answers = ["mostly, yes", "not really", "sort of", "absolutely", "hardly"]
    for n in range(len(state.vitality)):
        state, reply = say(guide, state, answers[n % len(answers)])
    assert [item.answer.value for item in state.vitality if item.answer] == [
        {"mostly, yes": "yes", "not really": "no", "sort of": "partly", "absolutely": "yes", "hardly": "no"}[
            answers[n % len(answers)]
        ]
        for n in range(len(state.vitality))
    ]
    assert "Vitality reading" in reply
    state, reply = say(guide, state, "ok that's enough, show me the plan")
    assert state.stage == Stage.PLAN and reply.startswith("# Plan:")


def test_a_name_the_guide_showed_is_a_pick_not_more_situation(starter_engine: Engine) -> None:
    guide = starter_engine.guide(OfflineComposer())
    state, _ = say(guide, guide.start(), SITUATION)
    second = state.candidates[1]
    state, _ = say(guide, state, f"Let's go with {second.title}")
    assert state.pattern == second.slug and state.situation == SITUATION


def test_none_of_these_is_heard_and_nothing_is_re_matched(starter_engine: Engine) -> None:
    guide = starter_engine.guide(OfflineComposer())
    state, _ = say(guide, guide.start(), SITUATION)
    shown = [c.slug for c in state.candidates]
    state, reply = say(guide, state, "hmm, none of these really fit us")
    assert state.stage == Stage.MATCHES and [c.slug for c in state.candidates] == shown
    assert "better no pattern than the wrong one" in reply and state.situation == SITUATION


def test_the_terminal_chat_in_plain_words(starter_engine: Engine) -> None:
    lines = [SITUATION, "we're a public service", "the second one", "yes let's do it", "just give me the plan"]
    env = {
        "PATTERN_GUIDE_LIBRARY": str(ROOT / "data" / "patterns"),
        "PATTERN_GUIDE_INDEX": str(starter_engine.settings.index_dir),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-m", "pattern_guide.cli", "chat"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "public service" in done.stdout and "# Plan:" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_context_is_read_from_roles_and_organisations_on_the_held_out_situations() -> None:
    cases = [ContextCase.model_validate(r) for r in read_rows(EVAL.parent / "contexts_heldout.jsonl")]
    report = evaluate_contexts(cases)
    assert report.cases >= 40
    assert report.right / report.cases >= 0.85, report.wrong_cases
    assert report.wrong / report.cases <= 0.05, report.wrong_cases


def test_eval_command_reports_every_kind_of_set(starter_engine: Engine, capsys) -> None:  # type: ignore[no-untyped-def]
    from pattern_guide.cli import main

    folder = Path(EVAL.parent)
    code = main(
        [
            "eval",
            str(folder / "contexts.jsonl"),
            str(folder / "intents_heldout.jsonl"),
            "--index-dir",
            str(starter_engine.settings.index_dir),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "context: right" in out and "intents:" in out


def test_a_practice_in_decay_is_named_and_taken_to_its_replanting_move(starter_engine: Engine) -> None:
    guide = starter_engine.guide(OfflineComposer())
    situation = (
        "We brought in peer debriefs after hard shifts on the ward, but they're the first thing cancelled "
        "whenever it gets busy."
    )
    state, reply = say(guide, guide.start(), situation)
    assert state.echo is not None and state.echo.slug == "care-for-the-carers"
    assert "Care for the Carers" in reply and "Sessions are cancelled first" in reply
    state, reply = say(guide, state, "yes, what can we do about it?")
    assert state.pattern == "care-for-the-carers" and state.stage == Stage.VITALITY
    assert reply.startswith("**Sessions are cancelled first**") and "what **Care for the Carers** suggests" in reply
    answered = [item for item in state.vitality if item.answer is not None]
    assert [item.text.split(".")[0] for item in answered] == ["Sessions are cancelled first"]
    asked = state.vitality[state.vitality_index]
    assert asked.answer is None and asked.text.split(".")[0] in reply  # the next sign is asked at once


def test_a_practice_in_decay_is_named_at_once_even_when_its_matches_are_close(starter_engine: Engine) -> None:
    """The two best matches of this one are within a hair, which asks a clarifying question of a story; a
    practice named by the sign it shows needs none: the first reply names the sign."""
    guide = starter_engine.guide(OfflineComposer())
    situation = (
        "We brought in peer debriefs after hard shifts, but they are the first thing cancelled whenever it gets busy"
    )
    state, reply = say(guide, guide.start(), situation)
    assert state.echo is not None and "Sessions are cancelled first" in reply
    assert state.stage == Stage.MATCHES and not state.clarified
    state, reply = say(guide, state, "yes please, take me to the replanting move")
    assert state.stage == Stage.VITALITY and reply.startswith("**Sessions are cancelled first**")


def test_a_question_mid_walk_is_answered_from_the_pattern_in_hand(starter_engine: Engine) -> None:
    guide = starter_engine.guide(OfflineComposer())
    state = guide.start()
    state, _ = say(guide, state, "Our volunteer coordinators are exhausted and nobody takes a break.")
    state, _ = say(guide, state, "care-for-the-carers")
    state, reply = say(guide, state, "What if the coordinators themselves are the ones who can't stop?")
    assert "Care for the Carers" in reply.split("\n\n")[1]  # the pattern in hand answers first
    assert "[care-for-the-carers §" in reply  # cited; the page shows it as a link (below)
    state, reply = say(guide, state, "What is the best recipe for lemon drizzle cake?")
    assert "outside what I can help with" in reply


def test_a_question_the_pattern_in_hand_does_not_cover_says_so_before_quoting_others(starter_engine: Engine) -> None:
    guide = starter_engine.guide(OfflineComposer())
    state = guide.start()
    state, _ = say(guide, state, "Our volunteer coordinators are exhausted and nobody takes a break.")
    state, _ = say(guide, state, "care-for-the-carers")
    state, reply = say(guide, state, "How do we stop every decision waiting for the director's sign-off?")
    assert reply.startswith("**Care for the Carers** doesn't speak to that directly"), reply
    assert "[care-for-the-carers §" not in reply and re.search(r"\[[a-z-]+ §", reply)


def test_citations_read_as_links_to_the_library_and_lists_stay_lists(starter_engine: Engine) -> None:
    from pattern_guide.replies.listening import answer
    from pattern_guide.ui.parts import readable_citations

    library = starter_engine.library
    passage = library.patterns["care-for-the-carers"].section("vitality")
    assert passage is not None
    given = [p for p in [passage] if p]
    from pattern_guide.library.model import Passage

    draft, _ = answer(
        "how do we know it is working?",
        [
            Passage(
                slug="care-for-the-carers", section=given[0].heading, text="Signs:\n- Leave is taken.\n- Limits hold."
            )
        ],
        "We were on step 1.",
        {"care-for-the-carers": "Care for the Carers"},
    )
    assert "\n- Leave is taken.\n- Limits hold." in draft  # the list stays a list
    shown = readable_citations(draft, library)
    assert "[care-for-the-carers §" not in shown
    assert "](/library?pattern=care-for-the-carers)" in shown and "Care for the Carers · Vitality" in shown


def test_another_language_is_recognised_and_answered_honestly(starter_engine: Engine) -> None:
    from pattern_guide.llm.interface import ScriptedChatModel
    from pattern_guide.replies.prompts import prompt_library

    german = "Unser Team hat viel zu viele Besprechungen, und am Ende entscheidet niemand etwas."
    guide = starter_engine.guide(OfflineComposer())
    state, reply = say(guide, guide.start(), german)
    assert "writing in German" in reply and state.stage == Stage.INTAKE and state.situation == ""
    assert "outside what I can help with" not in reply  # not the reply meant for poems

    model = ScriptedChatModel(name="server")
    guide = starter_engine.guide(model)
    state, reply = say(guide, guide.start(), german)
    assert state.language == "German"
    asked = [r for r in model.requests if r.prompt]
    assert asked and asked[-1].variables["language"] == "German"
    system = prompt_library().render_request(asked[-1]).system
    assert "write your whole reply in German" in system


def test_the_clarifying_question_names_each_reading_by_its_tension(hashing_starter: Engine) -> None:
    from pattern_guide.conversation.state import Candidate
    from pattern_guide.replies.listening import clarify

    library = hashing_starter.library
    slugs = ["sustainable-pace", "care-for-the-carers"]
    state = GuideState(candidates=[Candidate(slug=s, title=library.patterns[s].title, score=0.5) for s in slugs])
    text, _ = clarify(state, library)
    tensions = [library.patterns[s].tension for s in slugs]
    assert all(t and f"**{escape(t)}**" in text for t in tensions), text
    assert text.index(escape(tensions[0])) < text.index(escape(tensions[1]))
