"""The way into a workshop: joining by code (throttled, one seat per browser) and opening one.

A browser is known by Streamlit's XSRF cookie (set once per browser, sent with every page load),
hashed by the store before it is kept; without it (tests, some proxies) by this session alone.
Wrong codes count against the browser both here and in the database, so a reload does not
reset the count — see :mod:`pattern_guide.workshop.codes` for the bounds and what they protect.
"""

from __future__ import annotations

import datetime as dt
import secrets

import streamlit as st

from pattern_guide.errors import InputError, StoreError, WorkshopError
from pattern_guide.library.loader import Library
from pattern_guide.store import ConversationStore
from pattern_guide.workshop.codes import (
    JOIN_TRIES,
    MAX_NAME,
    MAX_PARTICIPANTS,
    MAX_PATTERNS,
    MAX_TITLE,
    join_wait,
)
from pattern_guide.workshop.model import Participant, Workshop

CODE_KEY, FACILITATOR_KEY, PARTICIPANT_KEY = "w", "key", "who"
SEATS, FAILURES = "workshop_seats", "workshop_join_failures"


def browser() -> str:
    """What identifies this browser to the store (never shown, hashed before it is kept)."""
    cookie = st.context.cookies.get("_streamlit_xsrf") if st.context.cookies else None
    if cookie:
        return f"cookie:{cookie}"
    if "workshop_browser" not in st.session_state:
        st.session_state.workshop_browser = secrets.token_urlsafe(16)
    return f"session:{st.session_state.workshop_browser}"


def remembered_seat(workshop: Workshop, store: ConversationStore) -> Participant | None:
    """The participant this browser already is in this workshop: from this session, else from the store."""
    seats: dict[str, str] = st.session_state.get(SEATS, {})
    if workshop.id in seats:
        held = store.participant(workshop.id, seats[workshop.id])
        if held is not None:
            return held
    return store.seat(workshop.id, browser())


def _sit(participant: Participant, workshop: Workshop) -> None:
    st.session_state.setdefault(SEATS, {})[workshop.id] = participant.id
    st.query_params.from_dict({CODE_KEY: workshop.code, PARTICIPANT_KEY: participant.id})


NO_NAME = (
    "Tell the room what to call you: type a name — or tick “Join without a name” to join as “Participant” and a number."
)


def join(code: str, name: str, store: ConversationStore, nameless: bool = False) -> None:
    """Join (or rejoin) by code; every refusal is a message."""
    failures: list[dt.datetime] = st.session_state.setdefault(FAILURES, [])
    wait = join_wait(failures, JOIN_TRIES, dt.datetime.now(dt.UTC))
    if wait > 0:
        st.error(f"Too many wrong codes from this browser — wait {wait:.0f} seconds, then try again.")
        return
    if len(name) > MAX_NAME:
        st.error(f"A name has at most {MAX_NAME} characters — a shorter one, please.")
        return
    try:
        workshop = store.workshop_to_join(code, browser())
    except WorkshopError as exc:
        if not exc.wait_s:
            failures.append(dt.datetime.now(dt.UTC))
        st.error(str(exc))
        return
    except StoreError as exc:
        st.error(str(exc))
        return
    if not name.strip() and not nameless and store.seat(workshop.id, browser()) is None:
        st.error(NO_NAME)  # a seat this browser already has continues without asking again
        return
    try:
        participant = store.join_workshop(workshop.id, name, client=browser(), numbered=True)
    except (WorkshopError, StoreError) as exc:
        st.error(str(exc))
        return
    _sit(participant, workshop)
    st.rerun()


def join_form(workshop: Workshop | None, store: ConversationStore) -> None:
    with st.form("join"):
        typed = st.text_input("Code", value=workshop.code if workshop else "", max_chars=12, placeholder="ABC234")
        name = st.text_input("Your name (as the room knows you)", max_chars=MAX_NAME)
        nameless = st.checkbox("Join without a name (the room sees “Participant” and a number)")
        if st.form_submit_button("Join", type="primary"):
            join(typed, name, store, nameless)


def start_form(library: Library, store: ConversationStore) -> None:
    slugs = sorted(library.patterns, key=lambda s: library.patterns[s].title.lower())
    with st.form("open-workshop"):
        title = st.text_input("Workshop title", placeholder="Team day: how we meet", max_chars=MAX_TITLE)
        chosen = st.multiselect(
            f"Patterns to work on (up to {MAX_PATTERNS})",
            slugs,
            max_selections=MAX_PATTERNS,
            format_func=lambda s: library.patterns[s].title,
        )
        cap = st.number_input("Most participants", min_value=1, max_value=10_000, value=MAX_PARTICIPANTS, step=10)
        opened = st.form_submit_button("Open the workshop", type="primary")
    if opened:
        if not title.strip() or not chosen:
            st.warning("Give the workshop a title and choose at least one pattern.")
            return
        try:
            workshop = store.create_workshop(title, chosen, max_participants=int(cap))
        except (InputError, StoreError) as exc:
            st.error(str(exc))
            return
        st.query_params.from_dict({CODE_KEY: workshop.code, FACILITATOR_KEY: workshop.key})
        st.rerun()
