"""Where the store keeps its tables: an SQLite file (the default), or PostgreSQL via DATABASE_URL.

The store speaks one SQL to both: qmark placeholders (rewritten for PostgreSQL) and
``INSERT ... ON CONFLICT``. The few differences — opening a file, a pool of server connections,
the migration lock, an auto-numbered id, row locks — live in the two classes here. Every driver
error leaves as a StoreError that names the database (never its password) and says what to do.

Writes go through :meth:`Database.transaction`: one short transaction per call, committed on
exit. A room of a hundred people saving at once must queue, not fail: SQLite allows one writer
per file, so the threads of this process queue on a lock of their own (fair, no polling) and
only other processes are waited out by SQLite's busy handler, with a jittered retry; PostgreSQL
takes row locks, with a bounded pool of connections per server. Past the bound, the caller gets
a StoreBusyError with a plain message, and nothing of that call is written.
"""

from __future__ import annotations

import atexit
import random
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from pattern_guide.errors import StoreBusyError, StoreConflictError, StoreError
from pattern_guide.store.sqlite_writer import group_writer

BUSY_TIMEOUT_S = 30.0  # the longest a write waits for its turn before a StoreBusyError
SQLITE_BUSY_MS = 2_000  # one wait in SQLite's own busy handler (other processes), then a jittered retry
POOL_SIZE = 10  # connections per PostgreSQL server and app process
SQLITE_AUTOID = "INTEGER PRIMARY KEY AUTOINCREMENT"
WRITE_LOCK = 7_316_842  # the PostgreSQL advisory lock that serialises migrations (only them)


