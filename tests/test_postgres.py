"""The store on a real PostgreSQL server (DATABASE_URL), started on loopback for these tests.

A throw-away cluster in a temporary folder (as the `postgres` user when the tests run as
root, since PostgreSQL refuses to run as root); each test gets a fresh database in it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pattern_guide.errors import StoreError
from pattern_guide.schema import MIGRATIONS
from pattern_guide.settings import Settings
from pattern_guide.state import Answer, GuideState, Stage
from pattern_guide.store import ConversationStore
from pattern_guide.vitality import reading

INITDB = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
if not INITDB:
    pytest.skip("PostgreSQL is not installed — run scripts/install-postgres.sh", allow_module_level=True)
psycopg = pytest.importorskip("psycopg", reason="the psycopg package is missing — run make install")
BIN = Path(INITDB[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        pytest.fail(f"{Path(command[0]).name} failed ({done.returncode}): {done.stderr or done.stdout}")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A PostgreSQL cluster on a free loopback port; yields its base URL (no database name)."""
    # Not under pytest's tmp folder: the server's user must be able to reach its data folder.
    home = Path(tempfile.mkdtemp(prefix="pattern-guide-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    data, port = home / "data", _free_port()
    _run([str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "guide", "--no-sync", "-E", "UTF8"])
    options = f"-p {port} -k {home} -h 127.0.0.1 -c fsync=off -c full_page_writes=off"
    _run([str(BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(home / "log"), "-w", "start"])
    try:
        yield f"postgresql://guide@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_server_user([str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def url(server: str) -> str:
    """A fresh, empty database on the server."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


def test_conversations_assessments_and_a_second_app_server(url: str) -> None:
    first, second = ConversationStore(url), ConversationStore(url)  # two app servers, one database
    state = GuideState(situation="Decisions wait for our director.", stage=Stage.STEPS, pattern="meeting-diet")
    state.notes[1] = "List every recurring meeting — ‘with care’."
    first.save(state)
    assert second.load(state.id) == state
    state.notes[2] = "Ask each owner what it decides."
    second.save(state)
    assert first.load(state.id) == state
    assert [r.id for r in first.list_recent(5)] == [state.id]
    assert second.delete(state.id) and first.load(state.id) is None

    from pattern_guide.state import VitalityItem

    items = [VitalityItem(kind="life", text="alive", answer=Answer.PARTLY)]
    ids = [first.save_assessment("meeting-diet", {"alive": "partly"}, reading(items), "me") for _ in range(2)]
    assert ids[1] > ids[0] > 0
    kept = second.assessments("meeting-diet", "me")
    assert [a.id for a in kept] == ids and kept[0].reading.score == 2.5
    assert second.assessments("meeting-diet", "someone-else") == []


def test_workshops_on_the_server(url: str) -> None:
    store = ConversationStore(url)
    workshop = store.create_workshop("Team day", ["meeting-diet", "sustainable-pace"])
    other = store.create_workshop("Other", ["meeting-diet"])
    ana = store.join_workshop(workshop.id, "Ana")
    store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {0: "yes", 1: "no"})
    store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {1: "partly"})
    store.vote(workshop.id, ana.id, "sustainable-pace")
    store.set_walkthrough(workshop.id, "sustainable-pace", 2)
    again = ConversationStore(url).workshop(workshop.code.lower())
    assert again is not None and (again.focus, again.step) == ("sustainable-pace", 2)
    assert [(a.sign, a.answer) for a in store.workshop_answers(workshop.id, ana.id)] == [
        (0, Answer.YES),
        (1, Answer.PARTLY),
    ]
    assert store.votes(workshop.id) == {ana.id: "sustainable-pace"}
    assert store.workshop_answers(other.id) == [] and store.participant(other.id, ana.id) is None


def test_app_servers_starting_together_migrate_once(url: str) -> None:
    start = threading.Barrier(6)

    def open_store(_: int) -> None:
        start.wait()
        ConversationStore(url).save(GuideState())

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(open_store, range(6)))
    with psycopg.connect(url) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == [m.version for m in MIGRATIONS]
    assert len(ConversationStore(url).list_recent(10)) == 6


def test_settings_choose_the_server_and_errors_hide_the_password(url: str, tmp_path: Path) -> None:
    settings = Settings.from_env({"DATABASE_URL": url, "PATTERN_GUIDE_STATE": str(tmp_path)})
    assert settings.database == url
    assert Settings.from_env({"PATTERN_GUIDE_STATE": str(tmp_path)}).database == tmp_path / "conversations.sqlite3"
    ConversationStore(settings.database).save(GuideState())
    assert not list(tmp_path.iterdir()), "with DATABASE_URL nothing is written to the state folder"

    port = _free_port()  # nothing listens there
    with pytest.raises(StoreError) as caught:
        ConversationStore(f"postgresql://guide:s3cret@127.0.0.1:{port}/nowhere")
    message = str(caught.value)
    assert "Cannot reach the conversation database" in message and "DATABASE_URL" in message
    assert "s3cret" not in message and "guide:***@127.0.0.1" in message
