"""The OpenAI-compatible chat model.

``OpenAIChatModel`` renders the request's prompt file, fits it into the context window and
streams the reply of any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp),
removing citations to sections it was not given. Every way the server can fail becomes a
``ModelUnavailableError`` with a reason a person can read.
"""

from __future__ import annotations

import importlib
import json
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any, cast
from urllib.parse import urlsplit

import openai
from openai.types.chat import ChatCompletionMessageParam

from pattern_guide.errors import ConfigError, ModelUnavailableError
from pattern_guide.llm.grounding import CitationFilter
from pattern_guide.llm.interface import Reply, streamed
from pattern_guide.replies.budget import TokenCounter, fit_messages, reply_reserve
from pattern_guide.replies.prompts import PromptLibrary, prompt_library
from pattern_guide.replies.request import ReplyRequest
from pattern_guide.settings import Settings

PLACEHOLDER_KEY = "not-needed"  # local servers ignore the key, but the client insists on one
DEFAULT_BASE_URL = "https://api.openai.com/v1"


def _http_errors() -> tuple[type[BaseException], ...]:
    # The openai client is built on httpx (openai 1.x) or httpx2 (later releases); errors of
    # whichever is installed may escape a stream that is read outside the client's own handling.
    errors: list[type[BaseException]] = []
    for name in ("httpx2", "httpx"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        errors += [module.HTTPError, module.StreamError]
    return tuple(errors)


HTTP_ERRORS = _http_errors()
# What a server, a network or a broken stream can raise; anything else is a bug and surfaces.
SERVER_FAILURES: tuple[type[BaseException], ...] = (openai.OpenAIError, json.JSONDecodeError, *HTTP_ERRORS)


def describe_failure(
    exc: BaseException,
    *,
    timeout: float | None = None,
    base_url: str | None = None,
    model: str | None = None,
    mid_stream: bool = False,
) -> str:
    """A reason a person can read, for any way a model server can fail."""
    if isinstance(exc, ModelUnavailableError):
        return exc.reason
    if isinstance(exc, openai.APITimeoutError):
        limit = f" within {timeout:g} s (OPENAI_TIMEOUT)" if timeout else " in time"
        return f"the model server did not answer{limit}"
    if isinstance(exc, openai.APIStatusError):
        code = exc.status_code
        if code == 429:
            return "the model server is rate limiting requests (429)"
        if code in (401, 403):
            return f"the model server refused the API key ({code}) — check OPENAI_API_KEY"
        if code == 404:
            return (
                f"the model server answered 404 — check OPENAI_MODEL ('{model}') and that OPENAI_BASE_URL ends in /v1"
            )
        if code >= 500:
            return f"the model server returned {code}"
        return f"the model server rejected the request ({code})"  # its text can carry secrets: not shown
    if isinstance(exc, openai.APIConnectionError):
        if mid_stream:
            return "the connection to the model server broke mid-reply"
        return f"could not reach the model server at {_host(base_url or DEFAULT_BASE_URL)}"
    if isinstance(exc, json.JSONDecodeError):
        return "the model server sent a malformed stream (invalid JSON)"
    if isinstance(exc, openai.OpenAIError):
        return f"the model server failed ({type(exc).__name__})"
    return f"the connection to the model server failed ({type(exc).__name__})"


def _host(url: str) -> str:
    """A server's address as messages name it: never its credentials or query string."""
    parts = urlsplit(url)
    if not parts.hostname:
        return "the configured address"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path}"


