"""The Guide page: the conversation, streamed, with the sidebar controls."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from pattern_guide.conversation.limits import MAX_MESSAGE, MAX_NOTE, too_long
from pattern_guide.conversation.state import GuideState, Stage
from pattern_guide.errors import PatternGuideError, StoreError
from pattern_guide.export.html import plan_html
from pattern_guide.export.pdf import PDF_MIME, pdf_bytes, pdf_problem
from pattern_guide.export.plans import plan_filename, plan_markdown
from pattern_guide.library.contexts import CONTEXTS
from pattern_guide.library.loader import Library
from pattern_guide.settings import library_label
from pattern_guide.store import ShareKind
from pattern_guide.text import escape, safe_markdown, shorten
from pattern_guide.ui import resources
from pattern_guide.ui.parts import assess_link, readable_citations, reply_markdown

QUICK = {
    Stage.MATCHES: ["1", "2", "3", "more"],
    Stage.ADAPT: ["next", "back"],
    Stage.STEPS: ["next", "back", "skip", "vitality"],
    Stage.VITALITY: ["yes", "partly", "no", "back"],
    Stage.PLAN: ["back", "what next", "restart"],
    Stage.DRAFT: ["skip", "back", "save"],
}
READ = ["plan", "back", "restart"]  # the reading is given: every sign is answered
LABEL_CHARS = 22  # a pattern's name on its button, cut at a word beyond this


def quick_buttons(state: GuideState) -> list[tuple[str, str]]:
    """The buttons under the conversation, as (label, what pressing it says), for where the conversation is."""
    if state.draft is not None and state.draft.pending and state.stage != Stage.DRAFT:
        return [("yes", "yes"), ("no", "no")]  # the guide has just offered to draft a pattern with them
    if state.stage == Stage.MATCHES:
        first = state.shown - 3 if state.shown > 3 else 0  # the batch on screen: 1–3, then 4–6 after "more"
        picks = [
            (f"{n} · {shorten(c.title, LABEL_CHARS)}", str(n))
            for n, c in enumerate(state.candidates[first : state.shown], start=first + 1)
        ]
        return picks + ([("more", "more")] if state.shown < len(state.candidates) else [])
    if state.stage == Stage.VITALITY and state.vitality and all(i.answer is not None for i in state.vitality):
        if state.vitality_index >= len(state.vitality):
            return [(w, w) for w in READ]
        return [(w, w) for w in [*QUICK[Stage.VITALITY], "plan"]]  # back from the plan: the last sign is open
    return [(w, w) for w in QUICK.get(state.stage, [])]


def _queue(text: str) -> None:
    st.session_state.pending = text


def _on_context() -> None:
    choice = st.session_state.context_choice
    if choice in CONTEXTS:
        _queue(f"context {choice}")


def answering(state: GuideState, default: str) -> str:
    """The sidebar's line on which model answered this person's latest reply — theirs, never another's."""
    reply = state.last_reply()
    model = reply.model if reply and reply.model else default
    return f"Answering: **{model}**" + (" — fell back to offline" if reply and reply.notice else "")


def _library_choice(state: GuideState, libraries: dict[str, int]) -> None:
    """The library in use, and a choice among the configured ones when there are several."""
    if len(libraries) <= 1:
        for folder, count in libraries.items():
            st.caption(f"Library: **{library_label(folder)}** ({count} patterns)")
        return
    everything = f"All libraries ({sum(libraries.values())} patterns)"
    names = {f"{library_label(folder)} ({count} patterns)": folder for folder, count in libraries.items()}
    options = [everything, *names]
    current = next((label for label, folder in names.items() if folder == state.library), everything)
    chosen = st.selectbox("Library", options, index=options.index(current), key=f"library_choice_{state.id}")
    picked = names.get(chosen or everything)
    if picked != state.library:
        state.library = picked
        resources.keep(state)
        st.caption("The next matches come from this library.")


def _sidebar(state: GuideState) -> None:
    guide = resources.guide()
    with st.sidebar:
        st.subheader("Your conversation")
        label = state.context or "not detected yet"
        how = "detected" if state.context_detected else "chosen"
        st.caption(f"Context: **{label}** ({how if state.context else 'tell me more'})")
        options = ["(keep)", *CONTEXTS]
        st.selectbox("Switch context", options, key="context_choice", on_change=_on_context)
        st.caption(answering(state, guide.model.name))
        _library_choice(state, guide.libraries())
        if st.button("New conversation", width="stretch"):
            resources.new_conversation()
            st.rerun()
        if state.draft is not None and state.draft.text and state.draft.slug:
            st.download_button(
                "Download your draft pattern (.md)",
                data=state.draft.text,
                file_name=f"{state.draft.slug}.md",
                mime="text/markdown",
                width="stretch",
            )
        pattern = guide.library.patterns.get(state.pattern or "")
        if pattern:
            _plan_download(state, "sidebar")
            st.download_button(
                "Download plan (PDF)",
                data=lambda: pdf_bytes(plan_html(state, pattern, guide.library)),
                file_name=plan_filename(state, pattern).removesuffix(".md") + ".pdf",
                mime=PDF_MIME,
                width="stretch",
                disabled=pdf_problem() is not None,
                help=pdf_problem(),
            )
            assess_link(pattern, "Track its vitality over time")
            if st.button("Share the plan (read-only link)", width="stretch"):
                _share_plan(state)
            if st.session_state.get("share_link"):
                st.caption("Anyone with this link can read the plan, not the conversation:")
                st.code(st.session_state.share_link, language=None)
        st.caption(f"Conversation id `{state.id}` — bookmark this page to come back to it.")


