"""Streamlit entry point: `streamlit run app.py` (or `make run`)."""

from pattern_guide.ui.app import main

main()
