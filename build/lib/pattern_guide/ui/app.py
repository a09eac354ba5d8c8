"""The Streamlit app: navigation between the Guide (chat), the Library, Self-assessment and Workshops."""

from __future__ import annotations

import streamlit as st

from pattern_guide.ui import assess_page, guide_page, library_page, workshop_page


def main() -> None:
    st.set_page_config(page_title="Pattern Guide", page_icon="🌱", layout="centered")
    pages = [
        st.Page(guide_page.render, title="Guide", icon="💬", url_path="guide", default=True),
        st.Page(library_page.render, title="Library", icon="📚", url_path="library"),
        st.Page(assess_page.render, title="Assess", icon="🩺", url_path="assess"),
        st.Page(workshop_page.render, title="Workshop", icon="👥", url_path="workshop"),
    ]
    st.session_state.pages = {"guide": pages[0], "library": pages[1], "assess": pages[2], "workshop": pages[3]}
    st.navigation(pages).run()
