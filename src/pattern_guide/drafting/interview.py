"""The drafting interview: a few short questions, each skippable, and the answers kept so far."""

from __future__ import annotations

from typing import NamedTuple

from pydantic import BaseModel, Field


class Question(NamedTuple):
    """One question of the interview and the part of the pattern its answer fills."""

    key: str
    text: str


# At most eight, one sentence each: what the Commons format needs and a person can say in a line.
QUESTIONS: tuple[Question, ...] = (
    Question("context", "Where does this happen — what kind of group is it, and how does it feel there now?"),
    Question("problem", "What keeps happening, and what does it cost you?"),
    Question("tension", "Which two things pull against each other here, said as “this vs. that”?"),
    Question("solution", "What have you tried, or would you try, to hold both — finish the sentence “Therefore, …”?"),
    Question("steps", "What would the first two or three steps be?"),
    Question("life", "How would you know it is alive — what would you see when it works?"),
    Question("decay", "And how would you know it is decaying?"),
    Question("name", "Last one: what would you call this pattern?"),
)
KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS)


class DraftAnswers(BaseModel):
    """A draft in the making, kept in the conversation's state so that a reload keeps the interview."""

    offered: list[str] = Field(default_factory=list)  # the slugs the guide had offered: linked from the draft
    asking: bool = False  # the person said yes: the interview has begun
    question: int = 0  # index into QUESTIONS of the question being asked
    answers: dict[str, str] = Field(default_factory=dict)  # question key -> the person's own words
    skipped: list[str] = Field(default_factory=list)
    slug: str | None = None  # once saved
    path: str | None = None
    text: str | None = None  # the saved file, as written (what the person can download)
    polished: bool = False  # a language model polished the prose and the structure held
    problem: str | None = None  # why the last save failed, said to the person

    @property
    def saved(self) -> bool:
        return self.slug is not None

    @property
    def pending(self) -> bool:
        """The guide has offered to draft, and the person has not answered yet."""
        return not self.asking and not self.saved

    @property
    def finished(self) -> bool:
        """Every question has been asked."""
        return self.question >= len(QUESTIONS)

    def current(self) -> Question | None:
        return QUESTIONS[self.question] if 0 <= self.question < len(QUESTIONS) else None

    def answer(self, text: str) -> None:
        """Keep the answer to the current question and move to the next."""
        question = self.current()
        if question is not None and text.strip():
            self.answers[question.key] = text.strip()
            if question.key in self.skipped:
                self.skipped.remove(question.key)
        self.question += 1

    def skip(self) -> None:
        """Leave the current question out and move to the next."""
        question = self.current()
        if question is not None and question.key not in self.answers and question.key not in self.skipped:
            self.skipped.append(question.key)
        self.question += 1
