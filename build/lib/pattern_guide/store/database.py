"""Where the store keeps its tables: an SQLite file (the default), or PostgreSQL via DATABASE_URL.

The store speaks one SQL to both: qmark placeholders (rewritten for PostgreSQL) and
``INSERT ... ON CONFLICT``. The few differences — opening a file, taking the write lock,
an auto-numbered id — live in the two classes here. Every driver error leaves as a
StoreError that names the database (never its password) and says what to do.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from pattern_guide.errors import StoreConflictError, StoreError

BUSY_TIMEOUT_S = 30.0
SQLITE_AUTOID = "INTEGER PRIMARY KEY AUTOINCREMENT"
WRITE_LOCK = 7_316_842  # the PostgreSQL advisory lock that serialises migrations and batched writes


class Connection(Protocol):
    """What the store needs of a connection: run a statement, know whether a transaction is open."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    @property
    def in_transaction(self) -> bool: ...


class Database(Protocol):
    name: str  # for messages: a path, or a URL without its password
    autoid: str  # the column definition of an auto-numbered primary key

    def connect(self) -> Any:
        """A context manager giving a fresh connection in autocommit mode."""
        ...

    def prepare(self, conn: Connection) -> None:
        """Once per opening, before the migrations."""
        ...

    def begin_write(self, conn: Connection) -> None:
        """Open a transaction that holds the write lock until COMMIT or ROLLBACK."""
        ...


class SQLiteDatabase:
    """One SQLite file in WAL mode; a connection per call, so Streamlit's threads can share it."""

    autoid = SQLITE_AUTOID

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the folder for the conversation database {self.path}: {exc.strerror} — "
                "choose a writable location"
            ) from None

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        try:
            with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)) as conn:
                yield conn
        except sqlite3.IntegrityError as exc:
            raise StoreConflictError(f"Conversation database {self.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc

    def prepare(self, conn: Connection) -> None:
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

    def begin_write(self, conn: Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")

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


class _PostgresConnection:
    """A psycopg connection that takes the store's qmark placeholders."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql.replace("?", "%s"), tuple(params))

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.conn.info.transaction_status != TransactionStatus.IDLE)


def redact(url: str) -> str:
    """A database URL fit for a message: the password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class PostgresDatabase:
    """A PostgreSQL server, for several app servers sharing one store (DATABASE_URL)."""

    autoid = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"

    def __init__(self, url: str, connect_timeout: int = 10) -> None:
        if urlsplit(url).scheme not in ("postgres", "postgresql"):
            raise StoreError(f"DATABASE_URL must be a postgresql:// URL, not {redact(url)!r}")
        self.url = url
        self.name = redact(url)
        self.connect_timeout = connect_timeout

    @contextmanager
    def connect(self) -> Iterator[_PostgresConnection]:
        import psycopg

        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=self.connect_timeout)
        except psycopg.OperationalError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(
                f"Cannot reach the conversation database {self.name} ({first}) — "
                "check DATABASE_URL and that the PostgreSQL server is running"
            ) from exc
        try:
            with conn:
                yield _PostgresConnection(conn)
        except psycopg.errors.UniqueViolation as exc:
            raise StoreConflictError(f"Conversation database {self.name}: {exc}") from exc
        except psycopg.Error as exc:
            raise StoreError(f"Conversation database {self.name}: {exc}") from exc

    def prepare(self, conn: Connection) -> None:
        return None

    def begin_write(self, conn: Connection) -> None:
        conn.execute("BEGIN")
        conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))


def open_database(location: Path | str) -> Database:
    """A PostgreSQL database for a postgres(ql):// URL, otherwise an SQLite file at that path."""
    text = str(location)
    if urlsplit(text).scheme in ("postgres", "postgresql"):
        return PostgresDatabase(text)
    return SQLiteDatabase(location)
