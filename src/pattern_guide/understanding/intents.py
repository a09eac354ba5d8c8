"""What a person means, in their own words, at each stage of the conversation.

:class:`OfflineUnderstanding` reads a message as one :class:`Intent` without a language model:
the typed commands first, then the phrases people use for each request (``lexicon``; starting
again, leaving and help in ``leaving``; another world's version in ``worlds``; slips of the keyboard
in ``slips``), the pattern they name (``names``: by position, by a name it goes
by, by what it is about), an answer in plain words (``answers``), a question, and finally the
stage's default — a situation while the guide is listening, a note while it walks the steps.
A pick that fits two patterns equally is ambiguous: the guide asks which one, naming both. "The one
about the money" with no name word in it is matched by meaning (the embedding) to a pattern's summary.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from typing import Protocol

from pydantic import BaseModel, Field

from pattern_guide.conversation.state import Stage
from pattern_guide.index.embedder import Vectors
from pattern_guide.library.loader import Library
from pattern_guide.retrieval.context import named_context
from pattern_guide.understanding import answers as ans
from pattern_guide.understanding import leaving, names
from pattern_guide.understanding import lexicon as lx
from pattern_guide.understanding.slips import COMMAND_WORDS, POSITION_WORDS, unslipped
from pattern_guide.understanding.worlds import world_asked


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


_WH = re.compile(r"^(?:\w+,?\s+)?(how|what|why|which|who|when|where|does|is|can|could|should|would)\b")
# Clauses of a short message: "got it, what's next?" is an acknowledgement, then the request.
_CLAUSE_BREAK = re.compile(r"\s*(?:[,.;:!?…]+|\s[—–-]\s|[—–])\s*")


# What a message may be besides its stage's business: starting again, leaving, asking how the guide works.
_LEAVING = ((IntentKind.RESTART, leaving.RESTART), (IntentKind.QUIT, leaving.QUIT), (IntentKind.HELP, leaving.HELP))


def _matches(patterns: Iterable[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


RELATES = 0.3  # cosine between a message and the step or sign on screen: it answers it
ABOUT_MARGIN = 0.04  # cosine lead the nearest pattern needs over the next, for a pick by what it is about


class OfflineUnderstanding:
    """Plain words to intents, from the lexicon, the library's names, examples and the off-topic check."""

    def __init__(
        self,
        library: Library,
        off_topic: Callable[[str, bool], bool] | None = None,
        vector: Callable[[str], Vectors] | None = None,
    ) -> None:
        self.library = library
        self.index = names.NameIndex(library)
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
            slipped = " ".join(unslipped(w, ans.ANSWER_WORDS) if len(w) > 4 else w for w in said.split())
            if len(said.split()) <= 3 and ans.rates(slipped) and not ans.rates(said):
                said = slipped  # "defintely", "somtimes"
            found = self._walk_request(said, view)
            if found is None and _matches(ans.NO_ANSWER, said) and not ans.rated_first(said):
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
        describes = stage in (Stage.ADAPT, Stage.STEPS) and (
            lx.DESCRIBES.match(said) is not None or _short_answer(said) or _listed(said)
        )  # "we'd do it on fridays", "Sarah and Tom", "cash, spend and runway": an answer to the step, not an aside
        asks = text.rstrip().endswith("?") if stage == Stage.DRAFT else _is_question(said, text)
        refers = asks and stage != Stage.INTAKE and lx.REFERS.search(said) is not None  # "how would I measure that?"
        if (
            stage != Stage.DRAFT
            and not (describes or refers)
            and self.off_topic(text, aside)
            and not self._answers(text, view)
        ):
            return Intent(kind=IntentKind.OFF_TOPIC)
        if stage != Stage.INTAKE and asks:
            return Intent(kind=IntentKind.QUESTION)
        if stage in (Stage.ADAPT, Stage.STEPS, Stage.DRAFT):
            return Intent(kind=IntentKind.NOTE)
        if stage == Stage.VITALITY:
            if lx.ELSEWHERE.match(said):
                return Intent(kind=IntentKind.OFF_TOPIC)  # "write a haiku about kanban" answers no sign
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
        for kind, patterns in _LEAVING:
            if _matches(patterns, said) and len(said.split()) <= 14:
                return Intent(kind=kind)
        return None

    def _choosing(self, said: str, view: View) -> Intent | None:
        """The matches stage: a pick, none of them, more, another context — or more of the situation."""
        short = len(said.split()) <= 16
        slipped = " ".join(unslipped(word, POSITION_WORDS) for word in said.split())  # "numer 1", "secnod"
        if len(said.split()) <= 4 and names.position(slipped, view.shown) and not names.position(said, view.shown):
            said = slipped
        for kind, patterns in _LEAVING:
            if _matches(patterns, said) and short:
                return Intent(kind=kind)
        if view.echo and ans.REPLANT.search(said):
            return Intent(kind=IntentKind.REPLANT)
        if view.echo and (_matches(lx.VITALITY, said) or ans.CHECK.search(said)):
            return Intent(kind=IntentKind.VITALITY)
        if _matches(lx.NONE_FIT, said):
            return Intent(kind=IntentKind.NONE_FIT)
        if _matches(ans.DRAFT, said):
            return Intent(kind=IntentKind.DRAFT)
        if _matches(lx.MORE, said) and not names.position(said, view.shown):
            return Intent(kind=IntentKind.MORE)
        context = self._context(said)
        if context is None and view.asked_context and len(said.split()) <= 10 and not self._named(said, view.shown, 18):
            name = named_context(said)  # the answer to "is this a company, a public service, ...?"
            context = Intent(kind=IntentKind.CONTEXT, value=name) if name else None
        if context is not None:
            return context
        offering = re.match(r"^(how|what) about\b", said) is not None  # "how about the second one" proposes a pick
        if (
            not offering
            and lx.QUESTION_START.match(said)
            and re.match(r"^(what|why|how|which|is|does|do|are|would|should)\b", said)
        ):
            # "what's the best way to cook rice" asks nothing of the patterns shown
            return Intent(kind=IntentKind.OFF_TOPIC if self.off_topic(said, True) else IntentKind.QUESTION)
        if lx.MORE_SITUATION.match(said):
            return None  # "actually it's more that decisions never get written down": more of the situation
        position = names.position(said, view.shown)
        if position is not None and (len(said.split()) <= 4 or names.ORDINAL_PHRASE.search(said)):
            return Intent(kind=IntentKind.PICK, value=position)
        if self.off_topic(said, True):
            return Intent(kind=IntentKind.OFF_TOPIC)  # "tell me a joke first" is no pick of the first
        if position is not None:
            return Intent(kind=IntentKind.PICK, value=position)
        called = self.index.called(said, view.shown)  # "the hoarding one. people guard their budgets ..."
        named = Intent(kind=IntentKind.PICK, value=called) if called else self._named(said, view.shown, wordy_limit=18)
        about = names.ABOUT.search(said) if named is None else None  # "the one about the money"
        slug = self._nearest(about.group(1), view.shown) if about else None
        return Intent(kind=IntentKind.PICK, value=slug) if slug else named

    def _walk_request(self, said: str, view: View) -> Intent | None:
        """Adapt, steps, vitality and plan: moving, switching context or pattern, the plan, the check."""
        if len(said.split()) <= 6:  # "nexxt", "skp this one pls", "can we go bakc a step"
            said = " ".join(unslipped(word, COMMAND_WORDS) for word in said.split())
        moving = _moving(said, view.stage)
        if moving is not None:
            return moving
        if view.stage in (Stage.ADAPT, Stage.STEPS) and lx.NOTE_START.match(said) and "?" not in said:
            return None  # "we'd skip the monthly all-hands ..." describes their step: a note
        if leaving.TOOL_HELP.search(said) and len(said.split()) <= 12:
            return Intent(kind=IntentKind.HELP)
        if re.match(r"^(what if|if|should|is|are|does|do|how|why|when|who)\b", said) and said.endswith("?"):
            context = self._context(said, view.stage)
            if context is None and re.search(r"\b(my|the|our) (plan|summary) look\b", said):
                return Intent(kind=IntentKind.PLAN)  # "how does my plan look?"
            return context  # a question about their practice, unless it asks for another world's version
        last = re.search(r"(?<!come )(?<!be )(?<!get )\b(skip|next|back)[ .!]*$", said)  # not "I'll come back"
        if last and len(said.split()) <= 8 and not lx.NOTE_START.match(said):
            kind = IntentKind(last.group(1))  # a command word said last decides ("not today. skip")
            if view.stage != Stage.VITALITY or kind == IntentKind.BACK:
                return Intent(kind=kind)
            if not ans.rates(said):
                return Intent(kind=IntentKind.SKIP)  # "not sure, next": no answer to this sign
        for kind, patterns in _LEAVING:
            if _matches(patterns, said) and len(said.split()) <= 16:
                if kind == IntentKind.QUIT and _matches(lx.PLAN, said):
                    return Intent(kind=IntentKind.PLAN)  # "let's stop here and see the plan"
                return Intent(kind=kind)
        context = self._context(said, view.stage)
        if context is not None:
            return context
        if _matches(lx.BACK, said) and len(said.split()) <= 18:  # a long message that says "go back to" is a note
            return Intent(kind=IntentKind.BACK)
        if _matches(lx.VITALITY, said) and view.stage != Stage.VITALITY:
            return Intent(kind=IntentKind.VITALITY)
        switched = self._switch(said, view)
        if switched is not None:
            return switched
        if _matches(lx.PLAN, said) and len(said.split()) <= 18:  # a long one that says "export that" is a note
            return Intent(kind=IntentKind.PLAN)
        if _matches(lx.SKIP, said) and not (view.stage == Stage.VITALITY and ans.rated_first(said)):
            return Intent(kind=IntentKind.SKIP)  # not "mostly — a couple of people still skip it"
        if view.stage in (Stage.ADAPT, Stage.STEPS, Stage.PLAN) and _matches(lx.NEXT, said):
            return Intent(kind=IntentKind.NEXT)
        return None

    # -- parts ---------------------------------------------------------------------------

    def _rating(self, said: str, plain_statement: bool) -> Intent | None:
        """Yes, partly or no, in the words people use."""
        value = ans.rating(said, plain_statement)
        return Intent(kind=IntentKind.RATE, value=value) if value else None

    def _context(self, said: str, stage: Stage | None = None) -> Intent | None:
        """A request for another world's version ("how would a union do this?", "and for a council?")."""
        name = world_asked(said, rating=stage == Stage.VITALITY and ans.rates(said))
        return Intent(kind=IntentKind.CONTEXT, value=name) if name else None

    def _named(self, said: str, slugs: list[str], wordy_limit: int) -> Intent | None:
        """A pattern picked by a name it goes by or by what it is about; a tie is ambiguous."""
        scores = sorted(((self.index.score(said, s), s) for s in slugs), reverse=True)
        if not scores or scores[0][0] < 1.5:
            return None
        if len(said.split()) > wordy_limit and not names.PICK_CUE.search(said[:40]):
            return None  # a long message that happens to share a word is more of the situation
        if len(scores) > 1 and scores[1][0] == scores[0][0]:
            tied = [s for score, s in scores if score == scores[0][0]]
            return Intent(kind=IntentKind.AMBIGUOUS, options=tied)
        return Intent(kind=IntentKind.PICK, value=scores[0][1])

    def _nearest(self, theme: str, slugs: list[str]) -> str | None:
        """The pattern a theme in plain words is clearly nearest to, by meaning ("looking after the carers")."""
        if self.vector is None or not slugs:
            return None
        query = self.vector(theme)
        patterns = [self.library.patterns[s] for s in slugs if s in self.library.patterns]
        scores = sorted(
            ((float(query @ self.vector(f"{p.title}. {p.meta.summary or p.one_liner}")), p.slug) for p in patterns),
            reverse=True,
        )
        if not scores or scores[0][0] < RELATES or (len(scores) > 1 and scores[0][0] - scores[1][0] < ABOUT_MARGIN):
            return None  # near none of them, or as near another
        return scores[0][1]

    def _switch(self, said: str, view: View) -> Intent | None:
        """Another pattern of the library, named with a cue that the person wants it instead."""
        if not names.SWITCH.search(said):
            return None
        others = [s for s in self.library.patterns if s != view.pattern]
        scores = sorted(((self.index.score(said, s), s) for s in others), reverse=True)
        if not scores or scores[0][0] < 2.0 or (len(scores) > 1 and scores[0][0] - scores[1][0] < 1.0):
            about = names.ABOUT.search(said)  # "the one about writing things down instead"
            theme = about.group(1) if about and not names.STATES.search(about.group(1)) else ""
            slug = self._nearest(theme, others) if theme else None
            return Intent(kind=IntentKind.PICK, value=slug) if slug else None
        if len(scores) > 1 and scores[1][0] == scores[0][0]:
            return Intent(kind=IntentKind.AMBIGUOUS, options=[s for score, s in scores if score == scores[0][0]][:3])
        return Intent(kind=IntentKind.PICK, value=scores[0][1])


