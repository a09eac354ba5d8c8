"""Shared resources (one per server process) and per-person conversation state.

The id in the URL is a capability minted by this server: it is looked up, never taken. An id
this server did not mint — chosen, mistyped, or from another installation — starts a fresh
conversation under a fresh id, and the page says so.
"""

from __future__ import annotations

import logging
import threading

import streamlit as st

from pattern_guide.assistant import Engine, build_engine
from pattern_guide.conversation.ids import well_formed
from pattern_guide.conversation.state import GuideState
from pattern_guide.errors import StoreError
from pattern_guide.guide.runner import Guide
from pattern_guide.store import ConversationStore
from pattern_guide.understanding.echoes import Echoes

log = logging.getLogger(__name__)
QUERY_KEY = "c"
SHARE_KEY = "share"
UNKNOWN_LINK = (
    "That conversation link is not one this guide made (or it was deleted), so here is a fresh conversation "
    "under a new link. Bookmark this page to come back to it."
)


@st.cache_resource(show_spinner="Loading the pattern library and the embedding model…")
def engine() -> Engine:
    """The library, indexes and model, shared by every session of this server."""
    built = build_engine()
    _ = built.retriever
    # The signs' words and one matrix of their vectors (Commons: about 3 s), built beside the first page rather
    # than before it; a turn that comes sooner waits for them.
    threading.Thread(target=_prepare, args=(built.echoes,), name="prepare-signs", daemon=True).start()
    return built


def _prepare(echoes: Echoes) -> None:
    try:
        echoes.prepare()
    except Exception:  # the first turn builds them then, and says what failed if it does again
        log.warning("preparing the signs failed; the first turn will build them", exc_info=True)


@st.cache_resource
def guide() -> Guide:
    return engine().guide()


@st.cache_resource
def store() -> ConversationStore:
    return ConversationStore(engine().settings.database)


def _fresh(reason: str | None = None) -> GuideState:
    state = guide().start()
    if reason:
        st.session_state.link_notice = reason
    keep(state)
    return state


def current_state() -> GuideState:
    """This person's conversation: from session state (refreshed when another tab saved), else from the store."""
    wanted = st.query_params.get(QUERY_KEY)
    held: GuideState | None = st.session_state.get("guide_state")
    if held is not None and (wanted is None or held.id == wanted):
        if wanted is None:
            st.query_params[QUERY_KEY] = held.id
        if not st.session_state.get("unsaved"):
            held = _refreshed(held)
        return held
    state = None
    if wanted is not None:
        state = store().load(wanted) if well_formed(wanted) else None
        if state is None:
            state = _fresh(UNKNOWN_LINK)
    else:
        state = _fresh()
    st.session_state.guide_state = state
    st.query_params[QUERY_KEY] = state.id
    return state


def _refreshed(held: GuideState) -> GuideState:
    """The held state, or the stored one when another tab or device has saved turns since."""
    try:
        stored_version = store().version(held.id)
        if stored_version is None or stored_version == held.version:
            return held
        newer = store().load(held.id)
    except StoreError:
        return held  # the store is unreachable: carry on with what this page holds; keep() says so on save
    if newer is None:
        return held
    st.session_state.guide_state = newer
    return newer


def keep(state: GuideState) -> GuideState:
    """Hold the state for this session and save it, so a reload or restart loses nothing.

    When the store cannot be written the turn stays in the page, marked unsaved, and the next
    rerun tries again; the person is told, never shown a trace.
    """
    st.session_state.guide_state = state
    try:
        saved = store().save(state)
    except StoreError as exc:
        st.session_state.unsaved = str(exc)
        return state
    st.session_state.pop("unsaved", None)
    st.session_state.guide_state = saved
    return saved


def retry_unsaved() -> str | None:
    """Try again to save a turn the store refused; the reason it still cannot, or None once saved."""
    state: GuideState | None = st.session_state.get("guide_state")
    if state is None or not st.session_state.get("unsaved"):
        return None
    keep(state)
    reason = st.session_state.get("unsaved")
    return str(reason) if reason else None


def new_conversation() -> None:
    """Start over under a fresh id."""
    state = _fresh()
    st.query_params[QUERY_KEY] = state.id


def link_notice() -> str | None:
    """Once: why this page is not the conversation its link named."""
    notice = st.session_state.pop("link_notice", None)
    return str(notice) if notice else None


def start_with(slug: str, context: str | None) -> None:
    """Open a new conversation at one pattern, in the context the person chose on the Library page, and go to
    the Guide: it greets them for that pattern and asks about their situation before the steps."""
    state, turn = guide().open_at(slug, context)
    for request in turn.requests:
        guide().deliver(state, request).complete()  # shown when the Guide page opens
    keep(state)
    st.query_params[QUERY_KEY] = state.id
    pages = st.session_state.get("pages")
    if pages:
        st.switch_page(pages["guide"])
