"""One ChatModel interface for every way a reply can be produced.

The guide always composes a reply offline first (the *draft*, built from the pattern
text). A ChatModel turns a ReplyRequest into streamed text: the offline composer
streams the draft itself; an OpenAI-compatible model rewrites it freely, grounded in the
given sections (see ``llm_openai``); a fallback wraps one with the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from pattern_guide.state import Message


class GivenSection(BaseModel):
    """A pattern section handed to a model; the only thing it may cite."""

    slug: str
    section: str
    text: str

    @property
    def citation(self) -> str:
        return f"[{self.slug} §{self.section}]"


class ReplyRequest(BaseModel):
    """Everything a model needs to produce one reply of the guide."""

    task: str  # prompt name in prompts/: matches, adapt, step, vitality, plan, answer, clarify
    draft: str  # the offline composer's reply for this turn
    user_text: str = ""
    context: str | None = None
    sections: list[GivenSection] = Field(default_factory=list)
    variables: dict[str, Any] = Field(default_factory=dict)
    history: list[Message] = Field(default_factory=list)
    # What a model's rewrite must keep for the person to act on it (the titles offered, the
    # step's title, the sign being asked about); a reply without them is finished by the draft.
    anchors: list[str] = Field(default_factory=list)


@runtime_checkable
class ChatModel(Protocol):
    """Produces the text of one reply, streamed in pieces."""

    name: str

    def stream(self, request: ReplyRequest) -> Iterator[str]:
        """Yield the reply in pieces; the concatenation is the whole reply."""
        ...


class OfflineComposer:
    """The default model: the draft, composed from the pattern text, streamed as it is."""

    name = "offline"

    def stream(self, request: ReplyRequest) -> Iterator[str]:
        # Pieces of a few words, so the page streams the same way for every model.
        yield from re.findall(r"\S+\s*|\s+", request.draft)


class ScriptedChatModel:
    """A fake for tests: replies queued in advance, requests recorded."""

    def __init__(self, replies: list[str] | None = None, name: str = "scripted") -> None:
        self.name = name
        self.replies = list(replies or [])
        self.requests: list[ReplyRequest] = []

    def enqueue(self, reply: str) -> None:
        self.replies.append(reply)

    def stream(self, request: ReplyRequest) -> Iterator[str]:
        self.requests.append(request)
        reply = self.replies.pop(0) if self.replies else request.draft
        yield from re.findall(r"\S+\s*|\s+", reply)


def _words(text: str) -> str:
    """Text as its lower-case words and numbers, one space apart: emphasis and punctuation gone."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def missing_anchors(reply: str, anchors: list[str]) -> list[str]:
    """The anchors a reply leaves out (case, emphasis, punctuation and spacing ignored)."""
    said = f" {_words(reply)} "
    return [a for a in anchors if _words(a) and f" {_words(a)} " not in said]


_QUOTED = re.compile(r"“([^”]{12,})”|\"([^\"\n]{12,})\"")
QUOTE_MIN_WORDS = 6  # shorter quotes are names and phrases, not claims about the text


def invented_quotes(reply: str, request: ReplyRequest) -> list[str]:
    """Quotations in a reply that the pattern text, the draft and the person never said."""
    sources = _words(
        " ".join(
            [
                request.draft,
                request.user_text,
                *(s.text for s in request.sections),
                *(m.content for m in request.history),
            ]
        )
    )
    found = [a or b for a, b in _QUOTED.findall(reply)]
    return [q for q in found if len(_words(q).split()) >= QUOTE_MIN_WORDS and _words(q) not in sources]