def _moving(said: str, stage: Stage) -> Intent | None:
    """Moving on, or leaving this step or sign out, said in a few plain clauses ("got it, what's next?")."""
    if len(said.split()) > 16:
        return None
    clauses = [c for c in _CLAUSE_BREAK.split(said) if re.search(r"[a-z0-9]", c) or c == "👍"]
    if not clauses or (stage == Stage.VITALITY and ans.rates(said)):
        return None  # "yes, next" answers the sign
    brief = all(lx.ACK.match(c) or len(c.split()) <= 7 for c in clauses[:-1])
    if len(said.split()) <= 14 and any(lx.PASS.match(c) for c in clauses) and brief:
        return Intent(kind=IntentKind.SKIP)
    if stage == Stage.STEPS and any(lx.ALREADY.match(c) for c in clauses) and brief:
        return Intent(kind=IntentKind.SKIP)  # "we already do this": nothing to plan at this step
    if (lx.BACK_CLAUSE.match(clauses[-1]) and brief) or (lx.BACK_CLAUSE.match(clauses[0]) and len(said.split()) <= 6):
        return Intent(kind=IntentKind.BACK)  # "back one please", "back, I misclicked"
    if lx.MOVE.match(clauses[-1]) and brief and clauses[-1] != "back":
        return Intent(kind=IntentKind.SKIP if stage == Stage.VITALITY else IntentKind.NEXT)
    if stage in (Stage.ADAPT, Stage.STEPS) and all(lx.ACK.match(c) for c in clauses):
        return Intent(kind=IntentKind.NEXT)  # "yes please", "makes sense, thanks": nothing to add, go on
    return None


