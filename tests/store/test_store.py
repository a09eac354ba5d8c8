"""The SQLite store: nothing lost on restart, safe from many threads, clear about broken files."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pattern_guide.conversation.state import Candidate, GuideState, Stage
from pattern_guide.errors import PatternGuideError, StoreError
from pattern_guide.store import ConversationStore
from pattern_guide.store.database import SQLiteDatabase
from pattern_guide.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration, migrate
from pattern_guide.vitality.reading import reading
from pattern_guide.vitality.signs import Answer, VitalityItem


def full_state(situation: str = "Our team drowns in meetings & status calls <3") -> GuideState:
    state = GuideState(
        stage=Stage.VITALITY,
        situation=situation,
        context="tech",
        candidates=[Candidate(slug="meeting-diet", title="Meeting Diet", score=0.91)],
        shown=1,
        pattern="meeting-diet",
        step=2,
        notes={0: "Standups every day", 1: "We have 14 recurring meetings", 3: "Cut the Friday sync"},
        skipped=[2],
        vitality=[
            VitalityItem(kind="life", text="Meeting hours stay down.", answer=Answer.PARTLY),
            VitalityItem(kind="decay", text="Zombie meetings return.", answer=None),
        ],
        vitality_index=1,
    )
    state.add("user", situation)
    state.add("assistant", "It sounds like Alignment vs. Time.", model="offline")
    return state


def test_state_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "folder" / "guide.db"
    state = full_state()
    store = ConversationStore(path)
    store.save(state)
    del store  # nothing held in memory survives

    again = ConversationStore(path).load(state.id)
    assert again == state
    assert again is not None and again.notes[3] == "Cut the Friday sync" and again.stage is Stage.VITALITY


def test_save_replaces_list_recent_and_delete(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "guide.db")
    first, second = GuideState(situation="first"), GuideState(situation="second")
    store.save(first)
    store.save(second)
    first.situation = "first, updated"
    first.stage = Stage.PLAN
    store.save(first)

    recent = store.list_recent(10)
    assert [(r.id, r.situation) for r in recent] == [(first.id, "first, updated"), (second.id, "second")]
    assert recent[0].updated_at >= recent[1].updated_at
    assert [r.id for r in store.list_recent(1)] == [first.id]
    assert store.load(first.id) == first

    assert store.delete(second.id) is True
    assert store.delete(second.id) is False
    assert store.load(second.id) is None
    assert [r.id for r in store.list_recent()] == [first.id]
    with pytest.raises(ValueError, match="limit"):
        store.list_recent(0)


def test_wal_mode_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "guide.db"
    ConversationStore(path)
    ConversationStore(path)  # re-opening applies nothing twice
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # each migration applied exactly once, up to the newest
        assert conn.execute("SELECT version FROM schema_version ORDER BY version").fetchall() == [
            (m.version,) for m in MIGRATIONS
        ]
        assert MIGRATIONS[-1].version == SCHEMA_VERSION


def test_concurrent_saves_from_threads(tmp_path: Path) -> None:
    path = tmp_path / "guide.db"
    shared = ConversationStore(path)
    states = [GuideState(situation=f"situation {i}") for i in range(60)]
    hot = GuideState(situation="edited by everyone")
    start = threading.Barrier(8)

    def work(worker: int) -> None:
        start.wait()
        store = shared if worker % 2 else ConversationStore(path)  # one shared object and separate ones
        for state in states[worker::8]:
            store.save(state)
            hot.notes[worker] = f"note from {worker}"
            store.save(hot.model_copy(deep=True))
            assert store.load(state.id) == state

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(8)))

    fresh = ConversationStore(path)
    for state in states:
        assert fresh.load(state.id) == state
    assert len(fresh.list_recent(100)) == len(states) + 1
    assert fresh.load(hot.id) is not None


@pytest.mark.parametrize("round", range(20))  # the race is rare in one round; CI once lost it
def test_concurrent_first_opening_migrates_once(tmp_path: Path, round: int) -> None:
    path = tmp_path / "guide.db"
    start = threading.Barrier(8)

    def open_store(_: int) -> None:
        start.wait()
        ConversationStore(path).save(GuideState())

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(open_store, range(8)))
    with sqlite3.connect(path) as conn:
        # each migration applied exactly once, up to the newest
        assert conn.execute("SELECT version FROM schema_version ORDER BY version").fetchall() == [
            (m.version,) for m in MIGRATIONS
        ]
        assert MIGRATIONS[-1].version == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert len(ConversationStore(path).list_recent(10)) == 8


def test_corrupt_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "guide.db"
    path.write_bytes(b"this is not a database, just some text that someone saved here\n" * 100)
    with pytest.raises(StoreError) as caught:
        ConversationStore(path)
    message = str(caught.value)
    assert str(path) in message and "move it aside" in message
    assert isinstance(caught.value, PatternGuideError)


def test_file_damaged_after_opening(tmp_path: Path) -> None:
    path = tmp_path / "guide.db"
    store = ConversationStore(path)
    store.save(GuideState())
    for extra in (tmp_path / "guide.db-wal", tmp_path / "guide.db-shm"):
        extra.unlink(missing_ok=True)
    path.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(StoreError, match="damaged"):
        store.list_recent()


def test_folder_in_place_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "guide.db"
    path.mkdir()
    with pytest.raises(StoreError, match="not a folder"):
        ConversationStore(path)


def test_unreadable_saved_state_names_the_conversation(tmp_path: Path) -> None:
    path = tmp_path / "guide.db"
    store = ConversationStore(path)
    good, bad = GuideState(situation="fine"), GuideState(situation="broken")
    store.save(good)
    store.save(bad)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE conversations SET state = ? WHERE id = ?", ('{"stage": "nowhere"}', bad.id))
    with pytest.raises(StoreError, match=bad.id):
        store.load(bad.id)
    assert store.load(good.id) == good  # the rest keeps working


def test_assessments_in_time_order_per_pattern_and_owner(tmp_path: Path) -> None:
    path = tmp_path / "guide.db"
    store = ConversationStore(path)
    signs = ["Meeting hours stay down.", "Written updates are read."]
    rounds = [(Answer.NO, Answer.NO), (Answer.PARTLY, Answer.NO), (Answer.YES, Answer.PARTLY)]
    ids = []
    for first, second in rounds:
        items = [VitalityItem(kind="life", text=signs[0], answer=first)]
        items.append(VitalityItem(kind="life", text=signs[1], answer=second))
        answers = {signs[0]: first.value, signs[1]: second.value}
        ids.append(store.save_assessment("meeting-diet", answers, reading(items), owner="ana"))
    store.save_assessment("meeting-diet", {signs[0]: "yes"}, reading([]), owner="ben")
    store.save_assessment("sustainable-pace", {signs[0]: "yes"}, reading([]), owner="ana")

    history = ConversationStore(path).assessments("meeting-diet", "ana")
    assert [a.id for a in history] == ids == sorted(ids)
    assert [a.reading.score for a in history] == [0.0, 1.3, 3.8]  # the trend (1.25 and 3.75 round half up)
    assert history[2].answers == {signs[0]: "yes", signs[1]: "partly"}
    assert history[2].reading.weakest[0].text == signs[1]
    assert [a.created_at for a in history] == sorted(a.created_at for a in history)
    assert store.assessments("meeting-diet", "nobody") == []


def test_later_versions_can_add_tables(tmp_path: Path) -> None:
    path = tmp_path / "guide.db"
    store = ConversationStore(path)
    state = GuideState(situation="kept across the upgrade")
    store.save(state)
    later = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, ("CREATE TABLE later_things (code TEXT PRIMARY KEY)",)))
    with sqlite3.connect(path, isolation_level=None) as conn:
        assert migrate(conn, SQLiteDatabase(path), later) == SCHEMA_VERSION + 1
        assert migrate(conn, SQLiteDatabase(path), later) == SCHEMA_VERSION + 1  # idempotent
        conn.execute("INSERT INTO later_things VALUES ('ABC123')")
    assert store.load(state.id) == state

    # This version does not know the newer schema: it says so rather than guessing.
    with pytest.raises(StoreError, match="newer than this Pattern Guide"):
        ConversationStore(path)


def test_failed_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "guide.db"
    ConversationStore(path)
    broken = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, ("CREATE TABLE extra (x)", "NOT SQL AT ALL")))
    with sqlite3.connect(path, isolation_level=None) as conn:
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, SQLiteDatabase(path), broken)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "extra" not in tables
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
