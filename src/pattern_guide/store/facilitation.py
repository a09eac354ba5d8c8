"""Facilitating a workshop: the room's context, the step's countdown, each participant's context
and their notes on the steps.

Notes are written like answers: one short transaction that first checks the workshop is open and
the participant still in it, so a closed workshop's notes are read-only and a removed
participant's notes stop showing. A participant keeps one note per step; a new one replaces it.
"""

from __future__ import annotations

import datetime as dt
import json

from pattern_guide.errors import InputError, WorkshopError
from pattern_guide.store.base import now
from pattern_guide.store.workshops import WorkshopRepository
from pattern_guide.workshop.codes import MAX_NOTE
from pattern_guide.workshop.model import WorkshopNote, checked_context
from pattern_guide.workshop.timer import StepTimer, timer_for


class FacilitationRepository(WorkshopRepository):
    """What the facilitator sets for the room, and what participants add to it."""

    def set_room_context(self, workshop_id: str, context: str | None) -> None:
        """The context the room is walked through in (None: the pattern's own words)."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE workshops SET context = ? WHERE id = ?", (checked_context(context), workshop_id))

    def show_notes(self, workshop_id: str, shown: bool) -> None:
        """Whether the room sees the notes (without names) on the projector and on their screens."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE workshops SET notes_shown = ? WHERE id = ?", (int(shown), workshop_id))

    # --- the step's countdown ----------------------------------------------------------------

    def _timer(self, workshop_id: str, change: str, minutes: float | None = None) -> StepTimer:
        """Read the timer under a lock, change it, write it back: two screens pressing at once agree."""
        at = dt.datetime.now(dt.UTC)
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT timer_total_s, timer_used_s, timer_running_since FROM workshops WHERE id = ?"  # noqa: S608
                + self.db.for_update,
                (workshop_id,),
            ).fetchone()
            if row is None:
                raise WorkshopError("This workshop no longer exists.")
            timer = StepTimer(
                total_s=row[0], used_s=row[1], running_since=dt.datetime.fromisoformat(row[2]) if row[2] else None
            )
            if change == "set":
                timer = timer_for(minutes or 0)
            elif change == "start":
                timer = timer.started(at)
            else:
                timer = timer.paused(at)
            since = timer.running_since.isoformat(timespec="microseconds") if timer.running_since else None
            conn.execute(
                "UPDATE workshops SET timer_total_s = ?, timer_used_s = ?, timer_running_since = ? WHERE id = ?",
                (timer.total_s, timer.used_s, since, workshop_id),
            )
        return timer

    def set_timer(self, workshop_id: str, minutes: float) -> StepTimer:
        """Give the step on screen this many minutes (stopped, nothing used yet)."""
        if not 0 < minutes <= 180:
            raise InputError("a step's timer runs between a few seconds and 180 minutes")
        return self._timer(workshop_id, "set", minutes)

    def start_timer(self, workshop_id: str) -> StepTimer:
        """Start the countdown, or resume it where it was paused."""
        return self._timer(workshop_id, "start")

    def pause_timer(self, workshop_id: str) -> StepTimer:
        """Pause the countdown, keeping the time used."""
        return self._timer(workshop_id, "pause")

    # --- participants' contexts and notes -------------------------------------------------------

    def participant_context(self, workshop_id: str, participant_id: str) -> str | None:
        """The context this participant chose to read the steps in, if any."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT context FROM workshop_participants WHERE id = ? AND workshop_id = ?",
                (participant_id, workshop_id),
            ).fetchone()
        return None if row is None else row[0]

    def set_participant_context(self, workshop_id: str, participant_id: str, context: str | None) -> None:
        """Keep the participant's context, so a reload (or another device on their link) keeps it."""
        chosen = checked_context(context)
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE workshop_participants SET context = ? WHERE id = ? AND workshop_id = ? AND removed_at IS NULL",
                (chosen, participant_id, workshop_id),
            )

    def save_note(self, workshop_id: str, participant_id: str, slug: str, step: int, text: str) -> None:
        """A participant's note or idea on one step; an empty one takes their note away."""
        text = text.strip()
        if len(text) > MAX_NOTE:
            raise InputError(f"A note has at most {MAX_NOTE} characters — yours has {len(text)}; shorten it, please.")
        if step < 1:
            raise InputError("Notes are on a step — wait until the facilitator starts the walk-through.")
        with self.db.transaction() as conn:
            row = self._check_seat(conn, workshop_id, participant_id)
            if slug not in json.loads(row[2]):
                raise InputError(f"'{slug}' is not one of this workshop's patterns")
            key = (workshop_id, participant_id, slug, step)
            if not text:
                conn.execute(
                    "DELETE FROM workshop_notes WHERE workshop_id = ? AND participant_id = ? "
                    "AND pattern_slug = ? AND step = ?",
                    key,
                )
                return
            conn.execute(
                "INSERT INTO workshop_notes (workshop_id, participant_id, pattern_slug, step, text, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workshop_id, participant_id, pattern_slug, step) "
                "DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                (*key, text, now()),
            )

    def notes(self, workshop_id: str, slug: str | None = None, step: int | None = None) -> list[WorkshopNote]:
        """The notes in this workshop (or on one pattern, one step), oldest first; the removed's left out."""
        query = (
            "SELECT n.participant_id, p.name, n.pattern_slug, n.step, n.text, n.updated_at FROM workshop_notes n "
            "JOIN workshop_participants p ON p.id = n.participant_id AND p.workshop_id = n.workshop_id "
            "WHERE n.workshop_id = ? AND p.removed_at IS NULL"
        )
        args: tuple[str | int, ...] = (workshop_id,)
        if slug is not None:
            query += " AND n.pattern_slug = ?"
            args += (slug,)
        if step is not None:
            query += " AND n.step = ?"
            args += (step,)
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY n.updated_at, n.participant_id", args).fetchall()
        return [
            WorkshopNote(
                participant_id=r[0],
                name=r[1],
                pattern_slug=r[2],
                step=r[3],
                text=r[4],
                updated_at=dt.datetime.fromisoformat(r[5]),
            )
            for r in rows
        ]
