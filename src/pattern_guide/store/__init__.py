"""Persistence: conversations, self-assessments and workshops survive a reload and a restart.

A connection per call (on PostgreSQL, lent by a bounded pool) and one short transaction per
write, so the store can be shared by Streamlit's threads (and, on PostgreSQL, by several app
servers) and a room saving at once queues rather than fails. ``database`` is the SQLite file or PostgreSQL server,
``schema`` its tables and migrations, and one repository each keeps conversations,
assessments, workshops and the minted owners and share links; :class:`ConversationStore` opens
the database once and is all of them.
"""

from __future__ import annotations

from pathlib import Path

from pattern_guide.errors import StoreError
from pattern_guide.store.assessments import AssessmentRepository
from pattern_guide.store.conversations import ConversationRepository, Recent
from pattern_guide.store.database import Database, open_database
from pattern_guide.store.facilitation import FacilitationRepository
from pattern_guide.store.schema import migrate
from pattern_guide.store.shares import Share, ShareKind, ShareRepository

__all__ = ["ConversationStore", "Recent", "Share", "ShareKind"]


class ConversationStore(ConversationRepository, AssessmentRepository, FacilitationRepository, ShareRepository):
    """Conversations, assessments, workshops and share links, in an SQLite file or a PostgreSQL database."""

    def __init__(self, location: Path | str | Database) -> None:
        db = open_database(location) if isinstance(location, Path | str) else location
        super().__init__(db)
        with self._connect() as conn:
            self.db.prepare(conn)
            try:
                migrate(conn, self.db)
            except StoreError as exc:  # a schema this version does not know
                raise StoreError(f"Conversation database {self.where}: {exc}") from None
