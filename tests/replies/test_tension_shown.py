"""A generated label that only sets a title's first word against its last is not read back as a tension."""

from __future__ import annotations

from pattern_guide.conversation.state import Candidate, GuideState
from pattern_guide.library.loader import Library, parse_pattern
from pattern_guide.replies import walkthrough
from pattern_guide.replies.composer import Inputs, _matches


def _pattern(slug: str, title: str, tension: str):  # type: ignore[no-untyped-def]
    text = (
        f"---\nslug: {slug}\ntitle: {title}\nsummary: About {title}.\nontology:\n  search_hints:\n"
        f"    primary_tension: {tension}\n---\n## Problem\n\nThe people doing the work are worn out.\n"
    )
    return parse_pattern(text, f"{slug}.md")


def test_the_reflection_and_the_list_leave_out_a_label_that_names_no_tension() -> None:
    blood = _pattern("blood-sugar-management", "Blood Sugar Management", "Blood vs. Management")
    zones = _pattern("decision-zones", "Decision Zones", "Speed vs. Legitimacy")
    library = Library(patterns={p.slug: p for p in (blood, zones)})
    state = GuideState(
        situation="Two of our five volunteers told me they are exhausted and thinking of quitting.",
        candidates=[Candidate(slug=p.slug, title=p.title, score=1.0) for p in (blood, zones)],
        shown=2,
    )
    text, _ = _matches(Inputs(state=state, library=library, pattern=None))
    assert "Blood vs. Management" not in text
    assert "is what **Blood Sugar Management** is about" in text
    assert "Tension: Speed vs. Legitimacy" in text
    adapted, _ = walkthrough.adapt(state, blood, library)
    assert "Blood vs. Management" not in adapted and "**Tension:**" not in adapted


def test_the_echoed_clause_is_what_keeps_happening_not_who_the_person_is() -> None:
    from pattern_guide.replies.listening import carrying_clause

    carers = _pattern("volunteer-care", "Volunteer Care", "Commitment vs. Rest")
    situation = (
        "I coordinate volunteers at a food bank. The same five people do everything and two of them told me "
        "they're worn out and thinking of quitting."
    )
    clause = carrying_clause(situation, carers)
    assert clause.startswith("The same five people") and "worn out" in clause
    # Even when the introduction shares more words with the pattern ("food bank") than the trouble does.
    pantry = parse_pattern(
        "---\nslug: pantry\ntitle: Pantry Rota\nsummary: Food bank volunteers who coordinate a rota.\n---\n"
        "## Problem\n\nThe same few people are worn out.\n",
        "pantry.md",
    )
    assert carrying_clause(situation, pantry).startswith("The same five people")
    alone = "I coordinate volunteers at a food bank."
    assert carrying_clause(alone, pantry) == alone


def test_a_context_label_is_a_name_a_sentence_or_left_out_when_it_only_repeats_the_title() -> None:
    from pattern_guide.replies.phrasing import name_in

    def labelled(title: str, label: str):  # type: ignore[no-untyped-def]
        text = f"---\nslug: p\ntitle: {title}\ncontext_labels:\n  activist: {label}\n---\nBody.\n"
        return parse_pattern(text, "p.md")

    assert name_in(labelled("Decision Zones", "Mandate Circles"), "activist") == (
        " — in a movement it often goes by **Mandate Circles**"
    )
    assert name_in(labelled("Service Work", "Service Work for Movements"), "activist") == ""
    sentence = labelled("Blood Sugar Management", "Activists maintain stamina through blood sugar stability")
    assert (
        name_in(sentence, "activist") == " — for a movement: *Activists maintain stamina through blood sugar stability*"
    )
