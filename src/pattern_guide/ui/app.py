"""The Streamlit app: navigation between the Guide (chat), the Library, Self-assessment and Workshops."""

from __future__ import annotations

import streamlit as st

from pattern_guide.ui import assess_page, guide_page, library_page, workshop_page


def main() -> None:
    st.set_page_config(page_title="Pattern Guide", page_icon="🌱", layout="centered")
    pages = [
        st.Page(guide_page.render, title="Guide", icon="💬", url_path="start", default=True),
        st.Page(library_page.render, title="Library", icon="📚", url_path="library"),
        st.Page(assess_page.render, title="Assess", icon="🩺", url_path="assess"),
        st.Page(workshop_page.render, title="Workshop", icon="👥", url_path="workshop"),
        # The default page lives at "/"; this hidden twin lets a link or bookmark to /guide open it too,
        # instead of Streamlit's "Page not found" pop-up.
        st.Page(guide_page.render, title="Guide", icon="💬", url_path="guide", visibility="hidden"),
    ]
    st.session_state.pages = {"guide": pages[0], "library": pages[1], "assess": pages[2], "workshop": pages[3]}
    st.navigation(pages, position="hidden" if _workshop_only() else "sidebar").run()


def _workshop_only() -> bool:
    """A participant's page (joining or joined) and the projector view show the workshop alone."""
    query = st.query_params
    return "w" in query and ("key" not in query or query.get("present") == "1")
