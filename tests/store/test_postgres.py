"""The store on a real PostgreSQL server (DATABASE_URL): a throw-away cluster on loopback
(the `postgres_server` fixture in conftest.py); each test gets a fresh database in it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pattern_guide.conversation.state import GuideState, Stage
from pattern_guide.errors import StoreError
from pattern_guide.settings import Settings
from pattern_guide.store import ConversationStore
from pattern_guide.store.schema import MIGRATIONS
from pattern_guide.vitality.reading import reading
from pattern_guide.vitality.signs import Answer
from tests.conftest import free_port

psycopg = pytest.importorskip("psycopg", reason="the psycopg package is missing — run make install")


def test_conversations_assessments_and_a_second_app_server(postgres_url: str) -> None:
    first, second = ConversationStore(postgres_url), ConversationStore(postgres_url)  # two app servers, one database
    state = GuideState(situation="Decisions wait for our director.", stage=Stage.STEPS, pattern="meeting-diet")
    state.notes[1] = "List every recurring meeting — ‘with care’."
    first.save(state)
    assert second.load(state.id) == state
    state.notes[2] = "Ask each owner what it decides."
    second.save(state)
    assert first.load(state.id) == state
    assert [r.id for r in first.list_recent(5)] == [state.id]
    assert second.delete(state.id) and first.load(state.id) is None

    from pattern_guide.vitality.signs import VitalityItem

    items = [VitalityItem(kind="life", text="alive", answer=Answer.PARTLY)]
    ids = [first.save_assessment("meeting-diet", {"alive": "partly"}, reading(items), "me") for _ in range(2)]
    assert ids[1] > ids[0] > 0
    kept = second.assessments("meeting-diet", "me")
    assert [a.id for a in kept] == ids and kept[0].reading.score == 2.5
    assert second.assessments("meeting-diet", "someone-else") == []


def test_workshops_on_the_server(postgres_url: str) -> None:
    store = ConversationStore(postgres_url)
    workshop = store.create_workshop("Team day", ["meeting-diet", "sustainable-pace"])
    other = store.create_workshop("Other", ["meeting-diet"])
    ana = store.join_workshop(workshop.id, "Ana")
    store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {0: "yes", 1: "no"})
    store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {1: "partly"})
    store.vote(workshop.id, ana.id, "sustainable-pace")
    store.set_walkthrough(workshop.id, "sustainable-pace", 2)
    again = ConversationStore(postgres_url).workshop(workshop.code.lower())
    assert again is not None and (again.focus, again.step) == ("sustainable-pace", 2)
    assert [(a.sign, a.answer) for a in store.workshop_answers(workshop.id, ana.id)] == [
        (0, Answer.YES),
        (1, Answer.PARTLY),
    ]
    assert store.votes(workshop.id) == {ana.id: "sustainable-pace"}
    assert store.workshop_answers(other.id) == [] and store.participant(other.id, ana.id) is None


def test_app_servers_starting_together_migrate_once(postgres_url: str) -> None:
    start = threading.Barrier(6)

    def open_store(_: int) -> None:
        start.wait()
        ConversationStore(postgres_url).save(GuideState())

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(open_store, range(6)))
    with psycopg.connect(postgres_url) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == [m.version for m in MIGRATIONS]
    assert len(ConversationStore(postgres_url).list_recent(10)) == 6


def test_settings_choose_the_server_and_errors_hide_the_password(postgres_url: str, tmp_path: Path) -> None:
    settings = Settings.from_env({"DATABASE_URL": postgres_url, "PATTERN_GUIDE_STATE": str(tmp_path)})
    assert settings.database == postgres_url
    assert Settings.from_env({"PATTERN_GUIDE_STATE": str(tmp_path)}).database == tmp_path / "conversations.sqlite3"
    ConversationStore(settings.database).save(GuideState())
    assert not list(tmp_path.iterdir()), "with DATABASE_URL nothing is written to the state folder"

    port = free_port()  # nothing listens there
    with pytest.raises(StoreError) as caught:
        ConversationStore(f"postgresql://guide:s3cret@127.0.0.1:{port}/nowhere")
    message = str(caught.value)
    assert "Cannot reach the conversation database" in message and "DATABASE_URL" in message
    assert "s3cret" not in message and "guide:***@127.0.0.1" in message
