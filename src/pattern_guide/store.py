"""Persistence: conversations, self-assessments and workshops survive a reload and a restart.

One short-lived connection per call, so the store can be shared by Streamlit's threads (and,
on PostgreSQL, by several app servers). The database itself is in ``database.py``; the
schema and its migrations in ``schema.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from pattern_guide.database import Database, PostgresDatabase, SQLiteDatabase, open_database
from pattern_guide.errors import StoreConflictError, StoreError
from pattern_guide.schema import migrate
from pattern_guide.state import GuideState
from pattern_guide.vitality import VitalityReading
from pattern_guide.workshop import Participant, Workshop, WorkshopAnswer, new_code, normalise_code


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


class ConversationStore:
    """Conversations, assessments and workshops, in an SQLite file or a PostgreSQL database."""

    def __init__(self, location: Path | str | Database) -> None:
        self.db = location if isinstance(location, SQLiteDatabase | PostgresDatabase) else open_database(location)
        with self._connect() as conn:
            self.db.prepare(conn)
            try:
                migrate(conn, self.db)
            except StoreError as exc:  # a schema this version does not know
                raise StoreError(f"Conversation database {self.where}: {exc}") from None

    @property
    def where(self) -> str:
        """The database, as messages name it (a path, or a URL without its password)."""
        return self.db.name

    def _connect(self) -> Any:
        """A fresh connection; driver errors become a StoreError that names the database."""
        return self.db.connect()

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
                f"Conversation {id} in {self.where} cannot be read ({exc.error_count()} problems, first: "
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
            row = conn.execute(
                """INSERT INTO assessments (pattern_slug, owner, answers, reading, score, level, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                (
                    pattern_slug,
                    owner,
                    json.dumps(answers, ensure_ascii=False),
                    reading.model_dump_json(),
                    reading.score,
                    reading.level,
                    _now(),
                ),
            ).fetchone()
            return int(row[0])

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
                    f"Assessment {row[0]} of '{pattern_slug}' in {self.where} cannot be read ({exc}) — "
                    "the database was edited by hand or by a newer version"
                ) from None
        return out

    # --- workshops --------------------------------------------------------------------------------------
    # Every read is scoped to one workshop id: a workshop's data is visible only to that workshop.

    def create_workshop(self, title: str, patterns: list[str]) -> Workshop:
        """Open a workshop with a fresh join code and facilitator key."""
        if not patterns:
            raise ValueError("a workshop needs at least one pattern")
        if not title.strip():
            raise ValueError("a workshop needs a title")
        for _ in range(20):
            workshop = Workshop(
                id=uuid.uuid4().hex,
                code=new_code(),
                key=secrets.token_urlsafe(16),
                title=title.strip(),
                patterns=list(dict.fromkeys(patterns)),
                created_at=dt.datetime.now(dt.UTC),
            )
            try:
                with self._connect() as conn:
                    conn.execute(
                        """INSERT INTO workshops (id, code, key, title, patterns, focus, step, created_at)
                           VALUES (?, ?, ?, ?, ?, NULL, 0, ?)""",
                        (
                            workshop.id,
                            workshop.code,
                            workshop.key,
                            workshop.title,
                            json.dumps(workshop.patterns),
                            workshop.created_at.isoformat(),
                        ),
                    )
                return workshop
            except StoreError as exc:
                if not isinstance(exc, StoreConflictError):
                    raise
        raise StoreError(f"Could not find a free workshop code in {self.where} — try again")

    def workshop(self, code: str) -> Workshop | None:
        """The workshop with this join code (case and spaces ignored), or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, code, key, title, patterns, focus, step, created_at FROM workshops WHERE code = ?",
                (normalise_code(code),),
            ).fetchone()
        if row is None:
            return None
        return Workshop(
            id=row[0],
            code=row[1],
            key=row[2],
            title=row[3],
            patterns=json.loads(row[4]),
            focus=row[5],
            step=row[6],
            created_at=dt.datetime.fromisoformat(row[7]),
        )

    def set_walkthrough(self, workshop_id: str, focus: str | None, step: int) -> None:
        """Where the facilitator has taken the room: which pattern, which step (0 = not started)."""
        if step < 0:
            raise ValueError("step must be 0 or more")
        with self._connect() as conn:
            conn.execute("UPDATE workshops SET focus = ?, step = ? WHERE id = ?", (focus, step, workshop_id))

    def join_workshop(self, workshop_id: str, name: str) -> Participant:
        """Add a participant; the name is only what they chose to be called."""
        participant = Participant(
            id=uuid.uuid4().hex[:16],
            workshop_id=workshop_id,
            name=name.strip()[:60] or "Participant",
            joined_at=dt.datetime.now(dt.UTC),
        )
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO workshop_participants (id, workshop_id, name, joined_at) VALUES (?, ?, ?, ?)",
                (participant.id, workshop_id, participant.name, participant.joined_at.isoformat()),
            )
        return participant

    def participant(self, workshop_id: str, participant_id: str) -> Participant | None:
        """A participant of this workshop (None for an id from another workshop)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, workshop_id, name, joined_at FROM workshop_participants WHERE id = ? AND workshop_id = ?",
                (participant_id, workshop_id),
            ).fetchone()
        if row is None:
            return None
        return Participant(id=row[0], workshop_id=row[1], name=row[2], joined_at=dt.datetime.fromisoformat(row[3]))

    def participants(self, workshop_id: str) -> list[Participant]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, workshop_id, name, joined_at FROM workshop_participants WHERE workshop_id = ? "
                "ORDER BY joined_at, id",
                (workshop_id,),
            ).fetchall()
        return [
            Participant(id=r[0], workshop_id=r[1], name=r[2], joined_at=dt.datetime.fromisoformat(r[3])) for r in rows
        ]

    def save_workshop_answers(self, workshop_id: str, participant_id: str, slug: str, answers: dict[int, str]) -> None:
        """A participant's answers to one pattern's signs (sign position -> answer); later answers replace earlier."""
        now = _now()
        with self._connect() as conn:
            self.db.begin_write(conn)
            try:
                for sign, answer in answers.items():
                    conn.execute(
                        """INSERT INTO workshop_answers
                               (workshop_id, participant_id, pattern_slug, sign, answer, updated_at)
                           VALUES (?, ?, ?, ?, ?, ?)
                           ON CONFLICT (workshop_id, participant_id, pattern_slug, sign)
                           DO UPDATE SET answer = excluded.answer, updated_at = excluded.updated_at""",
                        (workshop_id, participant_id, slug, int(sign), str(answer), now),
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def workshop_answers(self, workshop_id: str, participant_id: str | None = None) -> list[WorkshopAnswer]:
        """Every answer in this workshop, or one participant's."""
        query = "SELECT participant_id, pattern_slug, sign, answer FROM workshop_answers WHERE workshop_id = ?"
        args: tuple[str, ...] = (workshop_id,)
        if participant_id is not None:
            query += " AND participant_id = ?"
            args += (participant_id,)
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY pattern_slug, sign, participant_id", args).fetchall()
        return [WorkshopAnswer(participant_id=r[0], pattern_slug=r[1], sign=r[2], answer=r[3]) for r in rows]

    def vote(self, workshop_id: str, participant_id: str, slug: str) -> None:
        """A participant's vote for the pattern to work on; a new vote replaces the old one."""
        with self._connect() as conn:
            conn.execute(
                """INSERT INTO workshop_votes (workshop_id, participant_id, pattern_slug, updated_at)
                   VALUES (?, ?, ?, ?)
                   ON CONFLICT (workshop_id, participant_id)
                   DO UPDATE SET pattern_slug = excluded.pattern_slug, updated_at = excluded.updated_at""",
                (workshop_id, participant_id, slug, _now()),
            )

    def votes(self, workshop_id: str) -> dict[str, str]:
        """Participant id -> the pattern they voted for, in this workshop."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT participant_id, pattern_slug FROM workshop_votes WHERE workshop_id = ?", (workshop_id,)
            ).fetchall()
        return {r[0]: r[1] for r in rows}
