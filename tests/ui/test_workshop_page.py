"""The Workshop page through Streamlit's AppTest: a facilitator opens it, two participants join by
code from their own sessions, rate and vote; the facilitator sees the aggregate, walks the steps
and takes away the report and the cards."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from pattern_guide.assistant import Engine
from pattern_guide.store import ConversationStore
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
    assert len(downloads) == 2, "the report and the printable cards are offered"
    assert [d.proto.label for d in downloads] == ["Download the report (Markdown)", "Download printable cards (HTML)"]
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
