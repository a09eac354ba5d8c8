"""The OpenAI-compatible chat model, the citation filter, and the visible fallback.

``OpenAIChatModel`` renders ``prompts/<task>.md``, fits it into the context window and
streams the reply of any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp),
removing citations to sections it was not given. Every way the server can fail becomes a
``ModelUnavailableError`` with a reason a person can read.

``FallbackChatModel`` streams its primary and, when that fails, streams the fallback
(the offline draft) instead and says so in ``last_fallback``. Text the primary already
streamed is kept — the person has seen it — and the fallback's complete reply follows a
separator, so the transcript holds everything that was shown plus one whole reply.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, cast

import openai
from openai.types.chat import ChatCompletionMessageParam

from pattern_guide.budget import TokenCounter, fit_messages, reply_reserve
from pattern_guide.errors import ConfigError, PatternGuideError
from pattern_guide.llm import (
    ChatModel,
    GivenSection,
    OfflineComposer,
    ReplyRequest,
    invented_quotes,
    missing_anchors,
)
from pattern_guide.prompting import PromptLibrary, prompt_library
from pattern_guide.settings import Settings

PLACEHOLDER_KEY = "not-needed"  # local servers ignore the key, but the client insists on one
DEFAULT_BASE_URL = "https://api.openai.com/v1"
SEPARATOR = "\n\n---\n\n*The model stopped mid-reply; here is the offline guide's reply instead.*\n\n"
UNFAITHFUL = "\n\n---\n\n*The model's reply left out or changed something; here is the offline guide's reply too.*\n\n"
MAX_CITATION = 240  # characters after "[" before we stop waiting for the "]"


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


class ModelUnavailableError(PatternGuideError):
    """The model server could not produce a complete reply; the message says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
        return f"the model server rejected the request ({code}: {exc.message})"
    if isinstance(exc, openai.APIConnectionError):
        if mid_stream:
            return "the connection to the model server broke mid-reply"
        return f"could not reach the model server at {base_url or DEFAULT_BASE_URL}"
    if isinstance(exc, json.JSONDecodeError):
        return "the model server sent a malformed stream (invalid JSON)"
    if isinstance(exc, openai.OpenAIError):
        return f"the model server failed: {exc}"
    return f"the connection to the model server failed ({type(exc).__name__}: {exc})"


_CITATION_PART = re.compile(r"\s*(?P<slug>[\w.-]+)\s*§\s*(?P<section>[^\[\]\n;]+?)\s*")
# What the text after "[" may still turn into a citation: a slug, then " §" and a heading.
_CITATION_PREFIX = re.compile(r"\[\s*(?:[\w.-]+\s*(?:§[^\[\]\n]*)?)?")
_NUMBERING = re.compile(r"^(?:section\s+)?\d+[.:)]?\s*[:.\-–]?\s*", re.IGNORECASE)


def _section_keys(slug: str, section: str) -> set[tuple[str, str]]:
    plain = " ".join(section.split()).casefold()
    return {(slug.casefold(), plain), (slug.casefold(), _NUMBERING.sub("", plain))}


class CitationFilter:
    """Removes ``[slug §Section]`` citations to sections that were not given, from streamed text.

    Text from a ``[`` is held back until its ``]`` arrives or it clearly is not a citation.
    A citation to a given section is written back in its exact form; several citations in one
    bracket (``[a §X; b §Y]``) are filtered one by one. Spaces before a removed citation go too.
    """

    def __init__(self, sections: Iterable[GivenSection]) -> None:
        self.allowed: dict[tuple[str, str], str] = {}
        for given in sections:
            for key in _section_keys(given.slug, given.section):
                self.allowed.setdefault(key, given.citation)
        self.removed: list[str] = []
        self._held = ""

    def feed(self, text: str) -> str:
        """Take the next piece of the stream; return what can be shown now."""
        self._held += text
        return self._drain(final=False)

    def flush(self) -> str:
        """The end of the stream: return everything still held back."""
        return self._drain(final=True)

    def filter(self, text: str) -> str:
        """Filter a whole text at once."""
        return self.feed(text) + self.flush()

    def _replace(self, inner: str) -> str | None:
        """The kept citations for a bracket's inside, or None when it is not a citation at all."""
        kept: list[str] = []
        dropped: list[str] = []
        for part in inner.split(";"):
            match = _CITATION_PART.fullmatch(part)
            if not match:
                return None
            keys = _section_keys(match["slug"], match["section"])
            citation = next((self.allowed[k] for k in keys if k in self.allowed), None)
            if citation is None:
                dropped.append(f"[{part.strip()}]")
            elif citation not in kept:
                kept.append(citation)
        self.removed += dropped
        return " ".join(kept)

    def _drain(self, final: bool) -> str:
        out: list[str] = []
        buf = self._held
        while True:
            start = buf.find("[")
            if start < 0:
                keep = 0 if final else len(buf) - len(buf.rstrip(" \t"))
                out.append(buf[: len(buf) - keep])
                buf = buf[len(buf) - keep :]
                break
            spaces_from = len(buf[:start].rstrip(" \t"))
            out.append(buf[:spaces_from])
            spaces, rest = buf[spaces_from:start], buf[start:]
            end = rest.find("]")
            if end < 0:
                if not final and len(rest) <= MAX_CITATION and _CITATION_PREFIX.fullmatch(rest):
                    buf = spaces + rest  # may still become a citation: wait for more
                    break
                out.append(spaces + "[")
                buf = rest[1:]
                continue
            replacement = self._replace(rest[1:end])
            if replacement is None:
                out.append(spaces + "[")
                buf = rest[1:]
                continue
            if replacement:
                out.append(spaces + replacement)
            buf = rest[end + 1 :]
        self._held = buf
        return "".join(out)


