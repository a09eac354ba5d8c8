"""What a person means, in their own words, at each stage of the conversation.

:class:`OfflineUnderstanding` reads a message as one :class:`Intent` without a language model:
the typed commands first, then the phrases people use for each request (``lexicon``), the
pattern they name (by position, by a name it goes by, by what it is about), a rating in
plain words, a question, and finally the stage's default — a situation while the guide is
listening, a note while it walks the steps. A pick that fits two patterns equally is
ambiguous: the guide asks which one, naming both.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from typing import Protocol

from pydantic import BaseModel, Field

from pattern_guide import text as toolkit
from pattern_guide.conversation.state import Stage
from pattern_guide.index.embedder import Vectors
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern
from pattern_guide.retrieval.context import named_context
from pattern_guide.understanding import lexicon as lx


class IntentKind(enum.StrEnum):
    """Everything a message can mean to the guide."""

    SITUATION = "situation"
    PICK = "pick"
    NONE_FIT = "none_fit"
    MORE = "more"
    NEXT = "next"
    BACK = "back"
    SKIP = "skip"
    CONTEXT = "context"
    RATE = "rate"
    VITALITY = "vitality"
    PLAN = "plan"
    RESTART = "restart"
    QUIT = "quit"
    HELP = "help"
    QUESTION = "question"
    NOTE = "note"
    OFF_TOPIC = "off_topic"
    AMBIGUOUS = "ambiguous"
    REPLANT = "replant"
    DRAFT = "draft"  # draft a pattern of their own (yes to the offer)
    DECLINE = "decline"  # no to the offer to draft
    SAVE = "save"  # enough questions: save the draft now


class Intent(BaseModel):
    """One message, understood: what it means and, for a pick, a context or a rating, which one."""

    kind: IntentKind
    value: str | None = None  # a slug, a context name, or yes / partly / no
    options: list[str] = Field(default_factory=list)  # the slugs an ambiguous pick could mean


class View(BaseModel):
    """What the person sees when they write: the stage, the patterns offered, the pattern in hand."""

    stage: Stage
    shown: list[str] = Field(default_factory=list)  # offered slugs, in the order they are numbered
    pattern: str | None = None
    focus: str = ""  # what the person is answering: the step on screen, or the sign asked about
    asked_context: bool = False  # the guide has just asked whether this is a company, a service, ...
    echo: bool = False  # the guide has named a sign of decay and offered its replanting move or the check
    offer: bool = False  # the guide has offered to draft a pattern of the person's own


class Understanding(Protocol):
    """Reads one message in the light of what is on the person's screen."""

    def understand(self, text: str, view: View) -> Intent: ...


_GENERIC = lx.GENERIC
_ORDINALS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(r"\b(first|1st|top one|the top|number one|option (one|1)|no\.? ?1)\b|(?<!\w)#\s?1\b")),
    (1, re.compile(r"\b(second|2nd|number two|option (two|2)|no\.? ?2)\b|(?<!\w)#\s?2\b")),
    (2, re.compile(r"\b(third|3rd|number three|option (three|3)|no\.? ?3)\b|(?<!\w)#\s?3\b")),
    (-2, re.compile(r"\b(middle( one)?)\b")),
    (-1, re.compile(r"\b(last one|the last|bottom one|at the bottom|final one)\b")),
)
# A position said as a pick: "the second one", "number three", "#2", "option 1", "first on the list".
_ORDINAL_PHRASE = re.compile(
    r"\b(the\s+)?(first|second|third|last|middle|top|bottom|1st|2nd|3rd)\s+(one|on the list|option|pattern)\b"
    r"|\b(number|option)\s+(one|two|three|\d)\b|(?<!\w)#\s?\d\b|^(the\s+)?(first|second|third|last|middle)\b"
)
_WH = re.compile(r"^(?:\w+,?\s+)?(how|what|why|which|who|when|where|does|is|can|could|should|would)\b")
_NUMBER_WORD = re.compile(r"^(?:the\s+)?(one|two|three|four|five|six)(?:\s+please)?[ .!]*$")
_NUMBERS = {"one": 0, "two": 1, "three": 2, "four": 3, "five": 4, "six": 5}
_PICK_CUE = re.compile(
    r"\b(one|go with|go for|let'?s|pick|choose|i'?d|i want|i like|sounds|that'?s the|i think|please|obviously"
    r"|for sure|thing|seems|rather|do the|the)\b"
)