class Connection(Protocol):
    """What the store needs of a connection: run a statement, know whether a transaction is open."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    @property
    def in_transaction(self) -> bool: ...


class Database(Protocol):
    name: str  # for messages: a path, or a URL without its password
    autoid: str  # the column definition of an auto-numbered primary key
    for_update: str  # appended to a SELECT to lock its rows until COMMIT ("" where writes are exclusive)
    for_share: str  # the same, letting other readers lock them too

    def connect(self) -> AbstractContextManager[Any]:
        """A context manager giving a connection in autocommit mode."""
        ...

    def transaction(self) -> AbstractContextManager[Any]:
        """One short write transaction: committed when the block ends, rolled back if it raises."""
        ...

    def prepare(self, conn: Connection) -> None:
        """Once per opening, before the migrations."""
        ...

    def begin_write(self, conn: Connection) -> None:
        """Open a transaction that holds the migration lock until COMMIT or ROLLBACK."""
        ...


def _busy(exc: BaseException) -> bool:
    text = str(exc)
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _while_busy(conn: Connection, sql: str, deadline: float) -> None:
    """Run a statement, retrying with jitter while another connection holds the file, until the deadline."""
    while True:
        try:
            conn.execute(sql)
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.005, 0.05))


class SQLiteDatabase:
    """One SQLite file in WAL mode; a connection per call, so Streamlit's threads can share it."""

    autoid = SQLITE_AUTOID
    for_update = for_share = ""  # BEGIN IMMEDIATE already keeps every other writer out

    def __init__(self, path: Path | str, busy_timeout_s: float | None = None) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        self.busy_timeout_s = BUSY_TIMEOUT_S if busy_timeout_s is None else busy_timeout_s
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the folder for the conversation database {self.path}: {exc.strerror} — "
                "choose a writable location"
            ) from None
        self._writer = group_writer(self.path, SQLITE_BUSY_MS)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        try:
            with closing(sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None)) as conn:
                yield conn
        except sqlite3.IntegrityError as exc:
            raise StoreConflictError(f"Conversation database {self.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            if _busy(exc):
                raise StoreBusyError(self._explain(exc)) from exc
            raise StoreError(self._explain(exc)) from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write, committed with those of other threads writing at the same moment (group commit)."""
        deadline = time.monotonic() + self.busy_timeout_s
        try:
            with self._writer.write(
                deadline, self._begin_immediate, lambda: StoreBusyError(self._busy_message("other writers"))
            ) as conn:
                yield conn
        except sqlite3.IntegrityError as exc:
            raise StoreConflictError(f"Conversation database {self.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            if _busy(exc):
                raise StoreBusyError(self._explain(exc)) from exc
            raise StoreError(self._explain(exc)) from exc

    def _begin_immediate(self, conn: sqlite3.Connection, deadline: float) -> None:
        """Take the file's write lock, retrying with jitter while another process holds it."""
        try:
            _while_busy(conn, "BEGIN IMMEDIATE", deadline)
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                raise StoreBusyError(self._busy_message("another program writing to it")) from None
            raise

    def prepare(self, conn: Connection) -> None:
        """Switch the file to WAL (persistent, stored in the file), waiting out other openers.

        Switching needs the file to itself, and when two connections try at once SQLite answers
        "locked" at once instead of calling the busy handler (it would deadlock), so wait here.
        """
        _while_busy(conn, "PRAGMA journal_mode=WAL", time.monotonic() + self.busy_timeout_s)

    def begin_write(self, conn: Connection) -> None:
        _while_busy(conn, "BEGIN IMMEDIATE", time.monotonic() + self.busy_timeout_s)

    def _busy_message(self, why: str) -> str:
        return (
            f"The conversation database {self.path} stayed busy for {self.busy_timeout_s:.0f}s ({why}) — "
            "nothing of this was saved; please try again in a moment"
        )

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
        if _busy(exc):
            return self._busy_message(text)
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


_POOLS: dict[str, Any] = {}  # URL -> psycopg_pool.ConnectionPool, one per process
_POOLS_GUARD = threading.Lock()


def close_pools() -> None:
    """Close every PostgreSQL pool this process opened (at exit; tests and benches call it too)."""
    with _POOLS_GUARD:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.close()


atexit.register(close_pools)


class PostgresDatabase:
    """A PostgreSQL server, for several app servers sharing one store (DATABASE_URL)."""

    autoid = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    for_update, for_share = " FOR UPDATE", " FOR SHARE"

    def __init__(
        self, url: str, connect_timeout: int = 10, pool_size: int = POOL_SIZE, busy_timeout_s: float = BUSY_TIMEOUT_S
    ) -> None:
        if urlsplit(url).scheme not in ("postgres", "postgresql"):
            raise StoreError(f"DATABASE_URL must be a postgresql:// URL, not {redact(url)!r}")
        if pool_size < 1:
            raise StoreError("the PostgreSQL pool needs at least one connection")
        self.url = url
        self.name = redact(url)
        self.connect_timeout = connect_timeout
        self.pool_size = pool_size
        self.busy_timeout_s = busy_timeout_s

    def _unreachable(self, exc: BaseException) -> StoreError:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return StoreError(
            f"Cannot reach the conversation database {self.name} ({first}) — "
            "check DATABASE_URL and that the PostgreSQL server is running"
        )

    def _pool(self) -> Any:
        """This process's pool for the URL, opened on first use once one connection succeeds."""
        import psycopg
        from psycopg_pool import ConnectionPool

        with _POOLS_GUARD:
            pool = _POOLS.get(self.url)
            if pool is not None:
                return pool
            try:  # one plain connection first: a clear message at once rather than a pool's retries
                psycopg.connect(self.url, connect_timeout=self.connect_timeout).close()
            except psycopg.OperationalError as exc:
                raise self._unreachable(exc) from exc
            pool = ConnectionPool(
                self.url,
                min_size=1,
                max_size=self.pool_size,
                kwargs={"autocommit": True, "connect_timeout": self.connect_timeout},
                check=ConnectionPool.check_connection,  # a server restart costs no failed request
                timeout=self.busy_timeout_s,
                max_idle=60,
                name=self.name,
                open=False,
            )
            pool.open()
            _POOLS[self.url] = pool
            return pool

    @contextmanager
    def connect(self) -> Iterator[_PostgresConnection]:
        import psycopg
        from psycopg_pool import PoolTimeout

        pool = self._pool()
        try:
            with pool.connection() as conn:
                yield _PostgresConnection(conn)
        except PoolTimeout as exc:
            raise StoreBusyError(
                f"No connection to the conversation database {self.name} came free within "
                f"{self.busy_timeout_s:.0f}s — nothing of this was saved; please try again in a moment"
            ) from exc
        except psycopg.errors.UniqueViolation as exc:
            raise StoreConflictError(f"Conversation database {self.name}: {exc}") from exc
        except psycopg.errors.TransactionRollback as exc:  # a deadlock or serialisation failure
            raise StoreBusyError(
                f"The conversation database {self.name} was too busy to take this ({type(exc).__name__}) — "
                "nothing of this was saved; please try again in a moment"
            ) from exc
        except psycopg.OperationalError as exc:
            raise self._unreachable(exc) from exc
        except psycopg.Error as exc:
            raise StoreError(f"Conversation database {self.name}: {exc}") from exc

    @contextmanager
    def transaction(self) -> Iterator[_PostgresConnection]:
        with self.connect() as conn:
            conn.execute("BEGIN")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

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