class OpenAIChatModel:
    """Any OpenAI-compatible chat server, grounded in the given sections, streamed."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        model: str | None = None,
        timeout: float | None = None,
        context_window: int | None = None,
        client: openai.OpenAI | None = None,
        prompts: PromptLibrary | None = None,
        counter: TokenCounter | None = None,
        temperature: float = 0.4,
    ) -> None:
        settings = settings or Settings()
        self.api_key = api_key or settings.openai_api_key
        self.base_url = base_url or settings.openai_base_url
        self.model = model or settings.openai_model
        self.timeout = settings.openai_timeout if timeout is None else timeout
        self.context_window = context_window or settings.context_window
        if client is None and not (self.api_key or self.base_url):
            raise ConfigError("No model server configured — set OPENAI_API_KEY and/or OPENAI_BASE_URL")
        if self.timeout <= 0:
            raise ConfigError(f"OPENAI_TIMEOUT must be a positive number of seconds, not {self.timeout}")
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
        """Stream the model's rewrite of the draft; raise ModelUnavailableError if it cannot be completed."""
        messages, reserve = self.build_messages(request)  # a PromptError is a bug: let it surface
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
        citations = CitationFilter(request.sections)
        finish: str | None = None
        try:
            for chunk in response:
                content, reason = _delta(chunk)
                finish = reason or finish
                piece = citations.feed(content)
                if piece:
                    yield piece
        except SERVER_FAILURES as exc:
            raise ModelUnavailableError(self._describe(exc, mid_stream=True)) from exc
        finally:
            response.close()
        if finish is None:
            raise ModelUnavailableError("the model server's stream ended before the reply was complete")
        if finish == "length":
            raise ModelUnavailableError(f"the reply was cut off at the token limit ({reserve} tokens)")
        if finish == "content_filter":
            raise ModelUnavailableError("the model server's content filter stopped the reply")
        tail = citations.flush()
        if tail:
            yield tail

    def _describe(self, exc: BaseException, mid_stream: bool) -> str:
        return describe_failure(
            exc, timeout=self.timeout, base_url=self.base_url, model=self.model, mid_stream=mid_stream
        )


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


FALLBACK_ERRORS: tuple[type[BaseException], ...] = (ModelUnavailableError, *SERVER_FAILURES)


class FallbackChatModel:
    """Streams the primary model; if it fails, streams the fallback's reply and records why.

    After each ``stream``: ``last_fallback`` is None, or the reason the primary failed;
    ``last_model`` is the name of the model whose reply completed the text. One instance
    serves one conversation at a time (these attributes describe the latest reply).
    """

    def __init__(self, primary: ChatModel, fallback: ChatModel, separator: str = SEPARATOR) -> None:
        self.primary = primary
        self.fallback = fallback
        self.separator = separator
        self.name = primary.name
        self.last_fallback: str | None = None
        self.last_model: str = primary.name

    def stream(self, request: ReplyRequest) -> Iterator[str]:
        """Yield the primary's reply, or — after any failure or an empty reply — the fallback's."""
        self.last_fallback = None
        self.last_model = self.primary.name
        pieces = self.primary.stream(request)
        shown = False
        leading = ""  # whitespace held back until the reply proves not to be empty
        reason: str | None = None
        said: list[str] = []
        separator = self.separator
        try:
            for piece in pieces:
                said.append(piece)
                if shown:
                    yield piece
                elif (leading := leading + piece).strip():
                    shown = True
                    yield leading
            reply = "".join(said)
            if not shown:
                reason = "the model returned an empty reply"
            elif missing := missing_anchors(reply, request.anchors):
                reason = "the model's reply left out " + ", ".join(f"“{a}”" for a in missing[:3])
                separator = UNFAITHFUL
            elif invented := invented_quotes(reply, request):
                reason = f"the model's reply quoted words the pattern does not say (“{invented[0][:80]}”)"
                separator = UNFAITHFUL
        except FALLBACK_ERRORS as exc:
            reason = describe_failure(exc)
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:
                close()  # stop the primary: closes its HTTP stream
        if reason is None:
            return
        self.last_fallback = reason
        self.last_model = self.fallback.name
        if shown:
            yield separator
        yield from self.fallback.stream(request)


def build_chat_model(settings: Settings) -> ChatModel:
    """The offline composer without a model server; otherwise the server, falling back to the composer."""
    if not (settings.openai_api_key or settings.openai_base_url):
        return OfflineComposer()
    return FallbackChatModel(OpenAIChatModel(settings), OfflineComposer())
