"""The Workshop page: a facilitator opens a workshop, participants join by code from their own browsers.

Who is who travels in the page URL: ``w`` is the workshop's code, ``key`` the facilitator's
secret, ``who`` a participant's id (128 random bits, minted by the store); a browser keeps one
seat per workshop, so joining again continues it. Once the facilitator closes the workshop its
answers and votes are read-only and its report final. Every answer and vote is saved as it is given, so a
reload or a server restart on the same URL loses nothing. Participants see their own
answers and the room's aggregate, never anyone else's answers.
"""

from __future__ import annotations

import hmac

import streamlit as st

from pattern_guide.export.cards import cards_html
from pattern_guide.export.html import report_html
from pattern_guide.export.pdf import PDF_MIME, pdf_bytes, pdf_problem
from pattern_guide.export.reports import report_markdown
from pattern_guide.library.contexts import CONTEXTS
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern
from pattern_guide.store import ConversationStore
from pattern_guide.text import escape
from pattern_guide.ui import resources
from pattern_guide.ui.parts import chosen_answers, sign_radios, step_body
from pattern_guide.ui.workshop_entry import (
    CODE_KEY,
    FACILITATOR_KEY,
    PARTICIPANT_KEY,
    SEATS,
    join_form,
    remembered_seat,
    start_form,
)
from pattern_guide.ui.workshop_notes import moved_banner, note_form, room_notes
from pattern_guide.ui.workshop_parts import room_chart, saved, title_of, votes_chart
from pattern_guide.ui.workshop_present import PRESENT_KEY, join_panel, present, present_link, timer_controls
from pattern_guide.vitality.signs import signs
from pattern_guide.workshop.codes import normalise_code
from pattern_guide.workshop.model import Participant, Workshop, WorkshopAnswer
from pattern_guide.workshop.room import RoomReading, own_reading, room_reading, summary_in, tally_votes

LIVE_EVERY = "3s"  # how often the facilitator's aggregate and the participants' "now" refresh


def _room_summary(room: RoomReading) -> None:
    if room.score is None:
        st.caption("Nobody has rated its signs yet.")
        return
    st.metric(f"Room reading · {room.participants} rated", f"{room.score:.1f} / 5 · {room.level}")
    st.altair_chart(room_chart(room), width="stretch")


def _now_showing(workshop: Workshop, library: Library, context: str | None, waiting: str) -> None:
    """The step the facilitator has the room on, in the reader's context."""
    pattern = library.patterns.get(workshop.focus or "")
    if pattern is None or workshop.step == 0 or not pattern.steps:
        st.caption(waiting)
        return
    step = pattern.steps[min(workshop.step, len(pattern.steps)) - 1]
    st.markdown(f"**Now: {escape(pattern.title)} — step {step.number} of {len(pattern.steps)}: {escape(step.title)}**")
    step_body(step, context)


# --- facilitator -------------------------------------------------------------------------------------


def _facilitator(workshop: Workshop, store: ConversationStore, library: Library) -> None:
    st.title(f"Workshop: {escape(workshop.title)}")
    join_panel(workshop)
    st.caption("This page's address carries your facilitator key: keep it to yourself, bookmark it to come back.")
    st.link_button("Open the projector view ↗", present_link(workshop), icon="📽️")

    @st.fragment(run_every=LIVE_EVERY)
    def live() -> None:
        people = store.participants(workshop.id)
        answers = store.workshop_answers(workshop.id)
        votes = store.votes(workshop.id)
        st.subheader(f"The room · {len(people)} joined · {len(votes)} voted")
        if people:
            st.caption("Joined: " + ", ".join(escape(p.name) for p in people))
        st.altair_chart(votes_chart(library, workshop, votes), width="stretch")
        leader = tally_votes(votes, workshop.patterns)[0][0]
        for slug in workshop.patterns:
            pattern = library.patterns.get(slug)
            if pattern is None:
                continue
            with st.expander(f"{escape(pattern.title)} — {escape(pattern.tension or '')}", expanded=slug == leader):
                _room_summary(room_reading(pattern, answers))
        room_notes(store.workshop(workshop.code) or workshop, store, names=True)

    live()
    _walkthrough(workshop, store, library)
    _room_controls(workshop, store)
    st.subheader("Take it away")
    answers = store.workshop_answers(workshop.id)
    report = report_markdown(
        workshop, library, answers, store.votes(workshop.id), participants=len(store.participants(workshop.id))
    )
    patterns = [library.patterns[s] for s in workshop.patterns if s in library.patterns]
    left, right = st.columns(2)
    left.download_button(
        "Download the report (Markdown)",
        data=report,
        file_name=f"workshop-{workshop.code.lower()}-report.md",
        mime="text/markdown",
        width="stretch",
    )
    votes, people = store.votes(workshop.id), len(store.participants(workshop.id))
    left.download_button(
        "Download the report (PDF, with charts)",
        data=lambda: pdf_bytes(report_html(workshop, library, answers, votes, participants=people)),
        file_name=f"workshop-{workshop.code.lower()}-report.pdf",
        mime=PDF_MIME,
        width="stretch",
        disabled=pdf_problem() is not None,
        help=pdf_problem(),
    )
    context = st.session_state.get("workshop_cards_context")
    right.download_button(
        "Download printable cards (HTML)",
        data=cards_html(patterns, context, title=workshop.title) if patterns else "",
        file_name=f"workshop-{workshop.code.lower()}-cards.html",
        mime="text/html",
        width="stretch",
        disabled=not patterns,
    )
    right.download_button(
        "Download printable cards (PDF)",
        data=lambda: pdf_bytes(cards_html(patterns, context, title=workshop.title)),
        file_name=f"workshop-{workshop.code.lower()}-cards.pdf",
        mime=PDF_MIME,
        width="stretch",
        disabled=not patterns or pdf_problem() is not None,
        help=pdf_problem(),
    )
    st.selectbox(
        "Cards in the words of",
        [None, *CONTEXTS],
        key="workshop_cards_context",
        format_func=lambda c: c or "(any context)",
    )


