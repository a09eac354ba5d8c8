"""Small pieces of page shared by several pages."""

from __future__ import annotations

import streamlit as st

from pattern_guide.context import lens
from pattern_guide.model import Step
from pattern_guide.render import safe_markdown


def step_body(step: Step, context: str | None) -> None:
    """A step's text, then the paragraphs written for the context (or the nearest one, saying so)."""
    if step.text:
        st.markdown(safe_markdown(step.text))
    if context is None:
        return
    used, paragraphs = lens(step.contexts, context)
    if paragraphs:
        note = "" if used == context else f" (no {context} paragraph; closest: {used})"
        st.markdown(f"**In {used} contexts{note}:**")
        for paragraph in paragraphs:
            st.markdown(safe_markdown(paragraph))
