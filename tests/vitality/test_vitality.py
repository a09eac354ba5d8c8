"""Vitality readings on the PATTERN_SPEC rubric, and replanting suggestions from related patterns."""

from __future__ import annotations

import pytest

from pattern_guide.library.loader import Library, load_libraries, parse_pattern
from pattern_guide.library.model import Pattern
from pattern_guide.text import stem, terms
from pattern_guide.vitality.reading import reading
from pattern_guide.vitality.replanting import replanting
from pattern_guide.vitality.signs import Answer, VitalityItem
from tests.conftest import STARTER

Y, P, N, U = Answer.YES, Answer.PARTLY, Answer.NO, None


def life(*answers: Answer | None) -> list[VitalityItem]:
    return [VitalityItem(kind="life", text=f"life sign {i}", answer=a) for i, a in enumerate(answers)]


def decay(*answers: Answer | None) -> list[VitalityItem]:
    return [VitalityItem(kind="decay", text=f"decay sign {i}", answer=a) for i, a in enumerate(answers)]


@pytest.mark.parametrize(
    ("items", "score", "level"),
    [
        (life(Y, Y, Y, Y), 5.0, "Generative"),
        (decay(N, N, N), 5.0, "Generative"),
        (life(Y, Y, Y, Y) + decay(N, N, N, N), 5.0, "Generative"),
        (life(Y, Y, Y, Y, Y, Y, Y, Y, Y, N), 4.5, "Generative"),  # lowest Generative
        (life(Y, Y, Y, Y, Y, Y, Y, N), 4.4, "Sustaining"),  # 4.375 rounds to 4.4
        (life(Y, Y, Y, Y, Y, Y, Y, Y, P, N), 4.3, "Sustaining"),  # 4.25 rounds half up, not to even
        (life(Y, Y, Y, Y, Y, Y, Y, N, N, N), 3.5, "Sustaining"),  # lowest Sustaining
        (life(Y, Y, Y, Y, Y, P, N, N), 3.4, "Functional"),  # 3.4375
        (life(Y, Y) + decay(Y, Y, Y), 2.0, "Functional"),  # lowest Functional
        (life(Y, Y, Y, N, N, N, N, N), 1.9, "Extractive"),  # 1.875
        (life(N, N) + decay(Y, Y), 0.0, "Extractive"),
    ],
)
def test_score_and_level(items: list[VitalityItem], score: float, level: str) -> None:
    result = reading(items)
    assert (result.score, result.level) == (score, level)
    assert result.answered == result.total == len(items)


@pytest.mark.parametrize(
    ("answer", "life_score", "decay_score"),
    [(Y, 5.0, 0.0), (P, 2.5, 2.5), (N, 0.0, 5.0)],
)
def test_decay_is_inverted(answer: Answer, life_score: float, decay_score: float) -> None:
    assert reading(life(answer)).score == life_score
    assert reading(decay(answer)).score == decay_score


def test_unanswered_signs_are_ignored() -> None:
    result = reading(life(Y, U, U) + decay(U, N))
    assert (result.score, result.level) == (5.0, "Generative")
    assert (result.answered, result.total) == (2, 5)
    assert [i.health for i in result.items] == [1.0, None, None, None, 1.0]


def test_nothing_answered_has_no_score() -> None:
    result = reading(life(U, U) + decay(U))
    assert (result.score, result.level, result.answered, result.total) == (None, None, 0, 3)
    assert result.weakest == []
    assert reading([]).score is None


def test_weakest_are_the_worst_answered_signs_worst_first() -> None:
    items = [
        VitalityItem(kind="life", text="half alive", answer=P),
        VitalityItem(kind="life", text="healthy", answer=Y),
        VitalityItem(kind="decay", text="decaying badly", answer=Y),
        VitalityItem(kind="life", text="dead", answer=N),
        VitalityItem(kind="decay", text="some decay", answer=P),
        VitalityItem(kind="decay", text="unanswered", answer=U),
    ]
    weakest = reading(items).weakest
    assert [w.text for w in weakest] == ["decaying badly", "dead", "half alive"]
    assert [w.health for w in weakest] == [0.0, 0.0, 0.5]
    assert reading(life(Y, Y) + decay(N)).weakest == []


def test_terms_stem_and_drop_stop_words() -> None:
    assert set(terms("The meetings")) == set(terms("a meeting")) == {"meet"}
    assert set(terms("updated updates")) == {"updat"}
    assert terms("Decisions are recorded") == {stem("decisions"): "decisions", stem("recorded"): "recorded"}


# --- replanting ------------------------------------------------------------------------------------------


def pattern_md(
    slug: str,
    title: str,
    summary: str,
    tension: str = "Speed vs. Care",
    relationships: str = "",
    life_signs: tuple[str, ...] = ("**Alive.** It works.",),
    decay_signs: tuple[str, ...] = ("**Hollow.** It does not.",),
    replant: str = "Start again.",
) -> Pattern:
    """A tiny pattern parsed from Markdown the way a library file is."""
    text = f"""---
slug: {slug}
title: "{title}"
summary: "{summary}"
ontology:
  search_hints:
    primary_tension: "{tension}"
relationships:
{relationships or "  requires: []"}
license: CC-BY-SA-4.0
attribution: "Test authors"
---

{summary}

### Section 4: Implementation

**Step 1: Begin.**

Start small.

### Section 8: Vitality

**Signs of life:**

{chr(10).join(f"- {s}" for s in life_signs)}

**Signs of decay:**

{chr(10).join(f"- {s}" for s in decay_signs)}

**When to replant:**

{replant}
"""
    return parse_pattern(text, f"{slug}.md")


