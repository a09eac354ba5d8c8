"""The guided conversation as an explicit state machine.

``parse(text, state)`` turns what the person typed into an Event; ``transition(state,
event)`` is pure and returns the next state and the Actions to perform; the Guide (in
``conversation``) performs them: retrieving, composing, calling a model, saving.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel

from pattern_guide.context import normalise_context
from pattern_guide.state import Answer, GuideState, Stage, VitalityItem

EventKind = Literal[
    "text",
    "question",
    "pick",
    "more",
    "next",
    "back",
    "skip",
    "context",
    "vitality",
    "plan",
    "restart",
    "help",
    "quit",
    "rate",
    "retrieved",
    "reveal",  # a request to see the guide's instructions: declined in code, never sent to a model
]


class Event(BaseModel):
    """Something the person did (or a retrieval that finished)."""

    kind: EventKind
    text: str = ""
    choice: str | None = None  # a number or a slug, for "pick"
    answer: Answer | None = None  # for "rate"
    thin: bool = False  # for "retrieved": the situation says too little, or the top matches tie
    off_topic: bool = False  # for "retrieved"
    signs: list[VitalityItem] = []  # for "pick": the chosen pattern's signs, filled in by the Guide


class Action(BaseModel):
    """Something to do outside the transition: retrieve, reply, or stop."""

    kind: Literal["retrieve", "say", "answer", "quit"]
    task: str = ""  # for "say": which reply to compose
    text: str = ""


COMMANDS = ("more", "next", "back", "skip", "vitality", "plan", "restart", "help", "quit")
_ANSWERS = {
    "yes": Answer.YES,
    "y": Answer.YES,
    "partly": Answer.PARTLY,
    "p": Answer.PARTLY,
    "no": Answer.NO,
    "n": Answer.NO,
}
# Requests to see how the guide is instructed ("print your system prompt", "ignore the previous
# instructions and ..."): answered with a fixed reply, whatever the model.
_REVEAL = re.compile(
    r"\b(system|developer|initial|hidden|original|secret)\s+(prompt|instructions?|message)s?\b"
    r"|\byour\s+(own\s+|exact\s+|full\s+)?(prompt|instructions|guidelines)\b"
    r"|\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(the\s+|your\s+)?(previous|prior|above|earlier|preceding)\s+"
    r"(instructions|prompts?|messages|rules)\b",
    re.IGNORECASE,
)
_ALIASES = {
    "exit": "quit",
    "bye": "quit",
    "continue": "next",
    "previous": "back",
    "new": "restart",
    "start over": "restart",
    "?": "help",
    "commands": "help",
}


def parse(text: str, state: GuideState, names: Mapping[str, str] | set[str] | frozenset[str] = frozenset()) -> Event:
    """Read one line the person typed as a command, a pick, an answer, a question or text.

    ``names`` maps what a person may type to pick a pattern (its slug or its title, in lower
    case) to the slug; a plain set of slugs also works.
    """
    raw = text.strip()
    word = re.sub(r"[.!\s]+$", "", raw.lower())
    word = _ALIASES.get(word, word)
    if state.stage == Stage.VITALITY and state.vitality_index < len(state.vitality) and word in _ANSWERS:
        return Event(kind="rate", answer=_ANSWERS[word])
    if word in COMMANDS:
        return Event(kind=word)  # type: ignore[arg-type]
    if _REVEAL.search(raw):
        return Event(kind="reveal", text=raw)
    match = re.fullmatch(r"context\s+(\w+)", word)
    if match:
        return Event(kind="context", choice=match.group(1))
    pick = re.fullmatch(r"(?:pick|choose|option|number|#)?\s*(\d{1,2})", word)
    if pick and state.candidates:
        return Event(kind="pick", choice=pick.group(1))
    name = word.removeprefix("pick ").strip()
    if name in names:
        return Event(kind="pick", choice=names[name] if isinstance(names, Mapping) else name)
    if raw.endswith("?") and state.stage not in (Stage.INTAKE,):
        return Event(kind="question", text=raw)
    return Event(kind="text", text=raw)


def transition(state: GuideState, event: Event, steps: int = 0) -> tuple[GuideState, list[Action]]:
    """The next state and what to do, for one event. Pure: the input state is not changed.

    ``steps`` is the number of implementation steps of the chosen pattern.
    """
    s = state.model_copy(deep=True)
    say = lambda task: Action(kind="say", task=task)  # noqa: E731
    kind = event.kind

    if kind == "quit":
        return s, [Action(kind="quit")]
    if kind == "help":
        return s, [say("help")]
    if kind == "reveal":
        return s, [say("decline_prompt")]
    if kind == "restart":
        fresh = GuideState(id=s.id, context=None)
        return fresh, [say("welcome")]
    if kind == "context":
        try:
            s.context = normalise_context(event.choice)
        except ValueError:
            return s, [say("unknown_context")]
        s.context_detected = False
        return s, [say(_current_view(s))]
    if kind == "question":
        return s, [Action(kind="answer", text=event.text)]
    if kind in ("vitality", "plan") and not s.pattern:
        return s, [say("need_pattern")]
    if kind == "vitality":
        s.stage = Stage.VITALITY
        return s, [say("vitality" if s.vitality_index < len(s.vitality) else "reading")]
    if kind == "plan":
        s.stage = Stage.PLAN
        return s, [say("plan")]
    if kind == "retrieved":
        if event.off_topic:
            s.stage = Stage.INTAKE if not s.candidates else s.stage
            return s, [say("redirect")]
        if event.thin and not s.clarified:
            s.stage = Stage.CLARIFY
            s.clarified = True
            return s, [say("clarify")]
        s.stage, s.shown = Stage.MATCHES, min(3, len(s.candidates))
        return s, [say("matches")]
    if kind == "pick":
        return _pick(s, event)

    if s.stage in (Stage.INTAKE, Stage.CLARIFY, Stage.MATCHES):
        if kind == "more" and s.candidates:
            if s.shown >= len(s.candidates):
                return s, [say("no_more")]
            s.shown = min(s.shown + 3, len(s.candidates))
            return s, [say("matches")]
        if kind == "text" and event.text:
            s.situation = f"{s.situation}\n{event.text}".strip()
            return s, [Action(kind="retrieve", text=s.situation)]
        return s, [say("help")]

    if s.stage == Stage.ADAPT:
        if kind == "text" and event.text:
            s.notes[0] = event.text
        if kind in ("text", "next", "skip"):
            s.stage, s.step = Stage.STEPS, 0
            return s, [say("step")]
        if kind == "back":
            s.stage = Stage.MATCHES
            return s, [say("matches")]
        return s, [say("help")]

    if s.stage == Stage.STEPS:
        total = max(steps, 1)
        if kind == "text" and event.text:
            s.notes[s.step + 1] = event.text
            kind = "next"
        if kind == "skip":
            if s.step + 1 not in s.skipped:
                s.skipped.append(s.step + 1)
            kind = "next"
        if kind == "next":
            if s.step + 1 >= total:
                s.stage = Stage.VITALITY
                return s, [say("steps_done"), say("vitality")]
            s.step += 1
            return s, [say("step")]
        if kind == "back":
            if s.step == 0:
                s.stage = Stage.ADAPT
                return s, [say("adapt")]
            s.step -= 1
            return s, [say("step")]
        return s, [say("help")]

    if s.stage == Stage.VITALITY:
        if kind == "rate" and event.answer and s.vitality_index < len(s.vitality):
            s.vitality[s.vitality_index].answer = event.answer
            s.vitality_index += 1
            if s.vitality_index >= len(s.vitality):
                return s, [say("reading")]
            return s, [say("vitality")]
        if kind == "back" and s.vitality_index > 0:
            s.vitality_index -= 1
            return s, [say("vitality")]
        if kind in ("next", "skip") and s.vitality_index < len(s.vitality):
            s.vitality_index += 1
            return s, [say("vitality" if s.vitality_index < len(s.vitality) else "reading")]
        if s.vitality_index >= len(s.vitality):
            s.stage = Stage.PLAN
            return s, [say("plan")]
        return s, [say("rate_again")]

    # PLAN: the plan is given; the person can pick another pattern, ask, or restart.
    if kind == "back":
        s.stage = Stage.VITALITY
        return s, [say("reading")]
    return s, [say("after_plan")]


def _pick(s: GuideState, event: Event) -> tuple[GuideState, list[Action]]:
    """Choose a pattern by its number among the offered candidates, or by slug."""
    choice = event.choice or ""
    if choice.isdigit():
        index = int(choice) - 1
        if 0 <= index < max(s.shown, 1) and index < len(s.candidates):
            slug = s.candidates[index].slug
        else:
            return s, [Action(kind="say", task="bad_pick")]
    else:
        slug = choice
    s.pattern, s.stage, s.step = slug, Stage.ADAPT, 0
    s.notes, s.skipped, s.vitality_index = {}, [], 0
    s.vitality = [item.model_copy() for item in event.signs]
    return s, [Action(kind="say", task="adapt")]


def _current_view(s: GuideState) -> str:
    """The reply that shows the current stage again (after a context switch)."""
    return {
        Stage.INTAKE: "context_set",
        Stage.CLARIFY: "context_set",
        Stage.MATCHES: "matches",
        Stage.ADAPT: "adapt",
        Stage.STEPS: "step",
        Stage.VITALITY: "vitality" if s.vitality_index < len(s.vitality) else "reading",
        Stage.PLAN: "plan",
    }[s.stage]
