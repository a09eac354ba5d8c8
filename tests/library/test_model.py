"""A section's text is held packed: it reads back exactly, through the cache's JSON too."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pattern_guide.library.model import Section

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