@pytest.fixture
def rituals_library() -> Library:
    focal = pattern_md(
        "team-rituals",
        "Team Rituals",
        "Regular shared practices that hold a team together.",
        relationships="  complementary:\n    - slug: decision-log\n      weight: 0.5\n  enables: [buddy-system, ghost]",
        life_signs=("**Newcomers settle in.** New members learn the rituals within weeks.",),
        decay_signs=(
            "**Endless meetings.** Meetings overrun and end without decisions.",
            "**Empty ritual.** Rituals continue but nobody remembers why.",
        ),
        replant="Ask the team which rituals still matter. Record decisions at the end of every meeting.",
    )
    decision_log = pattern_md(
        "decision-log",
        "Decision Log",
        "Record every decision where everyone can find it.",
        life_signs=("**Decisions are findable.** People look up past decisions before reopening them.",),
    )
    buddy = pattern_md(
        "buddy-system",
        "Buddy System",
        "Pair each newcomer with a buddy for their first weeks.",
        life_signs=("**Newcomers feel welcome.** New members ask their buddy first.",),
        replant="Pair them again. Check in weekly.",
    )
    timebox = pattern_md(  # links to team-rituals, not the other way round
        "meeting-timebox",
        "Meeting Timebox",
        "Meetings end on time, with the agenda ordered by decisions needed.",
        relationships="  requires: [team-rituals]",
        life_signs=("**Meetings end on time.** No meeting overruns its box.",),
    )
    stranger = pattern_md(  # the best words for "endless meetings", but unrelated: must not be suggested
        "meeting-free-days",
        "Meeting Free Days",
        "Meetings overrun; end meetings without decisions by banning meetings.",
        life_signs=("**Endless meetings gone.** Meetings never overrun.",),
    )
    patterns = [focal, decision_log, buddy, timebox, stranger]
    return Library(patterns={p.slug: p for p in patterns}, files=len(patterns))


def rate(pattern: Pattern, answers: dict[str, Answer]) -> list[VitalityItem]:
    items = [VitalityItem(kind="life", text=t) for t in pattern.signs_of_life]
    items += [VitalityItem(kind="decay", text=t) for t in pattern.signs_of_decay]
    for item in items:
        for start, answer in answers.items():
            if item.text.startswith(start):
                item.answer = answer
    return items


def test_replanting_picks_related_patterns_that_share_the_weak_signs_words(rituals_library: Library) -> None:
    focal = rituals_library.get("team-rituals")
    items = rate(focal, {"Newcomers": N, "Endless": Y, "Empty": N})
    suggestions = replanting(focal, reading(items), rituals_library)
    by_sign = {s.sign.split(".")[0]: s for s in suggestions}
    assert list(by_sign) == ["Newcomers settle in", "Endless meetings"]  # "Empty ritual" answered no: healthy

    newcomers = by_sign["Newcomers settle in"]
    assert newcomers.kind == "life" and newcomers.answer == N
    assert newcomers.patterns[0].slug == "buddy-system"
    assert newcomers.patterns[0].relationship == "enables" and not newcomers.patterns[0].incoming
    assert {"newcomers", "new", "members", "weeks"} <= set(newcomers.patterns[0].why)

    meetings = by_sign["Endless meetings"]
    slugs = [r.slug for r in meetings.patterns]
    assert slugs[0] == "meeting-timebox"  # found through its own link to team-rituals
    assert meetings.patterns[0].incoming and meetings.patterns[0].relationship == "requires"
    assert "decision-log" in slugs
    assert "meeting-free-days" not in [r.slug for s in suggestions for r in s.patterns]
    # The replanting sentence that speaks to the sign, not the whole paragraph.
    assert meetings.advice == ["Record decisions at the end of every meeting."]


def test_replanting_is_deterministic_and_bounded(rituals_library: Library) -> None:
    focal = rituals_library.get("team-rituals")
    result = reading(rate(focal, {"Newcomers": N, "Endless": Y, "Empty": Y}))
    first = replanting(focal, result, rituals_library, per_sign=1)
    assert first == replanting(focal, result, rituals_library, per_sign=1)
    assert all(len(s.patterns) <= 1 for s in first)
    assert len(first) == 3
    empty = next(s for s in first if s.sign.startswith("Empty"))
    assert empty.advice == ["Ask the team which rituals still matter."]


def test_advice_falls_back_to_the_whole_replanting_text(rituals_library: Library) -> None:
    buddy = rituals_library.get("buddy-system")
    (suggestion,) = replanting(buddy, reading(rate(buddy, {"Hollow": Y})), rituals_library)
    assert suggestion.advice == ["Pair them again. Check in weekly."]  # no word shared with "Hollow. It does not."


def test_healthy_reading_needs_no_replanting(rituals_library: Library) -> None:
    focal = rituals_library.get("team-rituals")
    assert replanting(focal, reading(rate(focal, {"Newcomers": Y, "Endless": N})), rituals_library) == []


def test_replanting_on_the_starter_library() -> None:
    library = load_libraries([STARTER])
    diet = library.get("meeting-diet")
    items = rate(diet, {sign: Y for sign in diet.signs_of_life})
    items = [i.model_copy(update={"answer": N}) if i.text.startswith("Written updates") else i for i in items]
    result = reading(items)
    assert [w.text[:15] for w in result.weakest] == ["Written updates"]
    (suggestion,) = replanting(diet, result, library)
    assert suggestion.patterns[0].slug == "async-first-communication"
    assert "written" in suggestion.patterns[0].why
    assert any("written updates" in a for a in suggestion.advice)


def test_generic_words_are_not_counted_as_shared() -> None:
    text = "Meeting hours stay lower across audit rounds; people always keep something back."
    assert set(terms(text).values()) == {"meeting", "hours", "stay", "lower", "audit", "rounds", "back"}
