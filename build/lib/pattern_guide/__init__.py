"""Pattern Guide: a conversational guide to organisational patterns, offline first.

The package is laid out as the pipeline it runs (see the README's "How the code is laid out")::

    library   pattern files -> Pattern objects, validation, the relationship graph
    index     chunks -> embeddings in Chroma, and BM25
    retrieval lexical + vector -> fused ranking; context detection; the off-topic check
    vitality  signs of life and decay -> readings, replanting
    conversation  the serialisable state of one conversation
    guide     the state machine (pure) and the runner that performs its actions
    replies   the reply tasks, the offline composer, prompts and token budgets
    llm       chat models: offline, OpenAI-compatible, the visible fallback, grounding checks
    workshop  join codes, the room's aggregate and votes
    export    plans, reports and cards (Markdown, HTML)
    store     SQLite or PostgreSQL: conversations, assessments, workshops
    ui        the Streamlit pages (the only place Streamlit is imported)

``settings`` reads the environment, ``errors`` holds the error hierarchy, ``text`` the one
text toolkit, ``assistant`` is the one wiring point and ``cli`` the command line.
"""
