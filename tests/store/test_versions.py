"""Two tabs on one conversation both keep their turns; ids, owners and share links are minted here, never taken."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from pattern_guide.conversation.ids import mint_id, well_formed
from pattern_guide.conversation.state import GuideState, Role, Stage
from pattern_guide.store import ConversationStore, ShareKind
from pattern_guide.store.database import SQLiteDatabase
from pattern_guide.store.schema import MIGRATIONS, migrate


def stores(tmp_path: Path, request: pytest.FixtureRequest) -> ConversationStore:
    if request.param == "postgres":
        return ConversationStore(request.getfixturevalue("postgres_url"))
    return ConversationStore(tmp_path / "guide.db")


@pytest.fixture(params=["sqlite", "postgres"])
def store(tmp_path: Path, request: pytest.FixtureRequest) -> ConversationStore:
    return stores(tmp_path, request)


def test_minted_ids_are_128_bits_of_one_shape() -> None:
    ids = {mint_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 32 and well_formed(i) for i in ids)
    assert GuideState().id != GuideState().id and well_formed(GuideState().id)
    for chosen in ["attacker", "x" * 5000, "0" * 31, "0" * 33, "ABCDEF0123456789ABCDEF0123456789", "", None, 7]:
        assert not well_formed(chosen), chosen
    assert well_formed("0123456789ab")  # ids minted by earlier versions still open their conversations


def test_two_tabs_on_one_conversation_both_keep_their_turns(store: ConversationStore) -> None:
    state = GuideState(situation="Meetings eat our week")
    state.add(Role.USER, "Meetings eat our week")
    store.save(state)

    tab_a, tab_b = store.load(state.id), store.load(state.id)
    assert tab_a is not None and tab_b is not None
    tab_a.notes[0] = "We cut the Friday sync"
    tab_a.add(Role.USER, "note: we cut the Friday sync")
    tab_a = store.save(tab_a)
    tab_b.add(Role.USER, "next")
    tab_b.add(Role.ASSISTANT, "Step 2 of 5 ...")
    tab_b.stage = Stage.STEPS
    tab_b = store.save(tab_b)  # B started before A's save: merged, not replaced

    stored = store.load(state.id)
    assert stored is not None
    assert [m.content for m in stored.messages] == [
        "Meetings eat our week",
        "note: we cut the Friday sync",
        "next",
        "Step 2 of 5 ...",
    ]
    assert stored.notes == {0: "We cut the Friday sync"} and stored.stage is Stage.STEPS
    assert tab_b.messages == stored.messages and tab_b.version == stored.version == 3
    # A sees B's turns on its next rerun: the version it holds is behind.
    assert store.version(state.id) == 3 != tab_a.version


def test_many_writers_on_one_conversation_lose_nothing(store: ConversationStore) -> None:
    state = GuideState()
    store.save(state)
    errors: list[BaseException] = []

    def tab(n: int) -> None:
        mine = store.load(state.id)
        assert mine is not None
        try:
            for turn in range(5):
                mine.add(Role.USER, f"tab {n} turn {turn}")
                mine = store.save(mine)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=tab, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    stored = store.load(state.id)
    assert stored is not None
    said = [m.content for m in stored.messages]
    assert sorted(said) == sorted(f"tab {n} turn {t}" for n in range(6) for t in range(5))
    for n in range(6):  # each tab's own turns stay in the order it said them
        assert [s for s in said if s.startswith(f"tab {n} ")] == [f"tab {n} turn {t}" for t in range(5)]


def test_a_turn_is_appended_not_the_conversation_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "guide.db"
    store = ConversationStore(path)
    state = GuideState()
    for n in range(30):
        state.add(Role.USER, "x" * 2000 + str(n))
    store.save(state)
    state.add(Role.USER, "one more")
    store.save(state)
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT length(state) FROM conversations").fetchone()[0]
        turns = conn.execute("SELECT COUNT(*) FROM conversation_turns").fetchone()[0]
    assert row < 2000, "the conversation row holds no transcript"
    assert turns == 31


def test_nul_bytes_are_stored_without_them(store: ConversationStore) -> None:
    state = GuideState(situation="we\x00 meet")
    state.add(Role.USER, "we\x00 meet")
    store.save(state)
    stored = store.load(state.id)
    assert stored is not None and stored.messages[0].content == "we meet" and stored.situation == "we meet"


def test_conversations_saved_before_turns_had_a_table_open_and_continue(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = SQLiteDatabase(path)
    with db.connect() as conn:
        migrate(conn, db, MIGRATIONS[:2])
        old = GuideState(id="0123456789ab", situation="old")
        old.add(Role.USER, "old turn")
        conn.execute(
            "INSERT INTO conversations (id, situation, pattern, stage, state, created_at, updated_at) "
            "VALUES (?, ?, NULL, 'intake', ?, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
            (old.id, old.situation, json.dumps(old.model_dump(mode="json"))),
        )
        conn.execute(
            "INSERT INTO assessments (pattern_slug, owner, answers, reading, created_at) VALUES "
            "('meeting-diet', 'abcdefabcdef', '{}', '{}', '2026-01-01T00:00:00+00:00')"
        )
    store = ConversationStore(path)  # migrates to the current version
    loaded = store.load("0123456789ab")
    assert loaded is not None and [m.content for m in loaded.messages] == ["old turn"]
    loaded.add(Role.USER, "new turn")
    store.save(loaded)
    again = store.load("0123456789ab")
    assert again is not None and [m.content for m in again.messages] == ["old turn", "new turn"]
    assert store.is_owner("abcdefabcdef"), "an owner from before keeps their self-assessments"


def test_owners_and_share_links_are_minted_not_taken(store: ConversationStore) -> None:
    owner = store.new_owner()
    assert store.is_owner(owner) and well_formed(owner)
    assert not store.is_owner(mint_id()) and not store.is_owner("attacker") and not store.is_owner(None)

    state = GuideState()
    store.save(state)
    token = store.share(ShareKind.PLAN, state.id)
    assert token != state.id and well_formed(token)
    assert store.share(ShareKind.PLAN, state.id) == token, "sharing twice gives the same link"
    shared = store.shared(token)
    assert shared is not None and shared.kind is ShareKind.PLAN and shared.target == state.id
    reading = store.share(ShareKind.READING, owner, "meeting-diet")
    assert reading != token and store.shared(reading) == (reading, ShareKind.READING, owner, "meeting-diet")
    assert store.shared(state.id) is None, "the owner's id is not a share token"
    assert store.shared("x' OR '1'='1") is None
