"""The offline composer: every reply of the guide, built from the pattern text itself.

Deterministic and model-free. Each reply task has one composer (``COMPOSERS``); each returns
Markdown and the sections it drew on, so a language model that rewrites the draft may cite
exactly those. The wording lives in ``listening`` (greeting, matches, clarifying, asides) and
``walkthrough`` (the pattern, its steps, the vitality check, the plan).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from pattern_guide.conversation.state import GuideState
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern
from pattern_guide.replies import drafting
from pattern_guide.replies.listening import (
    ambiguous,
    answer,
    clarify,
    matches,
    other_language,
    redirect,
    resume_hint,
    welcome,
)
from pattern_guide.replies.phrasing import Draft
from pattern_guide.replies.tasks import ReplyTask
from pattern_guide.replies.walkthrough import adapt, noted, plan, reading, replant_move, step, vitality_question

__all__ = ["COMPOSERS", "SIMPLE", "Inputs", "answer", "compose", "resume_hint"]

# Help on the page: the buttons under the conversation and plain words; no slugs, nothing only a terminal has.
HELP = (
    "Write to me as you would to a colleague — or use the buttons under the conversation. Things you can say:\n\n"
    "- describe what keeps happening in your group, and I'll offer patterns that have helped others\n"
    "- pick one by its **number** or its **name** (“the second one”, “Meeting Diet”) · “show me more”\n"
    "- at a step, tell me what it would look like for you (kept as a note), or “next”, “back”, “skip”\n"
    "- “how would this look in a council?” to see it for a company, public service, movement or product team\n"
    "- “check its vitality” to go through its signs of life and decay (yes / partly / no)\n"
    "- “show me the plan” for your plan, with a download · “start over” to begin again\n\n"
    "A question (ending in “?”) is answered from the patterns, and we carry on where we were."
)
# Help in the terminal: commands typed as words, and how to stop.
TERMINAL_HELP = (
    "You can type freely, or use these commands:\n\n"
    "- a **number** or a pattern's **name** to pick it · `more` for other patterns\n"
    "- `next`, `back`, `skip` to move through the steps · `context corporate|government|activist|tech`\n"
    "- `vitality` to check the pattern's signs of life and decay (`yes` / `partly` / `no`)\n"
    "- `plan` for your plan · `restart` to begin again · `quit` to stop\n\n"
    "A message ending in “?” is answered from the patterns, and we carry on where we were."
)
TERMINAL = "terminal"  # the detail of a HELP reply in the terminal


SIMPLE: dict[ReplyTask, str] = {
    ReplyTask.HELP: HELP,
    ReplyTask.NEED_PATTERN: "First pick a pattern: describe your situation and choose one of the matches.",
    ReplyTask.BAD_PICK: "I don't have a pattern with that number — pick one of the numbers shown, or a slug.",
    ReplyTask.NO_MORE: "Those are all the patterns I have for this. Tell me more about your situation, or pick one.",
    ReplyTask.UNKNOWN_CONTEXT: "I know four contexts: `corporate`, `government`, `activist` and `tech`.",
    ReplyTask.CONTEXT_SET: "Got it — I'll use that lens. Now tell me about your situation.",
    ReplyTask.STEPS_DONE: "That was the last step. Your notes are kept.",
    ReplyTask.RATE_AGAIN: "Please answer `yes`, `partly` or `no` (or `y` / `p` / `n`); `skip` leaves this sign out.",
    ReplyTask.DECLINE_PROMPT: "I keep how I'm instructed to myself — it's not something I share. What I can do is help "
    "with a situation in your group: what keeps happening, and what it costs.",
    ReplyTask.NONE_FIT: "Thanks for saying so — better no pattern than the wrong one. Tell me more about what keeps "
    "happening, in your own words, and I'll look again; or ask to see more options.",
    ReplyTask.AFTER_PLAN: "Your plan is above, with its **Download plan** button just below the conversation. What "
    "next: take it to your group and try step 1; come back in a few weeks to check its vitality again (say `vitality`, "
    "or use the Assess page to keep readings over time); or pick another pattern by name, or `restart`.",
}


class Inputs(NamedTuple):
    """What a composer may draw on: the conversation, the library and the chosen pattern."""

    state: GuideState
    library: Library
    pattern: Pattern | None
    detail: str = ""  # what the action adds: the step a note was kept for, the slugs a pick could mean


Composer = Callable[[Inputs], Draft]


def _fixed(text: str) -> Composer:
    return lambda _: (text, [])


def _need_pattern() -> Draft:
    return SIMPLE[ReplyTask.NEED_PATTERN], []


def _on_pattern(build: Callable[[GuideState, Pattern, Library], Draft]) -> Composer:
    """A composer that needs the chosen pattern; without one it asks the person to pick."""

    def run(inputs: Inputs) -> Draft:
        if inputs.pattern is None:
            return SIMPLE[ReplyTask.NEED_PATTERN], []
        return build(inputs.state, inputs.pattern, inputs.library)

    return run


def _matches(inputs: Inputs) -> Draft:
    state, library = inputs.state, inputs.library
    top = library.patterns.get(state.candidates[0].slug) if state.candidates else None
    return matches(state, library, top.named_tension if top else None)


# Every reply but the answer to a free question (which needs the retrieved passages: see answer()).
COMPOSERS: dict[ReplyTask, Composer] = {
    ReplyTask.WELCOME: lambda _: welcome(),
    ReplyTask.MATCHES: _matches,
    ReplyTask.CLARIFY: lambda i: clarify(i.state, i.library),
    ReplyTask.ADAPT: _on_pattern(adapt),
    ReplyTask.STEP: lambda i: step(i.state, i.pattern, i.detail) if i.pattern else _need_pattern(),
    ReplyTask.STEPS_DONE: lambda i: (
        (noted(i.state, i.pattern, i.detail) if i.pattern else "") + SIMPLE[ReplyTask.STEPS_DONE],
        [],
    ),
    ReplyTask.AMBIGUOUS: lambda i: ambiguous(i.library, i.detail.split(",")),
    ReplyTask.REDIRECT: lambda i: redirect(i.state),
    ReplyTask.VITALITY: _on_pattern(lambda state, pattern, _: vitality_question(state, pattern)),
    ReplyTask.READING: _on_pattern(reading),
    ReplyTask.REPLANT: _on_pattern(replant_move),
    ReplyTask.LANGUAGE: lambda i: other_language(i.detail or "another language", i.state),
    ReplyTask.PLAN: _on_pattern(plan),
    ReplyTask.DRAFT_OFFER: lambda i: drafting.offer(i.detail),
    ReplyTask.DRAFT_QUESTION: lambda i: drafting.question(i.state, i.detail),
    ReplyTask.DRAFT_SAVED: lambda i: drafting.saved(i.state),
    ReplyTask.DRAFT_POLISH: lambda i: drafting.polish_body(i.state),
    **{task: _fixed(text) for task, text in SIMPLE.items() if task != ReplyTask.STEPS_DONE},
    ReplyTask.HELP: lambda i: (TERMINAL_HELP if i.detail == TERMINAL else HELP, []),
}


def compose(task: ReplyTask, inputs: Inputs) -> Draft:
    """The offline draft of one reply; a task without a composer is an error, never another reply."""
    build = COMPOSERS.get(task)
    if build is None:
        raise ValueError(f"No offline composer for the '{task}' reply — answers are composed by answer()")
    return build(inputs)