def _short_answer(said: str) -> bool:
    """A few words that answer the step ("Sarah and Tom", "the board"), not asking for anything."""
    return len(said.split()) <= 4 and "?" not in said and not lx.QUESTION_START.match(said) and not lx.ASKS.match(said)


def _listed(said: str) -> bool:
    """A list of things ("cash in the bank, monthly spend and runway"), not a question or a request for something."""
    return lx.LISTS.match(said) is not None and not lx.QUESTION_START.match(said) and not lx.ASKS.match(said)


def _offer_answer(said: str) -> Intent | None:
    """After the offer to draft: yes (or asking for it in other words), no, or none of these again."""
    short = len(said.split()) <= 8
    if _matches(ans.DRAFT, said) or (short and ans.ACCEPT.match(said) and not _matches(lx.NONE_FIT, said)):
        return Intent(kind=IntentKind.DRAFT)
    if short and ans.DECLINE.match(said) and not _matches(lx.NONE_FIT, said):
        return Intent(kind=IntentKind.DECLINE)
    return None


def _interviewing(said: str) -> Intent | None:
    """The drafting interview: save now, skip this one, go back, stop — anything else answers the question."""
    words = len(said.split())
    if words <= 8 and _matches(ans.SAVE, said):
        return Intent(kind=IntentKind.SAVE)
    if words <= 8 and (_matches(lx.SKIP, said) or _matches(ans.NO_ANSWER, said)):
        return Intent(kind=IntentKind.SKIP)
    ending = ((IntentKind.RESTART, leaving.RESTART), (IntentKind.QUIT, leaving.QUIT), (IntentKind.BACK, lx.BACK))
    for kind, patterns in ending:
        if words <= 8 and _matches(patterns, said):
            return Intent(kind=kind)
    return None


def _is_question(said: str, raw: str) -> bool:
    return raw.rstrip().endswith("?") or bool(lx.QUESTION_START.match(said))
