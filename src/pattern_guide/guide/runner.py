"""The Guide: performs the actions of the state machine (retrieve, compose, stream, record)."""

from __future__ import annotations

import re

from pydantic import BaseModel

from pattern_guide import text as toolkit
from pattern_guide.conversation.state import Candidate, GuideState, Role, Stage
from pattern_guide.errors import InputError
from pattern_guide.guide.commands import parse
from pattern_guide.guide.drafts import DraftDesk
from pattern_guide.guide.machine import Action, Event, transition
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Passage, Pattern
from pattern_guide.llm.interface import ChatModel, OfflineComposer, Reply, TextStream, as_chat_model
from pattern_guide.replies import composer
from pattern_guide.replies.listening import welcome, welcome_at
from pattern_guide.replies.request import ReplyRequest
from pattern_guide.replies.tasks import ReplyTask
from pattern_guide.retrieval.context import detect_context
from pattern_guide.retrieval.passages import MIN_SHARED, best_paragraphs, shared_words
from pattern_guide.retrieval.retriever import Retriever
from pattern_guide.retrieval.topic import TopicCheck
from pattern_guide.understanding.echoes import Echoes, in_place
from pattern_guide.understanding.intents import Intent, IntentKind, OfflineUnderstanding, Understanding, View
from pattern_guide.understanding.language import language, language_name
from pattern_guide.vitality.reading import reading as vitality_reading
from pattern_guide.vitality.signs import Answer, signs

CANDIDATES = 9
THIN_WORDS = 6
CLOSE_MARGIN = 0.01  # top two fused scores within 1% of each other
NAME_ECHO = 0.5  # an echoed sign of decay this close is named to the person, with its replanting move
# Best cosine of any passage below this: even the top match is weak, so drafting is offered. With MiniLM over
# the starter library, on-topic eval situations reach 0.33-0.67 (situations.jsonl) and 0.29-0.64 (heldout.jsonl):
# 0 of 63 and 2 of 50 fall below it.
WEAK_MATCH = 0.3


class Turn(BaseModel):
    """What one message of the person produced: replies to stream, and whether to stop."""

    requests: list[ReplyRequest]
    quit: bool = False


