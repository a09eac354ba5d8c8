"""Shared resources (one per server process) and per-person conversation state."""

from __future__ import annotations

import streamlit as st

from pattern_guide.assistant import Engine, build_engine
from pattern_guide.conversation.state import GuideState
from pattern_guide.guide.runner import Guide
from pattern_guide.store import ConversationStore

QUERY_KEY = "c"


@st.cache_resource(show_spinner="Loading the pattern library and the embedding model…")
def engine() -> Engine:
    """The library, indexes and model, shared by every session of this server."""
    built = build_engine()
    _ = built.retriever
    return built


@st.cache_resource
def guide() -> Guide:
    return engine().guide()


@st.cache_resource
def store() -> ConversationStore:
    return ConversationStore(engine().settings.database)


def current_state() -> GuideState:
    """This person's conversation: from session state, else from the store by the id in the URL."""
    wanted = st.query_params.get(QUERY_KEY)
    held: GuideState | None = st.session_state.get("guide_state")
    if held is not None and (wanted is None or held.id == wanted):
        if wanted is None:
            st.query_params[QUERY_KEY] = held.id
        return held
    state = store().load(wanted) if wanted else None
    if state is None:
        state = guide().start(GuideState(id=wanted) if wanted else None)
        store().save(state)
    st.session_state.guide_state = state
    st.query_params[QUERY_KEY] = state.id
    return state


def keep(state: GuideState) -> None:
    """Hold the state for this session and save it, so a reload or restart loses nothing."""
    st.session_state.guide_state = state
    store().save(state)


def new_conversation() -> None:
    """Start over under a fresh id."""
    state = guide().start()
    keep(state)
    st.query_params[QUERY_KEY] = state.id
