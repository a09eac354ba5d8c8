"""Workshops: a facilitator opens one on a few patterns, participants join by code, rate and vote.

Pure functions over what the store keeps: the room's aggregate per sign, its reading on the
rubric, the vote tally, and the Markdown report the facilitator takes away. Nothing here
names a participant: the aggregate is counts and means only.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

from pydantic import BaseModel, Field

from pattern_guide.export import escape_text
from pattern_guide.library import Library
from pattern_guide.model import Pattern
from pattern_guide.state import ANSWER_SCORE, Answer
from pattern_guide.vitality import VitalityReading, health, level_for, reading, replanting, round_half_up, signs

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed without doubt
CODE_LENGTH = 6
MAX_PATTERNS = 6


def new_code() -> str:
    """A short join code, easy to read out in a room."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a participant typed, as a code: case and spaces do not matter."""
    return "".join(text.split()).upper()


class Workshop(BaseModel):
    """One workshop: its code, the facilitator's key, the patterns and where the walk-through is."""

    id: str
    code: str
    key: str  # the facilitator's secret, carried only in the facilitator's URL
    title: str
    patterns: list[str]
    focus: str | None = None  # the pattern being walked through
    step: int = 0  # 0 = not started; otherwise the step number on screen
    created_at: dt.datetime


class Participant(BaseModel):
    id: str
    workshop_id: str
    name: str
    joined_at: dt.datetime


class WorkshopAnswer(BaseModel):
    participant_id: str
    pattern_slug: str
    sign: int  # the sign's position in the pattern: signs of life first, then signs of decay
    answer: Answer


class SignTally(BaseModel):
    """How the room answered one sign."""

    kind: str
    text: str
    counts: dict[Answer, int] = Field(default_factory=lambda: {a: 0 for a in Answer})
    health: float | None = None  # mean health over the answers, 1 = healthy

    @property
    def answered(self) -> int:
        return sum(self.counts.values())


class RoomReading(BaseModel):
    """The room's aggregate for one pattern."""

    slug: str
    title: str
    participants: int  # how many answered at least one sign
    signs: list[SignTally]
    score: float | None = None
    level: str | None = None
    meaning: str | None = None

    def weakest(self, limit: int = 3) -> list[SignTally]:
        answered = [s for s in self.signs if s.health is not None and s.health < 1.0]
        return sorted(answered, key=lambda s: s.health or 0.0)[:limit]


def room_reading(pattern: Pattern, answers: Sequence[WorkshopAnswer]) -> RoomReading:
    """Tally every participant's answers to this pattern's signs, and score the room as a whole.

    A sign's health is the mean over the people who answered it (a sign of decay answered
    "yes" is unhealthy); the room's score is 5 × the mean over the answered signs.
    """
    items = signs(pattern)
    tallies = [SignTally(kind=i.kind, text=i.text) for i in items]
    sums = [Fraction(0)] * len(items)
    people: set[str] = set()
    for answer in answers:
        if answer.pattern_slug != pattern.slug or not 0 <= answer.sign < len(items):
            continue
        people.add(answer.participant_id)
        tallies[answer.sign].counts[answer.answer] += 1
        sums[answer.sign] += Fraction(health(items[answer.sign].model_copy(update={"answer": answer.answer})) or 0)
    healths: list[Fraction] = []
    for tally, total in zip(tallies, sums, strict=True):
        if tally.answered:
            healths.append(total / tally.answered)
            tally.health = float(healths[-1])
    result = RoomReading(slug=pattern.slug, title=pattern.title, participants=len(people), signs=tallies)
    if healths:
        # Exact arithmetic and half-up rounding, as for one person's reading.
        result.score = round_half_up(5 * sum(healths, Fraction(0)) / len(healths))
        result.level, result.meaning = level_for(result.score)
    return result


