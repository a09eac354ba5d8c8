"""The workshop on the projector: the join code with its QR code, the step in large type, the
step's countdown and the room's tally, without Streamlit's chrome.

The QR code is drawn here (segno), never fetched; the countdown's remaining time comes from the
moments the store keeps, so the projector, the facilitator's laptop and every refresh agree.
"""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlencode

import segno
import streamlit as st

from pattern_guide.library.loader import Library
from pattern_guide.store import ConversationStore
from pattern_guide.text import escape
from pattern_guide.ui.parts import step_body
from pattern_guide.ui.workshop_entry import CODE_KEY, FACILITATOR_KEY
from pattern_guide.ui.workshop_notes import room_notes
from pattern_guide.ui.workshop_parts import heat_map, saved, votes_chart
from pattern_guide.workshop.model import Workshop
from pattern_guide.workshop.room import room_reading, tally_votes
from pattern_guide.workshop.timer import clock

PRESENT_KEY = "present"
LIVE_EVERY = "3s"
TICK = 1.0  # seconds between two looks at the countdown

# The project's own styles: no remote CSS. Keyed containers carry the class st-key-<key>.
CODE_CSS = """<style>
.st-key-join-code h2 { font-size: 3rem; letter-spacing: 0.18em; }
</style>"""
CHROME = """<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stDecoration"], footer { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; max-width: 100%; }
.st-key-present-step p, .st-key-present-step li { font-size: 1.6rem; line-height: 1.45; }
.st-key-present-step h1 { font-size: 3.2rem; line-height: 1.15; }
.st-key-present-timer h1, .st-key-facilitator-timer h1 { font-size: 4rem; font-variant-numeric: tabular-nums; }
</style>"""


def page_base() -> str:
    """This page's own address without its query (the browser's, so it is right behind a proxy too);
    "" when the browser has not said (then links stay relative)."""
    url = st.context.url or ""
    return url.split("?")[0].split("#")[0]


def join_link(code: str, base: str | None = None) -> str:
    """The address a participant opens to join this workshop: this page, with the code."""
    where = page_base() if base is None else base
    return f"{where or 'workshop'}?{urlencode({CODE_KEY: code})}"


def join_qr(link: str) -> segno.QRCode:
    """The QR code of a join link (error correction M: readable across a room, off a projector)."""
    return segno.make(link, error="m", micro=False)


