"""Every reply the guide can give, as a closed set: each task names its composer and its prompt file."""

from __future__ import annotations

import enum

from pattern_guide.errors import InputError

# The detail of a STEP reply that follows the situation a person told at the adapt stage (begun from the library).
SITUATION_NOTED = "situation"


class ReplyTask(enum.StrEnum):
    """Which reply to compose. Parsed at the edge with :meth:`from_str`; a misspelt task is an error."""

    WELCOME = "welcome"
    REDIRECT = "redirect"
    MATCHES = "matches"
    CLARIFY = "clarify"
    ADAPT = "adapt"
    STEP = "step"
    STEPS_DONE = "steps_done"
    VITALITY = "vitality"
    READING = "reading"
    PLAN = "plan"
    ANSWER = "answer"
    HELP = "help"
    NEED_PATTERN = "need_pattern"
    BAD_PICK = "bad_pick"
    NO_MORE = "no_more"
    UNKNOWN_CONTEXT = "unknown_context"
    CONTEXT_SET = "context_set"
    RATE_AGAIN = "rate_again"
    DECLINE_PROMPT = "decline_prompt"
    AFTER_PLAN = "after_plan"
    NONE_FIT = "none_fit"
    AMBIGUOUS = "ambiguous"
    REPLANT = "replant"
    LANGUAGE = "language"
    DRAFT_OFFER = "draft_offer"
    DRAFT_QUESTION = "draft_question"
    DRAFT_SAVED = "draft_saved"
    DRAFT_POLISH = "draft_polish"  # a model polishes the prose of a saved draft; the structure must hold

    @classmethod
    def from_str(cls, name: str) -> ReplyTask:
        """The task called ``name``, or an error that lists the tasks there are."""
        try:
            return cls(name)
        except ValueError:
            raise InputError(f"Unknown reply task '{name}' — use one of: {', '.join(t.value for t in cls)}") from None

    @property
    def prompt(self) -> str | None:
        """The prompt file (``prompts/<name>.md``) a language model rewrites this reply with; None: fixed text."""
        return _PROMPTS.get(self)

    @property
    def fixed(self) -> bool:
        """Fixed replies (help, greetings, redirects) never reach a language model."""
        return self.prompt is None


_PROMPTS: dict[ReplyTask, str] = {
    ReplyTask.MATCHES: "matches",
    ReplyTask.CLARIFY: "clarify",
    ReplyTask.ADAPT: "adapt",
    ReplyTask.STEP: "step",
    ReplyTask.VITALITY: "vitality",
    ReplyTask.READING: "vitality",  # the reading shares the vitality prompt
    ReplyTask.REPLANT: "vitality",
    ReplyTask.PLAN: "plan",
    ReplyTask.ANSWER: "answer",
    ReplyTask.DRAFT_POLISH: "draft",
}