def own_reading(pattern: Pattern, answers: Sequence[WorkshopAnswer], participant_id: str) -> VitalityReading:
    """One participant's own reading, as the self-assessment would give it."""
    items = signs(pattern)
    for answer in answers:
        mine = answer.participant_id == participant_id and answer.pattern_slug == pattern.slug
        if mine and 0 <= answer.sign < len(items):
            items[answer.sign].answer = answer.answer
    return reading(items)


def tally_votes(votes: dict[str, str], patterns: Sequence[str]) -> list[tuple[str, int]]:
    """Votes per pattern (participant -> slug), most first; ties keep the workshop's order."""
    counts = Counter(slug for slug in votes.values() if slug in patterns)
    order = {slug: i for i, slug in enumerate(patterns)}
    return sorted(((slug, counts.get(slug, 0)) for slug in patterns), key=lambda kv: (-kv[1], order[kv[0]]))


def report_markdown(
    workshop: Workshop,
    library: Library,
    answers: Sequence[WorkshopAnswer],
    votes: dict[str, str],
    participants: int,
    now: dt.datetime | None = None,
) -> str:
    """The facilitator's report: the votes, the room's reading of each pattern, what to replant."""
    when = (now or dt.datetime.now(dt.UTC)).strftime("%d %B %Y")
    out = [
        f"# Workshop report: {escape_text(workshop.title)}",
        "",
        f"{when} · code `{workshop.code}` · {participants} participant{'s' if participants != 1 else ''}",
        "",
        "## What the room chose to work on",
        "",
        "| Pattern | Votes |",
        "|---|---|",
    ]
    for slug, count in tally_votes(votes, workshop.patterns):
        title = library.patterns[slug].title if slug in library.patterns else slug
        out.append(f"| {escape_text(title)} | {count} |")
    out.append("")
    for slug in workshop.patterns:
        pattern = library.patterns.get(slug)
        if pattern is None:
            out += [f"## {escape_text(slug)}", "", "_This pattern is no longer in the library._", ""]
            continue
        room = room_reading(pattern, answers)
        out += [f"## {escape_text(pattern.title)}", ""]
        if pattern.tension:
            out += [f"**Tension:** {escape_text(pattern.tension)}", ""]
        if room.score is None:
            out += ["_Nobody rated its signs._", ""]
            continue
        out += [
            f"**Room reading:** {room.score:.1f} / 5 — {room.level} ({room.participants} rated). {room.meaning}",
            "",
            "| Sign | Yes | Partly | No | Health |",
            "|---|---|---|---|---|",
        ]
        for n, sign in enumerate(room.signs, start=1):
            health = f"{sign.health:.2f}" if sign.health is not None else "—"
            counts = " | ".join(str(sign.counts[a]) for a in Answer)
            out.append(f"| {n}. ({sign.kind}) {escape_text(sign.text)} | {counts} | {health} |")
        out.append("")
        weakest = room.weakest()
        if weakest:
            # The replanting suggestions are worked out as for one person whose answers are the room's.
            items = signs(pattern)
            for item, sign in zip(items, room.signs, strict=True):
                if sign.health is not None:
                    item.answer = _nearest_answer(sign.health, item.kind)
            suggestions = replanting(pattern, reading(items), library)
            out += ["**Where to replant**", ""]
            for suggestion in suggestions:
                line = f"- {escape_text(suggestion.sign)}"
                if suggestion.patterns:
                    line += " — see " + ", ".join(escape_text(r.title) for r in suggestion.patterns)
                out.append(line)
            if pattern.when_to_replant:
                out += ["", f"_When to replant:_ {escape_text(pattern.when_to_replant)}"]
            out.append("")
        licence = f"{escape_text(pattern.meta.license or '')} — {escape_text(pattern.meta.attribution or '')}"
        out += [f"_{escape_text(pattern.title)}: {licence}_", ""]
    return "\n".join(out).rstrip() + "\n"


def _nearest_answer(health: float, kind: str) -> Answer:
    """The answer closest to a mean health, for a sign of life or of decay."""
    value = health if kind == "life" else 1.0 - health
    return min(Answer, key=lambda a: abs(ANSWER_SCORE[a] - value))
