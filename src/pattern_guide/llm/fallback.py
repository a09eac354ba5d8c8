"""The visible fallback: the primary model's reply, or the offline draft when the primary fails.

``FallbackChatModel`` streams its primary and, when that fails, streams the fallback (the
offline draft) instead. It keeps no state: each :class:`Reply` it returns carries its own
:class:`Outcome` (which model completed the text, and why it fell back), so one object can
serve every person using the server. Text the primary already streamed is kept — the person
has seen it — and the fallback's complete reply follows a separator, so the transcript holds
everything that was shown plus one whole reply.
"""

from __future__ import annotations

from collections.abc import Iterator

from pattern_guide.errors import ModelUnavailableError
from pattern_guide.llm.grounding import invented_quotes, missing_anchors
from pattern_guide.llm.interface import ChatModel, OfflineComposer, Outcome, Reply, ReplyStream, TextStream
from pattern_guide.replies.request import ReplyRequest
from pattern_guide.settings import Settings

SEPARATOR = "\n\n---\n\n*The model stopped mid-reply; here is the offline guide's reply instead.*\n\n"
UNFAITHFUL = "\n\n---\n\n*The model's reply left out or changed something; here is the offline guide's reply too.*\n\n"


class FallbackChatModel:
    """Streams the primary model; if it fails, streams the fallback's reply. Each reply says which answered."""

    def __init__(self, primary: TextStream, fallback: TextStream, separator: str = SEPARATOR) -> None:
        self.primary = primary
        self.fallback = fallback
        self.separator = separator
        self.name = primary.name

    def reply(self, request: ReplyRequest) -> Reply:
        """The primary's reply, or — after any failure, an empty or an unfaithful reply — the fallback's."""
        return Reply(self._run(request))

    def stream(self, request: ReplyRequest) -> Iterator[str]:
        """The text of :meth:`reply`, for callers that need no outcome."""
        yield from self.reply(request)

    def _run(self, request: ReplyRequest) -> ReplyStream:
        # Imported here: the openai client (about 20 MB) is loaded only where a model server is configured.
        from pattern_guide.llm.openai_model import SERVER_FAILURES, describe_failure

        failures: tuple[type[BaseException], ...] = (ModelUnavailableError, *SERVER_FAILURES)
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
        except failures as exc:
            reason = describe_failure(exc)
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:
                close()  # stop the primary: closes its HTTP stream
        if reason is None:
            return Outcome(model=self.primary.name)
        if shown:
            yield separator
        yield from self.fallback.stream(request)
        return Outcome(model=self.fallback.name, fell_back=reason)


def build_chat_model(settings: Settings) -> ChatModel:
    """The offline composer without a model server; otherwise the server, falling back to the composer."""
    if not (settings.openai_api_key or settings.openai_base_url):
        return OfflineComposer()
    from pattern_guide.llm.openai_model import OpenAIChatModel

    return FallbackChatModel(OpenAIChatModel.from_settings(settings), OfflineComposer())
