"""The conversation database's schema, versioned: each migration brings it up by one version.

Later versions append to ``MIGRATIONS``; a database newer than this code is refused rather
than guessed at.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from pattern_guide.errors import StoreError
from pattern_guide.store.database import SQLITE_AUTOID, Database


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
    Migration(
        2,
        (
            """CREATE TABLE workshops (
                id TEXT PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                key TEXT NOT NULL,
                title TEXT NOT NULL,
                patterns TEXT NOT NULL,
                focus TEXT,
                step INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL
            )""",
            """CREATE TABLE workshop_participants (
                id TEXT PRIMARY KEY,
                workshop_id TEXT NOT NULL REFERENCES workshops (id),
                name TEXT NOT NULL,
                joined_at TEXT NOT NULL
            )""",
            "CREATE INDEX workshop_participants_workshop ON workshop_participants (workshop_id)",
            """CREATE TABLE workshop_answers (
                workshop_id TEXT NOT NULL REFERENCES workshops (id),
                participant_id TEXT NOT NULL REFERENCES workshop_participants (id),
                pattern_slug TEXT NOT NULL,
                sign INTEGER NOT NULL,
                answer TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (workshop_id, participant_id, pattern_slug, sign)
            )""",
            """CREATE TABLE workshop_votes (
                workshop_id TEXT NOT NULL REFERENCES workshops (id),
                participant_id TEXT NOT NULL REFERENCES workshop_participants (id),
                pattern_slug TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (workshop_id, participant_id)
            )""",
        ),
    ),
    # Capability links: turns appended under a version (two tabs keep both), owners and share links minted here.
    Migration(
        3,
        (
            "ALTER TABLE conversations ADD COLUMN version INTEGER NOT NULL DEFAULT 1",  # rows saved before: version 1,
            """CREATE TABLE conversation_turns (
                conversation_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                message TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (conversation_id, seq)
            )""",
            """CREATE TABLE owners (
                id TEXT PRIMARY KEY,
                created_at TEXT NOT NULL
            )""",
            """CREATE TABLE shares (
                token TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                target TEXT NOT NULL,
                pattern_slug TEXT,
                created_at TEXT NOT NULL
            )""",
        ),
    ),
    # Workshops at room scale: closing, a cap, one seat per browser, removal, and the join throttle.
    Migration(
        4,
        (
            "ALTER TABLE workshops ADD COLUMN closed_at TEXT",
            "ALTER TABLE workshops ADD COLUMN max_participants INTEGER NOT NULL DEFAULT 200",
            "ALTER TABLE workshop_participants ADD COLUMN client TEXT",
            "ALTER TABLE workshop_participants ADD COLUMN removed_at TEXT",
            "CREATE UNIQUE INDEX workshop_participants_client ON workshop_participants (workshop_id, client)",
            "CREATE TABLE workshop_join_failures (client TEXT NOT NULL, failed_at TEXT NOT NULL)",
            "CREATE INDEX workshop_join_failures_at ON workshop_join_failures (failed_at, client)",
        ),
    ),
    # Facilitation: the room's context, a countdown per step, participants' contexts and notes.
    Migration(
        5,
        (
            "ALTER TABLE workshops ADD COLUMN context TEXT",
            "ALTER TABLE workshops ADD COLUMN notes_shown INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE workshops ADD COLUMN timer_total_s INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE workshops ADD COLUMN timer_used_s REAL NOT NULL DEFAULT 0",
            "ALTER TABLE workshops ADD COLUMN timer_running_since TEXT",
            "ALTER TABLE workshop_participants ADD COLUMN context TEXT",
            """CREATE TABLE workshop_notes (
                workshop_id TEXT NOT NULL REFERENCES workshops (id),
                participant_id TEXT NOT NULL REFERENCES workshop_participants (id),
                pattern_slug TEXT NOT NULL,
                step INTEGER NOT NULL,
                text TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (workshop_id, participant_id, pattern_slug, step)
            )""",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(conn: Any) -> int:
    """The version the database is at; 0 for a new, empty one."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(conn: Any, db: Database, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply, in one transaction, every migration newer than the database; return the new version.

    ``db`` says how to take the write lock (one opener migrates; the others wait, then see it
    done) and how an auto-numbered id is spelled.
    """
    db.begin_write(conn)
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
                    conn.execute(statement.replace(SQLITE_AUTOID, db.autoid))
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (migration.version,))
                current = migration.version
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return current