def _walkthrough(workshop: Workshop, store: ConversationStore, library: Library) -> None:
    st.subheader("Walk the room through the steps")
    votes = store.votes(workshop.id)
    ranked = [slug for slug, _ in tally_votes(votes, workshop.patterns) if slug in library.patterns]
    if not ranked:
        st.caption("None of this workshop's patterns is in the library any more.")
        return
    current = workshop.focus if workshop.focus in ranked else ranked[0]
    focus = st.selectbox(
        "Pattern (most votes first)",
        ranked,
        index=ranked.index(current),
        format_func=lambda s: title_of(library, s),
        key=f"focus-{workshop.id}",
    )
    pattern = library.patterns[focus]
    step = workshop.step if focus == workshop.focus else 0
    back, forward = st.columns(2)
    previous = back.button("◀ Previous step", disabled=step <= 0, width="stretch")
    if previous and saved(store.set_walkthrough, workshop.id, focus, step - 1):
        st.rerun()
    following = forward.button("Next step ▶", disabled=step >= len(pattern.steps), type="primary", width="stretch")
    if following and saved(store.set_walkthrough, workshop.id, focus, step + 1):
        st.rerun()
    shown = workshop.model_copy(update={"focus": focus, "step": step})
    _now_showing(
        shown,
        library,
        workshop.context,
        "Press “Next step” to take the room to step 1; participants follow on their screens.",
    )
    room = st.radio(
        "The room's context (the projector and the pattern summaries speak it)",
        [None, *CONTEXTS],
        index=[None, *CONTEXTS].index(workshop.context),
        format_func=lambda c: c or "the pattern's own words",
        horizontal=True,
    )
    if room != workshop.context and saved(store.set_room_context, workshop.id, room):
        st.rerun()
    st.markdown("**This step's timer**")
    timer_controls(workshop, store)
    show = st.toggle("Show the notes to the room (without names)", value=workshop.notes_shown)
    if show != workshop.notes_shown and saved(store.show_notes, workshop.id, show):
        st.rerun()


def _room_controls(workshop: Workshop, store: ConversationStore) -> None:
    """Who is in the room, and closing it: after that the code lets nobody in and nothing changes."""
    if workshop.closed_at is not None:
        st.info(
            f"Closed {workshop.closed_at:%Y-%m-%d %H:%M} UTC — answers and votes are read-only; the report is final."
        )
        return
    people = store.participants(workshop.id)
    with st.expander(f"Participants ({len(people)} of at most {workshop.max_participants})"):
        if people:
            names = {p.id: p.name for p in people}
            chosen = st.selectbox("Participant", list(names), format_func=lambda i: names[i], key="remove-who")
            remove = st.button("Remove from the workshop", help="Their answers and vote stop counting.")
            if remove and saved(store.remove_participant, workshop.id, chosen):
                st.toast(f"Removed {escape(names[chosen])}")
                st.rerun()
        else:
            st.caption("Nobody has joined yet.")
    sure = st.checkbox("I have everyone's answers: close the workshop", key="close-sure")
    close = st.button("Close the workshop", disabled=not sure, help="The code stops working; the report becomes final.")
    if close and saved(store.close_workshop, workshop.id):
        st.rerun()


# --- participant -------------------------------------------------------------------------------------


