"""Conversations: the state of the guided conversation under its id, and its turns appended one by one.

Two tabs (or two devices) on one conversation both keep their turns: each save says which
version it started from; when another save came first, the two are merged — the other's
turns, then this one's — and saved as the next version. Nothing acknowledged is lost.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from pattern_guide.conversation.state import GuideState, Message
from pattern_guide.errors import StoreError
from pattern_guide.store.base import Repository, now

# The message list lives in conversation_turns; the rest of the state is one small JSON row.
_NOT_IN_ROW = {"messages", "version", "saved_turns"}
MAX_MERGES = 50  # a save that keeps losing the race this often is a fault, not bad luck


class Recent(NamedTuple):
    """A saved conversation as a list of recent ones shows it."""

    id: str
    situation: str
    updated_at: dt.datetime


def merged(stored: GuideState, mine: GuideState) -> GuideState:
    """``mine`` saved on top of a newer ``stored``: the stored turns, then mine; notes and skips of both.

    Where the conversation stands (stage, pattern, step) is mine — the tab that acted last.
    """
    new_turns = mine.messages[mine.saved_turns :]
    return mine.model_copy(
        update={
            "messages": [*stored.messages, *new_turns],
            "notes": {**stored.notes, **mine.notes},
            "skipped": sorted(set(stored.skipped) | set(mine.skipped)),
            "version": stored.version,
            "saved_turns": stored.saved_turns,
        }
    )


def _clean(value: Any) -> Any:
    """PostgreSQL refuses NUL in text; nothing a person types needs one."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _json(model: BaseModel, exclude: set[str] | None = None) -> str:
    return json.dumps(_clean(model.model_dump(mode="json", exclude=exclude)), ensure_ascii=False)


class ConversationRepository(Repository):
    """Saved conversations: a row per conversation (its state and version), a row per turn."""

    def save(self, state: GuideState) -> GuideState:
        """Save the new turns and the state; return what is now stored (merged if another tab saved first).

        The state passed in is updated to what is stored (and returned): its version and turn count
        are where its next save starts.
        """
        original = state
        for attempt in range(MAX_MERGES):
            if self._try_save(state):
                if state is not original:  # the caller's object becomes what is stored
                    for name in type(state).model_fields:
                        setattr(original, name, getattr(state, name))
                return original
            time.sleep(random.uniform(0, 0.002 * attempt))  # writers that collided spread out
            stored = self.load(state.id)
            if stored is None:  # deleted meanwhile: save it afresh
                state = state.model_copy(update={"version": 0, "saved_turns": 0})
                continue
            state = merged(stored, state)
        raise StoreError(f"Conversation {state.id} in {self.where} kept changing under this save — try again")

    def _try_save(self, state: GuideState) -> bool:
        """One transaction: bump the version if it is still the one this state started from, append new turns."""
        stamp = now()
        row = _json(state, _NOT_IN_ROW)
        situation = _clean(state.situation)
        new_turns = state.messages[state.saved_turns :]
        with self.db.transaction() as conn:
            if state.version == 0:
                done = conn.execute(
                    """INSERT INTO conversations
                           (id, situation, pattern, stage, state, version, created_at, updated_at)
                       VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (id) DO NOTHING""",
                    (state.id, situation, state.pattern, state.stage.value, row, stamp, stamp),
                ).rowcount
            else:
                done = conn.execute(
                    """UPDATE conversations SET situation = ?, pattern = ?, stage = ?, state = ?,
                           version = version + 1, updated_at = ?
                       WHERE id = ? AND version = ?""",
                    (situation, state.pattern, state.stage.value, row, stamp, state.id, state.version),
                ).rowcount
            if done != 1:  # another save came first: nothing was written, the caller merges and retries
                return False
            for seq, message in enumerate(new_turns, start=state.saved_turns):
                conn.execute(
                    """INSERT INTO conversation_turns (conversation_id, seq, message, created_at)
                       VALUES (?, ?, ?, ?)""",
                    (state.id, seq, _json(message), stamp),
                )
        state.version += 1
        state.saved_turns = len(state.messages)
        return True

    def version(self, id: str) -> int | None:
        """The stored version of a conversation (cheap: a page asks on every rerun), or None if there is none."""
        with self._connect() as conn:
            row = conn.execute("SELECT version FROM conversations WHERE id = ?", (id,)).fetchone()
        return None if row is None else int(row[0])

    def load(self, id: str) -> GuideState | None:
        """The saved conversation with this id, or None if there is none."""
        with self._connect() as conn:
            row = conn.execute("SELECT state, version FROM conversations WHERE id = ?", (id,)).fetchone()
            if row is None:
                return None
            turns = conn.execute(
                "SELECT message FROM conversation_turns WHERE conversation_id = ? ORDER BY seq", (id,)
            ).fetchall()
        try:
            state = GuideState.model_validate_json(row[0])
            if turns:
                state.messages = [Message.model_validate_json(t[0]) for t in turns]
            # A row saved before turns had their own table holds its messages itself; the next save moves them.
            state.saved_turns = len(turns)
            state.version = int(row[1])
        except ValidationError as exc:
            raise StoreError(
                f"Conversation {id} in {self.where} cannot be read ({exc.error_count()} problems, first: "
                f"{exc.errors()[0]['msg']}) — start a new conversation (the unreadable one is left as it is)"
            ) from None
        return state

    def exists(self, id: str) -> bool:
        """Whether a conversation is stored under this id."""
        return self.version(id) is not None

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
        """Remove a conversation and its turns; True if there was one."""
        with self._connect() as conn:
            conn.execute("DELETE FROM conversation_turns WHERE conversation_id = ?", (id,))
            return bool(conn.execute("DELETE FROM conversations WHERE id = ?", (id,)).rowcount > 0)
