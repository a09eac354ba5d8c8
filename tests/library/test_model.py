"""A section's text is held packed: it reads back exactly, through the cache's JSON too."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pattern_guide.library.loader import parse_pattern
from pattern_guide.library.model import Pattern, Section

TEXT = "Ein Satz — with a dash, “quotes”, ✓ and 🌱.\n\n- a list\n- kept as it was\n" * 40


def test_a_section_reads_back_the_text_it_was_built_with_and_holds_less() -> None:
    section = Section.of("Problem", "problem", 12, TEXT)
    assert section.text == TEXT
    assert len(section.packed) < len(TEXT.encode()) / 4
    assert Section.of("Empty", None, 1, "").text == ""
    assert Section.model_validate({"heading": "H", "role": None, "line": 1, "text": TEXT}).text == TEXT


def test_a_json_dump_validates_back_to_an_equal_section() -> None:
    section = Section.of("Problem", "problem", 12, TEXT)
    dumped = section.model_dump(mode="json")
    assert "text" not in dumped and isinstance(dumped["packed"], str)
    again = Section.model_validate(dumped)
    assert again == section
    assert again.text == TEXT


def test_text_that_is_not_a_string_or_packing_that_is_not_base64_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be a string"):
        Section.model_validate({"heading": "Problem", "role": "problem", "line": 1, "text": 3})
    with pytest.raises(ValidationError):
        Section.model_validate({"heading": "Problem", "role": None, "line": 1, "packed": "not base64!"})


def _titled(title: str, tension: str) -> Pattern:
    text = f"---\nslug: p\ntitle: {title}\nontology:\n  search_hints:\n    primary_tension: {tension}\n---\nBody.\n"
    return parse_pattern(text, "p.md")


def test_a_label_that_sets_the_titles_first_word_against_its_last_is_not_shown_as_a_tension() -> None:
    assert _titled("Blood Sugar Management", "Blood vs. Management").named_tension is None
    assert _titled("Volunteer Boundary Setting", "Volunteer vs. Setting").named_tension is None
    kept = _titled("Decision Rights Zones", "Speed vs. Legitimacy")
    assert kept.named_tension == "Speed vs. Legitimacy" == kept.tension
    # A title that is itself a tension keeps it, and the file's label stays in `tension` either way.
    assert _titled("Autonomy vs Alignment", "Autonomy vs. Alignment").named_tension == "Autonomy vs. Alignment"
    assert _titled("Blood Sugar Management", "Blood vs. Management").tension == "Blood vs. Management"