class NameIndex:
    """The words each pattern goes by (title, names in every context, aliases) and what it is about."""

    def __init__(self, library: Library) -> None:
        self.names: dict[str, dict[str, str]] = {}
        self.about: dict[str, set[str]] = {}
        self.phrases: dict[str, list[str]] = {}
        for slug, pattern in library.patterns.items():
            phrases = _names(pattern)
            self.phrases[slug] = [toolkit.words(p) for p in phrases]
            self.names[slug] = {s: w for p in phrases for s, w in toolkit.terms(p).items() if w not in _GENERIC}
            about = " ".join([pattern.tension or "", pattern.meta.summary or pattern.one_liner, pattern.solution or ""])
            self.about[slug] = {s for s, w in toolkit.terms(about).items() if w not in _GENERIC}
        self.spread: dict[str, int] = {}
        for stems in self.names.values():
            for stem in stems:
                self.spread[stem] = self.spread.get(stem, 0) + 1

    def score(self, text: str, slug: str) -> float:
        """How strongly a message names this pattern: a whole name counts most, its words, then its subject."""
        said = f" {toolkit.words(text)} "
        whole = max((len(p.split()) for p in self.phrases.get(slug, []) if p and f" {p} " in said), default=0)
        stems = {s for s, w in toolkit.terms(text).items() if w not in _GENERIC}
        named = stems & set(self.names.get(slug, {}))
        about = (stems & self.about.get(slug, set())) - named
        # A name word few patterns share says more than one half the library uses.
        distinct = sum(2.0 if self.spread.get(s, 0) <= 2 else 1.0 for s in named)
        return 3.0 * whole + distinct + 0.75 * len(about)


def _names(pattern: Pattern) -> list[str]:
    return [pattern.title, *pattern.meta.context_labels.values(), *pattern.meta.aliases]