class Guide:
    """Runs the conversation for one library, retriever and chat model."""

    def __init__(
        self,
        library: Library,
        retriever: Retriever,
        model: TextStream,
        echoes: Echoes | None = None,
        drafts: DraftDesk | None = None,
        weak_match: float = WEAK_MATCH,
    ) -> None:
        self.model: ChatModel = as_chat_model(model)
        self._offline = OfflineComposer()
        self.drafts = drafts  # None: no drafts folder, so no offer to draft a pattern
        self.weak_match = weak_match
        self.terminal = False  # True in `pattern-guide chat`: help names the typed commands and `quit`
        embedder = getattr(retriever.vector, "embedder", None)
        vector = getattr(retriever.vector, "query_vector", None)  # cached per text by the vector index
        self.echoes = echoes or Echoes(embedder.embed if embedder is not None else None, vector)
        self.use(library, retriever)

    def use(self, library: Library, retriever: Retriever) -> None:
        """Serve this library and retriever from now on (after a saved draft was indexed)."""
        self.library = library
        self.retriever = retriever
        self.topics = TopicCheck(retriever)
        # What a person may type to pick a pattern: its slug or its title.
        self._names = {slug: slug for slug in library.patterns}
        self._names.update({p.title.lower(): slug for slug, p in library.patterns.items()})
        vector = getattr(retriever.vector, "query_vector", None)  # cached per text by the vector index
        self.understanding: Understanding = OfflineUnderstanding(library, self.topics.is_off_topic, vector)

    def start(self, state: GuideState | None = None) -> GuideState:
        """A new conversation, greeted (the greeting is fixed text, recorded at once)."""
        state = state or GuideState()
        text, _ = welcome()
        state.add(Role.ASSISTANT, text, model=self._offline.name)
        return state

    def open_at(self, slug: str, context: str | None = None) -> tuple[GuideState, Turn]:
        """A conversation begun at one pattern (from the library): greeted for it, in the context chosen
        there, at the pattern's adapt stage — which asks for their situation before the steps."""
        pattern = self.library.patterns.get(slug)
        if pattern is None:
            raise InputError(f"No pattern '{slug}' in this library — pick one from the Library page.")
        state = GuideState(context=context, context_detected=context is None)
        text, _ = welcome_at(pattern, context)
        state.add(Role.ASSISTANT, text, model=self._offline.name)
        event = Event(kind="pick", choice=slug, signs=signs(pattern))
        state, actions = transition(state, event, len(pattern.steps), self.drafts is not None)
        return state, Turn(requests=[self.compose(state, a) for a in actions if a.kind == "say"])

    def libraries(self) -> dict[str, int]:
        """The loaded libraries (folders) and how many patterns each holds, in the order they were loaded."""
        counts: dict[str, int] = {}
        for pattern in self.library.patterns.values():
            counts[pattern.library] = counts.get(pattern.library, 0) + 1
        return counts

    def is_off_topic(self, text: str) -> bool:
        """Decided in code from retrieval scores, before any model is called."""
        return self.topics.is_off_topic(text)

    def handle(self, state: GuideState, text: str) -> tuple[GuideState, Turn]:
        """Apply one message: parse, transition, perform the actions; replies are not streamed yet."""
        state = state.model_copy(deep=True)
        state.add(Role.USER, text)
        event = self._enrich(self.read(state, text), state)
        requests: list[ReplyRequest] = []
        pending: list[Event] = [event]
        while pending:
            state, actions = transition(state, pending.pop(0), self._steps(state), self.drafts is not None)
            for action in actions:
                if action.kind == "quit":
                    return state, Turn(requests=requests, quit=True)
                if action.kind == "save_draft" and self.drafts is not None:
                    served = self.drafts.save(state, self.library, self.model)
                    if served is not None:
                        self.use(*served)
                elif action.kind == "retrieve":
                    pending.append(self._retrieve(state, action.text))
                elif action.kind == "answer":
                    requests.append(self._answer(state, action.text))
                else:
                    requests.append(self.compose(state, action))
        return state, Turn(requests=requests)

    def deliver(self, state: GuideState, request: ReplyRequest) -> Reply:
        """One reply, ready to stream; once it is complete it is recorded in the transcript.

        Fixed messages (help, greetings, redirects) never reach a language model. The reply
        carries its own outcome (which model answered, whether it fell back), so the model
        object can be shared by every session of the server.
        """
        model: ChatModel = self._offline if request.task.fixed else self.model

        def record(reply: Reply) -> None:
            outcome = reply.outcome
            state.add(
                Role.ASSISTANT,
                reply.text,
                model=outcome.model if outcome else model.name,
                notice=outcome.notice if outcome else None,
            )

        return model.reply(request).on_done(record)

    def read(self, state: GuideState, text: str) -> Event:
        """What a message means here: a typed command as typed, anything else through the understanding."""
        event = parse(text, state, self._names)
        if event.kind not in ("text", "question"):
            return event
        code = language(text)
        if code:
            state.language = language_name(code)
        if code and isinstance(self.model, OfflineComposer):
            return Event(kind="foreign", choice=language_name(code))
        intent = self.understanding.understand(text, self.view(state))
        return _event(intent, text, state.stage)

    def view(self, state: GuideState) -> View:
        """What is on the person's screen: the offered patterns, the pattern in hand, the step or sign."""
        focus = ""
        pattern = self._pattern(state)
        if state.stage == Stage.STEPS and pattern is not None and pattern.steps:
            step = pattern.steps[min(state.step, len(pattern.steps) - 1)]
            focus = f"{step.title}. {step.text}"
        elif state.stage == Stage.VITALITY and state.vitality_index < len(state.vitality):
            focus = state.vitality[state.vitality_index].text
        return View(
            stage=state.stage,
            shown=[c.slug for c in state.candidates[: state.shown]],
            pattern=state.pattern,
            focus=focus,
            asked_context=state.context_asked and state.context is None,
            echo=state.echo is not None and state.stage == Stage.MATCHES,
            offer=state.draft is not None and state.draft.pending and state.stage != Stage.DRAFT,
        )

    # -- actions -------------------------------------------------------------------------

    def _enrich(self, event: Event, state: GuideState) -> Event:
        """Resolve a pick to a slug and attach that pattern's vitality signs (or the echoed pattern's)."""
        if event.kind in ("replant", "vitality") and state.echo is not None and state.stage == Stage.MATCHES:
            echoed = self.library.patterns.get(state.echo.slug)
            return event.model_copy(update={"signs": signs(echoed)}) if echoed else event
        if event.kind != "pick" or not event.choice:
            return event
        slug = event.choice
        if slug.isdigit():
            offered = state.offered(slug)
            if offered is None:
                return event  # the machine says which numbers there are
            slug = offered
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
        library = state.library if state.library in self.libraries() else None
        result = self.retriever.match(situation, state.context, top=CANDIDATES, library=library)
        state.candidates = [Candidate(slug=m.slug, title=m.title, score=m.score, why=m.why) for m in result.matches]
        state.echo = None
        if in_place(situation):
            top = [self.library.patterns[c.slug] for c in state.candidates[:3]]
            best = next((e for e in self.echoes.find(situation, top) if e.kind == "decay"), None)
            state.echo = best if best is not None and best.score >= NAME_ECHO else None
        scores = [c.score for c in state.candidates]
        close = len(scores) > 1 and scores[0] - scores[1] < CLOSE_MARGIN * abs(scores[0])  # fused scores may be below 0
        # A practice named by the sign it shows is no thin story: the reply names the sign instead of asking.
        thin = (len(re.findall(r"\w+", situation)) < THIN_WORDS or close) and state.echo is None
        return Event(
            kind="retrieved", thin=thin, weak=bool(result.matches) and result.best_similarity < self.weak_match
        )

    def _pattern(self, state: GuideState) -> Pattern | None:
        return self.library.patterns.get(state.pattern or "")

    def _steps(self, state: GuideState) -> int:
        pattern = self._pattern(state)
        return len(pattern.steps) if pattern else 0

    def compose(self, state: GuideState, action: Action) -> ReplyRequest:
        """The offline draft for one reply, wrapped as a request any chat model can serve."""
        if action.task is None:
            raise ValueError("a 'say' action needs a reply task")
        task = action.task
        pattern = self._pattern(state)
        detail = composer.TERMINAL if task == ReplyTask.HELP and self.terminal else action.text
        draft, given = composer.compose(task, composer.Inputs(state, self.library, pattern, detail))
        return ReplyRequest(
            task=task,
            variables={"language": state.language} if state.language else {},
            draft=draft,
            user_text=_last_user(state),
            context=state.context,
            sections=given,
            history=state.messages[-9:-1],
            anchors=_anchors(state, task, pattern),
        )

    def _answer(self, state: GuideState, question: str) -> ReplyRequest:
        """Answer a free question: the pattern in hand first, then the library; say so when nothing covers it."""
        passages: list[Passage] = []
        pattern = self._pattern(state)
        if not self.is_off_topic(question):
            if pattern is not None:  # two words in common at least: one ("want") is a coincidence
                passages += [
                    p for score, p in best_paragraphs(pattern, question)
                    if score >= MIN_SHARED and shared_words(question, p.text) >= 2
                ]  # fmt: skip
            if len(passages) < 2:
                ranked, evidence, _ = self.retriever.rank(question)
                for slug, _ in ranked[:3]:
                    other = self.library.patterns.get(slug)
                    for cid in evidence.get(slug, [])[:1]:
                        ref = self.retriever.lexical.by_id[cid]
                        body = _body(ref.text)
                        known = other and any(sec.heading == ref.section for sec in other.sections)
                        if known and shared_words(question, body) >= 2 and len(passages) < 3:
                            passages.append(Passage(slug=slug, section=ref.section, text=body))
        resume = composer.resume_hint(state)
        titles = {p.slug: self.library.patterns[p.slug].title for p in passages if p.slug in self.library.patterns}
        uncovered = pattern.title if pattern and passages and all(p.slug != pattern.slug for p in passages) else None
        draft, given = composer.answer(question, passages, resume, titles, uncovered)
        return ReplyRequest(
            task=ReplyTask.ANSWER,
            variables={"language": state.language} if state.language else {},
            draft=draft,
            user_text=question,
            context=state.context,
            sections=given,
            history=state.messages[-9:-1],
        )


