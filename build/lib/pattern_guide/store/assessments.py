"""Self-assessments: every reading a person takes of a pattern, kept for the trend."""

from __future__ import annotations

import datetime as dt
import json

from pydantic import ValidationError

from pattern_guide.errors import StoreError
from pattern_guide.store.base import Repository, now
from pattern_guide.vitality.assessment import Assessment
from pattern_guide.vitality.reading import VitalityReading


class AssessmentRepository(Repository):
    """Self-assessments, by pattern and owner."""

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
                    now(),
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
