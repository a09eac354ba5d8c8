"""What a chat model is asked for: one reply of the guide, its offline draft and what it may cite."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from pattern_guide.conversation.state import Message
from pattern_guide.library.model import Passage
from pattern_guide.replies.tasks import ReplyTask


class ReplyRequest(BaseModel):
    """Everything a model needs to produce one reply of the guide."""

    task: ReplyTask
    draft: str  # the offline composer's reply for this turn
    user_text: str = ""
    context: str | None = None
    sections: list[Passage] = Field(default_factory=list)  # the only passages a model may cite
    variables: dict[str, Any] = Field(default_factory=dict)
    history: list[Message] = Field(default_factory=list)
    # What a model's rewrite must keep for the person to act on it (the titles offered, the
    # step's title, the sign being asked about); a reply without them is finished by the draft.
    anchors: list[str] = Field(default_factory=list)

    @property
    def prompt(self) -> str | None:
        """The prompt file a model rewrites this reply with; None for fixed replies."""
        return self.task.prompt