def qr_png(link: str, width: int = 320) -> bytes:
    """The QR code as a PNG at most ``width`` pixels wide, in whole pixels per module (never
    resized afterwards: a blurred code does not scan), dark on white with the quiet zone."""
    qr = join_qr(link)
    modules = qr.symbol_size(scale=1, border=4)[0]
    out = io.BytesIO()
    qr.save(out, kind="png", scale=max(1, width // modules), border=4, dark="#0f172a", light="#ffffff")
    return out.getvalue()


def qr_image(link: str, width: int, caption: str | None = None) -> None:
    png = qr_png(link, width)
    st.image(png, width=int.from_bytes(png[16:20], "big"), caption=caption)  # the PNG's own width: no resampling


def join_panel(workshop: Workshop, width: int = 320) -> None:
    """The code, large, and beside it the QR code of the join link."""
    link = join_link(workshop.code)
    st.html(CODE_CSS)
    words, picture = st.columns([3, 2], vertical_alignment="center")
    with words, st.container(key="join-code"):
        st.markdown(f"Participants open the Workshop page and join with the code\n\n## `{workshop.code}`")
        st.caption(f"or scan the code, or open {escape(link)}")
    with picture:
        qr_image(link, width, "Scan to join")


def present_link(workshop: Workshop) -> str:
    """The facilitator's projector view: it needs the key, like the facilitator's page."""
    query = {CODE_KEY: workshop.code, FACILITATOR_KEY: workshop.key, PRESENT_KEY: 1}
    return f"{page_base() or 'workshop'}?{urlencode(query)}"


# --- the countdown -----------------------------------------------------------------------------------


def timer_face(code: str, store: ConversationStore, key: str) -> None:
    """The step's countdown, looked at again every second (a small fragment: one read each time)."""

    @st.fragment(run_every=TICK)
    def face() -> None:
        workshop = store.workshop(code)
        if workshop is None or not workshop.timer.set:
            st.caption("No timer on this step.")
            return
        timer = workshop.timer
        left = timer.remaining(dt.datetime.now(dt.UTC))
        if left <= 0:
            state = "time is up"
        elif timer.running:
            state = "running"
        else:
            state = "paused" if timer.used_s > 0 else "ready to start"
        with st.container(key=key):
            st.markdown(f"# ⏱ {clock(left)}")
            st.caption(f"{state} · {clock(timer.total_s)} for this step")

    face()


def timer_controls(workshop: Workshop, store: ConversationStore) -> None:
    """Set the step's minutes; start, pause and resume the countdown."""
    timer = workshop.timer
    minutes, setting, going = st.columns([2, 1, 1], vertical_alignment="bottom")
    chosen = minutes.number_input(
        "Minutes for this step", min_value=0.5, max_value=180.0, value=max(timer.total_s / 60, 5.0), step=0.5
    )
    if setting.button("Set the timer", width="stretch") and saved(store.set_timer, workshop.id, float(chosen)):
        st.rerun()
    if timer.running:
        if going.button("Pause", width="stretch") and saved(store.pause_timer, workshop.id):
            st.rerun()
    else:
        label = "Resume" if timer.used_s > 0 else "Start"
        start = going.button(label, width="stretch", disabled=not timer.set, type="primary")
        if start and saved(store.start_timer, workshop.id):
            st.rerun()
    timer_face(workshop.code, store, "facilitator-timer")


# --- presentation mode -------------------------------------------------------------------------------


def present(workshop: Workshop, store: ConversationStore, library: Library) -> None:
    """Full screen for the projector: the step, the countdown, the code and the room's tally, live."""
    st.set_page_config(page_title=f"{workshop.title} · Pattern Guide", layout="wide")
    st.html(CHROME + CODE_CSS)
    step_side, side = st.columns([5, 2], gap="large")
    with step_side:
        _step_screen(workshop.code, store, library)
    with side:
        timer_face(workshop.code, store, "present-timer")
        if workshop.closed:
            st.info("This workshop is closed — thank you all.")
        else:
            with st.container(key="join-code"):
                st.markdown(f"Join with the code\n\n## `{workshop.code}`")
            qr_image(join_link(workshop.code), 240)
    _tally(workshop.code, store, library)


def _step_screen(code: str, store: ConversationStore, library: Library) -> None:
    @st.fragment(run_every=LIVE_EVERY)
    def screen() -> None:
        workshop = store.workshop(code)
        if workshop is None:
            return
        with st.container(key="present-step"):
            where = f" · in {workshop.context} contexts" if workshop.context else ""
            st.caption(escape(workshop.title) + where)
            pattern = library.patterns.get(workshop.focus or "")
            if pattern is None or workshop.step == 0 or not pattern.steps:
                st.markdown("# We are about to begin")
                st.markdown("Join with the code, rate the signs and vote for the pattern to work on.")
                return
            step = pattern.steps[min(workshop.step, len(pattern.steps)) - 1]
            st.markdown(f"**{escape(pattern.title)} — step {step.number} of {len(pattern.steps)}**")
            st.markdown(f"# {escape(step.title)}")
            step_body(step, workshop.context)

    screen()


def _tally(code: str, store: ConversationStore, library: Library) -> None:
    @st.fragment(run_every=LIVE_EVERY)
    def tally() -> None:
        workshop = store.workshop(code)
        if workshop is None:
            return
        votes = store.votes(workshop.id)
        st.markdown(f"**The room · {len(store.participants(workshop.id))} joined · {len(votes)} voted**")
        left, right = st.columns(2, gap="large")
        left.altair_chart(votes_chart(library, workshop, votes), width="stretch")
        leader = tally_votes(votes, workshop.patterns)[0][0]
        pattern = library.patterns.get(workshop.focus or leader)
        if pattern is not None:
            room = room_reading(pattern, store.workshop_answers(workshop.id))
            right.markdown(f"**How the room answered each sign of {escape(pattern.title)}**")
            if room.participants:
                right.altair_chart(heat_map(room), width="stretch")
            else:
                right.caption("Nobody has rated its signs yet.")
        if workshop.notes_shown:
            room_notes(workshop, store, names=False)

    tally()
