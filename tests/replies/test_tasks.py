"""Every reply task has exactly one way to be composed and, unless fixed, one prompt file."""

from __future__ import annotations

import pytest

from pattern_guide.conversation.state import GuideState
from pattern_guide.errors import InputError
from pattern_guide.library.loader import Library
from pattern_guide.replies import composer
from pattern_guide.replies.prompts import prompt_library
from pattern_guide.replies.tasks import ReplyTask


def test_every_task_but_the_answer_has_an_offline_composer() -> None:
    assert set(composer.COMPOSERS) == set(ReplyTask) - {ReplyTask.ANSWER}


def test_every_prompted_task_has_its_prompt_file_and_fixed_ones_have_none() -> None:
    names = set(prompt_library().names())
    for task in ReplyTask:
        if task.fixed:
            assert task.prompt is None and task in composer.COMPOSERS, task  # composed offline, never rewritten
        else:
            assert task.prompt in names, task


def test_an_unknown_task_is_an_error_listing_the_known_ones() -> None:
    with pytest.raises(InputError, match="Unknown reply task 'plna'.*plan"):
        ReplyTask.from_str("plna")
    assert ReplyTask.from_str("plan") is ReplyTask.PLAN


def test_the_answer_is_not_composed_as_another_reply() -> None:
    with pytest.raises(ValueError, match="answer"):
        composer.compose(ReplyTask.ANSWER, composer.Inputs(GuideState(), Library(), None))


def test_a_task_that_needs_a_pattern_asks_for_one() -> None:
    text, given = composer.compose(ReplyTask.PLAN, composer.Inputs(GuideState(), Library(), None))
    assert text == composer.SIMPLE[ReplyTask.NEED_PATTERN] and given == []
