"""The Guide: performs the actions of the state machine (retrieve, compose, stream, save)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from pattern_guide import composer
from pattern_guide.context import detect_context
from pattern_guide.guide import Action, Event, parse, transition
from pattern_guide.library import Library
from pattern_guide.llm import ChatModel, GivenSection, OfflineComposer, ReplyRequest
from pattern_guide.model import Pattern
from pattern_guide.retrieval import Retriever
from pattern_guide.state import Candidate, GuideState, Quote, Stage
from pattern_guide.topic import TopicCheck
from pattern_guide.vitality import reading as vitality_reading
from pattern_guide.vitality import signs

CANDIDATES = 9
THIN_WORDS = 6
CLOSE_MARGIN = 0.01  # top two fused scores within 1% of each other
FIXED_TASKS = frozenset({*composer.SIMPLE, "welcome", "redirect"})


class Turn(BaseModel):
    """What one message of the person produced: replies to stream, and whether to stop."""

    requests: list[ReplyRequest]
    quit: bool = False


class Guide:
    """Runs the conversation for one library, retriever and chat model."""

    def __init__(self, library: Library, retriever: Retriever, model: ChatModel) -> None:
        self.library = library
        self.retriever = retriever
        self.model = model
        self._offline = OfflineComposer()
        self.topics = TopicCheck(retriever)
        # What a person may type to pick a pattern: its slug or its title.
        self._names = {slug: slug for slug in library.patterns}
        self._names.update({p.title.lower(): slug for slug, p in library.patterns.items()})

    def start(self, state: GuideState | None = None) -> tuple[GuideState, ReplyRequest]:
        """A new conversation and its greeting."""
        state = state or GuideState()
        text, _ = composer.welcome()
        return state, ReplyRequest(task="welcome", draft=text)

    def is_off_topic(self, text: str) -> bool:
        """Decided in code from retrieval scores, before any model is called."""
        return self.topics.is_off_topic(text)

    def handle(self, state: GuideState, text: str) -> tuple[GuideState, Turn]:
        """Apply one message: parse, transition, perform the actions; replies are not streamed yet."""
        state = state.model_copy(deep=True)
        state.add("user", text)
        event = self._enrich(parse(text, state, self._names), state)
        requests: list[ReplyRequest] = []
        pending: list[Event] = [event]
        while pending:
            state, actions = transition(state, pending.pop(0), self._steps(state))
            for action in actions:
                if action.kind == "quit":
                    return state, Turn(requests=requests, quit=True)
                if action.kind == "retrieve":
                    pending.append(self._retrieve(state, action.text))
                elif action.kind == "answer":
                    requests.append(self._answer(state, action.text))
                else:
                    requests.append(self.compose(state, action))
        return state, Turn(requests=requests)

    def deliver(self, state: GuideState, request: ReplyRequest) -> Iterator[str]:
        """Stream one reply through the chat model and record it in the transcript.

        Fixed messages (help, greetings, redirects) never reach a language model.
        """
        model: ChatModel = self._offline if request.task in FIXED_TASKS else self.model
        # A fallback remembers what happened to its last reply: one per reply, since the
        # Guide is shared by every session of the server.
        primary, fallback = getattr(model, "primary", None), getattr(model, "fallback", None)
        if primary is not None and fallback is not None:
            model = type(model)(primary, fallback)  # type: ignore[call-arg]
        pieces: list[str] = []
        for piece in model.stream(request):
            pieces.append(piece)
            yield piece
        fell_back = getattr(model, "last_fallback", None)
        name = getattr(model, "last_model", None) or model.name
        notice = f"Fell back to the offline composer: {fell_back}." if fell_back else None
        state.add("assistant", "".join(pieces), model=name, notice=notice)

    # -- actions -------------------------------------------------------------------------

    def _enrich(self, event: Event, state: GuideState) -> Event:
        """Resolve a pick to a slug and attach that pattern's vitality signs."""
        if event.kind != "pick" or not event.choice:
            return event
        slug = event.choice
        if slug.isdigit():
            index = int(slug) - 1
            if not (0 <= index < max(state.shown, 1) and index < len(state.candidates)):
                return event
            slug = state.candidates[index].slug
        pattern = self.library.patterns.get(slug)
        if pattern is None:
            return Event(kind="text", text=event.choice)
        return event.model_copy(update={"choice": slug, "signs": signs(pattern)})

    def _retrieve(self, state: GuideState, situation: str) -> Event:
        latest = state.messages[-1].content if state.messages else situation
        if self.is_off_topic(latest) and (not state.candidates or self.is_off_topic(situation)):
            state.situation = "\n".join(state.situation.split("\n")[:-1])
            return Event(kind="retrieved", off_topic=True)
        if state.context_detected:
            state.context = detect_context(situation) or state.context
        result = self.retriever.match(situation, state.context, top=CANDIDATES)
        state.candidates = [
            Candidate(
                slug=m.slug, title=m.title, score=m.score, why=[Quote(section=p.section, text=p.text) for p in m.why]
            )
            for m in result.matches
        ]
        scores = [c.score for c in state.candidates]
        close = len(scores) > 1 and scores[0] - scores[1] < CLOSE_MARGIN * scores[0]
        thin = len(re.findall(r"\w+", situation)) < THIN_WORDS or close
        return Event(kind="retrieved", thin=thin)

    def _pattern(self, state: GuideState) -> Pattern | None:
        return self.library.patterns.get(state.pattern or "")

    def _steps(self, state: GuideState) -> int:
        pattern = self._pattern(state)
        return len(pattern.steps) if pattern else 0

    def compose(self, state: GuideState, action: Action) -> ReplyRequest:
        """The offline draft for one reply, wrapped as a request any chat model can serve."""
        pattern = self._pattern(state)
        task = action.task
        given: list[GivenSection] = []
        if task in composer.SIMPLE:
            draft = composer.SIMPLE[task]
        elif task == "welcome":
            draft, given = composer.welcome()
        elif task == "redirect":
            draft, given = composer.redirect()
        elif task == "matches":
            top = self.library.patterns.get(state.candidates[0].slug) if state.candidates else None
            draft, given = composer.matches(state, self.library, top.tension if top else None)
        elif task == "clarify":
            draft, given = composer.clarify(state, self.library)
        elif pattern is None:
            draft = composer.SIMPLE["need_pattern"]
        elif task == "adapt":
            draft, given = composer.adapt(state, pattern, self.library)
        elif task == "step":
            draft, given = composer.step(state, pattern)
        elif task == "vitality":
            draft, given = composer.vitality_question(state, pattern)
        elif task == "reading":
            draft, given = composer.reading(state, pattern, self.library)
        else:
            draft, given = composer.plan(state, pattern, self.library)
        return ReplyRequest(
            task=task if task in FIXED_TASKS else _prompt_for(task),
            draft=draft,
            user_text=_last_user(state),
            context=state.context,
            sections=given,
            history=state.messages[-9:-1],
            anchors=_anchors(state, task, pattern),
        )

    def _answer(self, state: GuideState, question: str) -> ReplyRequest:
        """Answer a free question from the retrieved sections, then point back to where we were."""
        passages: list[GivenSection] = []
        if not self.is_off_topic(question):
            ranked, evidence, _ = self.retriever.rank(question)
            slugs = [slug for slug, _ in ranked[:3]]
            # The chosen pattern answers first when it is among the relevant ones.
            if state.pattern in [slug for slug, _ in ranked[:6]] and state.pattern not in slugs:
                slugs = [state.pattern, *slugs[:2]]
            slugs.sort(key=lambda slug: slug != state.pattern)
            for slug in slugs:
                pattern = self.library.patterns.get(slug)
                for cid in evidence.get(slug, [])[:1]:
                    ref = self.retriever.lexical.by_id[cid]
                    if pattern and any(sec.heading == ref.section for sec in pattern.sections):
                        passages.append(GivenSection(slug=slug, section=ref.section, text=_body(ref.text)))
        resume = _resume_hint(state)
        draft, given = composer.answer(question, passages, resume)
        return ReplyRequest(
            task="answer",
            draft=draft,
            user_text=question,
            context=state.context,
            sections=given,
            history=state.messages[-9:-1],
        )


