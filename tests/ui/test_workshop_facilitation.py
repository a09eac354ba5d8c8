"""Facilitating a workshop through Streamlit's AppTest: the QR code of the join link, joining
with and without a name, a participant's context kept over a reload, notes on the steps, the
banner when the room moves on, the timer and the projector view."""

from __future__ import annotations

import io
import json
from pathlib import Path

import segno
from PIL import Image

from pattern_guide.assistant import Engine
from pattern_guide.store import ConversationStore
from pattern_guide.text import escape
from pattern_guide.ui.workshop_parts import heat_rows
from pattern_guide.ui.workshop_present import join_link, qr_png
from pattern_guide.workshop.codes import MAX_NOTE
from pattern_guide.workshop.room import room_reading, summary_in
from tests.ui.test_workshop_page import button, join, open_page, press, run, texts


def matrix_of(png: bytes, modules: int, border: int = 4) -> list[list[bool]]:
    """The modules a PNG of a QR code shows (True = dark), read back from its pixels."""
    image = Image.open(io.BytesIO(png)).convert("L")
    scale = image.width // (modules + 2 * border)
    assert image.width == scale * (modules + 2 * border), "whole pixels per module"

    def dark(x: int, y: int) -> bool:
        return image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2)) < 128

    return [[dark(x, y) for x in range(modules)] for y in range(modules)]


def test_the_qr_code_shows_exactly_the_join_link() -> None:
    link = join_link("ABC234", base="https://guide.example.org/workshop")
    assert link == "https://guide.example.org/workshop?w=ABC234"
    assert join_link("ABC234", base="") == "workshop?w=ABC234", "no address known: a relative link"
    expected = [[bool(v) for v in row] for row in segno.make(link, error="m", micro=False).matrix]
    png = qr_png(link, 320)
    assert Image.open(io.BytesIO(png)).width <= 320
    assert matrix_of(png, len(expected)) == expected
    other = [[bool(v) for v in row] for row in segno.make(link + "X", error="m", micro=False).matrix]
    assert matrix_of(qr_png(link + "X"), len(other)) != expected


def test_a_name_is_asked_for_or_numbered_on_purpose(page_env: Path) -> None:
    store = ConversationStore(page_env / "conversations.sqlite3")
    workshop = store.create_workshop("Day", ["meeting-diet"])
    person = open_page()
    person.text_input[0].input(workshop.code)
    press(person, "Join")
    assert "Tell the room what to call you" in person.error[0].value and "who" not in person.query_params
    assert store.participants(workshop.id) == []
    person.checkbox[0].check()
    press(person, "Join")
    assert "You joined as **Participant 1**" in texts(person)


def test_context_notes_banner_and_the_projector(page_env: Path, hashing_starter: Engine) -> None:
    store = ConversationStore(page_env / "conversations.sqlite3")
    library = hashing_starter.library
    workshop = store.create_workshop("Day", ["meeting-diet", "sustainable-pace"])
    ana = join(workshop.code, "Ana")
    who = ana.query_params["who"]
    assert not [t for t in ana.text_area], "no note before the walk-through starts"

    # Votes say what each pattern is about, in the participant's context.
    next(r for r in ana.radio if r.label == "Your context").set_value("tech")
    run(ana)
    vote = next(r for r in ana.radio if r.label == "Your vote")
    about = [escape(summary_in(library.patterns[s], "tech")) for s in ("meeting-diet", "sustainable-pace")]
    assert list(vote.proto.captions) == about and all(about)
    reloaded = open_page(w=workshop.code, who=who)  # a reload: a new session on Ana's link
    assert next(r for r in reloaded.radio if r.label == "Your context").value == "tech"

    facilitator = open_page(w=workshop.code, key=workshop.key)
    assert f"`{workshop.code}`" in texts(facilitator)
    assert facilitator.get("image"), "the QR code of the join link is on the facilitator's page"
    press(facilitator, "Next step ▶")
    run(ana)  # Ana's page refreshes: the room moved on since she last looked
    assert "The facilitator moved on" in texts(ana)
    press(ana, "Show me the new step")
    assert "The facilitator moved on" not in texts(ana)

    note = ana.text_area[0]
    note.input("n" * (MAX_NOTE + 1))
    press(ana, "Save my note")
    assert f"at most {MAX_NOTE} characters" in ana.error[0].value and store.notes(workshop.id) == []
    ana.text_area[0].input("Cancel the Friday sync")
    press(ana, "Save my note")
    assert [n.text for n in store.notes(workshop.id)] == ["Cancel the Friday sync"]

    run(facilitator)
    assert "**Ana:** Cancel the Friday sync" in texts(facilitator)
    assert "Cancel the Friday sync" not in texts(run(ana)), "the room sees notes only when the facilitator chooses"
    facilitator.toggle[0].set_value(True)
    run(facilitator)
    shown = texts(run(ana))
    assert "Cancel the Friday sync" in shown and "Ana:" not in shown, "the room sees notes without names"

    # The timer: set, started, paused; the projector shows the step, the timer and the heat map.
    press(facilitator, "Set the timer")
    press(facilitator, "Start")
    press(facilitator, "Pause")
    assert button(facilitator, "Resume")
    radios = [r for r in ana.radio if r.key and r.key.startswith("rate-meeting-diet-")]
    radios[0].set_value("yes")
    press(ana, "Save my answers")
    projector = open_page(w=workshop.code, key=workshop.key, present="1")
    step = library.patterns["meeting-diet"].steps[0]
    shown = texts(projector)
    assert f"# {step.title}" in shown and "⏱ 5:00" in shown and "paused · 5:00 for this step" in shown
    assert "How the room answered each sign of Meeting Diet" in shown
    charts = projector.get("vega_lite_chart")
    assert len(charts) == 2, "the votes and the heat map"
    heat = json.loads(charts[1].proto.spec)
    assert {"rect", "text"} <= {layer["mark"]["type"] for layer in heat["layer"]}
    diet = library.patterns["meeting-diet"]
    cells = heat_rows(room_reading(diet, store.workshop_answers(workshop.id)))
    assert len(cells) == 3 * len(radios), "every sign × every answer"
    assert [(c["sign"][:2], c["answer"]) for c in cells if c["people"]] == [("1.", "yes")]
    assert "Cancel the Friday sync" in shown and "Ana" not in shown
    assert "Next step ▶" not in [b.label for b in projector.button], "the projector has no controls"
    assert open_page(w=workshop.code, key="wrong", present="1").error, "the projector needs the key"

    store.close_workshop(workshop.id)
    closed = open_page(w=workshop.code, who=who)
    assert button(closed, "Save my note").disabled
