"""The store under a room: many participants saving at once, on SQLite and on PostgreSQL.

Every test ends the same way: each answer the store acknowledged is in the database, and
whatever could not be written was refused with a plain StoreBusyError, never a driver error.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pattern_guide.errors import PatternGuideError, StoreBusyError
from pattern_guide.store import ConversationStore
from pattern_guide.store.database import _POOLS, PostgresDatabase, SQLiteDatabase, close_pools

PEOPLE, SIGNS = 30, 5


@pytest.fixture(autouse=True)
def _close_pools() -> Iterator[None]:
    yield
    close_pools()  # each test's database is a fresh one: do not keep its connections open


@pytest.fixture(params=["sqlite", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    if request.param == "sqlite":
        return tmp_path / "room.sqlite3"
    return str(request.getfixturevalue("postgres_url"))


def room(store: ConversationStore, per_form: bool) -> tuple[set[tuple[str, int]], list[str], str]:
    """PEOPLE threads answer SIGNS signs at once; returns what was acknowledged, the errors, the workshop."""
    workshop = store.create_workshop("Room", ["meeting-diet"])
    seats = [store.join_workshop(workshop.id, f"P{n}", client=f"browser-{n}") for n in range(PEOPLE)]
    start = threading.Barrier(PEOPLE)
    acknowledged: set[tuple[str, int]] = set()
    errors: list[str] = []
    guard = threading.Lock()

    def answer(n: int) -> None:
        forms = [dict.fromkeys(range(SIGNS), "partly")] if per_form else [{s: "yes"} for s in range(SIGNS)]
        start.wait()
        for form in forms:
            try:
                store.save_workshop_answers(workshop.id, seats[n].id, "meeting-diet", form)
            except Exception as exc:  # noqa: BLE001 — counted: the test asserts there are none
                with guard:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with guard:
                acknowledged.update((seats[n].id, s) for s in form)

    threads = [threading.Thread(target=answer, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "the room did not finish within two minutes"
    return acknowledged, errors, workshop.id


@pytest.mark.parametrize("per_form", [False, True], ids=["per-sign", "per-form"])
def test_a_room_saving_at_once_loses_nothing(location: str | Path, per_form: bool) -> None:
    store = ConversationStore(location)
    acknowledged, errors, workshop_id = room(store, per_form)
    assert errors == []
    assert len(acknowledged) == PEOPLE * SIGNS
    stored = {(a.participant_id, a.sign) for a in store.workshop_answers(workshop_id)}
    assert stored == acknowledged, "every acknowledged answer is stored, and nothing else"


def test_sqlite_held_by_another_program_gives_a_plain_busy_error(tmp_path: Path) -> None:
    path = tmp_path / "held.sqlite3"
    store = ConversationStore(SQLiteDatabase(path, busy_timeout_s=0.6))
    workshop = store.create_workshop("Held", ["meeting-diet"])
    ana = store.join_workshop(workshop.id, "Ana")
    other = sqlite3.connect(path, isolation_level=None)  # another process's writer, holding the lock
    other.execute("BEGIN IMMEDIATE")
    try:
        began = time.monotonic()
        with pytest.raises(StoreBusyError) as caught:
            store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {0: "yes"})
        assert 0.5 < time.monotonic() - began < 10
        assert "stayed busy" in str(caught.value) and "try again" in str(caught.value)
        assert "nothing of this was saved" in str(caught.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.workshop_answers(workshop.id) == []  # the refused save left nothing behind
    store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {0: "yes"})  # and once free, it goes in
    assert [a.sign for a in store.workshop_answers(workshop.id)] == [0]


def test_postgres_shares_one_pool_and_takes_no_global_lock(postgres_url: str) -> None:
    first, second = ConversationStore(postgres_url), ConversationStore(postgres_url)
    pool = _POOLS[postgres_url]
    assert first.db._pool() is pool and second.db._pool() is pool, "one pool per URL, however many stores"  # type: ignore[attr-defined]
    one = first.create_workshop("One", ["meeting-diet"])
    two = first.create_workshop("Two", ["meeting-diet"])
    ana, ben = first.join_workshop(one.id, "Ana"), first.join_workshop(two.id, "Ben")
    done = threading.Event()
    # Hold a write transaction on workshop One; a save to workshop Two must not wait for it.
    with first.db.transaction() as conn:
        conn.execute("UPDATE workshops SET step = 1 WHERE id = ?", (one.id,))
        worker = threading.Thread(
            target=lambda: (second.save_workshop_answers(two.id, ben.id, "meeting-diet", {0: "no"}), done.set())
        )
        worker.start()
        assert done.wait(10), "a write to another workshop waited for this transaction"
    worker.join()
    first.save_workshop_answers(one.id, ana.id, "meeting-diet", {0: "yes"})
    assert [a.answer.value for a in second.workshop_answers(two.id)] == ["no"]
    assert [a.answer.value for a in second.workshop_answers(one.id)] == ["yes"]


def test_postgres_without_a_free_connection_gives_a_plain_busy_error(postgres_url: str) -> None:
    store = ConversationStore(PostgresDatabase(postgres_url, pool_size=1, busy_timeout_s=0.5))
    workshop = store.create_workshop("Tight", ["meeting-diet"])
    ana = store.join_workshop(workshop.id, "Ana")
    with store.db.connect(), pytest.raises(StoreBusyError) as caught:  # the only connection, taken
        store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {0: "yes"})
    assert "came free" in str(caught.value) and "try again" in str(caught.value)
    assert isinstance(caught.value, PatternGuideError)
    store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {0: "yes"})
    assert len(store.workshop_answers(workshop.id)) == 1


def test_refused_writes_among_many_leave_the_others_whole(location: str | Path) -> None:
    """Writes that commit together (SQLite's group commit) fail alone: a refused one takes none of the others."""
    store = ConversationStore(location)
    open_room, closed_room = (
        store.create_workshop("Open", ["meeting-diet"]),
        store.create_workshop("Shut", ["meeting-diet"]),
    )
    inside = [store.join_workshop(open_room.id, f"P{n}") for n in range(PEOPLE)]
    late = [store.join_workshop(closed_room.id, f"L{n}") for n in range(PEOPLE)]
    store.close_workshop(closed_room.id)
    start = threading.Barrier(2 * PEOPLE)
    outcomes: list[str] = []
    guard = threading.Lock()

    def save(workshop_id: str, participant_id: str, answer: str) -> None:
        start.wait()
        for sign in range(SIGNS):
            try:
                form = {sign: answer} if answer != "bad" else {sign: "maybe"}
                store.save_workshop_answers(workshop_id, participant_id, "meeting-diet", form)
                outcome = "saved"
            except PatternGuideError as exc:
                outcome = type(exc).__name__
            with guard:
                outcomes.append(outcome)

    jobs = [(open_room.id, p.id, "bad" if n % 5 == 0 else "yes") for n, p in enumerate(inside)]
    jobs += [(closed_room.id, p.id, "no") for p in late]
    threads = [threading.Thread(target=save, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    bad = sum(1 for job in jobs if job[2] == "bad")
    assert sorted(set(outcomes)) == ["InputError", "WorkshopError", "saved"]
    assert outcomes.count("WorkshopError") == PEOPLE * SIGNS and outcomes.count("InputError") == bad * SIGNS
    assert outcomes.count("saved") == (PEOPLE - bad) * SIGNS
    assert len(store.workshop_answers(open_room.id)) == (PEOPLE - bad) * SIGNS
    assert store.workshop_answers(closed_room.id) == []