_SIMPLE_KINDS = {
    IntentKind.MORE: "more",
    IntentKind.NEXT: "next",
    IntentKind.BACK: "back",
    IntentKind.SKIP: "skip",
    IntentKind.VITALITY: "vitality",
    IntentKind.PLAN: "plan",
    IntentKind.RESTART: "restart",
    IntentKind.QUIT: "quit",
    IntentKind.HELP: "help",
    IntentKind.NONE_FIT: "none_fit",
    IntentKind.REPLANT: "replant",
    IntentKind.DRAFT: "draft",
    IntentKind.DECLINE: "decline",
    IntentKind.SAVE: "save",
}


def _event(intent: Intent, text: str, stage: Stage) -> Event:
    """The state machine's event for what the understanding heard."""
    kind = intent.kind
    if kind in _SIMPLE_KINDS:
        return Event.model_validate({"kind": _SIMPLE_KINDS[kind]})
    if kind == IntentKind.PICK:
        return Event(kind="pick", choice=intent.value)
    if kind == IntentKind.CONTEXT:
        return Event(kind="context", choice=intent.value)
    if kind == IntentKind.RATE and intent.value:
        return Event(kind="rate", answer=Answer(intent.value))
    if kind == IntentKind.AMBIGUOUS:
        return Event(kind="ambiguous", options=intent.options)
    if kind == IntentKind.QUESTION:
        return Event(kind="question", text=text)
    if kind == IntentKind.NOTE:
        return Event(kind="note", text=text)
    if kind == IntentKind.OFF_TOPIC and stage not in (Stage.INTAKE, Stage.CLARIFY):
        return Event(kind="off_topic", text=text)
    return Event(kind="text", text=text)  # the situation (an off-topic one is redirected after retrieval)


def _anchors(state: GuideState, task: ReplyTask, pattern: Pattern | None) -> list[str]:
    """What the person needs from a reply to act on it: the titles to pick from, the step, the sign."""
    if task == ReplyTask.MATCHES:
        first = state.shown - 3 if state.shown > 3 else 0
        return [c.title for c in state.candidates[first : state.shown]]
    if task == ReplyTask.STEP and pattern is not None and pattern.steps:
        return [pattern.steps[min(state.step, len(pattern.steps) - 1)].title]
    if task == ReplyTask.VITALITY and state.vitality:
        sign = state.vitality[state.vitality_index].text
        return [(toolkit.sentences(sign) or [sign])[0].rstrip(".!?")]
    if task == ReplyTask.READING and pattern is not None:
        level = vitality_reading(state.vitality).level
        return [level] if level else []
    if task in (ReplyTask.ADAPT, ReplyTask.PLAN) and pattern is not None:
        return [pattern.title]
    return []


def _body(chunk_text: str) -> str:
    return chunk_text.split("\n", 1)[1] if "\n" in chunk_text else chunk_text


def _last_user(state: GuideState) -> str:
    return next((m.content for m in reversed(state.messages) if m.role == Role.USER), "")
