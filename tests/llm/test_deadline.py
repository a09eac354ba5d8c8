"""A whole reply has a wall-clock deadline, and a server's error text never reaches a person."""

from __future__ import annotations

import time

import openai

from pattern_guide.llm.fallback import FallbackChatModel
from pattern_guide.llm.interface import OfflineComposer
from pattern_guide.llm.openai_model import OpenAIChatModel, describe_failure
from pattern_guide.settings import Settings
from tests.llm.test_llm import REQUEST, Server


def test_a_trickling_server_is_cut_at_the_deadline(fake: Server) -> None:
    fake.mode = "trickle"  # a byte every 0.2 s: no read ever waits past the 5 s timeout
    settings = Settings(openai_base_url=fake.url, openai_model="test-model", openai_timeout=5, openai_deadline=2)
    wrapped = FallbackChatModel(OpenAIChatModel.from_settings(settings), OfflineComposer())
    started = time.monotonic()
    text = "".join(reply := wrapped.reply(REQUEST))
    took = time.monotonic() - started
    assert 1.5 < took < 4, f"cut at the 2 s deadline, not after {took:.1f} s"
    assert reply.outcome is not None and reply.outcome.fell_back is not None
    assert "within 2 s (OPENAI_DEADLINE)" in reply.outcome.fell_back
    assert REQUEST.draft in text, "the offline draft finishes the reply"


def test_a_reply_within_the_deadline_is_untouched(fake: Server) -> None:
    settings = Settings(openai_base_url=fake.url, openai_model="test-model", openai_timeout=5, openai_deadline=30)
    reply = FallbackChatModel(OpenAIChatModel.from_settings(settings), OfflineComposer()).reply(REQUEST)
    assert "".join(reply).startswith("Step 1 of 3") and reply.outcome is not None and reply.outcome.fell_back is None


def test_a_servers_error_text_is_reduced_to_its_category(fake: Server) -> None:
    fake.mode = "leaky"
    settings = Settings(openai_base_url=fake.url, openai_model="test-model", openai_timeout=5)
    reply = FallbackChatModel(OpenAIChatModel.from_settings(settings), OfflineComposer()).reply(REQUEST)
    assert "".join(reply) == REQUEST.draft
    reason = reply.outcome.fell_back if reply.outcome else None
    assert reason == "the model server rejected the request (400)"
    leaked = describe_failure(openai.OpenAIError("token sk-live-SECRET"))
    assert "SECRET" not in leaked and "OpenAIError" in leaked
    where = describe_failure(
        openai.APIConnectionError(request=__import__("httpx").Request("POST", "http://u:pw@127.0.0.1:9/v1")),
        base_url="http://u:pw@127.0.0.1:9/v1?key=abc",
    )
    assert where == "could not reach the model server at http://127.0.0.1:9/v1"
