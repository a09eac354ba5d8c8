"""The part every repository shares: one database, a connection per call, UTC timestamps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pattern_guide.store.database import Database


def now() -> str:
    """The current UTC time as stored (ISO 8601, microseconds)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class Repository:
    """Reads and writes one kind of record in a database that is already migrated."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def where(self) -> str:
        """The database, as messages name it (a path, or a URL without its password)."""
        return self.db.name

    def _connect(self) -> Any:
        """A fresh connection; driver errors become a StoreError that names the database."""
        return self.db.connect()