class OpenAIChatModel:
    """Any OpenAI-compatible chat server, grounded in the given sections, streamed."""

    def __init__(
        self,
        *,
        model: str = "gpt-4o-mini",
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        deadline: float = 90.0,
        context_window: int = 8192,
        client: openai.OpenAI | None = None,
        prompts: PromptLibrary | None = None,
        counter: TokenCounter | None = None,
        temperature: float = 0.4,
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url
        self.model = model
        self.timeout = timeout
        self.deadline = deadline
        self.context_window = context_window
        if client is None and not (self.api_key or self.base_url):
            raise ConfigError("No model server configured — set OPENAI_API_KEY and/or OPENAI_BASE_URL")
        if self.timeout <= 0:
            raise ConfigError(f"OPENAI_TIMEOUT must be a positive number of seconds, not {self.timeout}")
        if self.deadline <= 0:
            raise ConfigError(f"OPENAI_DEADLINE must be a positive number of seconds, not {self.deadline}")
        self.name = self.model
        self.temperature = temperature
        self.client = client or openai.OpenAI(
            api_key=self.api_key or PLACEHOLDER_KEY,
            base_url=self.base_url or DEFAULT_BASE_URL,
            timeout=self.timeout,
            max_retries=0,  # a failure falls back at once; retrying would keep the person waiting
        )
        self.prompts = prompts or prompt_library()
        self.counter = counter or TokenCounter(self.model)

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> OpenAIChatModel:
        """The model server the settings name (OPENAI_*), with any argument overridden."""
        values: dict[str, Any] = {
            "model": settings.openai_model,
            "api_key": settings.openai_api_key,
            "base_url": settings.openai_base_url,
            "timeout": settings.openai_timeout,
            "deadline": settings.openai_deadline,
            "context_window": settings.context_window,
        }
        return cls(**{**values, **overrides})

    def reply(self, request: ReplyRequest) -> Reply:
        """The server's rewrite as a Reply; a failure surfaces as ModelUnavailableError while streaming."""
        return Reply(streamed(self.name, self.stream(request)))

    def build_messages(self, request: ReplyRequest) -> tuple[list[dict[str, str]], int]:
        """The chat messages for a request, trimmed to the context window, and the tokens left for the reply."""
        bare = self.prompts.render_request(request, sections=[], history=[])
        reserve = reply_reserve(request.draft, self.context_window, self.counter)
        sections, history = fit_messages(
            bare.system, request.sections, request.history, bare.user, self.context_window, reserve, self.counter
        )
        prompt = self.prompts.render_request(request, sections=sections, history=history)
        return prompt.messages(), reserve

    def stream(self, request: ReplyRequest) -> Iterator[str]:
        """Stream the model's rewrite of the draft; raise ModelUnavailableError if it cannot be completed.

        The whole reply has a wall-clock deadline (OPENAI_DEADLINE), not only each read
        (OPENAI_TIMEOUT): a server that trickles bytes is cut off when the deadline passes.
        """
        messages, reserve = self.build_messages(request)  # a PromptError is a bug: let it surface
        citations = CitationFilter(request.sections)
        finish: str | None = None
        for content, reason in _before(self.deadline, self._deltas(messages, reserve)):
            finish = reason or finish
            piece = citations.feed(content)
            if piece:
                yield piece
        if finish is None:
            raise ModelUnavailableError("the model server's stream ended before the reply was complete")
        if finish == "length":
            raise ModelUnavailableError(f"the reply was cut off at the token limit ({reserve} tokens)")
        if finish == "content_filter":
            raise ModelUnavailableError("the model server's content filter stopped the reply")
        tail = citations.flush()
        if tail:
            yield tail

    def _deltas(self, messages: list[dict[str, str]], reserve: int) -> Iterator[tuple[str, str | None]]:
        """The server's stream as (text, finish reason) pairs; every failure a ModelUnavailableError."""
        try:
            response = self.client.chat.completions.create(
                model=self.model,
                messages=cast("list[ChatCompletionMessageParam]", messages),
                stream=True,
                max_tokens=reserve,
                temperature=self.temperature,
            )
        except SERVER_FAILURES as exc:
            raise ModelUnavailableError(self._describe(exc, mid_stream=False)) from exc
        try:
            for chunk in response:
                yield _delta(chunk)
        except SERVER_FAILURES as exc:
            raise ModelUnavailableError(self._describe(exc, mid_stream=True)) from exc
        finally:
            response.close()

    def _describe(self, exc: BaseException, mid_stream: bool) -> str:
        return describe_failure(
            exc, timeout=self.timeout, base_url=self.base_url, model=self.model, mid_stream=mid_stream
        )


_END = object()


def _before(deadline: float, items: Iterator[Any]) -> Iterator[Any]:
    """The items, read on a worker thread, until the deadline (seconds from now) passes.

    A blocking read cannot be interrupted from here, so the worker keeps reading until its own
    read timeout ends it; the person is answered at the deadline all the same.
    """
    ends_at = time.monotonic() + deadline
    handoff: queue.Queue[Any] = queue.Queue()
    stop = threading.Event()

    def read() -> None:
        try:
            for item in items:
                handoff.put(item)
                if stop.is_set():
                    break
            handoff.put(_END)
        except BaseException as exc:  # noqa: BLE001 - handed to the reading side, which raises it
            handoff.put(exc)
        finally:
            if stop.is_set():
                close = getattr(items, "close", None)
                if close is not None:
                    close()

    threading.Thread(target=read, name="model-stream", daemon=True).start()
    try:
        while True:
            try:
                item = handoff.get(timeout=max(ends_at - time.monotonic(), 0))
            except queue.Empty:
                raise ModelUnavailableError(
                    f"the model server did not finish the reply within {deadline:g} s (OPENAI_DEADLINE)"
                ) from None
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()


def _delta(chunk: Any) -> tuple[str, str | None]:
    """The text and finish reason of one chunk of the first choice; a chunk of another shape is an error."""
    choices = getattr(chunk, "choices", None)
    if not isinstance(choices, list):
        raise ModelUnavailableError("the model server sent a malformed stream (a chunk without choices)")
    for choice in choices:
        if getattr(choice, "index", 0) != 0:
            continue
        delta = getattr(choice, "delta", None)
        content = getattr(delta, "content", None) if delta is not None else None
        reason = getattr(choice, "finish_reason", None)
        if not isinstance(content, str | None) or not isinstance(reason, str | None):
            raise ModelUnavailableError("the model server sent a malformed stream (a chunk of the wrong shape)")
        return content or "", reason
    return "", None  # e.g. a usage chunk, or Azure's prompt-filter chunk
