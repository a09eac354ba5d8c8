"""The Library page: search and browse every loaded pattern."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import streamlit as st

from pattern_guide.conversation.state import GuideState
from pattern_guide.library.contexts import CONTEXTS
from pattern_guide.library.model import Pattern
from pattern_guide.text import escape, safe_markdown
from pattern_guide.ui import garden_view, library_search, resources
from pattern_guide.ui.parts import assess_link, step_body

if TYPE_CHECKING:
    import altair as alt

CHOICE_KEY = "library-open"
EDGE_STYLE = {
    "requires": ("before", "#b45309"),
    "enables": ("after", "#15803d"),
    "complementary": ("beside", "#1d4ed8"),
    "alternatives": ("instead", "#7c3aed"),
}


def radar(scores: dict[str, float]) -> alt.LayerChart:
    """The commons assessment as a radar chart (0–5 on each axis), each axis labelled with its score."""
    import altair as alt  # only when drawn: a person who never sees a chart never loads it
    import pandas as pd  # only when drawn: a person who never sees a chart never loads it

    names = list(scores)
    rows = []
    for i, name in enumerate([*names, names[0]]):
        angle = 2 * math.pi * (i % len(names)) / len(names)
        value = scores[name]
        rows.append(
            {
                "axis": name.replace("_", " "),
                "label": f"{name.replace('_', ' ')} {value:.1f}",
                "x": value * math.sin(angle),
                "y": value * math.cos(angle),
                "order": i,
                "score": value,
                "lx": 5.4 * math.sin(angle),
                "ly": 5.6 * math.cos(angle),
            }
        )
    data = pd.DataFrame(rows)
    scale = alt.Scale(domain=[-7, 7])
    ring = pd.DataFrame(
        [{"x": 5 * math.sin(t / 36 * 2 * math.pi), "y": 5 * math.cos(t / 36 * 2 * math.pi), "o": t} for t in range(37)]
    )
    base = (
        alt.Chart(ring)
        .mark_line(color="#ccc")
        .encode(x=alt.X("x", scale=scale, axis=None), y=alt.Y("y", scale=scale, axis=None), order="o")
    )
    shape = (
        alt.Chart(data)
        .mark_line(point=True, color="#15803d", fill="#15803d", fillOpacity=0.25)
        .encode(
            x=alt.X("x", scale=scale, axis=None),
            y=alt.Y("y", scale=scale, axis=None),
            order="order",
            tooltip=["axis", "score"],
        )
    )
    # Labels on the left end at their axis and those on the right start there, so none runs off the chart.
    ends = data[:-1]
    left = alt.Chart(ends[ends["lx"] < -0.5]).mark_text(fontSize=11, align="right")
    middle = alt.Chart(ends[ends["lx"].abs() <= 0.5]).mark_text(fontSize=11, align="center")
    right = alt.Chart(ends[ends["lx"] > 0.5]).mark_text(fontSize=11, align="left")
    labels = [part.encode(x="lx", y="ly", text="label") for part in (left, middle, right)]
    return (base + shape + labels[0] + labels[1] + labels[2]).properties(width=380, height=380)


def graph(pattern: Pattern, titles: dict[str, str]) -> str:
    """Curated relationships as DOT; inferred (graph garden) links dashed and grey."""

    def node(slug: str) -> str:
        return '"' + titles.get(slug, slug).replace('"', "'") + '"'

    lines = [
        "digraph G {",
        "rankdir=LR;",
        'node [shape=box, style="rounded,filled", fillcolor="#f5f5f4"];',
        f'{node(pattern.slug)} [fillcolor="#bbf7d0"];',
    ]
    curated: set[str] = set()
    for kind, refs in pattern.meta.relationships.by_type().items():
        label, color = EDGE_STYLE.get(kind, (kind.replace("_", " "), "#57534e"))
        for ref in refs:
            curated.add(ref.slug)
            lines.append(f'{node(pattern.slug)} -> {node(ref.slug)} [label="{label}", color="{color}"];')
    for link in pattern.meta.graph_garden.inferred_links:
        if link.target and link.target not in curated:
            lines.append(
                f'{node(pattern.slug)} -> {node(link.target)} [label="inferred: {link.type}", '
                'style=dashed, color="#a8a29e", fontcolor="#a8a29e"];'
            )
    lines.append("}")
    return "\n".join(lines)


def _start_with(pattern: Pattern) -> None:
    """Open a new conversation that begins at this pattern."""
    guide = resources.guide()
    state, turn = guide.handle(guide.start(GuideState()), pattern.slug)
    for request in turn.requests:
        guide.deliver(state, request).complete()  # shown when the Guide page opens
    resources.keep(state)
    st.query_params[resources.QUERY_KEY] = state.id
    pages = st.session_state.get("pages")
    if pages:
        st.switch_page(pages["guide"])


def _pattern_view(pattern: Pattern, titles: dict[str, str]) -> None:
    meta = pattern.meta
    st.header(escape(pattern.title))
    life = meta.lifecycle
    if life.status == "draft":
        st.warning("A draft — written in a conversation, not yet tried or reviewed.", icon="✏️")
    stars = "★" * int(life.confidence) if life.confidence else "—"
    st.caption(
        f"{escape(library_search.domain_name(meta.ontology.domain))} · confidence {stars} · "
        f"status {escape(life.status or '—')} · {escape(meta.license or 'licence not stated')}"
    )
    chosen = st.session_state.get(library_search.CONTEXT_KEY)  # the context picked for the search results
    first = CONTEXTS.index(chosen) if chosen in CONTEXTS else 0
    # Keyed by the search's context too: picking a context there turns the lens to it.
    lens_key = f"lens-{pattern.slug}" + (f"-{chosen}" if chosen in CONTEXTS else "")
    context = st.radio("Context lens", CONTEXTS, index=first, horizontal=True, key=lens_key)
    label = pattern.context_label(context)
    if label:
        st.markdown(f"In {context} contexts this goes by **{escape(label)}**.")
    if pattern.named_tension:
        st.markdown(f"**Tension:** {escape(pattern.named_tension)}")
    if pattern.solution:
        st.info(safe_markdown(pattern.solution))
    start, assess = st.columns(2)
    if start.button("Start the guide with this pattern", type="primary", width="stretch"):
        resources.start_with(pattern.slug, context)
    assess_link(pattern, "Assess how it lives in your group", assess)
    tabs = st.tabs(["Steps", "Vitality", "Relationships", "Assessment", "Full text"])
    with tabs[0]:
        for step in pattern.steps:
            with st.expander(f"Step {step.number}: {escape(step.title)}"):
                step_body(step, context)
    with tabs[1]:
        st.markdown("**Signs of life**")
        for sign in pattern.signs_of_life:
            st.markdown(f"- {escape(sign)}")
        st.markdown("**Signs of decay**")
        for sign in pattern.signs_of_decay:
            st.markdown(f"- {escape(sign)}")
        if pattern.when_to_replant:
            st.markdown(f"**When to replant:** {escape(pattern.when_to_replant)}")
    with tabs[2]:
        st.graphviz_chart(graph(pattern, titles))
        st.caption("Solid: curated relationships. Dashed: machine-inferred links (graph garden).")
        garden_view.inferred_links(pattern, titles)
    with tabs[3]:
        assessment = meta.ontology.commons_assessment
        if assessment and len(assessment.scores()) >= 3:
            st.altair_chart(radar(assessment.scores()), width="content")
            if assessment.vitality_reasoning:
                st.caption(safe_markdown(assessment.vitality_reasoning))
        else:
            st.caption("This pattern has no commons assessment.")
    with tabs[4]:
        for section in pattern.sections:
            st.subheader(escape(section.heading))
            st.markdown(safe_markdown(section.text))
    st.caption(f"{safe_markdown(meta.license)} — {safe_markdown(meta.attribution)}")


def _follow_choice() -> None:
    st.query_params[library_search.OPEN_KEY] = st.session_state[CHOICE_KEY]


def render() -> None:
    """Search, filter and browse; the chosen pattern below."""
    st.title("Library")
    engine = resources.engine()
    library = engine.library
    titles = {e.slug: e.title for e in library_search.catalogue(library).entries}
    query = st.text_input("Search the library", placeholder="burnout, decisions waiting, too many meetings…")
    slugs = library_search.listing(engine, query)
    wanted = st.query_params.get(library_search.OPEN_KEY)  # a result, or a citation in a reply (?pattern=slug)
    if wanted in library.patterns and wanted not in slugs:
        slugs = [wanted, *slugs]
    if wanted in slugs:
        st.session_state[CHOICE_KEY] = wanted
    elif slugs and st.session_state.get(CHOICE_KEY) not in slugs:
        st.session_state[CHOICE_KEY] = slugs[0]
    choice = st.selectbox(
        "Open a pattern",
        slugs,
        key=CHOICE_KEY,
        on_change=_follow_choice,
        format_func=lambda s: (
            f"{titles[s]}{' (draft)' if library.patterns[s].meta.lifecycle.status == 'draft' else ''}"
            f" — {library.patterns[s].tension or ''}"
        ),
    )
    if choice:
        _pattern_view(library.patterns[choice], titles)
    with st.expander("Communities of the library (graph garden)"):
        garden_view.community_map(library, str(engine.settings.index_dir))
