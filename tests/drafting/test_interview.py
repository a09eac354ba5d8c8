"""The interview: at most eight questions, one sentence each, every one skippable, kept across a reload."""

from __future__ import annotations

from pattern_guide import text as toolkit
from pattern_guide.conversation.state import GuideState, Stage
from pattern_guide.drafting.interview import KEYS, QUESTIONS, DraftAnswers
from pattern_guide.drafting.writer import MISSING


def test_at_most_eight_questions_of_one_sentence_each() -> None:
    assert 1 <= len(QUESTIONS) <= 8
    for question in QUESTIONS:
        assert len(toolkit.sentences(question.text)) == 1, question.text
        assert question.text.endswith("?"), question.text
    assert len(set(KEYS)) == len(KEYS)


def test_every_question_the_format_needs_is_asked() -> None:
    assert {"context", "problem", "tension", "solution", "steps", "life", "decay"} <= set(KEYS)
    assert set(KEYS) - {"name"} <= set(MISSING)  # an unanswered one says what is missing


def test_answers_skips_and_the_end() -> None:
    draft = DraftAnswers(asking=True)
    assert draft.current() == QUESTIONS[0]
    draft.answer("  A food bank run by volunteers.  ")
    draft.skip()
    assert draft.answers == {"context": "A food bank run by volunteers."}
    assert draft.skipped == ["problem"] and draft.question == 2
    draft.question = 1  # back to the skipped one: an answer now replaces the skip
    draft.answer("The same three close up every week.")
    assert "problem" not in draft.skipped and draft.answers["problem"].startswith("The same three")
    while not draft.finished:
        draft.skip()
    assert draft.current() is None and draft.pending is False and not draft.saved


def test_an_interview_survives_a_reload() -> None:
    state = GuideState(stage=Stage.DRAFT, situation="Volunteers burn out.")
    state.draft = DraftAnswers(offered=["sustainable-pace"], asking=True)
    state.draft.answer("A church hall on Saturdays.")
    state.draft.skip()
    again = GuideState.model_validate_json(state.model_dump_json())
    assert again == state
    assert again.draft is not None and again.draft.question == 2 and again.draft.skipped == ["problem"]
    assert again.draft.answers == {"context": "A church hall on Saturdays."}
