"""The guided conversation as an explicit state machine.

``parse(text, state)`` (in ``commands``) turns what the person typed into an Event;
``transition(state, event)`` is pure and returns the next state and the Actions to perform;
the Guide (in ``runner``) performs them: retrieving, composing, calling a model, saving.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from pattern_guide.conversation.state import GuideState, Stage
from pattern_guide.drafting.interview import DraftAnswers
from pattern_guide.errors import InputError
from pattern_guide.library.contexts import normalise_context
from pattern_guide.replies.tasks import SITUATION_NOTED, ReplyTask
from pattern_guide.vitality.signs import Answer, VitalityItem

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
    "note",  # an answer to the step's question: kept, and acknowledged
    "off_topic",  # not about the group at all: redirected, never filed as a note
    "none_fit",  # none of the offered patterns fits
    "ambiguous",  # could mean two things: the guide asks which, naming them
    "replant",  # straight to the replanting move of the sign of decay the situation echoes
    "foreign",  # written in another language, with no model to answer in it: said honestly
    "draft",  # yes to drafting a pattern of their own (or asking for it)
    "decline",  # no to the offer to draft
    "save",  # "that's enough, save it": the draft is written now
]


class Event(BaseModel):
    """Something the person did (or a retrieval that finished)."""

    kind: EventKind
    text: str = ""
    choice: str | None = None  # a number or a slug, for "pick"
    answer: Answer | None = None  # for "rate"
    thin: bool = False  # for "retrieved": the situation says too little, or the top matches tie
    off_topic: bool = False  # for "retrieved"
    weak: bool = False  # for "retrieved": even the best match is a weak one
    signs: list[VitalityItem] = Field(default_factory=list)  # for "pick": the chosen pattern's signs
    options: list[str] = Field(default_factory=list)  # for "ambiguous": the slugs it could mean


class Action(BaseModel):
    """Something to do outside the transition: retrieve, reply, or stop."""

    kind: Literal["retrieve", "say", "answer", "quit", "save_draft"]
    task: ReplyTask | None = None  # for "say": which reply to compose
    text: str = ""


def transition(
    state: GuideState, event: Event, steps: int = 0, drafting: bool = False
) -> tuple[GuideState, list[Action]]:
    """The next state and what to do, for one event. Pure: the input state is not changed.

    ``steps`` is the number of implementation steps of the chosen pattern; ``drafting`` says
    whether a draft can be saved (a drafts folder is configured).
    """
    s = state.model_copy(deep=True)

    def say(task: ReplyTask) -> Action:
        return Action(kind="say", task=task)

    kind = event.kind

    if kind == "quit":
        return s, [Action(kind="quit")]
    if kind == "help":
        return s, [say(ReplyTask.HELP)]
    if kind == "reveal":
        return s, [say(ReplyTask.DECLINE_PROMPT)]
    if kind == "restart":
        fresh = GuideState(id=s.id, context=None)
        return fresh, [say(ReplyTask.WELCOME)]
    if kind == "context":
        try:
            s.context = normalise_context(event.choice)
        except InputError:
            return s, [say(ReplyTask.UNKNOWN_CONTEXT)]
        s.context_detected = False
        return s, [say(_current_view(s))]
    if kind == "foreign":
        return s, [Action(kind="say", task=ReplyTask.LANGUAGE, text=event.choice or "")]
    if kind == "question":
        return s, [Action(kind="answer", text=event.text)]
    if kind == "off_topic" and s.stage not in (Stage.INTAKE, Stage.CLARIFY):
        return s, [say(ReplyTask.REDIRECT)]  # nothing is filed; the reply says where we were
    if kind == "ambiguous":
        if event.options:
            return s, [Action(kind="say", task=ReplyTask.AMBIGUOUS, text=",".join(event.options))]
        return s, [say(ReplyTask.RATE_AGAIN if s.stage == Stage.VITALITY else ReplyTask.HELP)]
    if kind in ("replant", "vitality") and s.echo is not None and s.stage == Stage.MATCHES:
        return _to_echo(s, event, replant=kind == "replant")
    if kind in ("vitality", "plan") and not s.pattern:
        return s, [say(ReplyTask.NEED_PATTERN)]
    if kind == "vitality":
        s.stage = Stage.VITALITY
        return s, [say(ReplyTask.VITALITY if s.vitality_index < len(s.vitality) else ReplyTask.READING)]
    if kind == "plan":
        s.stage = Stage.PLAN
        return s, [say(ReplyTask.PLAN)]
    if kind == "retrieved":
        if event.off_topic:
            s.stage = Stage.INTAKE if not s.candidates else s.stage
            return s, [say(ReplyTask.REDIRECT)]
        if event.thin and not s.clarified:
            s.stage = Stage.CLARIFY
            s.clarified = True
            return s, [say(ReplyTask.CLARIFY)]
        s.stage, s.shown = Stage.MATCHES, min(3, len(s.candidates))
        if s.context is None:
            s.context_asked = True  # the matches reply asks once which world this is
        actions = [say(ReplyTask.MATCHES)]
        if event.weak and drafting and (s.draft is None or not s.draft.saved):
            s.draft = offer(s)
            actions.append(Action(kind="say", task=ReplyTask.DRAFT_OFFER, text="weak"))
        return s, actions
    if kind == "pick":
        return _pick(s, event)
    if s.stage == Stage.DRAFT or kind in ("draft", "decline", "save"):
        return interview(s, event, drafting)

    if s.stage in (Stage.INTAKE, Stage.CLARIFY, Stage.MATCHES):
        if kind == "none_fit" and s.candidates:
            if drafting and (s.draft is None or not s.draft.saved):
                s.draft = offer(s)
                return s, [say(ReplyTask.DRAFT_OFFER)]
            return s, [say(ReplyTask.NONE_FIT)]
        if kind == "more" and s.candidates:
            if s.shown >= len(s.candidates):
                return s, [say(ReplyTask.NO_MORE)]
            s.shown = min(s.shown + 3, len(s.candidates))
            return s, [say(ReplyTask.MATCHES)]
        if kind == "text" and event.text:
            s.situation = f"{s.situation}\n{event.text}".strip()
            return s, [Action(kind="retrieve", text=s.situation)]
        return s, [say(ReplyTask.HELP)]

    if s.stage == Stage.ADAPT:
        if kind in ("note", "text") and event.text and not s.situation:
            # Started from a pattern: the first thing they say is their situation, so the plan has one.
            s.situation = event.text
            s.stage, s.step = Stage.STEPS, 0
            return s, [Action(kind="say", task=ReplyTask.STEP, text=SITUATION_NOTED)]
        if kind == "note" and event.text:
            s.notes[0] = event.text
            s.stage, s.step = Stage.STEPS, 0
            return s, [Action(kind="say", task=ReplyTask.STEP, text="0")]  # "Noted: …" before step 1
        if kind == "text" and event.text:
            s.notes[0] = event.text
        if kind in ("text", "next", "skip"):
            s.stage, s.step = Stage.STEPS, 0
            return s, [say(ReplyTask.STEP)]
        if kind == "back":
            s.stage = Stage.MATCHES
            return s, [say(ReplyTask.MATCHES)]
        return s, [say(ReplyTask.HELP)]

    if s.stage == Stage.STEPS:
        total = max(steps, 1)
        if kind == "note" and event.text:
            noted = s.step + 1
            s.notes[noted] = event.text
            if s.step + 1 >= total:
                s.stage = Stage.VITALITY
                return s, [Action(kind="say", task=ReplyTask.STEPS_DONE, text=str(noted)), say(ReplyTask.VITALITY)]
            s.step += 1
            return s, [Action(kind="say", task=ReplyTask.STEP, text=str(noted))]
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
                return s, [say(ReplyTask.STEPS_DONE), say(ReplyTask.VITALITY)]
            s.step += 1
            return s, [say(ReplyTask.STEP)]
        if kind == "back":
            if s.step == 0:
                s.stage = Stage.ADAPT
                return s, [say(ReplyTask.ADAPT)]
            s.step -= 1
            return s, [say(ReplyTask.STEP)]
        return s, [say(ReplyTask.HELP)]

    if s.stage == Stage.VITALITY:
        if kind == "rate" and event.answer and s.vitality_index < len(s.vitality):
            s.vitality[s.vitality_index].answer = event.answer
            s.vitality_index += 1
            while s.vitality_index < len(s.vitality) and s.vitality[s.vitality_index].answer is not None:
                s.vitality_index += 1  # a sign already answered (the one the situation named) is not asked again
            if s.vitality_index >= len(s.vitality):
                return s, [say(ReplyTask.READING)]
            return s, [say(ReplyTask.VITALITY)]
        if kind == "back" and s.vitality_index > 0:
            s.vitality_index -= 1
            return s, [say(ReplyTask.VITALITY)]
        if kind in ("next", "skip") and s.vitality_index < len(s.vitality):
            s.vitality_index += 1
            return s, [say(ReplyTask.VITALITY if s.vitality_index < len(s.vitality) else ReplyTask.READING)]
        if s.vitality_index >= len(s.vitality):
            s.stage = Stage.PLAN
            return s, [say(ReplyTask.PLAN)]
        return s, [say(ReplyTask.RATE_AGAIN)]

    # PLAN: the plan is given; the person can pick another pattern, ask, or restart.
    if kind == "back":
        # The reading again, with the last sign open: answering it changes that answer.
        s.stage, s.vitality_index = Stage.VITALITY, max(len(s.vitality) - 1, 0)
        return s, [say(ReplyTask.READING)]
    return s, [say(ReplyTask.AFTER_PLAN)]


def _pick(s: GuideState, event: Event) -> tuple[GuideState, list[Action]]:
    """Choose a pattern by its number among the offered candidates, or by slug."""
    choice = event.choice or ""
    if choice.isdigit():
        offered = s.offered(choice)
        if offered is None:
            return s, [Action(kind="say", task=ReplyTask.BAD_PICK)]
        slug = offered
    else:
        slug = choice
    s.pattern, s.stage, s.step, s.echo = slug, Stage.ADAPT, 0, None
    if s.draft is not None and not s.draft.saved:
        s.draft = None  # a pattern was chosen: the offer (or the unfinished interview) lapses
    s.notes, s.skipped, s.vitality_index = {}, [], 0
    s.vitality = [item.model_copy() for item in event.signs]
    return s, [Action(kind="say", task=ReplyTask.ADAPT)]


def _to_echo(s: GuideState, event: Event, replant: bool) -> tuple[GuideState, list[Action]]:
    """Take up the pattern whose sign of decay the person described: that sign is answered already."""
    echo = s.echo
    assert echo is not None
    s.pattern, s.stage, s.step = echo.slug, Stage.VITALITY, 0
    s.notes, s.skipped = {}, []
    s.vitality = [item.model_copy() for item in event.signs]
    for item in s.vitality:
        if item.text.lower().startswith(echo.title.lower()):
            item.answer = Answer.YES if echo.kind == "decay" else Answer.NO
            break
    s.vitality_index = next((i for i, item in enumerate(s.vitality) if item.answer is None), len(s.vitality))
    first = ReplyTask.REPLANT if replant else ReplyTask.VITALITY
    rest = ReplyTask.VITALITY if s.vitality_index < len(s.vitality) else ReplyTask.READING
    return s, [Action(kind="say", task=first)] + ([Action(kind="say", task=rest)] if replant else [])


def _current_view(s: GuideState) -> ReplyTask:
    """The reply that shows the current stage again (after a context switch)."""
    return {
        Stage.INTAKE: ReplyTask.CONTEXT_SET,
        Stage.CLARIFY: ReplyTask.CONTEXT_SET,
        Stage.MATCHES: ReplyTask.MATCHES,
        Stage.ADAPT: ReplyTask.ADAPT,
        Stage.STEPS: ReplyTask.STEP,
        Stage.VITALITY: ReplyTask.VITALITY if s.vitality_index < len(s.vitality) else ReplyTask.READING,
        Stage.PLAN: ReplyTask.PLAN,
        Stage.DRAFT: ReplyTask.DRAFT_QUESTION,
    }[s.stage]


def offer(s: GuideState) -> DraftAnswers:
    """The offer to draft a pattern, remembering the patterns that were offered (the draft links them)."""
    return DraftAnswers(offered=[c.slug for c in s.candidates[: max(s.shown, 1)]])


def interview(s: GuideState, event: Event, drafting: bool) -> tuple[GuideState, list[Action]]:
    """The drafting interview: yes or no to the offer, then one question at a time until saved."""
    kind, draft = event.kind, s.draft
    if not drafting:
        return s, [Action(kind="say", task=ReplyTask.NONE_FIT if kind != "save" else ReplyTask.HELP)]
    if s.stage != Stage.DRAFT:
        if kind == "decline" and draft is not None and draft.pending:
            s.draft = None
            return s, [Action(kind="say", task=ReplyTask.NONE_FIT)]
        if kind == "draft" and s.situation and (draft is None or not draft.saved):
            s.draft = draft if draft is not None else offer(s)
            s.draft.asking, s.stage = True, Stage.DRAFT
            return s, [Action(kind="say", task=ReplyTask.DRAFT_QUESTION)]
        return s, [Action(kind="say", task=ReplyTask.HELP)]
    assert draft is not None, "the draft stage always has a draft"
    if kind in ("note", "text") and event.text:
        draft.answer(event.text)
    elif kind in ("skip", "next"):
        draft.skip()
    elif kind == "back":
        draft.question = max(draft.question - 1, 0)
        return s, [Action(kind="say", task=ReplyTask.DRAFT_QUESTION)]
    elif kind != "save":
        return s, [Action(kind="say", task=ReplyTask.DRAFT_QUESTION, text="again")]
    if kind == "save" or draft.finished:
        return s, [Action(kind="save_draft"), Action(kind="say", task=ReplyTask.DRAFT_SAVED)]
    return s, [Action(kind="say", task=ReplyTask.DRAFT_QUESTION, text="noted" if kind != "skip" else "skipped")]
