"""The first page: describe a situation, see the patterns that fit and why."""

from __future__ import annotations

import html

import streamlit as st

from pattern_guide.assistant import Engine, build_engine
from pattern_guide.context import normalise_context
from pattern_guide.errors import PatternGuideError
from pattern_guide.model import CONTEXTS


@st.cache_resource(show_spinner="Loading the pattern library and the embedding model…")
def engine() -> Engine:
    """One engine per server process, shared by every session."""
    built = build_engine()
    _ = built.retriever
    return built


def main() -> None:
    st.set_page_config(page_title="Pattern Guide", page_icon="🌱", layout="centered")
    st.title("Pattern Guide")
    st.caption(
        "Describe a situation your group keeps running into. The guide names the tension and the patterns that fit."
    )
    with st.sidebar:
        choice = st.selectbox("Your context", ["detect from my words", *CONTEXTS])
    with st.form("situation", clear_on_submit=False):
        text = st.text_area(
            "What is going on?",
            height=120,
            placeholder="Every decision waits for our director, and she is away half the month…",
        )
        submitted = st.form_submit_button("Find patterns", type="primary")
    if not submitted or not text.strip():
        return
    try:
        context = None if choice.startswith("detect") else normalise_context(choice)
        result = engine().retriever.match(text, context, top=3)
    except PatternGuideError as exc:
        st.error(str(exc))
        return
    where = result.context.name or "no particular context"
    st.subheader(f"I hear a tension of {result.tension or 'an unnamed kind'}")
    st.caption(f"Context: {where}{' (detected)' if result.context.detected and result.context.name else ''}")
    for n, match in enumerate(result.matches, start=1):
        with st.container(border=True):
            st.markdown(f"**{n}. {html.escape(match.title)}**")
            if match.context_label:
                st.caption(f"In your world: {match.context_label}")
            st.text(f"Tension: {match.tension or '—'}")
            for passage in match.why:
                st.text(f"“{passage.text}” — {passage.section}")