def _plan_download(state: GuideState, where: str) -> None:
    """The plan as a Markdown download: in the sidebar, and under the conversation once the plan is given."""
    guide = resources.guide()
    pattern = guide.library.patterns.get(state.pattern or "")
    if pattern is None:
        return
    st.download_button(
        "Download plan (Markdown)",
        data=plan_markdown(state, pattern, guide.library),
        file_name=plan_filename(state, pattern),
        mime="text/markdown",
        width="stretch",
        key=f"plan-download-{where}",
        type="primary" if where == "chat" else "secondary",
    )


def _share_plan(state: GuideState) -> None:
    try:
        token = resources.store().share(ShareKind.PLAN, state.id)
    except StoreError as exc:
        st.error(f"The share link could not be made: {exc}")
        return
    st.session_state.share_link = f"?{resources.SHARE_KEY}={token}"


def shared_plan(token: str) -> None:
    """A plan shown read-only from its share link: no conversation, no chat input."""
    st.title("A shared plan")
    try:
        share = resources.store().shared(token)
        state = resources.store().load(share.target) if share and share.kind is ShareKind.PLAN else None
    except StoreError as exc:
        st.error(str(exc))
        return
    guide = resources.guide()
    pattern = guide.library.patterns.get(state.pattern or "") if state else None
    if state is None or pattern is None:
        st.info("This share link is not one this guide made, or its plan is gone. Nothing to show.")
        return
    st.caption("Read-only: shared from someone's conversation with the Pattern Guide.")
    st.markdown(readable_citations(plan_markdown(state, pattern, guide.library), guide.library))


def _show(state: GuideState) -> None:
    for message in state.messages:
        with st.chat_message(message.role):
            if message.role == "assistant":
                st.markdown(reply_markdown(message.content, resources.guide().library))
            else:
                st.markdown(escape(message.content))
            if message.notice:  # a notice may quote the model's reply
                st.warning(safe_markdown(message.notice), icon="⚠️")


def _stream(pieces: Iterable[str], library: Library) -> None:
    """A reply shown as it arrives, the whole text so far through the policy each time: a half-written
    image or link is never shown as one, not even for a moment."""
    shown, text = st.empty(), ""
    for piece in pieces:
        text += piece
        shown.markdown(reply_markdown(text, library))


def _save(state: GuideState) -> None:
    resources.keep(state)


def _run_turn(state: GuideState, text: str) -> GuideState:
    """Apply the person's message and stream every reply into the page."""
    guide = resources.guide()
    with st.chat_message("user"):
        st.markdown(escape(text))
    try:
        state, turn = guide.handle(state, text)
    except PatternGuideError as exc:  # e.g. the index is gone: say so, and keep what they said for a retry
        st.session_state.failed_turn = (text, str(exc))
        return state
    for request in turn.requests:
        # Recorded in the transcript, then saved, once the reply is complete: a reload mid-turn loses little.
        reply = guide.deliver(state, request).on_done(lambda _: _save(state))
        with st.chat_message("assistant"):
            _stream(reply, guide.library)
            if reply.outcome and reply.outcome.notice:
                st.warning(safe_markdown(reply.outcome.notice), icon="⚠️")
    resources.keep(state)
    return state


def render() -> None:
    """The chat page."""
    token = st.query_params.get(resources.SHARE_KEY)
    if token is not None:
        shared_plan(token)
        return
    st.title("Pattern Guide")
    try:
        state = resources.current_state()
    except PatternGuideError as exc:
        st.error(f"{exc} — reload the page to try again; nothing you said has been lost.")
        return
    notice = resources.link_notice()
    if notice:
        st.info(notice, icon="🔗")
    unsaved = resources.retry_unsaved()
    if unsaved:
        st.warning(
            f"Your last turn is on this page but not saved yet ({unsaved}). It is tried again with every reply; "
            "keep this tab open until this note goes away.",
            icon="💾",
        )
    _sidebar(state)
    _show(state)
    pending = st.session_state.pop("pending", None)
    busy = pending is not None
    prompt = st.chat_input("Describe your situation, or type a command (help)", disabled=busy)
    if prompt:
        over = too_long(prompt, MAX_MESSAGE, "message")
        if not over and state.stage == Stage.STEPS:  # at a step, what a person writes is kept as its note
            over = too_long(prompt, MAX_NOTE, "note")
        if over:
            st.warning(over)
            with st.expander("Your message, to copy and shorten"):
                st.code(prompt, language=None)
        else:
            st.session_state.pending = prompt
            st.rerun()
    if pending:
        st.session_state.pop("failed_turn", None)
        _run_turn(state, pending)
        st.rerun()
    failed = st.session_state.get("failed_turn")
    if failed:
        st.error(f"That turn could not be answered: {failed[1]}")
        if st.button("Try again", key="retry-turn", type="primary"):
            st.session_state.pop("failed_turn", None)
            _queue(failed[0])
            st.rerun()
    if state.stage == Stage.PLAN:
        _plan_download(state, "chat")  # on a phone the sidebar is folded away: the download is here too
    quick = quick_buttons(state)
    if quick:
        cols = st.columns(len(quick))
        for col, (label, word) in zip(cols, quick, strict=True):
            col.button(label, key=f"quick-{word}", on_click=_queue, args=(word,), width="stretch")
