"""The Guide page: the conversation, streamed, with the sidebar controls."""

from __future__ import annotations

import streamlit as st

from pattern_guide.conversation.state import GuideState, Stage
from pattern_guide.errors import PatternGuideError
from pattern_guide.export.plans import plan_filename, plan_markdown
from pattern_guide.library.contexts import CONTEXTS
from pattern_guide.text import escape
from pattern_guide.ui import resources
from pattern_guide.ui.parts import assess_link, readable_citations

QUICK = {
    Stage.MATCHES: ["1", "2", "3", "more"],
    Stage.ADAPT: ["next", "back"],
    Stage.STEPS: ["next", "back", "skip", "vitality"],
    Stage.VITALITY: ["yes", "partly", "no", "back"],
    Stage.PLAN: ["vitality", "restart"],
}


def _queue(text: str) -> None:
    st.session_state.pending = text


def _on_context() -> None:
    choice = st.session_state.context_choice
    if choice in CONTEXTS:
        _queue(f"context {choice}")


def answering(state: GuideState, default: str) -> str:
    """The sidebar's line on which model answered this person's latest reply — theirs, never another's."""
    reply = state.last_reply()
    model = reply.model if reply and reply.model else default
    return f"Answering: **{model}**" + (" — fell back to offline" if reply and reply.notice else "")


def _sidebar(state: GuideState) -> None:
    guide = resources.guide()
    with st.sidebar:
        st.subheader("Your conversation")
        label = state.context or "not detected yet"
        how = "detected" if state.context_detected else "chosen"
        st.caption(f"Context: **{label}** ({how if state.context else 'tell me more'})")
        options = ["(keep)", *CONTEXTS]
        st.selectbox("Switch context", options, key="context_choice", on_change=_on_context)
        st.caption(answering(state, guide.model.name))
        if st.button("New conversation", width="stretch"):
            resources.new_conversation()
            st.rerun()
        pattern = guide.library.patterns.get(state.pattern or "")
        if pattern:
            st.download_button(
                "Download plan (Markdown)",
                data=plan_markdown(state, pattern, guide.library),
                file_name=plan_filename(state, pattern),
                mime="text/markdown",
                width="stretch",
            )
            assess_link(pattern, "Track its vitality over time")
        st.caption(f"Conversation id `{state.id}` — bookmark this page to come back to it.")


def _show(state: GuideState) -> None:
    for message in state.messages:
        with st.chat_message(message.role):
            if message.role == "assistant":
                st.markdown(readable_citations(message.content, resources.guide().library))
            else:
                st.markdown(escape(message.content))
            if message.notice:
                st.warning(message.notice, icon="⚠️")


def _run_turn(state: GuideState, text: str) -> GuideState:
    """Apply the person's message and stream every reply into the page."""
    guide = resources.guide()
    with st.chat_message("user"):
        st.markdown(escape(text))
    try:
        state, turn = guide.handle(state, text)
    except PatternGuideError as exc:
        st.error(str(exc))
        return state
    for request in turn.requests:
        # Recorded in the transcript, then saved, once the reply is complete: a reload mid-turn loses little.
        reply = guide.deliver(state, request).on_done(lambda _: resources.keep(state))
        with st.chat_message("assistant"):
            st.write_stream(iter(reply))
            if reply.outcome and reply.outcome.notice:
                st.warning(reply.outcome.notice, icon="⚠️")
    resources.keep(state)
    return state


def render() -> None:
    """The chat page."""
    st.title("Pattern Guide")
    try:
        state = resources.current_state()
    except PatternGuideError as exc:
        st.error(str(exc))
        return
    _sidebar(state)
    _show(state)
    pending = st.session_state.pop("pending", None)
    busy = pending is not None
    prompt = st.chat_input("Describe your situation, or type a command (help)", disabled=busy)
    if prompt:
        st.session_state.pending = prompt
        st.rerun()
    if pending:
        _run_turn(state, pending)
        st.rerun()
    quick = QUICK.get(state.stage, [])
    if state.stage == Stage.MATCHES:
        quick = [q for q in quick if not q.isdigit() or int(q) <= state.shown]
    if quick:
        cols = st.columns(len(quick))
        for col, word in zip(cols, quick, strict=True):
            col.button(word, key=f"quick-{word}", on_click=_queue, args=(word,), width="stretch")
