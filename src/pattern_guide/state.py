"""The conversation's serialisable state: what a reload or restart must restore."""

from __future__ import annotations

import enum
import uuid

from pydantic import BaseModel, Field


class Stage(enum.StrEnum):
    """Where the guided conversation is."""

    INTAKE = "intake"
    CLARIFY = "clarify"
    MATCHES = "matches"
    ADAPT = "adapt"
    STEPS = "steps"
    VITALITY = "vitality"
    PLAN = "plan"


class Answer(enum.StrEnum):
    """A vitality sign answered yes / partly / no."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


ANSWER_SCORE = {Answer.YES: 1.0, Answer.PARTLY: 0.5, Answer.NO: 0.0}


class Message(BaseModel):
    """One line of the transcript."""

    role: str  # "user" | "assistant"
    content: str
    model: str | None = None  # which model answered: "offline", a model name, or "fell back: ..."
    notice: str | None = None  # shown beside the reply, e.g. that the server failed


class Quote(BaseModel):
    """A passage of a pattern that shows why it fits, with its section."""

    section: str
    text: str


class Candidate(BaseModel):
    """A pattern offered at the matches stage."""

    slug: str
    title: str
    score: float
    why: list[Quote] = Field(default_factory=list)


class VitalityItem(BaseModel):
    """One sign of life or decay and the person's answer to it."""

    kind: str  # "life" | "decay"
    text: str
    answer: Answer | None = None


class GuideState(BaseModel):
    """Everything about one conversation; saved after every turn."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    stage: Stage = Stage.INTAKE
    situation: str = ""
    context: str | None = None
    context_detected: bool = True
    clarified: bool = False
    candidates: list[Candidate] = Field(default_factory=list)
    shown: int = 0  # how many candidates have been offered so far
    pattern: str | None = None  # the chosen slug
    step: int = 0  # index into the chosen pattern's steps
    notes: dict[int, str] = Field(default_factory=dict)  # step number -> the person's note
    skipped: list[int] = Field(default_factory=list)
    vitality: list[VitalityItem] = Field(default_factory=list)
    vitality_index: int = 0
    messages: list[Message] = Field(default_factory=list)

    def add(self, role: str, content: str, model: str | None = None, notice: str | None = None) -> None:
        """Append a line to the transcript."""
        self.messages.append(Message(role=role, content=content, model=model, notice=notice))
