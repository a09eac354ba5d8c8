"""One model object serves every person: each reply carries its own outcome, so no fallback leaks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pattern_guide.assistant import Engine
from pattern_guide.conversation.state import GuideState
from pattern_guide.errors import ModelUnavailableError
from pattern_guide.llm.fallback import FallbackChatModel
from pattern_guide.llm.interface import OfflineComposer, ScriptedChatModel
from pattern_guide.replies.request import ReplyRequest
from pattern_guide.replies.tasks import ReplyTask
from pattern_guide.ui.guide_page import answering

STEP = ReplyRequest(task=ReplyTask.STEP, draft="### Step 1 of 2: Begin\n\nStart small. What would this look like?")


def test_one_sessions_fallback_never_shows_in_anothers(
    tmp_path: Path, make_pattern: Callable[..., Path], hashing_engine_factory: Callable[[list[Path]], Engine]
) -> None:
    make_pattern(tmp_path / "lib", "small-steps")
    engine = hashing_engine_factory([tmp_path / "lib"])
    engine.index()
    # The first request the primary serves fails mid-reply; the second succeeds.
    primary = ScriptedChatModel([ModelUnavailableError("the model server returned 502"), "A fine reply."], "server")
    shared = FallbackChatModel(primary, OfflineComposer())
    guide = engine.guide(shared)  # one Guide and one model object, as st.cache_resource shares them
    alice, bob = guide.start(GuideState()), guide.start(GuideState())

    # Interleaved as two browser sessions would be: Alice's reply starts, Bob's runs to its end, Alice's ends.
    alice_reply, bob_reply = guide.deliver(alice, STEP), guide.deliver(bob, STEP)
    alice_stream = iter(alice_reply)
    first = next(alice_stream)
    bob_text = "".join(bob_reply)
    alice_text = first + "".join(alice_stream)

    assert bob_text == "A fine reply."
    assert bob_reply.outcome is not None and bob_reply.outcome.fell_back is None
    assert bob.messages[-1].model == "server" and bob.messages[-1].notice is None
    assert alice_reply.outcome is not None and alice_reply.outcome.fell_back == "the model server returned 502"
    assert alice.messages[-1].model == "offline" and "502" in (alice.messages[-1].notice or "")
    assert alice_text.endswith(STEP.draft)
    # What each sidebar says about the model comes from that person's own transcript.
    assert answering(bob, shared.name) == "Answering: **server**"
    assert answering(alice, shared.name) == "Answering: **offline** — fell back to offline"
    assert not hasattr(shared, "last_fallback") and not hasattr(shared, "last_model")


def test_a_reply_is_recorded_once_when_complete_and_streams_once() -> None:
    state = GuideState()
    reply = OfflineComposer().reply(STEP)
    seen: list[str] = []
    reply.on_done(lambda r: seen.append(r.text))
    pieces = list(reply)
    assert "".join(pieces) == STEP.draft == reply.text and seen == [STEP.draft]
    assert reply.outcome is not None and reply.outcome.model == "offline"
    try:
        list(reply)
    except RuntimeError as exc:
        assert "only once" in str(exc)
    else:
        raise AssertionError("a reply streamed twice")
    assert state.messages == []  # nothing recorded by a model: the guide records, through on_done