def _participant(workshop: Workshop, participant: Participant, store: ConversationStore, library: Library) -> None:
    st.title(escape(workshop.title))
    st.caption(
        f"You joined as **{escape(participant.name)}** · code `{workshop.code}` · bookmark this page to come back."
    )
    stored = store.participant_context(workshop.id, participant.id)
    first = stored or workshop.context
    context = st.radio(
        "Your context",
        CONTEXTS,
        horizontal=True,
        index=CONTEXTS.index(first) if first in CONTEXTS else None,
        key="workshop_context",
    )
    if context is not None and context != stored:  # kept with the seat: a reload keeps it
        saved(store.set_participant_context, workshop.id, participant.id, context)

    @st.fragment(run_every=LIVE_EVERY)
    def now() -> None:
        fresh = store.workshop(workshop.code) or workshop
        moved_banner(fresh, library)
        _now_showing(fresh, library, context, "The facilitator has not started the walk-through yet.")
        if fresh.notes_shown:
            room_notes(fresh, store, names=False)

    with st.container(border=True):
        now()
    note_form(workshop, participant, store, library)

    if workshop.closed:
        st.info("The facilitator has closed this workshop: your answers and vote are kept, and read-only now.")
    patterns = [library.patterns[s] for s in workshop.patterns if s in library.patterns]
    if not patterns:
        st.warning("None of this workshop's patterns is in the library any more — ask your facilitator.")
        return
    _vote(workshop, participant, patterns, store, library, context or workshop.context)
    everyone = store.workshop_answers(workshop.id)  # read once; again only after a save
    st.subheader("How alive is each pattern in your group?")
    for tab, pattern in zip(st.tabs([escape(p.title) for p in patterns]), patterns, strict=True):
        with tab:
            everyone = _rate(workshop, participant, pattern, everyone, store)


def _rate(
    workshop: Workshop,
    participant: Participant,
    pattern: Pattern,
    everyone: list[WorkshopAnswer],
    store: ConversationStore,
) -> list[WorkshopAnswer]:
    """The participant's form for one pattern, their reading and the room's; returns the answers as now saved."""
    items = signs(pattern)
    if not items:
        return everyone
    given = {
        a.sign: a.answer.value
        for a in everyone
        if a.participant_id == participant.id and a.pattern_slug == pattern.slug
    }
    if pattern.tension:
        st.caption(f"Tension: {escape(pattern.tension)}")
    with st.form(f"rate-{pattern.slug}"):
        sign_radios(items, f"rate-{pattern.slug}", given)
        submitted = st.form_submit_button("Save my answers", type="primary", disabled=workshop.closed)
    if submitted:
        answers = chosen_answers(items, f"rate-{pattern.slug}")
        if answers:
            if saved(store.save_workshop_answers, workshop.id, participant.id, pattern.slug, answers):
                everyone = store.workshop_answers(workshop.id)
                st.toast(f"Saved your answers on {escape(pattern.title)}")
        else:
            st.warning("Answer at least one sign first.")
    own = own_reading(pattern, everyone, participant.id)
    if own.score is not None:
        st.markdown(f"**Your reading:** {own.score:.1f} / 5 · {own.level} ({own.answered} of {own.total} signs)")
        _room_summary(room_reading(pattern, everyone))
    return everyone


def _vote(
    workshop: Workshop,
    participant: Participant,
    patterns: list[Pattern],
    store: ConversationStore,
    library: Library,
    context: str | None,
) -> None:
    """One vote for the pattern to work on; each option says what the pattern is about, in the context."""
    if not patterns:
        return
    st.subheader("Which pattern should the room work on?")
    votes = store.votes(workshop.id)
    slugs = [p.slug for p in patterns]
    current = votes.get(participant.id)
    with st.form("vote"):
        choice = st.radio(
            "Your vote",
            slugs,
            index=slugs.index(current) if current in slugs else None,
            format_func=lambda s: escape(title_of(library, s)),  # radio options are Markdown
            captions=[escape(summary_in(p, context)) for p in patterns],
        )
        cast = st.form_submit_button("Vote", disabled=workshop.closed)
    if cast and choice and saved(store.vote, workshop.id, participant.id, choice):
        votes = store.votes(workshop.id)
        st.toast("Vote saved")
    if participant.id in votes:
        st.altair_chart(votes_chart(library, workshop, votes), width="stretch")


# --- the way in -------------------------------------------------------------------------------------


def render() -> None:
    store = resources.store()
    library = resources.engine().library
    code = st.query_params.get(CODE_KEY)
    workshop = store.workshop(code) if code else None
    if workshop is not None:
        key = st.query_params.get(FACILITATOR_KEY)
        if key is not None:
            # As bytes: compare_digest refuses non-ASCII text, and a pasted key may hold anything.
            if not hmac.compare_digest(key.encode("utf-8", "replace"), workshop.key.encode()):
                st.error("This facilitator link is not valid for this workshop — use the link you were given.")
            elif st.query_params.get(PRESENT_KEY) == "1":
                present(workshop, store, library)
            else:
                _facilitator(workshop, store, library)
            return
        who = st.query_params.get(PARTICIPANT_KEY)
        participant = store.participant(workshop.id, who) if who else remembered_seat(workshop, store)
        if participant is not None:
            st.session_state.setdefault(SEATS, {})[workshop.id] = participant.id
            st.query_params[PARTICIPANT_KEY] = participant.id  # rejoining from this browser continues the seat
            _participant(workshop, participant, store, library)
            return
        if who:
            st.warning(
                "That participant link no longer opens this workshop (the facilitator may have taken you out) — "
                "ask your facilitator, or join with the code."
            )
    st.title("Workshop")
    if code and workshop is None:
        st.error(f"No workshop has the code {normalise_code(code)[:12]} — check it with your facilitator.")
    join_tab, run_tab = st.tabs(["Join a workshop", "Run a workshop"])
    with join_tab:
        join_form(workshop, store)
    with run_tab:
        start_form(library, store)
