"""The graph garden on the Library page: a map of the library's communities, and a pattern's inferred links.

Both read what the files' ``graph_garden`` blocks say (written by `pattern-guide garden --write`);
the map places each pattern by the first two principal components of its summary vector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from pattern_guide.garden import plane, summary_vectors
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern
from pattern_guide.text import escape
from pattern_guide.ui import resources

if TYPE_CHECKING:
    import pandas as pd

UNGARDENED = "not gardened yet"


def community_of(pattern: Pattern) -> str:
    """The pattern's community label as its file records it (Louvain first)."""
    communities = pattern.meta.graph_garden.communities
    chosen = next((c for c in communities if c.source == "louvain"), communities[0] if communities else None)
    return (chosen.label or chosen.id or UNGARDENED) if chosen else UNGARDENED


@st.cache_data(show_spinner="Drawing the map of the library…", max_entries=4)
def _points(index_dir: str, slugs: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd  # only when drawn: a person who never sees a chart never loads it

    vectors = summary_vectors(resources.engine().vector_index.collection, slugs)
    xy = plane(vectors)
    return pd.DataFrame({"slug": vectors.slugs, "x": xy[:, 0], "y": xy[:, 1]})


def map_frame(library: Library, index_dir: str) -> pd.DataFrame:
    """One row per indexed pattern: its place on the map, its title and its community."""
    frame = _points(index_dir, tuple(sorted(library.patterns))).copy()
    frame["title"] = [library.patterns[s].title for s in frame["slug"]]
    frame["community"] = [community_of(library.patterns[s]) for s in frame["slug"]]
    return frame


def community_map(library: Library, index_dir: str) -> None:
    """The scatter of patterns coloured by community, and the communities by size."""
    import altair as alt  # only when drawn: a person who never sees a chart never loads it

    frame = map_frame(library, index_dir)
    if frame.empty:
        st.caption("The index holds no patterns yet — run `pattern-guide index`.")
        return
    sizes = frame["community"].value_counts()
    if list(sizes.index) == [UNGARDENED]:
        st.caption("No communities yet: run `pattern-guide garden --write` to grow the graph garden.")
    chart = (
        alt.Chart(frame)
        .mark_circle(size=40, opacity=0.8)
        .encode(
            x=alt.X("x", axis=None),
            y=alt.Y("y", axis=None),
            color=alt.Color("community", legend=alt.Legend(title="Community", symbolLimit=30)),
            tooltip=["title", "community"],
        )
        .properties(height=420)
    )
    st.altair_chart(chart, width="stretch")
    st.caption(
        f"{len(sizes)} communities found by Louvain over the machine-inferred links; near patterns have "
        "similar summaries. " + ", ".join(f"{escape(str(label))} ({count})" for label, count in sizes.head(12).items())
    )


def inferred_links(pattern: Pattern, titles: dict[str, str]) -> None:
    """The pattern's machine-inferred links with type, confidence and reason, apart from the curated ones."""
    garden = pattern.meta.graph_garden
    curated = {ref.slug for refs in pattern.meta.relationships.by_type().values() for ref in refs}
    if not garden.inferred_links:
        st.caption("No machine-inferred links yet (`pattern-guide garden --write` grows them).")
        return
    st.markdown(f"**Machine-inferred links** (graph garden, {escape(garden.last_pruned or 'undated')})")
    for link in garden.inferred_links:
        target = link.target or ""
        also = " · also curated" if target in curated else ""
        st.markdown(
            f"- ┈ *{escape(titles.get(target, target))}* — inferred {escape((link.type or '').replace('_', ' '))}, "
            f"confidence {link.confidence or 0:.2f}{also}  \n  {escape(link.reason or '')}"
        )
