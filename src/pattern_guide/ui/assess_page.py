"""The Assess page: rate the vitality signs of a pattern your group already uses.

Each submitted assessment is saved under an owner id carried in the page URL (``me``), so a
reload, a restart or a bookmark brings back every earlier reading and the trend between them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from pattern_guide.errors import StoreError
from pattern_guide.export.html import assessment_html
from pattern_guide.export.pdf import PDF_MIME, pdf_bytes, pdf_problem
from pattern_guide.export.reports import assessment_markdown
from pattern_guide.library.loader import Library
from pattern_guide.library.model import Pattern
from pattern_guide.store import ShareKind
from pattern_guide.text import escape
from pattern_guide.ui import resources
from pattern_guide.ui.parts import HEALTH_COLOURS, HEALTH_LABEL, chosen_answers, sign_radios
from pattern_guide.vitality.assessment import Assessment
from pattern_guide.vitality.reading import LEVELS, VitalityReading, reading
from pattern_guide.vitality.replanting import replanting
from pattern_guide.vitality.signs import Answer, signs

if TYPE_CHECKING:
    import altair as alt

OWNER_KEY = "me"
SHARE_KEY = "share"
PATTERN_KEY = "p"
LEVEL_COLOURS = ["#15803d", "#65a30d", "#ca8a04", "#b91c1c"]  # Generative … Extractive
LEVEL_COLOURS = ["#15803d", "#65a30d", "#ca8a04", "#b91c1c"]  # Generative … Extractive
MIN_BAR = 0.03


def owner() -> str:
    """Whose assessments these are: this session's, else the minted id in the URL, else a fresh one.

    An id the server did not mint is not taken (a link with a chosen id would let its sender read
    what the person then records): it gets a fresh id, and the page says so.
    """
    wanted = st.query_params.get(OWNER_KEY)
    held = st.session_state.get("assess_owner")
    if held and (wanted is None or wanted == held):
        me = str(held)
    elif wanted is not None and resources.store().is_owner(wanted):
        me = wanted
    else:
        me = resources.store().new_owner()
        if wanted is not None:
            st.info(
                "That self-assessment link is not one this guide made, so your readings are kept under a new "
                "link. Bookmark this page to come back to them.",
                icon="🔗",
            )
    st.session_state.assess_owner = me
    st.query_params[OWNER_KEY] = me
    return me


def _health_chart(result: VitalityReading) -> alt.Chart:
    """One bar per answered sign, as long as the sign is healthy, coloured by its reading."""
    import altair as alt  # only when drawn: a person who never sees a chart never loads it

    rows = [
        {
            "sign": f"{i}. {s.kind} · {s.text[:56]}{'…' if len(s.text) > 56 else ''}",
            "kind": f"sign of {s.kind}",
            "health": max(s.health, MIN_BAR),  # a weak sign still shows, as a short red bar
            "reading": HEALTH_LABEL[s.health],
            "answer": s.answer.value if s.answer else "",
        }
        for i, s in enumerate(result.items, start=1)
        if s.health is not None
    ]
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("health:Q", scale=alt.Scale(domain=[0, 1]), title="health (1 = healthy)"),
            y=alt.Y("sign:N", sort=None, title=None, axis=alt.Axis(labelLimit=380)),
            color=alt.Color(
                "reading:N",
                scale=alt.Scale(domain=list(HEALTH_LABEL.values()), range=HEALTH_COLOURS),
                legend=alt.Legend(title="reading"),
            ),
            tooltip=["sign:N", "kind:N", "answer:N", "reading:N"],
        )
        .properties(height=alt.Step(22))
    )


def _trend_chart(history: list[Assessment]) -> alt.LayerChart:
    """The score of each assessment in turn, over the rubric's level bands."""
    import altair as alt  # only when drawn: a person who never sees a chart never loads it

    points = [
        {
            "assessment": n,
            "when": a.created_at.astimezone().strftime("%d %b %Y %H:%M"),
            "score": a.reading.score,
            "level": a.reading.level,
        }
        for n, a in enumerate(history, start=1)
        if a.reading.score is not None
    ]
    tops = [5.0] + [floor for _, floor, _ in LEVELS[:-1]]
    bands = [{"level": name, "low": floor, "high": top} for (name, floor, _), top in zip(LEVELS, tops, strict=True)]
    background = (
        alt.Chart(alt.Data(values=bands))
        .mark_rect(opacity=0.12)
        .encode(
            y=alt.Y("low:Q", scale=alt.Scale(domain=[0, 5]), title="vitality score"),
            y2="high:Q",
            color=alt.Color(
                "level:N",
                scale=alt.Scale(domain=[name for name, _, _ in LEVELS], range=LEVEL_COLOURS),
                legend=alt.Legend(title="level"),
            ),
        )
    )
    line = (
        alt.Chart(alt.Data(values=points))
        .mark_line(point=True, color="#1e293b")
        .encode(
            x=alt.X("assessment:Q", axis=alt.Axis(tickMinStep=1, format="d"), title="assessment"),
            y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 5])),
            tooltip=["assessment:Q", "when:N", "score:Q", "level:N"],
        )
    )
    return (background + line).properties(height=220)


