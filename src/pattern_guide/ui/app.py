"""The Streamlit app: navigation between the Guide (chat) and the Library."""

from __future__ import annotations

import streamlit as st

from pattern_guide.ui import guide_page, library_page


def main() -> None:
    st.set_page_config(page_title="Pattern Guide", page_icon="🌱", layout="centered")
    pages = [
        st.Page(guide_page.render, title="Guide", icon="💬", url_path="guide", default=True),
        st.Page(library_page.render, title="Library", icon="📚", url_path="library"),
    ]
    st.session_state.pages = {"guide": pages[0], "library": pages[1]}
    st.navigation(pages).run()
