"""The join throttle's memory: wrong codes per browser, kept in the database.

Kept server-side (not only in a Streamlit session) so that a reload, a new tab or a second app
server does not reset it; the bounds and the reasoning are in :mod:`pattern_guide.workshop.codes`.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from pattern_guide.store.base import Repository
from pattern_guide.workshop.codes import JOIN_TRIES, JOIN_WINDOW_S, SERVER_TRIES, join_wait


def client_key(client: str) -> str:
    """How a browser is kept: a hash of what identifies it, never the cookie itself."""
    return hashlib.sha256(client.encode("utf-8", "replace")).hexdigest()[:32]


class JoinThrottle(Repository):
    """Wrong join codes: how many, from whom, and how long a browser must now wait."""

    def join_wait_s(self, client: str, at: dt.datetime | None = None) -> float:
        """Seconds this browser must wait before trying another code (0 = go ahead)."""
        when = at or dt.datetime.now(dt.UTC)
        since = (when - dt.timedelta(seconds=JOIN_WINDOW_S)).isoformat(timespec="microseconds")
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT failed_at, client FROM workshop_join_failures WHERE failed_at > ? ORDER BY failed_at",
                (since,),
            ).fetchall()
        everyone = [dt.datetime.fromisoformat(r[0]) for r in rows]
        mine = [t for t, r in zip(everyone, rows, strict=True) if r[1] == client_key(client)]
        return max(join_wait(mine, JOIN_TRIES, when), join_wait(everyone, SERVER_TRIES, when))

    def record_wrong_code(self, client: str, at: dt.datetime | None = None) -> None:
        """Count one wrong code against this browser, and forget those older than the window."""
        when = at or dt.datetime.now(dt.UTC)
        since = (when - dt.timedelta(seconds=JOIN_WINDOW_S)).isoformat(timespec="microseconds")
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM workshop_join_failures WHERE failed_at <= ?", (since,))
            conn.execute(
                "INSERT INTO workshop_join_failures (client, failed_at) VALUES (?, ?)",
                (client_key(client), when.isoformat(timespec="microseconds")),
            )
