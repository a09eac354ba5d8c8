"""One ChatModel interface for every way a reply can be produced.

The guide always composes a reply offline first (the *draft*, built from the pattern text).
A model turns a ReplyRequest into streamed text. Two shapes:

- :class:`TextStream` — ``stream(request)`` yields the text and raises
  ``ModelUnavailableError`` when it cannot complete it (the OpenAI-compatible client, a fake);
- :class:`ChatModel` — ``reply(request)`` returns a :class:`Reply`: iterate it to stream the
  text; once it is complete, ``reply.outcome`` says which model answered and whether and why it
  fell back, and the callbacks given to ``on_done`` run (the guide saves the transcript there).

A model object keeps no state about any reply: one object is shared by every person using
the server, and each reply carries its own outcome.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from pattern_guide.errors import ModelUnavailableError
from pattern_guide.replies.request import ReplyRequest


class Outcome(BaseModel):
    """How one reply was produced: the model whose text completed it, and why it fell back (if it did)."""

    model: str
    fell_back: str | None = None

    @property
    def notice(self) -> str | None:
        """What the page shows beside a reply that fell back."""
        return f"Fell back to the offline composer: {self.fell_back}." if self.fell_back else None


ReplyStream = Generator[str, None, Outcome]


class Reply:
    """One reply, streamed once: iterate it for the text; then ``text`` and ``outcome`` are known."""

    def __init__(self, stream: ReplyStream) -> None:
        self._stream = stream
        self._callbacks: list[Callable[[Reply], None]] = []
        self._started = False
        self.text = ""
        self.outcome: Outcome | None = None

    def on_done(self, callback: Callable[[Reply], None]) -> Reply:
        """Run ``callback(reply)`` once the whole reply has been streamed (callbacks run in order)."""
        self._callbacks.append(callback)
        return self

    def __iter__(self) -> Iterator[str]:
        if self._started:
            raise RuntimeError("a reply can be streamed only once")
        self._started = True
        pieces: list[str] = []
        while True:
            try:
                piece = next(self._stream)
            except StopIteration as stop:
                self.outcome = stop.value
                break
            pieces.append(piece)
            yield piece
        self.text = "".join(pieces)
        for callback in self._callbacks:
            callback(self)

    def complete(self) -> Reply:
        """Stream the reply to its end without showing it (fixed texts, tests)."""
        for _ in self:
            pass
        return self


def streamed(name: str, pieces: Iterable[str]) -> ReplyStream:
    """A reply stream of pieces that one model produced without falling back."""
    yield from pieces
    return Outcome(model=name)


@runtime_checkable
class TextStream(Protocol):
    """Streams the text of one reply; raises ModelUnavailableError when it cannot complete it."""

    name: str

    def stream(self, request: ReplyRequest) -> Iterator[str]:
        """Yield the reply in pieces; the concatenation is the whole reply."""
        ...


@runtime_checkable
class ChatModel(TextStream, Protocol):
    """Produces one reply as a :class:`Reply` that carries its own outcome."""

    def reply(self, request: ReplyRequest) -> Reply:
        """The reply to one request, not yet streamed."""
        ...


class StreamingChatModel:
    """A ChatModel over any TextStream: the reply is the stream, and its outcome names that model."""

    def __init__(self, model: TextStream) -> None:
        self.model = model
        self.name = model.name

    def stream(self, request: ReplyRequest) -> Iterator[str]:
        return self.model.stream(request)

    def reply(self, request: ReplyRequest) -> Reply:
        return Reply(streamed(self.name, self.model.stream(request)))


def as_chat_model(model: TextStream) -> ChatModel:
    """The model itself when it gives Replies, otherwise wrapped so that it does."""
    return model if isinstance(model, ChatModel) else StreamingChatModel(model)


def _pieces(text: str) -> list[str]:
    # Pieces of a few words, so the page streams the same way for every model.
    return re.findall(r"\S+\s*|\s+", text)


class OfflineComposer:
    """The default model: the draft, composed from the pattern text, streamed as it is."""

    name = "offline"

    def stream(self, request: ReplyRequest) -> Iterator[str]:
        yield from _pieces(request.draft)

    def reply(self, request: ReplyRequest) -> Reply:
        return Reply(streamed(self.name, self.stream(request)))


class ScriptedChatModel:
    """A fake for tests: replies queued in advance (text, or an error to fail with), requests recorded."""

    def __init__(self, replies: list[str | ModelUnavailableError] | None = None, name: str = "scripted") -> None:
        self.name = name
        self.replies: list[str | ModelUnavailableError] = list(replies or [])
        self.requests: list[ReplyRequest] = []

    def enqueue(self, reply: str | ModelUnavailableError) -> None:
        self.replies.append(reply)

    def stream(self, request: ReplyRequest) -> Iterator[str]:
        self.requests.append(request)
        reply = self.replies.pop(0) if self.replies else request.draft
        if isinstance(reply, ModelUnavailableError):
            yield from _pieces("The first words of a reply ")
            raise reply
        yield from _pieces(reply)

    def reply(self, request: ReplyRequest) -> Reply:
        return Reply(streamed(self.name, self.stream(request)))