def _matches(patterns: Iterable[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


RELATES = 0.3  # cosine between a message and the step or sign on screen: it answers it


class OfflineUnderstanding:
    """Plain words to intents, from the lexicon, the library's names, examples and the off-topic check."""

    def __init__(
        self,
        library: Library,
        off_topic: Callable[[str, bool], bool] | None = None,
        vector: Callable[[str], Vectors] | None = None,
    ) -> None:
        self.library = library
        self.index = NameIndex(library)
        # off_topic(text, aside): aside=True in the middle of a walk, where only a clear aside counts
        self.off_topic = off_topic or (lambda _text, _aside: False)
        self.vector = vector  # one text's embedding (cached by the index: a step's text is embedded once)

    def understand(self, text: str, view: View) -> Intent:
        """The one intent a message carries at this stage."""
        said = " ".join(text.lower().split())
        said = said.replace("’", "'")
        stage = view.stage
        if not said:
            return Intent(kind=IntentKind.HELP)
        if stage == Stage.VITALITY:
            found = self._walk_request(said, view)
            if found is None and _matches(lx.NO_ANSWER, said):
                found = Intent(kind=IntentKind.SKIP)
            if found is None and not (_WH.match(said) and said.endswith("?")):
                found = self._rating(said, plain_statement=False)
        elif stage == Stage.DRAFT:
            found = _interviewing(said)
        elif view.offer and (found := _offer_answer(said)) is not None:
            pass
        elif stage == Stage.MATCHES:
            found = self._choosing(said, view)
        elif stage in (Stage.ADAPT, Stage.STEPS, Stage.PLAN):
            found = self._walk_request(said, view)
        else:
            found = self._listening(said)
        if found is not None:
            return found
        aside = stage not in (Stage.INTAKE, Stage.CLARIFY)
        if stage != Stage.DRAFT and self.off_topic(text, aside) and not self._answers(text, view):
            return Intent(kind=IntentKind.OFF_TOPIC)
        asks = text.rstrip().endswith("?") if stage == Stage.DRAFT else _is_question(said, text)
        if stage != Stage.INTAKE and asks:
            return Intent(kind=IntentKind.QUESTION)
        if stage in (Stage.ADAPT, Stage.STEPS, Stage.DRAFT):
            return Intent(kind=IntentKind.NOTE)
        if stage == Stage.VITALITY:
            # A plain statement of the sign says it is there; anything else: ask again.
            return self._rating(said, plain_statement=True) or Intent(kind=IntentKind.AMBIGUOUS)
        if stage == Stage.PLAN:
            return Intent(kind=IntentKind.QUESTION)
        return Intent(kind=IntentKind.SITUATION)

    def _answers(self, text: str, view: View) -> bool:
        """Whether a message speaks to what is on screen (the step or the sign), whatever else it resembles."""
        if self.vector is None or not view.focus:
            return False
        return float(self.vector(text) @ self.vector(view.focus)) >= RELATES

    # -- by stage ------------------------------------------------------------------------

    def _listening(self, said: str) -> Intent | None:
        """Intake and clarify: the person is describing their situation; only a few requests stand out."""
        for kind, patterns in (
            (IntentKind.RESTART, lx.RESTART),
            (IntentKind.QUIT, lx.QUIT),
            (IntentKind.HELP, lx.HELP),
        ):
            if _matches(patterns, said) and len(said.split()) <= 14:
                return Intent(kind=kind)
        return None

    def _choosing(self, said: str, view: View) -> Intent | None:
        """The matches stage: a pick, none of them, more, another context — or more of the situation."""
        short = len(said.split()) <= 16
        for kind, patterns in (
            (IntentKind.RESTART, lx.RESTART),
            (IntentKind.QUIT, lx.QUIT),
            (IntentKind.HELP, lx.HELP),
        ):
            if _matches(patterns, said) and short:
                return Intent(kind=kind)
        if view.echo and lx.REPLANT.search(said):
            return Intent(kind=IntentKind.REPLANT)
        if view.echo and (_matches(lx.VITALITY, said) or lx.CHECK.search(said)):
            return Intent(kind=IntentKind.VITALITY)
        if _matches(lx.NONE_FIT, said):
            return Intent(kind=IntentKind.NONE_FIT)
        if _matches(lx.DRAFT, said):
            return Intent(kind=IntentKind.DRAFT)
        if _matches(lx.MORE, said) and not self._ordinal(said, view):
            return Intent(kind=IntentKind.MORE)
        context = self._context(said)
        if context is None and view.asked_context and len(said.split()) <= 10 and not self._named(said, view.shown, 18):
            name = named_context(said)  # the answer to "is this a company, a public service, ...?"
            context = Intent(kind=IntentKind.CONTEXT, value=name) if name else None
        if context is not None:
            return context
        if lx.QUESTION_START.match(said) and re.match(r"^(what|why|how|which|is|does|do|are|would|should)\b", said):
            return Intent(kind=IntentKind.QUESTION)
        position = self._ordinal(said, view)
        if position is not None and (len(said.split()) <= 4 or _ORDINAL_PHRASE.search(said)):
            return Intent(kind=IntentKind.PICK, value=position)
        if self.off_topic(said, True):
            return Intent(kind=IntentKind.OFF_TOPIC)  # "tell me a joke first" is no pick of the first
        if position is not None:
            return Intent(kind=IntentKind.PICK, value=position)
        return self._named(said, view.shown, wordy_limit=18)

    def _walk_request(self, said: str, view: View) -> Intent | None:
        """Adapt, steps, vitality and plan: moving, switching context or pattern, the plan, the check."""
        if view.stage in (Stage.ADAPT, Stage.STEPS) and lx.NOTE_START.match(said) and "?" not in said:
            return None  # "we'd skip the monthly all-hands ..." describes their step: a note
        if re.match(r"^(what if|if|should|is|are|does|do|how|why|when|who)\b", said) and said.endswith("?"):
            context = self._context(said)
            return context  # a question about their practice, unless it asks for another world's version
        order = (
            (IntentKind.RESTART, lx.RESTART),
            (IntentKind.QUIT, lx.QUIT),
            (IntentKind.HELP, lx.HELP),
        )
        last = re.search(r"\b(skip|next|back)[ .!]*$", said)
        if last and len(said.split()) <= 8 and not lx.NOTE_START.match(said):
            return Intent(kind=IntentKind(last.group(1)))  # a command word said last decides ("not today. skip")
        for kind, patterns in order:
            if _matches(patterns, said) and len(said.split()) <= 16:
                return Intent(kind=kind)
        context = self._context(said)
        if context is not None:
            return context
        if _matches(lx.BACK, said):
            return Intent(kind=IntentKind.BACK)
        if _matches(lx.VITALITY, said) and view.stage != Stage.VITALITY:
            return Intent(kind=IntentKind.VITALITY)
        switched = self._switch(said, view)
        if switched is not None:
            return switched
        if _matches(lx.PLAN, said):
            return Intent(kind=IntentKind.PLAN)
        if _matches(lx.SKIP, said):
            return Intent(kind=IntentKind.SKIP)
        if view.stage in (Stage.ADAPT, Stage.STEPS, Stage.PLAN) and _matches(lx.NEXT, said):
            return Intent(kind=IntentKind.NEXT)
        return None

    # -- parts ---------------------------------------------------------------------------

    def _context(self, said: str) -> Intent | None:
        if not _matches(lx.CONTEXT, said):
            return None
        name = named_context(said)
        return Intent(kind=IntentKind.CONTEXT, value=name) if name else None

    def _ordinal(self, said: str, view: View) -> str | None:
        """The offered pattern picked by its position ("the second one", "the last", "middle one")."""
        if not view.shown:
            return None
        number = _NUMBER_WORD.match(said)
        if number and _NUMBERS[number.group(1)] < len(view.shown):
            return view.shown[_NUMBERS[number.group(1)]]
        hits = {i for i, pattern in _ORDINALS if pattern.search(said)}
        if len(hits) != 1:
            return None  # none, or several ("the difference between the first and the second")
        index = hits.pop()
        if index == -2:
            index = len(view.shown) // 2 if len(view.shown) % 2 else -1
        if index == -1 or index >= len(view.shown):
            return view.shown[-1] if index == -1 else None
        return view.shown[index]

    def _named(self, said: str, slugs: list[str], wordy_limit: int) -> Intent | None:
        """A pattern picked by a name it goes by or by what it is about; a tie is ambiguous."""
        scores = sorted(((self.index.score(said, s), s) for s in slugs), reverse=True)
        if not scores or scores[0][0] < 1.5:
            return None
        if len(said.split()) > wordy_limit and not _PICK_CUE.search(said[:40]):
            return None  # a long message that happens to share a word is more of the situation
        if len(scores) > 1 and scores[1][0] == scores[0][0]:
            tied = [s for score, s in scores if score == scores[0][0]]
            return Intent(kind=IntentKind.AMBIGUOUS, options=tied)
        return Intent(kind=IntentKind.PICK, value=scores[0][1])

    def _switch(self, said: str, view: View) -> Intent | None:
        """Another pattern of the library, named with a cue that the person wants it instead."""
        if not lx.SWITCH.search(said):
            return None
        others = [s for s in self.library.patterns if s != view.pattern]
        scores = sorted(((self.index.score(said, s), s) for s in others), reverse=True)
        if not scores or scores[0][0] < 2.0 or (len(scores) > 1 and scores[0][0] - scores[1][0] < 1.0):
            return None
        if len(scores) > 1 and scores[1][0] == scores[0][0]:
            return Intent(kind=IntentKind.AMBIGUOUS, options=[s for score, s in scores if score == scores[0][0]][:3])
        return Intent(kind=IntentKind.PICK, value=scores[0][1])

    def _rating(self, said: str, plain_statement: bool) -> Intent | None:
        """Yes, partly or no, in the words people use ("mostly, yes", "sort of", "hardly")."""
        first = re.split(r"[.;:!?—–]|\s-\s", said, maxsplit=1)[0]
        if lx.PARTLY.search(first) and not re.search(r"\bmostly\b", first):
            return Intent(kind=IntentKind.RATE, value="partly")
        if re.search(r"\b(but|except|though|although)\b", said) and len(said.split()) >= 6:
            return Intent(kind=IntentKind.RATE, value="partly")  # "they hold for the devs but support …"
        yes, no = lx.YES.search(said), lx.NO.search(said)
        if yes and no:
            clauses = re.split(r",|\bbut\b", said)
            mixed = (
                len(clauses) > 1 and any(lx.YES.search(c) for c in clauses) and any(lx.NO.search(c) for c in clauses)
            )
            if (
                mixed
                and not re.search(r"\b(definitely|sadly|thankfully|honestly) not\b", said)
                and yes.start() < no.start()
            ):
                return Intent(kind=IntentKind.RATE, value="partly")
            return Intent(kind=IntentKind.RATE, value="yes" if yes.start() < no.start() else "no")
        if no:
            return Intent(kind=IntentKind.RATE, value="no")
        if yes:
            return Intent(kind=IntentKind.RATE, value="yes")
        if lx.PARTLY.search(said) or re.search(r"\b(but|except|only|though|although)\b", said):
            return Intent(kind=IntentKind.RATE, value="partly")  # "it exists for the day team but nights …"
        if plain_statement and not said.endswith("?") and len(said.split()) >= 3:
            return Intent(kind=IntentKind.RATE, value="yes")
        return None


def _offer_answer(said: str) -> Intent | None:
    """After the offer to draft: yes (or asking for it in other words), no, or none of these again."""
    short = len(said.split()) <= 8
    if _matches(lx.DRAFT, said) or (short and lx.ACCEPT.match(said) and not _matches(lx.NONE_FIT, said)):
        return Intent(kind=IntentKind.DRAFT)
    if short and lx.DECLINE.match(said) and not _matches(lx.NONE_FIT, said):
        return Intent(kind=IntentKind.DECLINE)
    return None


def _interviewing(said: str) -> Intent | None:
    """The drafting interview: save now, skip this one, go back, stop — anything else answers the question."""
    words = len(said.split())
    if words <= 8 and _matches(lx.SAVE, said):
        return Intent(kind=IntentKind.SAVE)
    if words <= 8 and (_matches(lx.SKIP, said) or _matches(lx.NO_ANSWER, said)):
        return Intent(kind=IntentKind.SKIP)
    for kind, patterns in ((IntentKind.RESTART, lx.RESTART), (IntentKind.QUIT, lx.QUIT), (IntentKind.BACK, lx.BACK)):
        if words <= 8 and _matches(patterns, said):
            return Intent(kind=kind)
    return None


def _is_question(said: str, raw: str) -> bool:
    return raw.rstrip().endswith("?") or bool(lx.QUESTION_START.match(said))