def _anchors(state: GuideState, task: str, pattern: Pattern | None) -> list[str]:
    """What the person needs from a reply to act on it: the titles to pick from, the step, the sign."""
    if task == "matches":
        first = state.shown - 3 if state.shown > 3 else 0
        return [c.title for c in state.candidates[first : state.shown]]
    if task == "step" and pattern is not None and pattern.steps:
        return [pattern.steps[min(state.step, len(pattern.steps) - 1)].title]
    if task == "vitality" and state.vitality:
        sign = state.vitality[state.vitality_index].text
        return [re.split(r"(?<=[.!?])\s", sign, maxsplit=1)[0].rstrip(".!?")]
    if task == "reading" and pattern is not None:
        level = vitality_reading(state.vitality).level
        return [level] if level else []
    if task in ("adapt", "plan") and pattern is not None:
        return [pattern.title]
    return []


def _body(chunk_text: str) -> str:
    return chunk_text.split("\n", 1)[1] if "\n" in chunk_text else chunk_text


def _last_user(state: GuideState) -> str:
    return next((m.content for m in reversed(state.messages) if m.role == "user"), "")


def _prompt_for(task: str) -> str:
    """Which prompt file serves a reply (the reading shares the vitality prompt)."""
    return {"reading": "vitality", "steps_done": "step"}.get(task, task)


def _resume_hint(state: GuideState) -> str:
    return {
        Stage.INTAKE: "Tell me about your situation when you're ready.",
        Stage.CLARIFY: "Now, back to my question about your situation.",
        Stage.MATCHES: "Back to the patterns above — pick one by number, or say `more`.",
        Stage.ADAPT: "Say `next` when you're ready for step 1.",
        Stage.STEPS: f"We were on step {state.step + 1} — add your note, or say `next`.",
        Stage.VITALITY: "Back to the vitality check: `yes`, `partly` or `no`.",
        Stage.PLAN: "Your plan is above; say `restart` to begin again.",
    }[state.stage]
