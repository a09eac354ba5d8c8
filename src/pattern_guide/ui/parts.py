"""Small pieces of page shared by several pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import streamlit as st

from pattern_guide.library.contexts import lens
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern, Step
from pattern_guide.library.parser import strip_section_number
from pattern_guide.text import escape, replace_citations, safe_markdown
from pattern_guide.vitality.signs import Answer, VitalityItem

# How healthy one answered sign is (vitality.health), in words and in the charts' colours.
HEALTH_LABEL = {1.0: "healthy", 0.5: "partly", 0.0: "weak"}
HEALTH_COLOURS = ["#15803d", "#ca8a04", "#b91c1c"]


def step_body(step: Step, context: str | None) -> None:
    """A step's text, then the paragraphs written for the context (or the nearest one, saying so)."""
    if step.text:
        st.markdown(safe_markdown(step.text))
    if context is None:
        if not step.text:  # written only per context: each one, labelled
            for name, paragraphs in step.contexts.items():
                st.markdown(f"**In {name} contexts:**")
                for paragraph in paragraphs:
                    st.markdown(safe_markdown(paragraph))
        return
    used, paragraphs = lens(step.contexts, context)
    if paragraphs:
        note = "" if used == context else f" (no {context} paragraph; closest: {used})"
        st.markdown(f"**In {used} contexts{note}:**")
        for paragraph in paragraphs:
            st.markdown(safe_markdown(paragraph))


def assess_link(pattern: Pattern, label: str, container: Any = st) -> None:
    """A link to the Assess page for this pattern, keeping this person's owner id if they have one."""
    pages = st.session_state.get("pages")
    if not pages or not (pattern.signs_of_life or pattern.signs_of_decay):
        return
    wanted = {"p": pattern.slug}
    if st.session_state.get("assess_owner"):
        wanted["me"] = st.session_state.assess_owner
    container.page_link(pages["assess"], label=label, icon="🩺", query_params=wanted)


def readable_citations(markdown: str, library: Library) -> str:
    """``[slug §Section]`` as a link to that pattern on the Library page, named by its title and section."""

    def link(slug: str, section: str) -> str | None:
        pattern = library.patterns.get(slug)
        if pattern is None:
            return None
        label = escape(f"{pattern.title} · {strip_section_number(section)}")
        return f"[{label}](/library?pattern={quote(slug)})"

    return replace_citations(markdown, link)


def reply_markdown(markdown: str, library: Library) -> str:
    """A model's reply (or part of one, while it streams) as the page shows it: citations, then the policy."""
    return safe_markdown(readable_citations(markdown, library))


CHOICES = [a.value for a in Answer]


def sign_radios(items: list[VitalityItem], prefix: str, given: dict[int, str] | None = None) -> None:
    """The rating form's body: every sign, grouped life then decay, answered yes / partly / no (keys prefix-N)."""
    given = given or {}
    for i, item in enumerate(items):
        if i == 0 or item.kind != items[i - 1].kind:
            st.markdown("##### Signs of life" if item.kind == "life" else "##### Signs of decay")
        st.radio(
            escape(item.text),
            CHOICES,
            index=CHOICES.index(given[i]) if i in given else None,
            horizontal=True,
            key=f"{prefix}-{i}",
        )


def chosen_answers(items: list[VitalityItem], prefix: str) -> dict[int, str]:
    """The answers given in a rating form (sign position -> yes / partly / no), unanswered signs left out."""
    chosen = {i: st.session_state.get(f"{prefix}-{i}") for i in range(len(items))}
    return {i: str(a) for i, a in chosen.items() if a}
