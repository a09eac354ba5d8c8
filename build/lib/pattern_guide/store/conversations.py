"""Conversations: the whole guided conversation, kept under its id."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from pydantic import ValidationError

from pattern_guide.conversation.state import GuideState
from pattern_guide.errors import StoreError
from pattern_guide.store.base import Repository, now


class Recent(NamedTuple):
    """A saved conversation as a list of recent ones shows it."""

    id: str
    situation: str
    updated_at: dt.datetime


class ConversationRepository(Repository):
    """Saved conversations: one row per conversation, its state as JSON."""

    def save(self, state: GuideState) -> None:
        """Insert or replace the whole conversation state."""
        stamp = now()
        with self._connect() as conn:
            conn.execute(
                """INSERT INTO conversations (id, situation, pattern, stage, state, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET situation = excluded.situation, pattern = excluded.pattern,
                       stage = excluded.stage, state = excluded.state, updated_at = excluded.updated_at""",
                (state.id, state.situation, state.pattern, state.stage.value, state.model_dump_json(), stamp, stamp),
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
                f"Conversation {id} in {self.where} cannot be read ({exc.error_count()} problems, first: "
                f"{exc.errors()[0]['msg']}) — start a new conversation (the unreadable one is left as it is)"
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
            return bool(conn.execute("DELETE FROM conversations WHERE id = ?", (id,)).rowcount > 0)
