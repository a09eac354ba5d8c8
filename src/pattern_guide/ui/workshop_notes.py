"""Participants' notes on the steps, and the banner that tells a participant the room moved on.

The facilitator sees each note with its author's name; the room (when the facilitator chooses)
sees them without names. Notes are people's text: shown through :func:`escape` only.
"""

from __future__ import annotations

import streamlit as st

from pattern_guide.library.loader import Library
from pattern_guide.store import ConversationStore
from pattern_guide.text import escape
from pattern_guide.ui.workshop_parts import saved
from pattern_guide.workshop.codes import MAX_NOTE
from pattern_guide.workshop.model import Participant, Workshop

SEEN = "workshop_seen_step"  # session state: workshop id -> (pattern, step) the participant last looked at
BANNER = """<style>
.st-key-workshop-moved { position: fixed; bottom: 1rem; left: 50%; transform: translateX(-50%); z-index: 999990;
  width: min(44rem, calc(100vw - 1.5rem)); background: #fef3c7; border: 2px solid #d97706; border-radius: 0.6rem;
  padding: 0.6rem 0.9rem; box-shadow: 0 6px 18px rgba(0, 0, 0, 0.18); }
</style>"""


def _step_title(workshop: Workshop, library: Library) -> str | None:
    pattern = library.patterns.get(workshop.focus or "")
    if pattern is None or workshop.step == 0 or not pattern.steps:
        return None
    step = pattern.steps[min(workshop.step, len(pattern.steps)) - 1]
    return f"{pattern.title} — step {step.number}: {step.title}"


def moved_banner(workshop: Workshop, library: Library) -> None:
    """Tell a participant, wherever they are on the page, that the facilitator moved to another step.

    Compared with the step this participant last looked at (kept in their session), so each move
    is told once: a toast, and a banner fixed at the top until they take it in.
    """
    seen: dict[str, tuple[str | None, int]] = st.session_state.setdefault(SEEN, {})
    now = (workshop.focus, workshop.step)
    if workshop.id not in seen:
        seen[workshop.id] = now
        return
    if seen[workshop.id] == now:
        return
    title = _step_title(workshop, library)
    if title is None:
        seen[workshop.id] = now
        return
    if st.session_state.get("_workshop_toasted") != now:
        st.session_state["_workshop_toasted"] = now
        st.toast(f"The room moved on: {escape(title)}", icon="👉")
    st.html(BANNER)
    with st.container(key="workshop-moved"):
        st.markdown(f"**The facilitator moved on — now: {escape(title)}**")
        if st.button("Show me the new step", type="primary", key="workshop-moved-seen"):
            seen[workshop.id] = now
            st.rerun()  # the whole page: the note form follows the new step


def note_form(workshop: Workshop, participant: Participant, store: ConversationStore, library: Library) -> None:
    """The participant's note or idea on the step the room is on (one per step; saving again replaces it)."""
    title = _step_title(workshop, library)
    if title is None or workshop.focus is None:
        return
    st.subheader("Your note on this step")
    mine = next(
        (n.text for n in store.notes(workshop.id, workshop.focus, workshop.step) if n.participant_id == participant.id),
        "",
    )
    shown = "the facilitator — and, if they choose, the room without your name — sees it"
    with st.form(f"note-{workshop.focus}-{workshop.step}"):
        text = st.text_area(
            f"A note or an idea on {escape(title)}",
            value=mine,
            height=110,
            help=f"At most {MAX_NOTE} characters; {shown}.",
            disabled=workshop.closed,
        )
        save = st.form_submit_button("Save my note", disabled=workshop.closed)
    st.caption(f"Up to {MAX_NOTE} characters · {shown}.")
    if save and saved(store.save_note, workshop.id, participant.id, workshop.focus, workshop.step, text):
        st.toast("Note saved" if text.strip() else "Note taken away")


def room_notes(workshop: Workshop, store: ConversationStore, names: bool) -> None:
    """The notes on the step the room is on: with their authors' names for the facilitator only."""
    if workshop.focus is None or workshop.step == 0:
        return
    notes = store.notes(workshop.id, workshop.focus, workshop.step)
    st.markdown(f"**Notes on this step ({len(notes)})**")
    if not notes:
        st.caption("No notes on this step yet.")
    for note in notes:
        who = f"**{escape(note.name)}:** " if names else ""
        st.markdown(f"- {who}{escape(note.text)}")
