"""Pieces the workshop's views share: saving with a message, and the room's charts.

The charts show counts only — nothing in them names a participant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from pattern_guide.errors import InputError, StoreError, WorkshopError
from pattern_guide.library.loader import Library
from pattern_guide.ui.parts import HEALTH_COLOURS, HEALTH_LABEL
from pattern_guide.vitality.signs import Answer, VitalityItem, health
from pattern_guide.workshop.model import Workshop
from pattern_guide.workshop.room import RoomReading, tally_votes

if TYPE_CHECKING:
    import altair as alt


def saved(action: Callable[..., object], *args: object) -> bool:
    """Run one store write; a refusal or a busy database is a message (the form keeps what was typed)."""
    try:
        action(*args)
    except (WorkshopError, InputError, StoreError) as exc:
        st.error(str(exc))
        return False
    return True


def title_of(library: Library, slug: str) -> str:
    pattern = library.patterns.get(slug)
    return pattern.title if pattern else slug


def _sign_label(n: int, kind: str, text: str, limit: int = 50) -> str:
    return f"{n}. {kind} · {text[:limit]}{'…' if len(text) > limit else ''}"


def room_chart(room: RoomReading) -> alt.Chart:
    """How the room answered each sign, stacked and coloured by what the answer means for the
    pattern's health ("yes" to a sign of decay is a weak answer, not a healthy one)."""
    import altair as alt  # only when drawn: a person who never sees a chart never loads it

    rows = []
    for n, sign in enumerate(room.signs, start=1):
        for answer, count in sign.counts.items():
            meaning = HEALTH_LABEL[health(VitalityItem(kind=sign.kind, text=sign.text, answer=answer)) or 0.0]
            rows.append(
                {
                    "sign": _sign_label(n, sign.kind, sign.text),
                    "answer": answer.value,
                    "reading": meaning,
                    "order": list(HEALTH_LABEL.values()).index(meaning),
                    "people": count,
                }
            )
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("people:Q", title="people", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("sign:N", sort=None, title=None, axis=alt.Axis(labelLimit=340)),
            color=alt.Color(
                "reading:N", scale=alt.Scale(domain=list(HEALTH_LABEL.values()), range=HEALTH_COLOURS), title="answer"
            ),
            order=alt.Order("order:Q"),
            tooltip=["sign:N", "answer:N", "people:Q"],
        )
        .properties(height=alt.Step(20))
    )


def heat_rows(room: RoomReading) -> list[dict[str, object]]:
    """One cell per sign and answer: how many people gave that answer to that sign."""
    return [
        {"sign": _sign_label(n, sign.kind, sign.text, 40), "answer": answer.value, "people": sign.counts[answer]}
        for n, sign in enumerate(room.signs, start=1)
        for answer in Answer
    ]


def heat_map(room: RoomReading) -> alt.LayerChart:
    """How the room answered each sign as a grid: signs down, answers across, darker = more people."""
    import altair as alt  # only when drawn: a person who never sees a chart never loads it

    base = alt.Chart(alt.Data(values=heat_rows(room))).encode(
        x=alt.X("answer:N", sort=[a.value for a in Answer], title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("sign:N", sort=None, title=None, axis=alt.Axis(labelLimit=240)),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("people:Q", scale=alt.Scale(scheme="blues", domainMin=0), title="people"),
        tooltip=["sign:N", "answer:N", "people:Q"],
    )
    counts = base.mark_text(fontSize=16, fontWeight="bold").encode(
        text=alt.Text("people:Q", format="d"),
        color=alt.condition("datum.people > 0", alt.value("#0f172a"), alt.value("#94a3b8")),
    )
    return (cells + counts).properties(height=alt.Step(34))


def votes_chart(library: Library, workshop: Workshop, votes: dict[str, str]) -> alt.Chart:
    import altair as alt  # only when drawn: a person who never sees a chart never loads it

    rows = [{"pattern": title_of(library, slug), "votes": n} for slug, n in tally_votes(votes, workshop.patterns)]
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(color="#1e40af")
        .encode(
            x=alt.X("votes:Q", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("pattern:N", sort=None, title=None, axis=alt.Axis(labelLimit=300)),
            tooltip=["pattern:N", "votes:Q"],
        )
        .properties(height=alt.Step(26))
    )
