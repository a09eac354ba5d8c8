"""The conversation's serialisable state: what a reload or restart must restore."""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import BaseModel, Field

from pattern_guide.conversation.ids import mint_id
from pattern_guide.drafting.interview import DraftAnswers
from pattern_guide.library.model import Passage
from pattern_guide.vitality.signs import VitalityItem


class Stage(enum.StrEnum):
    """Where the guided conversation is."""

    INTAKE = "intake"
    CLARIFY = "clarify"
    MATCHES = "matches"
    ADAPT = "adapt"
    STEPS = "steps"
    VITALITY = "vitality"
    PLAN = "plan"
    DRAFT = "draft"  # none fits: the short interview that drafts a pattern of the person's own


class Role(enum.StrEnum):
    """Who said a line of the transcript."""

    USER = "user"
    ASSISTANT = "assistant"


class Message(BaseModel):
    """One line of the transcript."""

    role: Role
    content: str
    model: str | None = None  # which model answered: "offline", a model name, or "fell back: ..."
    notice: str | None = None  # shown beside the reply, e.g. that the server failed


class Candidate(BaseModel):
    """A pattern offered at the matches stage."""

    slug: str
    title: str
    score: float
    why: list[Passage] = Field(default_factory=list)


class EchoedSign(BaseModel):
    """A sign of a matched pattern that the person's situation echoes (a practice they already have)."""

    slug: str
    kind: Literal["life", "decay"]
    title: str
    score: float


class GuideState(BaseModel):
    """Everything about one conversation; saved after every turn."""

    id: str = Field(default_factory=mint_id)
    version: int = 0  # the store's version of this conversation when it was last loaded or saved
    saved_turns: int = 0  # how many of the messages the store already holds
    stage: Stage = Stage.INTAKE
    situation: str = ""
    context: str | None = None
    context_detected: bool = True
    language: str | None = None  # the language the person writes in, when not English (a model replies in it)
    library: str | None = None  # the one library (a folder) this person chose to match in; None: every library
    context_asked: bool = False  # the guide has asked once whether this is a company, a service, ...
    clarified: bool = False
    candidates: list[Candidate] = Field(default_factory=list)
    echo: EchoedSign | None = None  # the sign of decay the situation names, offered straight away
    shown: int = 0  # how many candidates have been offered so far
    pattern: str | None = None  # the chosen slug
    step: int = 0  # index into the chosen pattern's steps
    notes: dict[int, str] = Field(default_factory=dict)  # step number -> the person's note
    skipped: list[int] = Field(default_factory=list)
    vitality: list[VitalityItem] = Field(default_factory=list)
    vitality_index: int = 0
    draft: DraftAnswers | None = None  # offered, being asked, or saved: the pattern this conversation drafts
    messages: list[Message] = Field(default_factory=list)

    def offered(self, number: str) -> str | None:
        """The slug of the offered pattern with this number ("2"), or None when no such number was shown."""
        if not number.isdigit():
            return None
        index = int(number) - 1
        return self.candidates[index].slug if 0 <= index < max(self.shown, 1) and index < len(self.candidates) else None

    def last_reply(self) -> Message | None:
        """The latest reply that says which model answered it (what the sidebar shows)."""
        return next((m for m in reversed(self.messages) if m.role == Role.ASSISTANT and m.model), None)

    def add(self, role: Role, content: str, model: str | None = None, notice: str | None = None) -> None:
        """Append a line to the transcript."""
        self.messages.append(Message(role=role, content=content, model=model, notice=notice))
