"""Why a related pattern is suggested for a weak sign: its own sentence that answers it, not shared words."""

from __future__ import annotations

from pattern_guide.library.loader import Library, load_libraries
from pattern_guide.vitality.reading import reading
from pattern_guide.vitality.replanting import rarity, reason, replanting
from pattern_guide.vitality.signs import Answer
from tests.conftest import STARTER
from tests.vitality.test_vitality import pattern_md, rate, rituals_library  # noqa: F401 - the fixture

Y, N = Answer.YES, Answer.NO


def test_the_reason_is_the_related_patterns_sentence_that_answers_the_sign(rituals_library: Library) -> None:  # noqa: F811
    focal = rituals_library.get("team-rituals")
    suggestions = replanting(focal, reading(rate(focal, {"Newcomers": N, "Endless": Y, "Empty": N})), rituals_library)
    newcomers = next(s for s in suggestions if s.sign.startswith("Newcomers"))
    buddy = newcomers.patterns[0]
    # Buddy System's sign of life shares "newcomers" and "new members" with the weak sign; its solution does not.
    assert (buddy.part, buddy.reason) == ("Signs of life", "Newcomers feel welcome. New members ask their buddy first.")
    assert buddy.because == "its Signs of life: “Newcomers feel welcome. New members ask their buddy first.”"


def test_without_two_shared_words_the_solution_stands_for_the_pattern() -> None:
    other = pattern_md("calm", "Calm", "Calm teams.", life_signs=("**Quiet.** Rooms are quiet.",))
    other = other.model_copy(update={"solution": "Therefore, protect quiet time. Guard it weekly."})
    part, sentence = reason("Budgets overrun. Money runs out early.", other)
    assert (part, sentence) == ("Solution", "Protect quiet time.")  # the lead-in "Therefore," is dropped


def test_rarer_words_decide_between_sentences() -> None:
    library = load_libraries([STARTER])
    weights = rarity(library)
    assert weights and min(weights.values()) >= 0
    assert weights["escal"] > weights["team"]  # "escalation" says more than "team" in this library


def test_the_starter_reading_has_readable_reasons() -> None:
    library = load_libraries([STARTER])
    diet = library.get("meeting-diet")
    items = rate(diet, {sign: Y for sign in diet.signs_of_life})
    items = [i.model_copy(update={"answer": N}) if i.text.startswith("Written updates") else i for i in items]
    (suggestion,) = replanting(diet, reading(items), library)
    remedy = suggestion.patterns[0]
    assert remedy.slug == "async-first-communication"
    assert remedy.part in ("Solution", "Implementation", "Signs of life")
    assert "written" in remedy.reason.lower() and len(remedy.reason) <= 240


def test_general_advice_is_marked(rituals_library: Library) -> None:  # noqa: F811
    buddy = rituals_library.get("buddy-system")
    (general,) = replanting(buddy, reading(rate(buddy, {"Hollow": Y})), rituals_library)
    assert general.general and general.advice == ["Pair them again. Check in weekly."]
    focal = rituals_library.get("team-rituals")
    specific = replanting(focal, reading(rate(focal, {"Newcomers": N, "Endless": Y})), rituals_library)
    endless = next(s for s in specific if s.sign.startswith("Endless"))
    assert not endless.general and endless.advice == ["Record decisions at the end of every meeting."]
