"""The Workshop page through Streamlit's AppTest: a facilitator opens it, two participants join by
code from their own sessions, rate and vote; the facilitator sees the aggregate, walks the steps
and takes away the report and the cards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pattern_guide.assistant import Engine
from pattern_guide.store import ConversationStore, database
from tests import conftest


def _script() -> None:
    from pattern_guide.ui import workshop_page

    workshop_page.render()


def open_page(**query: str) -> AppTest:
    return conftest.open_page(_script, **query)


def run(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, app.exception
    return app


def button(app: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in app.button if b.label == label)


def press(app: AppTest, label: str) -> None:
    button(app, label).click()
    run(app)


def texts(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption] + [h.value for h in app.subheader]
    return "\n".join(parts + [t.value for t in app.title])


def join(code: str, name: str) -> AppTest:
    person = open_page()
    person.text_input[0].input(code.lower())  # codes are not case-sensitive
    person.text_input[1].input(name)
    press(person, "Join")
    assert person.query_params["w"] == code and person.query_params["who"], person.query_params
    return person


def test_facilitator_and_participants(page_env: Path, hashing_starter: Engine) -> None:
    store = ConversationStore(page_env / "conversations.sqlite3")
    diet = hashing_starter.library.patterns["meeting-diet"]

    facilitator = open_page()
    title = next(t for t in facilitator.text_input if t.label == "Workshop title")
    title.input("Team day")
    facilitator.multiselect[0].select("meeting-diet").select("sustainable-pace")
    press(facilitator, "Open the workshop")
    code, key = facilitator.query_params["w"], facilitator.query_params["key"]
    assert code and key and "Workshop: Team day" in texts(facilitator)
    assert f"`{code}`" in texts(facilitator)
    assert "0 joined · 0 voted" in texts(facilitator)

    ana = join(code, "Ana")
    ben = join(code, "Ben")
    assert "You joined as **Ana**" in texts(ana)

    # Ana rates every sign of Meeting Diet "partly" and votes; Ben says "no" to the first two.
    life = len(diet.signs_of_life)
    ana_radios = [r for r in ana.radio if r.key and r.key.startswith("rate-meeting-diet-")]
    assert len(ana_radios) == life + len(diet.signs_of_decay)
    for radio in ana_radios:
        radio.set_value("partly")
    press(ana, "Save my answers")
    assert "**Your reading:** 2.5 / 5 · Functional" in texts(ana)
    vote = next(r for r in ana.radio if r.label == "Your vote")
    vote.set_value("sustainable-pace")
    press(ana, "Vote")

    ben_radios = [r for r in ben.radio if r.key and r.key.startswith("rate-meeting-diet-")]
    ben_radios[0].set_value("no")
    ben_radios[1].set_value("no")
    press(ben, "Save my answers")
    assert "**Your reading:** 0.0 / 5 · Extractive (2 of" in texts(ben)
    next(r for r in ben.radio if r.label == "Your vote").set_value("sustainable-pace")
    press(ben, "Vote")

    # A participant sees their own answers and the room's aggregate, never another's answers.
    again = open_page(w=code, who=ana.query_params["who"])  # a reload of Ana's page
    restored = [r.value for r in again.radio if r.key and r.key.startswith("rate-meeting-diet-")]
    assert restored == ["partly"] * len(ana_radios)
    assert "Ben" not in texts(again)

    facilitator = open_page(w=code, key=key)  # the facilitator reloads
    shown = texts(facilitator)
    assert "2 joined · 2 voted" in shown and "Joined: Ana, Ben" in shown
    metrics = {m.label: m.value for m in facilitator.metric}
    # Signs 1–2: (0.5 + 0) / 2 each; the rest 0.5 from Ana alone → mean 0.25·2 + 0.5·(n − 2) over n.
    n = len(ana_radios)
    expected = round(5 * (0.25 * 2 + 0.5 * (n - 2)) / n + 1e-9, 1)
    assert metrics["Room reading · 2 rated"].startswith(f"{expected:.1f} / 5")

    # The walk-through: the most-voted pattern first; participants see the step the room is on.
    assert facilitator.selectbox[0].value == "sustainable-pace"
    press(facilitator, "Next step ▶")
    first_step = hashing_starter.library.patterns["sustainable-pace"].steps[0]
    assert "step 1 of" in texts(facilitator) and first_step.title in texts(facilitator)
    follower = open_page(w=code, who=ben.query_params["who"])
    assert first_step.title in texts(follower)

    downloads = facilitator.get("download_button")
    assert len(downloads) == 4, "the report and the printable cards are offered, each also as a PDF"
    assert [d.proto.label for d in downloads] == [
        "Download the report (Markdown)",
        "Download the report (PDF, with charts)",
        "Download printable cards (HTML)",
        "Download printable cards (PDF)",
    ]
    workshop = store.workshop(code)
    assert workshop is not None and workshop.step == 1 and workshop.focus == "sustainable-pace"
    assert len(store.participants(workshop.id)) == 2


def test_wrong_code_and_wrong_key(page_env: Path) -> None:
    stranger = open_page()
    stranger.text_input[0].input("NOPE99")
    stranger.text_input[1].input("Zed")
    press(stranger, "Join")
    assert "No workshop has the code NOPE99" in stranger.error[0].value

    store = ConversationStore(page_env / "conversations.sqlite3")
    workshop = store.create_workshop("Private", ["meeting-diet"])
    intruder = open_page(w=workshop.code, key="guessed")
    assert "not valid" in intruder.error[0].value
    assert "Room reading" not in texts(intruder)
    other = store.create_workshop("Other", ["meeting-diet"])
    outsider = store.join_workshop(other.id, "Out")
    # A participant id from another workshop does not open this one: it asks to join instead.
    page = open_page(w=workshop.code, who=outsider.id)
    assert page.text_input[0].value == workshop.code and "You joined as" not in texts(page)


def test_a_non_ascii_facilitator_key_is_refused_with_a_message(page_env: Path) -> None:
    workshop = ConversationStore(page_env / "conversations.sqlite3").create_workshop("Private", ["meeting-diet"])
    for key in ("clé-für-€", "ü" * 2000):
        intruder = open_page(w=workshop.code, key=key)  # open_page asserts no exception
        assert "not valid" in intruder.error[0].value and "Room reading" not in texts(intruder)


def test_wrong_codes_are_throttled_and_odd_codes_get_a_message(page_env: Path) -> None:
    guesser = open_page()
    for guess in ("ZZZZZ2", "ÄÖÜ€", "x" * 12, "ABCDE3", "QQQQQ4"):
        guesser.text_input[0].input(guess)
        press(guesser, "Join")
        assert "No workshop has the code" in guesser.error[0].value
    workshop = ConversationStore(page_env / "conversations.sqlite3").create_workshop("Real", ["meeting-diet"])
    guesser.text_input[0].input(workshop.code)
    press(guesser, "Join")
    assert "Too many wrong codes" in guesser.error[0].value and "wait" in guesser.error[0].value
    assert "who" not in guesser.query_params


def test_rejoining_from_the_same_browser_continues_the_seat(page_env: Path) -> None:
    store = ConversationStore(page_env / "conversations.sqlite3")
    workshop = store.create_workshop("Team day", ["meeting-diet"])
    ana = join(workshop.code, "Ana")
    seat = ana.query_params["who"]
    del ana.query_params["who"]  # the participant lost their link and opens the join address again
    run(ana)
    assert ana.query_params["who"] == seat and "You joined as **Ana**" in texts(ana)
    assert [p.id for p in store.participants(workshop.id)] == [seat]


def test_closing_removal_and_the_read_only_room(page_env: Path) -> None:
    store = ConversationStore(page_env / "conversations.sqlite3")
    workshop = store.create_workshop("Team day", ["meeting-diet"])
    ana, ben = join(workshop.code, "Ana"), join(workshop.code, "Ben")
    ana_radios = [r for r in ana.radio if r.key and r.key.startswith("rate-meeting-diet-")]
    ana_radios[0].set_value("yes")
    press(ana, "Save my answers")
    facilitator = open_page(w=workshop.code, key=workshop.key)
    facilitator.selectbox(key="remove-who").set_value(ben.query_params["who"])
    press(facilitator, "Remove from the workshop")
    assert [p.name for p in store.participants(workshop.id)] == ["Ana"]
    assert "1 joined" in texts(facilitator)

    ben_radios = [r for r in ben.radio if r.key and r.key.startswith("rate-meeting-diet-")]
    ben_radios[0].set_value("no")
    press(ben, "Save my answers")  # Ben's page was open when he was removed: a message, nothing stored
    assert "taken you out" in ben.warning[0].value and "You joined as" not in texts(ben)
    assert {a.participant_id for a in store.workshop_answers(workshop.id)} == {ana.query_params["who"]}

    assert button(facilitator, "Close the workshop").disabled, "closing asks to be sure first"
    facilitator.checkbox(key="close-sure").check()
    run(facilitator)
    press(facilitator, "Close the workshop")
    assert "the report is final" in facilitator.info[0].value
    reloaded = open_page(w=workshop.code, who=ana.query_params["who"])
    assert "read-only" in reloaded.info[0].value
    assert button(reloaded, "Save my answers").disabled and button(reloaded, "Vote").disabled
    late = open_page()
    late.text_input[0].input(workshop.code)
    press(late, "Join")
    assert "has been closed" in late.error[0].value and "who" not in late.query_params


def test_a_busy_database_is_a_message_and_the_answers_stay_in_the_form(
    page_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.5)
    path = page_env / "conversations.sqlite3"
    workshop = ConversationStore(path).create_workshop("Team day", ["meeting-diet"])
    ana = join(workshop.code, "Ana")
    radios = [r for r in ana.radio if r.key and r.key.startswith("rate-meeting-diet-")]
    radios[0].set_value("partly")
    other = sqlite3.connect(path, isolation_level=None)  # another program holding the write lock
    other.execute("BEGIN IMMEDIATE")
    try:
        press(ana, "Save my answers")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "stayed busy" in ana.error[0].value and "try again" in ana.error[0].value
    kept = [r for r in ana.radio if r.key and r.key.startswith("rate-meeting-diet-")]
    assert kept[0].value == "partly", "the answer is still in the form"
    assert ConversationStore(path).workshop_answers(workshop.id) == []
    press(ana, "Save my answers")  # once the database is free, the same press saves it
    assert [a.answer.value for a in ConversationStore(path).workshop_answers(workshop.id)] == ["partly"]
