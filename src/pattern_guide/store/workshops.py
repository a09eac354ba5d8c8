"""Workshops: the workshop, its participants, their answers and votes — every read scoped to one workshop.

Every write is one short transaction that first checks, under a row lock, that the workshop is
still open and the participant still in it: once the facilitator closes a workshop nothing in it
changes, so its report is final; a removed participant's answers and votes no longer count.
A browser keeps one seat per workshop (its ``client`` key), so joining again continues it.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from typing import Any

from pattern_guide.errors import InputError, StoreConflictError, StoreError, WorkshopError
from pattern_guide.store.base import now
from pattern_guide.store.joining import JoinThrottle, client_key
from pattern_guide.vitality.signs import Answer
from pattern_guide.workshop.codes import MAX_NAME, MAX_PARTICIPANTS, MAX_TITLE, new_code, normalise_code, plausible_code
from pattern_guide.workshop.model import Participant, Workshop, WorkshopAnswer
from pattern_guide.workshop.timer import StepTimer

MAX_SIGNS = 100  # no pattern has more; a bound on what one form may carry
CLOSED = "This workshop has been closed by its facilitator — its answers and votes are now read-only."
REMOVED = "The facilitator has taken you out of this workshop — ask them if that was a mistake."


def _workshop(row: Any) -> Workshop:
    return Workshop(
        id=row[0],
        code=row[1],
        key=row[2],
        title=row[3],
        patterns=json.loads(row[4]),
        focus=row[5],
        step=row[6],
        created_at=dt.datetime.fromisoformat(row[7]),
        closed_at=dt.datetime.fromisoformat(row[8]) if row[8] else None,
        max_participants=row[9],
        context=row[10],
        notes_shown=bool(row[11]),
        timer=StepTimer(
            total_s=row[12],
            used_s=row[13],
            running_since=dt.datetime.fromisoformat(row[14]) if row[14] else None,
        ),
    )


def _participant(row: Any) -> Participant:
    return Participant(id=row[0], workshop_id=row[1], name=row[2], joined_at=dt.datetime.fromisoformat(row[3]))


class WorkshopRepository(JoinThrottle):
    """Workshops and everything in them. A workshop's data is visible only to that workshop."""

    def create_workshop(self, title: str, patterns: list[str], max_participants: int = MAX_PARTICIPANTS) -> Workshop:
        """Open a workshop with a fresh join code and facilitator key."""
        if not patterns:
            raise InputError("a workshop needs at least one pattern")
        if not title.strip():
            raise InputError("a workshop needs a title")
        if len(title.strip()) > MAX_TITLE:
            raise InputError(f"a workshop title has at most {MAX_TITLE} characters — shorten it")
        if not 1 <= max_participants <= 10_000:
            raise InputError("a workshop takes between 1 and 10,000 participants")
        for _ in range(20):
            workshop = Workshop(
                id=uuid.uuid4().hex,
                code=new_code(),
                key=secrets.token_urlsafe(16),
                title=title.strip(),
                patterns=list(dict.fromkeys(patterns)),
                created_at=dt.datetime.now(dt.UTC),
                max_participants=max_participants,
            )
            try:
                with self.db.transaction() as conn:
                    conn.execute(
                        """INSERT INTO workshops (id, code, key, title, patterns, focus, step, created_at,
                                                  max_participants)
                           VALUES (?, ?, ?, ?, ?, NULL, 0, ?, ?)""",
                        (
                            workshop.id,
                            workshop.code,
                            workshop.key,
                            workshop.title,
                            json.dumps(workshop.patterns),
                            workshop.created_at.isoformat(),
                            max_participants,
                        ),
                    )
                return workshop
            except StoreConflictError:
                continue
        raise StoreError(f"Could not find a free workshop code in {self.where} — try again")

    def workshop(self, code: str) -> Workshop | None:
        """The workshop with this join code (case and spaces ignored), or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, code, key, title, patterns, focus, step, created_at, closed_at, max_participants, "
                "context, notes_shown, timer_total_s, timer_used_s, timer_running_since FROM workshops WHERE code = ?",
                (normalise_code(code),),
            ).fetchone()
        return None if row is None else _workshop(row)

    def workshop_to_join(self, code: str, client: str) -> Workshop:
        """The open workshop with this code, for this browser — or a WorkshopError that says why not.

        Wrong (or closed) codes count against the browser; past the bound it is told how long to wait.
        """
        wait = self.join_wait_s(client)
        if wait > 0:
            raise WorkshopError(
                f"Too many wrong codes from this browser — wait {wait:.0f} seconds, then try again.", wait_s=wait
            )
        found = self.workshop(code) if plausible_code(code) else None
        if found is None or found.closed:
            self.record_wrong_code(client)
            shown = normalise_code(code)[:12] or "(empty)"
            if found is not None:
                raise WorkshopError(f"The workshop {shown} has been closed — its code no longer lets anyone in.")
            raise WorkshopError(f"No workshop has the code {shown} — check it with your facilitator.")
        return found

    def set_walkthrough(self, workshop_id: str, focus: str | None, step: int) -> None:
        """Where the facilitator has taken the room: which pattern, which step (0 = not started)."""
        if step < 0:
            raise ValueError("step must be 0 or more")
        with self.db.transaction() as conn:
            conn.execute(  # a new step starts its countdown afresh, stopped, with the same length
                "UPDATE workshops SET focus = ?, step = ?, timer_used_s = 0, timer_running_since = NULL WHERE id = ?",
                (focus, step, workshop_id),
            )

    def close_workshop(self, workshop_id: str) -> None:
        """Close the workshop: its code stops working, answers and votes become read-only."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE workshops SET closed_at = ? WHERE id = ? AND closed_at IS NULL", (now(), workshop_id))

    def _open_workshop(self, conn: Any, workshop_id: str, lock: str) -> Any:
        """The workshop's row, locked until COMMIT; a WorkshopError if it is gone or closed."""
        row = conn.execute(
            "SELECT closed_at, max_participants, patterns FROM workshops WHERE id = ?" + lock,  # noqa: S608 — a lock clause
            (workshop_id,),
        ).fetchone()
        if row is None:
            raise WorkshopError("This workshop no longer exists — ask your facilitator for the code.")
        if row[0] is not None:
            raise WorkshopError(CLOSED)
        return row

    def _check_seat(self, conn: Any, workshop_id: str, participant_id: str) -> Any:
        """The open workshop's row, once the participant is known to still be in it (both rows locked)."""
        query = (
            "SELECT w.closed_at, w.max_participants, w.patterns, p.removed_at FROM workshops w "  # noqa: S608 — a lock clause
            "JOIN workshop_participants p ON p.workshop_id = w.id WHERE w.id = ? AND p.id = ?" + self.db.for_share
        )
        row = conn.execute(query, (workshop_id, participant_id)).fetchone()
        if row is None:
            self._open_workshop(conn, workshop_id, "")  # says so if the workshop is gone or closed
            raise WorkshopError("You are not a participant of this workshop — join it first.")
        if row[0] is not None:
            raise WorkshopError(CLOSED)
        if row[3] is not None:
            raise WorkshopError(REMOVED)
        return row

    def join_workshop(
        self, workshop_id: str, name: str, client: str | None = None, numbered: bool = False
    ) -> Participant:
        """Add a participant, or continue the one this browser (``client``) already has here.

        The name is only what they chose to be called; a blank one is "Participant", or with
        ``numbered`` "Participant N" (the Nth to join). A closed or full workshop refuses.
        """
        key = client_key(client) if client else None
        with self.db.transaction() as conn:
            row = self._open_workshop(conn, workshop_id, self.db.for_update)  # joins to one workshop queue here
            if key is not None:
                seat = conn.execute(
                    "SELECT id, workshop_id, name, joined_at, removed_at FROM workshop_participants "
                    "WHERE workshop_id = ? AND client = ?",
                    (workshop_id, key),
                ).fetchone()
                if seat is not None:
                    if seat[4] is not None:
                        raise WorkshopError(REMOVED)
                    return _participant(seat)
            (count,) = conn.execute(
                "SELECT COUNT(*) FROM workshop_participants WHERE workshop_id = ? AND removed_at IS NULL",
                (workshop_id,),
            ).fetchone()
            if count >= row[1]:
                raise WorkshopError(
                    f"This workshop is full ({row[1]} participants) — ask your facilitator to make room."
                )
            called = " ".join(name.split())[:MAX_NAME]
            if not called and numbered:
                (ever,) = conn.execute(
                    "SELECT COUNT(*) FROM workshop_participants WHERE workshop_id = ?", (workshop_id,)
                ).fetchone()
                called = f"Participant {ever + 1}"
            participant = Participant(
                id=secrets.token_urlsafe(16),  # 128 bits: the participant's URL is their key
                workshop_id=workshop_id,
                name=called or "Participant",
                joined_at=dt.datetime.now(dt.UTC),
            )
            conn.execute(
                "INSERT INTO workshop_participants (id, workshop_id, name, joined_at, client) VALUES (?, ?, ?, ?, ?)",
                (participant.id, workshop_id, participant.name, participant.joined_at.isoformat(), key),
            )
        return participant

    def seat(self, workshop_id: str, client: str) -> Participant | None:
        """The participant this browser already has in this workshop, if any (and not removed)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, workshop_id, name, joined_at FROM workshop_participants "
                "WHERE workshop_id = ? AND client = ? AND removed_at IS NULL",
                (workshop_id, client_key(client)),
            ).fetchone()
        return None if row is None else _participant(row)

    def participant(self, workshop_id: str, participant_id: str) -> Participant | None:
        """A participant of this workshop (None for an id from another workshop, or one removed)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, workshop_id, name, joined_at FROM workshop_participants "
                "WHERE id = ? AND workshop_id = ? AND removed_at IS NULL",
                (participant_id, workshop_id),
            ).fetchone()
        return None if row is None else _participant(row)

    def participants(self, workshop_id: str) -> list[Participant]:
        """Everyone in the workshop, in the order they joined (the removed left out)."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, workshop_id, name, joined_at FROM workshop_participants WHERE workshop_id = ? "
                "AND removed_at IS NULL ORDER BY joined_at, id",
                (workshop_id,),
            ).fetchall()
        return [_participant(r) for r in rows]

    def remove_participant(self, workshop_id: str, participant_id: str) -> bool:
        """Take a participant out: their answers and vote stop counting and they cannot rejoin from that browser."""
        with self.db.transaction() as conn:
            self._open_workshop(conn, workshop_id, self.db.for_update)
            done = conn.execute(
                "UPDATE workshop_participants SET removed_at = ? "
                "WHERE id = ? AND workshop_id = ? AND removed_at IS NULL",
                (now(), participant_id, workshop_id),
            ).rowcount
            gone = (workshop_id, participant_id)
            conn.execute("DELETE FROM workshop_answers WHERE workshop_id = ? AND participant_id = ?", gone)
            conn.execute("DELETE FROM workshop_votes WHERE workshop_id = ? AND participant_id = ?", gone)
        return bool(done)

    def save_workshop_answers(self, workshop_id: str, participant_id: str, slug: str, answers: dict[int, str]) -> None:
        """A participant's answers to one pattern's signs (sign position -> answer), in one transaction;
        later answers replace earlier."""
        rows = sorted(_checked_answers(answers).items())  # one order for every writer: no deadlock
        stamp = now()
        with self.db.transaction() as conn:
            row = self._check_seat(conn, workshop_id, participant_id)
            if slug not in json.loads(row[2]):
                raise InputError(f"'{slug}' is not one of this workshop's patterns")
            if not rows:
                return
            # The whole form in one statement: one round trip to a server, however many signs.
            conn.execute(
                "INSERT INTO workshop_answers (workshop_id, participant_id, pattern_slug, sign, answer, updated_at) "
                "VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(rows)) + " "  # noqa: S608 — placeholders only
                "ON CONFLICT (workshop_id, participant_id, pattern_slug, sign) "
                "DO UPDATE SET answer = excluded.answer, updated_at = excluded.updated_at",
                [v for sign, answer in rows for v in (workshop_id, participant_id, slug, sign, answer, stamp)],
            )

    def workshop_answers(self, workshop_id: str, participant_id: str | None = None) -> list[WorkshopAnswer]:
        """Every answer in this workshop, or one participant's (the removed's answers never count)."""
        query = (
            "SELECT a.participant_id, a.pattern_slug, a.sign, a.answer FROM workshop_answers a "
            "JOIN workshop_participants p ON p.id = a.participant_id AND p.workshop_id = a.workshop_id "
            "WHERE a.workshop_id = ? AND p.removed_at IS NULL"
        )
        args: tuple[str, ...] = (workshop_id,)
        if participant_id is not None:
            query += " AND a.participant_id = ?"
            args += (participant_id,)
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY a.pattern_slug, a.sign, a.participant_id", args).fetchall()
        return [WorkshopAnswer(participant_id=r[0], pattern_slug=r[1], sign=r[2], answer=r[3]) for r in rows]

    def vote(self, workshop_id: str, participant_id: str, slug: str) -> None:
        """A participant's one vote for the pattern to work on; a new vote replaces the old one."""
        with self.db.transaction() as conn:
            row = self._check_seat(conn, workshop_id, participant_id)
            if slug not in json.loads(row[2]):
                raise InputError(f"'{slug}' is not one of this workshop's patterns")
            conn.execute(
                """INSERT INTO workshop_votes (workshop_id, participant_id, pattern_slug, updated_at)
                   VALUES (?, ?, ?, ?)
                   ON CONFLICT (workshop_id, participant_id)
                   DO UPDATE SET pattern_slug = excluded.pattern_slug, updated_at = excluded.updated_at""",
                (workshop_id, participant_id, slug, now()),
            )

    def votes(self, workshop_id: str) -> dict[str, str]:
        """Participant id -> the pattern they voted for, in this workshop (one each; the removed left out)."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT v.participant_id, v.pattern_slug FROM workshop_votes v "
                "JOIN workshop_participants p ON p.id = v.participant_id AND p.workshop_id = v.workshop_id "
                "WHERE v.workshop_id = ? AND p.removed_at IS NULL",
                (workshop_id,),
            ).fetchall()
        return {r[0]: r[1] for r in rows}


def _checked_answers(answers: dict[int, str]) -> dict[int, str]:
    """The answers as stored, or an InputError naming what is wrong and what is allowed."""
    if len(answers) > MAX_SIGNS:
        raise InputError(f"one form carries at most {MAX_SIGNS} answers")
    allowed = [a.value for a in Answer]
    out: dict[int, str] = {}
    for sign, answer in answers.items():
        if not isinstance(sign, int) or not 0 <= sign < MAX_SIGNS:
            raise InputError(f"sign {sign!r} is not a sign position (0 to {MAX_SIGNS - 1})")
        if str(answer) not in allowed:
            raise InputError(f"'{str(answer)[:20]}' is not an answer — use one of {', '.join(allowed)}")
        out[sign] = str(answer)
    return out
