"""A store that cannot be written: the page says so, keeps the turns, and saves them once it can — no trace."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pattern_guide.store import ConversationStore
from tests.conftest import ROOT, free_port

SITUATION = "Half our week disappears into recurring meetings that decide nothing."


def run(app: AppTest, text: str | None = None) -> AppTest:
    if text is None:
        app.run()
    else:
        app.chat_input[0].set_value(text).run()
    assert not app.exception, app.exception
    return app


def warnings(app: AppTest) -> str:
    return " ".join(w.value for w in app.warning)


def said(app: AppTest) -> list[str]:
    return [m.markdown[0].value for m in app.chat_message if m.name == "user" and m.markdown]


def test_an_unwritable_store_keeps_the_turns_in_the_page_and_saves_them_later(
    page_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "state-is-a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("PATTERN_GUIDE_STATE", str(blocked))  # the database's folder cannot be created
    app = run(AppTest.from_file(str(ROOT / "app.py"), default_timeout=180))
    run(app, SITUATION)
    assert said(app) == [SITUATION], "the turn is answered and stays on the page"
    assert "not saved yet" in warnings(app) and "Cannot create the folder" in warnings(app)
    run(app, "show me more")
    assert said(app) == [SITUATION, "show me more"]

    blocked.unlink()  # the disk is back
    run(app, "the first one")
    assert "not saved yet" not in warnings(app)
    stored = ConversationStore(blocked / "conversations.sqlite3").load(app.query_params["c"])
    assert stored is not None
    assert [m.content for m in stored.messages if m.role == "user"] == [SITUATION, "show me more", "the first one"]


def test_an_unreachable_database_server_is_a_message(page_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://guide@127.0.0.1:{free_port()}/nowhere")
    app = run(AppTest.from_file(str(ROOT / "app.py"), default_timeout=180))
    run(app, SITUATION)
    assert said(app) == [SITUATION]
    assert "not saved yet" in warnings(app) and "Traceback" not in warnings(app)


def test_a_message_over_the_limit_is_refused_with_a_message_and_kept_to_copy(page_env: Path) -> None:
    from pattern_guide.conversation.limits import MAX_MESSAGE

    app = run(AppTest.from_file(str(ROOT / "app.py"), default_timeout=180))
    long = "meetings " * (MAX_MESSAGE // 9 + 50)
    run(app, long)
    assert said(app) == [], "nothing is sent"
    assert "characters long" in warnings(app) and f"{MAX_MESSAGE:,}" in warnings(app)
    assert any(long.strip() in c.value for c in app.code), "the text is there to copy and shorten"
    run(app, SITUATION)
    assert said(app) == [SITUATION]


def _chattr(flag: str, path: Path) -> bool:
    import shutil
    import subprocess

    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


def test_an_immutable_database_file_is_a_message_and_the_turns_wait(page_env: Path) -> None:
    import sqlite3

    db = page_env / "conversations.sqlite3"
    ConversationStore(db)  # an existing, migrated database ...
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for side in db.parent.glob("conversations.sqlite3-*"):
        side.unlink()
    if not _chattr("+i", db):  # ... that cannot be written (chattr +i: not even root may)
        pytest.skip("this file system cannot mark files immutable (chattr +i)")
    try:
        app = run(AppTest.from_file(str(ROOT / "app.py"), default_timeout=180))
        run(app, SITUATION)
        run(app, "show me more")
        assert said(app) == [SITUATION, "show me more"]
        assert "not saved yet" in warnings(app) and "Traceback" not in warnings(app)
    finally:
        _chattr("-i", db)
    run(app, "the first one")
    assert "not saved yet" not in warnings(app)
    stored = ConversationStore(db).load(app.query_params["c"])
    assert stored is not None
    assert [m.content for m in stored.messages if m.role == "user"] == [SITUATION, "show me more", "the first one"]


def test_a_database_locked_by_another_program_is_a_message_and_the_turn_waits(
    page_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    import pattern_guide.store.database as database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 1.0)  # the page gives up waiting after a second, not thirty
    app = run(AppTest.from_file(str(ROOT / "app.py"), default_timeout=180))
    run(app, SITUATION)
    db = page_env / "conversations.sqlite3"
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the file
    try:
        run(app, "show me more")
        assert said(app) == [SITUATION, "show me more"]
        assert "not saved yet" in warnings(app) and "busy" in warnings(app)
    finally:
        other.execute("ROLLBACK")
        other.close()
    run(app, "the first one")
    assert "not saved yet" not in warnings(app)
    stored = ConversationStore(db).load(app.query_params["c"])
    assert stored is not None
    assert [m.content for m in stored.messages if m.role == "user"] == [SITUATION, "show me more", "the first one"]
