"""Token counting works with the network refused; trimming drops history first, then sections."""

from __future__ import annotations

import gzip
import hashlib
import importlib.resources
import socket
from pathlib import Path
from typing import Any

import pytest
from tiktoken_ext import openai_public

from pattern_guide.conversation.state import Message
from pattern_guide.library.model import Passage
from pattern_guide.replies.budget import (
    CHARS_PER_TOKEN,
    MESSAGE_OVERHEAD,
    REPLY_PRIMING,
    SECTION_OVERHEAD,
    TokenCounter,
    encoding_name_for,
    fit_messages,
    load_encoding,
    reply_reserve,
)


class Words(TokenCounter):
    """A counter whose counts are easy to reason about: one token a word."""

    def __init__(self) -> None:
        self._encoding = None
        self.name = "words"

    def count(self, text: str) -> int:
        return len(text.split())


def test_guard_refuses_the_outside_world(no_network: list[Any]) -> None:
    with pytest.raises(OSError), socket.create_connection(("192.0.2.1", 80), timeout=1):
        pass
    assert no_network


@pytest.mark.parametrize(
    ("model", "encoding", "ids"),
    [("gpt-4o-mini", "o200k_base", [24912, 2375]), ("gpt-4", "cl100k_base", [15339, 1917])],
)
def test_counting_builds_tiktoken_offline(
    no_network: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: str, encoding: str, ids: list[int]
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))  # an empty cache: nothing to find there either
    load_encoding.cache_clear()
    counter = TokenCounter(model)
    assert counter.exact and counter.name == f"tiktoken {encoding}"
    assert load_encoding(encoding).encode("hello world") == ids
    assert counter.count("hello world") == 2
    assert counter.count("") == 0
    assert counter.count("a <|endoftext|> in the person's text is plain text") > 5
    assert no_network == [] and list(tmp_path.iterdir()) == []


def test_unknown_models_count_with_cl100k() -> None:
    assert encoding_name_for("llama3.1:8b") == "cl100k_base"
    assert encoding_name_for("text-davinci-003") == "cl100k_base"  # p50k is not shipped: the closest we have
    assert TokenCounter("qwen2.5").name == "tiktoken cl100k_base"


def test_estimate_when_tiktoken_is_unavailable() -> None:
    counter = TokenCounter.estimate()
    assert not counter.exact and "estimate" in counter.name and str(CHARS_PER_TOKEN) in counter.name
    assert counter.count("x" * 34) == 10
    assert counter.count("x") == 1


SYSTEM, USER = "one two three", "four five"
FIXED = 3 + 2 + 2 * MESSAGE_OVERHEAD + REPLY_PRIMING  # 16 with the word counter
SECTIONS = [Passage(slug="a", section="S", text="w " * 10) for _ in range(3)]  # 2 + 10 + 4 = 16 each
SECTION_COST = 2 + 10 + SECTION_OVERHEAD
HISTORY = [Message(role="user" if i % 2 == 0 else "assistant", content=f"m{i} " * 6) for i in range(4)]
MESSAGE_COST = 6 + MESSAGE_OVERHEAD  # 10 each


def fit(window: int, reserve: int = 10) -> tuple[list[Passage], list[Message]]:
    return fit_messages(SYSTEM, SECTIONS, HISTORY, USER, window, reserve, Words())


def test_everything_fits() -> None:
    full = FIXED + 3 * SECTION_COST + 4 * MESSAGE_COST + 10
    assert fit(full) == (SECTIONS, HISTORY)


def test_history_goes_oldest_first_before_any_section() -> None:
    full = FIXED + 3 * SECTION_COST + 4 * MESSAGE_COST + 10
    assert fit(full - 1) == (SECTIONS, HISTORY[1:])
    assert fit(full - MESSAGE_COST - 1) == (SECTIONS, HISTORY[2:])
    assert fit(full - 4 * MESSAGE_COST) == (SECTIONS, [])


def test_sections_go_last_first_once_history_is_gone() -> None:
    no_history = FIXED + 3 * SECTION_COST + 10
    assert fit(no_history - 1) == (SECTIONS[:2], [])
    assert fit(no_history - 2 * SECTION_COST) == (SECTIONS[:1], [])
    assert fit(FIXED + 10) == ([], [])


def test_system_and_user_are_never_dropped() -> None:
    assert fit(5, reserve=10) == ([], [])  # even when they alone overflow, the caller still sends them
    assert fit_messages("", [], [], "", 100, 10, Words()) == ([], [])


def test_fit_is_pure() -> None:
    sections, history = list(SECTIONS), list(HISTORY)
    fit_messages(SYSTEM, sections, history, USER, 40, 10, Words())
    assert sections == SECTIONS and history == HISTORY


def test_reply_reserve_is_bounded() -> None:
    words = Words()
    assert reply_reserve("short", 8192, words) == 512
    assert reply_reserve("w " * 1000, 8192, words) == 2128
    assert reply_reserve("w " * 10000, 8192, words) == 4096


@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base"])
def test_definitions_match_tiktoken_own(
    no_network: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # Seed tiktoken's cache with the packaged file under the name it would download it as, then compare.
    url = f"https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
    packed = importlib.resources.files("bpe_openai.data").joinpath(f"{name}.tiktoken.gz").read_bytes()
    (tmp_path / hashlib.sha1(url.encode()).hexdigest()).write_bytes(gzip.decompress(packed))  # noqa: S324
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    theirs = getattr(openai_public, name)()
    ours = load_encoding(name)
    assert ours._pat_str == theirs["pat_str"]
    assert ours._special_tokens == theirs["special_tokens"]
    assert ours._mergeable_ranks == theirs["mergeable_ranks"]
    assert no_network == []