def _reading(pattern: Pattern, history: list[Assessment], library: Library, read_only: bool = False) -> None:
    latest = history[-1].reading
    before = history[-2].reading if len(history) > 1 else None
    st.subheader("Your reading")
    delta = None
    if before is not None and before.score is not None and latest.score is not None:
        delta = f"{latest.score - before.score:+.1f} since the last one"
    st.metric(
        "Vitality",
        f"{latest.score:.1f} / 5 · {latest.level}" if latest.score is not None else "—",
        delta=delta,
    )
    if latest.meaning:
        st.caption(f"{latest.meaning} ({latest.answered} of {latest.total} signs answered)")
    st.altair_chart(_health_chart(latest), width="stretch")
    suggestions = replanting(pattern, latest, library)
    if suggestions:
        st.subheader("Where to replant")
        whole = pattern.when_to_replant.strip()
        if whole:
            st.markdown(f"**When to replant:** {escape(whole)}")
        given = {whole}  # each replanting sentence once, under the first sign it answers
        for suggestion in suggestions:
            kind = "Sign of life" if suggestion.kind == "life" else "Sign of decay"
            answer = suggestion.answer.value if suggestion.answer else "—"
            with st.container(border=True):
                st.markdown(f"**{kind}** — you answered *{answer}*: {escape(suggestion.sign)}")
                for line in suggestion.advice:
                    if line.strip() not in given:  # the whole advice is already shown once, above
                        given.add(line.strip())
                        st.markdown(f"- Replant: {escape(line)}")
                for remedy in suggestion.patterns:
                    because = f" — {escape(remedy.because)}" if remedy.because else ""
                    st.markdown(f"- **{escape(remedy.title)}** ({remedy.relationship}){because}")
    else:
        st.success("No weak signs: keep doing what you are doing, and assess again in a few months.")
    if len(history) > 1:
        st.subheader("Trend")
        st.altair_chart(_trend_chart(history), width="stretch")
    st.download_button(
        "Download this reading (Markdown)",
        data=assessment_markdown(pattern, history, library),
        file_name=f"assessment-{pattern.slug}-{history[-1].created_at:%Y-%m-%d}.md",
        mime="text/markdown",
    )
    st.download_button(
        "Download this reading (PDF, with charts)",
        data=lambda: pdf_bytes(assessment_html(pattern, history, library)),
        file_name=f"assessment-{pattern.slug}-{history[-1].created_at:%Y-%m-%d}.pdf",
        mime=PDF_MIME,
        disabled=pdf_problem() is not None,
        help=pdf_problem(),
    )
    if read_only:
        return
    st.caption(
        f"{len(history)} assessment{'s' if len(history) != 1 else ''} of this pattern kept under your id "
        f"`{history[-1].owner}` — bookmark this page to come back to them."
    )
    if st.button("Share this reading (read-only link)"):
        try:
            token = resources.store().share(ShareKind.READING, history[-1].owner, pattern.slug)
        except StoreError as exc:
            st.error(f"The share link could not be made: {exc}")
        else:
            st.caption("Anyone with this link can see this pattern's readings and trend, and cannot add to them:")
            st.code(f"?{SHARE_KEY}={token}", language=None)


def shared_reading(token: str) -> None:
    """A reading shown read-only from its share link."""
    st.title("A shared self-assessment")
    library = resources.engine().library
    try:
        share = resources.store().shared(token)
        ok = share is not None and share.kind is ShareKind.READING and share.pattern_slug in library.patterns
        history = resources.store().assessments(share.pattern_slug or "", share.target) if share and ok else []
    except StoreError as exc:
        st.error(str(exc))
        return
    if share is None or not history or share.pattern_slug is None:
        st.info("This share link is not one this guide made, or its readings are gone. Nothing to show.")
        return
    st.caption("Read-only: shared from someone's self-assessments.")
    _reading(library.patterns[share.pattern_slug], history, library, read_only=True)


def render() -> None:
    token = st.query_params.get(SHARE_KEY)
    if token is not None:
        shared_reading(token)
        return
    st.title("Self-assessment")
    st.caption(
        "For a pattern your group already uses: answer each sign of life and of decay, see the vitality "
        "reading, what to replant, and how it changes from one assessment to the next."
    )
    library = resources.engine().library
    me = owner()
    slugs = sorted(library.patterns, key=lambda s: library.patterns[s].title.lower())
    wanted = st.query_params.get(PATTERN_KEY)
    slug = st.selectbox(
        "Pattern you use",
        slugs,
        index=slugs.index(wanted) if wanted in slugs else 0,
        format_func=lambda s: library.patterns[s].title,
    )
    if slug is None:
        return
    st.query_params[PATTERN_KEY] = slug
    pattern = library.patterns[slug]
    items = signs(pattern)
    if not items:
        st.info("This pattern lists no signs of life or decay to assess.")
        return
    with st.form(f"assess-{slug}", border=True):
        st.markdown(f"**{escape(pattern.title)}** — how true is each of these for your group today?")
        sign_radios(items, f"sign-{slug}")
        submitted = st.form_submit_button("See the reading", type="primary")
    store = resources.store()
    if submitted:
        chosen = chosen_answers(items, f"sign-{slug}")
        for i, item in enumerate(items):
            item.answer = Answer(chosen[i]) if i in chosen else None
        answered = {item.text: item.answer.value for item in items if item.answer}
        if not answered:
            st.warning("Answer at least one sign to get a reading.")
        else:
            try:
                store.save_assessment(slug, answered, reading(items), me)
            except StoreError as exc:
                st.error(f"Your answers are still in the form but were not saved: {exc}")
    try:
        history = store.assessments(slug, me)
    except StoreError as exc:
        st.error(f"Your earlier readings cannot be shown just now: {exc}")
        return
    if history:
        _reading(pattern, history, library)
