"""Group commit for one SQLite file: the writes of many threads, one transaction, one fsync.

SQLite takes one writer per file, and each commit waits for the disk. A room of a hundred
people saving at once would queue a hundred commits; instead, the threads of this process take
turns on one writing connection, each write inside its own SAVEPOINT of a shared transaction,
and the first of them (the leader) commits once the queue behind it is empty (or the batch is
full). Each caller returns only after that COMMIT, so an acknowledged write is on disk as
surely as with a commit of its own; a write that fails is rolled back to its savepoint alone.
With nobody waiting, the leader commits at once: a single user waits for nothing.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

MAX_BATCH = 64  # writes per commit
MAX_GATHER_S = 0.02  # the longest a leader waits for the queue behind it


class _Batch:
    """One shared transaction: how many writes are in it, and how its COMMIT went."""

    def __init__(self) -> None:
        self.size = 0
        self.done = threading.Event()
        self.error: BaseException | None = None


class GroupWriter:
    """This process's one writing connection to one SQLite file, shared by its threads in turn."""

    def __init__(self, path: Path, busy_ms: int) -> None:
        self.path = path
        self.busy_ms = busy_ms
        self.lock = threading.Lock()  # held while a thread uses the connection
        self._conn: sqlite3.Connection | None = None
        self._inode: tuple[int, int] | None = None
        self._batch: _Batch | None = None
        self._waiting = 0
        self._count = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        """The writing connection, reopened if the file was replaced since (moved aside, restored)."""
        try:
            stat = os.stat(self.path)
            inode: tuple[int, int] | None = (stat.st_dev, stat.st_ino)
        except OSError:
            inode = None
        if self._conn is not None and inode != self._inode:
            self.drop()
        if self._conn is None:
            self._conn = sqlite3.connect(
                self.path, timeout=self.busy_ms / 1000, isolation_level=None, check_same_thread=False
            )
            self._inode = inode
        return self._conn

    def drop(self) -> None:
        """Forget the connection (after an error that may have left it unusable)."""
        if self._conn is not None:
            with suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None

    @contextmanager
    def write(
        self, deadline: float, begin: Callable[[sqlite3.Connection, float], None], on_busy: Callable[[], Exception]
    ) -> Iterator[sqlite3.Connection]:
        """One write in the shared transaction; returns once it is committed, raises if it is not."""
        with self._count:
            self._waiting += 1
        got = self.lock.acquire(timeout=max(0.0, deadline - time.monotonic()))
        with self._count:
            self._waiting -= 1
        if not got:
            raise on_busy()
        leader, failure = False, None
        try:
            if self._batch is None:
                conn = self._connection()
                try:
                    begin(conn, deadline)
                except BaseException:
                    if not conn.in_transaction:
                        self.drop()
                    raise
                self._batch, leader = _Batch(), True
            batch, conn = self._batch, self._connection_in_use()
            conn.execute("SAVEPOINT write")
            try:
                yield conn
                conn.execute("RELEASE write")
                batch.size += 1
            except BaseException as exc:
                failure = exc
                try:
                    conn.execute("ROLLBACK TO write")
                    conn.execute("RELEASE write")
                except sqlite3.Error as broken:  # the transaction itself is gone: the whole batch fails
                    batch.error = broken
                if _read_only(exc):  # SQLite opened the file read-only: no write in this batch can succeed
                    batch.error = exc
        finally:
            self.lock.release()
        if leader:
            self._commit(batch)
        else:
            batch.done.wait()
        if failure is not None:
            raise failure
        if batch.error is not None:
            raise batch.error

    def _connection_in_use(self) -> sqlite3.Connection:
        assert self._conn is not None  # a batch is open only on an open connection
        return self._conn

    def _commit(self, batch: _Batch) -> None:
        """Let the threads queued behind join the batch, then commit it for all of them."""
        started = time.monotonic()
        try:
            while self._waiting and batch.size < MAX_BATCH and time.monotonic() - started < MAX_GATHER_S:
                time.sleep(0.0005)
            with self.lock:
                self._batch = None
                conn = self._connection_in_use()
                if batch.error is not None:
                    with suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    if _read_only(batch.error):  # reopen next time: the file may be writable again
                        self.drop()
                    return
                try:
                    conn.execute("COMMIT")
                except BaseException as exc:
                    batch.error = exc
                    with suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    self.drop()
        finally:
            batch.done.set()


def _read_only(exc: BaseException) -> bool:
    """A connection SQLite opened read-only (the file was not writable then) stays so until reopened."""
    return isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc).replace(" ", "").lower()


_WRITERS: dict[Path, GroupWriter] = {}
_WRITERS_GUARD = threading.Lock()


def group_writer(path: Path, busy_ms: int) -> GroupWriter:
    """The one writer per SQLite file in this process, however many stores have it open."""
    key = path.resolve()
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(key, GroupWriter(key, busy_ms))
