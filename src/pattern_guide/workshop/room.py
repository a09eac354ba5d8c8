"""The room: every participant's answers tallied per sign, scored as a whole, and the votes counted.

Pure functions over what the store keeps. Nothing here names a participant: the aggregate
is counts and means only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

from pydantic import BaseModel, Field

from pattern_guide.library.model import Pattern
from pattern_guide.text import plain, sentences, shorten
from pattern_guide.vitality.reading import VitalityReading, level_for, reading, round_half_up
from pattern_guide.vitality.signs import ANSWER_SCORE, Answer, SignKind, health, signs
from pattern_guide.workshop.model import WorkshopAnswer


class SignTally(BaseModel):
    """How the room answered one sign."""

    kind: SignKind
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


def nearest_answer(health: float, kind: SignKind) -> Answer:
    """The answer closest to a mean health, for a sign of life or of decay."""
    value = health if kind == "life" else 1.0 - health
    return min(Answer, key=lambda a: abs(ANSWER_SCORE[a] - value))


SUMMARY_CHARS = 220


def summary_in(pattern: Pattern, context: str | None) -> str:
    """What a pattern is about, in one or two sentences, named as the context knows it (plain text)."""
    about = sentences(plain(pattern.meta.summary or pattern.one_liner or pattern.solution or pattern.tension or ""))
    label = (pattern.context_label(context) or "").strip()
    text = f"Known in {context} settings as {label}." if label and label.lower() != pattern.title.lower() else ""
    for sentence in about[:2]:
        if text and len(text) + len(sentence) >= SUMMARY_CHARS:
            break
        text = f"{text} {sentence}".strip()
    return shorten(text, SUMMARY_CHARS)
