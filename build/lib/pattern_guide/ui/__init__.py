"""The Streamlit shell: reads input, calls the core, renders. Nothing else imports streamlit."""
