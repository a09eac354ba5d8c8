"""Workshops: the workshop, its participants, their answers and votes — every read scoped to one workshop."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid

from pattern_guide.errors import StoreConflictError, StoreError
from pattern_guide.store.base import Repository, now
from pattern_guide.workshop.codes import new_code, normalise_code
from pattern_guide.workshop.model import Participant, Workshop, WorkshopAnswer


class WorkshopRepository(Repository):
    """Workshops and everything in them. A workshop's data is visible only to that workshop."""

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
        stamp = now()
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
                        (workshop_id, participant_id, slug, int(sign), str(answer), stamp),
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
                (workshop_id, participant_id, slug, now()),
            )

    def votes(self, workshop_id: str) -> dict[str, str]:
        """Participant id -> the pattern they voted for, in this workshop."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT participant_id, pattern_slug FROM workshop_votes WHERE workshop_id = ?", (workshop_id,)
            ).fetchall()
        return {r[0]: r[1] for r in rows}
