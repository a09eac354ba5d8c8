"""SQLite persistence: conversations and self-assessments survive a reload and a restart.

One short-lived connection per call, so the store can be shared by Streamlit's threads; WAL
mode lets readers carry on while one thread writes. The schema is versioned: each entry of
``MIGRATIONS`` brings a database up by one version, and later versions append to it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, ValidationError

from pattern_guide.errors import PatternGuideError
from pattern_guide.state import GuideState
from pattern_guide.vitality import VitalityReading

BUSY_TIMEOUT_S = 30.0


class StoreError(PatternGuideError):
    """The conversation database cannot be opened, read or written."""


class Migration(NamedTuple):
    """The statements that bring the schema from ``version - 1`` to ``version``."""

    version: int
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        (
            """CREATE TABLE conversations (
                id TEXT PRIMARY KEY,
                situation TEXT NOT NULL DEFAULT '',
                pattern TEXT,
                stage TEXT NOT NULL,
                state TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX conversations_updated ON conversations (updated_at)",
            """CREATE TABLE assessments (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                pattern_slug TEXT NOT NULL,
                owner TEXT NOT NULL,
                answers TEXT NOT NULL,
                reading TEXT NOT NULL,
                score REAL,
                level TEXT,
                created_at TEXT NOT NULL
            )""",
            "CREATE INDEX assessments_pattern_owner ON assessments (pattern_slug, owner, created_at)",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


class Recent(NamedTuple):
    """A saved conversation as a list of recent ones shows it."""

    id: str
    situation: str
    updated_at: dt.datetime


class Assessment(BaseModel):
    """One saved self-assessment of a pattern."""

    id: int
    pattern_slug: str
    owner: str
    answers: dict[str, str]
    reading: VitalityReading
    created_at: dt.datetime


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def schema_version(conn: sqlite3.Connection) -> int:
    """The version the database is at; 0 for a new, empty one."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply, in one transaction, every migration newer than the database; return the new version."""
    conn.execute("BEGIN IMMEDIATE")  # one process migrates; others wait, then see it done
    try:
        current = schema_version(conn)
        latest = max((m.version for m in migrations), default=0)
        if current > latest:
            raise StoreError(
                f"the database is at schema version {current}, newer than this Pattern Guide knows "
                f"({latest}) — upgrade Pattern Guide or point it at another database"
            )
        for migration in sorted(migrations, key=lambda m: m.version):
            if migration.version > current:
                for statement in migration.statements:
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (migration.version,))
                current = migration.version
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return current


class ConversationStore:
    """Conversations and assessments in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the folder for the conversation database {self.path}: {exc.strerror} — "
                "choose a writable location"
            ) from None
        with self._connect() as conn:
            self._use_wal(conn)
            try:
                migrate(conn)
            except StoreError as exc:
                raise StoreError(f"Conversation database {self.path}: {exc}") from None

    @staticmethod
    def _use_wal(conn: sqlite3.Connection) -> None:
        """Switch the file to WAL (persistent, stored in the file), waiting out other openers.

        Switching needs the file to itself, and when two connections try at once SQLite answers
        "locked" at once instead of calling the busy handler (it would deadlock), so wait here.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(random.uniform(0.005, 0.05))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection; sqlite errors become a StoreError that names the file."""
        try:
            with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)) as conn:
                yield conn
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc

    def _explain(self, exc: sqlite3.DatabaseError) -> str:
        text = str(exc)
        if "not a database" in text or "malformed" in text or "encrypted" in text:
            return (
                f"Conversation database {self.path} is damaged or is not a Pattern Guide database ({text}) — "
                "move it aside (or delete it) and a fresh one is created on the next start"
            )
        if "unable to open" in text or "readonly" in text or "read-only" in text:
            return (
                f"Cannot open the conversation database {self.path} ({text}) — "
                "check that the path is a file, not a folder, and that it is writable"
            )
        if "locked" in text or "busy" in text:
            return f"Conversation database {self.path} stayed busy for {BUSY_TIMEOUT_S:.0f}s ({text}) — try again"
        return f"Conversation database {self.path}: {text}"

    # --- conversations ----------------------------------------------------------------------------------

    def save(self, state: GuideState) -> None:
        """Insert or replace the whole conversation state."""
        now = _now()
        with self._connect() as conn:
            conn.execute(
                """INSERT INTO conversations (id, situation, pattern, stage, state, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET situation = excluded.situation, pattern = excluded.pattern,
                       stage = excluded.stage, state = excluded.state, updated_at = excluded.updated_at""",
                (state.id, state.situation, state.pattern, state.stage.value, state.model_dump_json(), now, now),
            )

    def load(self, id: str) -> GuideState | None:
        """The saved conversation with this id, or None if there is none."""
        with self._connect() as conn:
            row = conn.execute("SELECT state FROM conversations WHERE id = ?", (id,)).fetchone()
        if row is None:
            return None
        try:
            return GuideState.model_validate_json(row[0])
        except ValidationError as exc:
            raise StoreError(
                f"Conversation {id} in {self.path} cannot be read ({exc.error_count()} problems, first: "
                f"{exc.errors()[0]['msg']}) — start a new conversation; `delete` removes this one"
            ) from None

    def list_recent(self, limit: int = 20) -> list[Recent]:
        """The most recently updated conversations, newest first."""
        if limit <= 0:
            raise ValueError("limit must be 1 or more")
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, situation, updated_at FROM conversations ORDER BY updated_at DESC, id LIMIT ?",
                (limit,),
            ).fetchall()
        return [Recent(r[0], r[1], dt.datetime.fromisoformat(r[2])) for r in rows]

    def delete(self, id: str) -> bool:
        """Remove a conversation; True if there was one."""
        with self._connect() as conn:
            return conn.execute("DELETE FROM conversations WHERE id = ?", (id,)).rowcount > 0

    # --- self-assessments -------------------------------------------------------------------------------

    def save_assessment(self, pattern_slug: str, answers: dict[str, str], reading: VitalityReading, owner: str) -> int:
        """Keep one self-assessment (sign text -> answer) with its reading; return its id."""
        with self._connect() as conn:
            cursor = conn.execute(
                """INSERT INTO assessments (pattern_slug, owner, answers, reading, score, level, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (
                    pattern_slug,
                    owner,
                    json.dumps(answers, ensure_ascii=False),
                    reading.model_dump_json(),
                    reading.score,
                    reading.level,
                    _now(),
                ),
            )
            return int(cursor.lastrowid or 0)

    def assessments(self, pattern_slug: str, owner: str) -> list[Assessment]:
        """This owner's assessments of a pattern, oldest first, for the trend."""
        with self._connect() as conn:
            rows = conn.execute(
                """SELECT id, pattern_slug, owner, answers, reading, created_at FROM assessments
                   WHERE pattern_slug = ? AND owner = ? ORDER BY created_at, id""",
                (pattern_slug, owner),
            ).fetchall()
        out: list[Assessment] = []
        for row in rows:
            try:
                out.append(
                    Assessment(
                        id=row[0],
                        pattern_slug=row[1],
                        owner=row[2],
                        answers=json.loads(row[3]),
                        reading=VitalityReading.model_validate_json(row[4]),
                        created_at=dt.datetime.fromisoformat(row[5]),
                    )
                )
            except (ValueError, ValidationError) as exc:
                raise StoreError(
                    f"Assessment {row[0]} of '{pattern_slug}' in {self.path} cannot be read ({exc}) — "
                    "the database was edited by hand or by a newer version"
                ) from None
        return out
