"""The draft file: the Commons format, loadable with no errors, the person's words kept in their fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from pattern_guide.drafting.interview import DraftAnswers
from pattern_guide.drafting.store import check_draft
from pattern_guide.drafting.writer import (
    GROUPS,
    LINK_WEIGHT,
    SECTION_HEADINGS,
    fresh_slug,
    mint_id,
    slugify,
    tension_of,
    write_draft,
    yaml_text,
)
from pattern_guide.library.loader import load_libraries
from pattern_guide.library.model import SECTION_ROLES

FULL = {
    "context": "A food bank run by forty volunteers in a church hall.",
    "problem": "Every Saturday the same three people close up, and they are exhausted.",
    "tension": "fairness versus keeping the regulars happy",
    "solution": "Therefore, rotate the closing shift in pairs",
    "steps": "List who has closed this year\nMake a rota of pairs\nAsk at the monthly meeting how it went",
    "life": "new people close; regulars come back rested",
    "decay": "the rota is ignored; the same three again",
    "name": "closing in pairs",
}
SEED_ID = re.compile(r"^pat_[0-9a-hjkmnp-tv-z]{26}$")


def draft(answers: dict[str, str], offered: list[str] | None = None, **kw: object) -> str:
    made = write_draft(DraftAnswers(offered=offered or [], answers=answers), "Our volunteers burn out.", set(), **kw)  # type: ignore[arg-type]
    return made.text


def front(text: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))  # type: ignore[no-any-return]


def test_a_full_draft_loads_with_every_part(tmp_path: Path) -> None:
    text = draft(FULL, ["sustainable-pace", "meeting-diet"], context="activist", domain="commons-advocacy")
    (tmp_path / "closing-in-pairs.md").write_text(text, encoding="utf-8")
    library = load_libraries([tmp_path], external={"sustainable-pace", "meeting-diet"})
    assert library.problems == []
    pattern = library.patterns["closing-in-pairs"]
    assert [s.heading for s in pattern.sections] == list(SECTION_HEADINGS)
    assert [s.role for s in pattern.sections] == list(SECTION_ROLES)
    assert pattern.title == "Closing in pairs" and pattern.generation == "v7"
    assert pattern.tension == "fairness vs. keeping the regulars happy"
    assert pattern.solution == "Therefore, rotate the closing shift in pairs."
    assert [s.title for s in pattern.steps] == [
        "List who has closed this year",
        "Make a rota of pairs",
        "Ask at the monthly meeting how it went",
    ]
    assert pattern.signs_of_life == ["new people close", "regulars come back rested"]
    assert pattern.signs_of_decay == ["the rota is ignored", "the same three again"]
    life = pattern.meta.lifecycle
    assert (life.status, life.confidence, life.usage_stage) == ("draft", 1, "creation")
    refs = pattern.meta.relationships.alternatives
    assert [(r.slug, r.weight) for r in refs] == [("sustainable-pace", LINK_WEIGHT), ("meeting-diet", LINK_WEIGHT)]
    assert LINK_WEIGHT < 0.5
    assert pattern.meta.context_labels == {"activist": "Closing in pairs"}
    assert pattern.meta.ontology.domain == "commons-advocacy"
    assert SEED_ID.match(pattern.meta.id or "")


def test_all_seven_groups_have_their_banners_in_order() -> None:
    text = draft(FULL)
    found = re.findall(r"^# GROUP (\d): (.+)$", text, re.MULTILINE)
    assert found == [(str(n), name) for n, name in enumerate(GROUPS, start=1)]
    data = front(text)
    for key in (
        "id",
        "slug",
        "title",
        "summary",
        "context_labels",
        "ontology",
        "lifecycle",
        "relationships",
        "graph_garden",
        "contributors",
        "sources",
        "license",
        "attribution",
    ):
        assert key in data, key


def test_an_empty_interview_still_loads_and_says_what_is_missing() -> None:
    pattern = check_draft(draft({}))
    assert [s.heading for s in pattern.sections] == list(SECTION_HEADINGS)
    for section in pattern.sections:
        assert "Not written yet" in section.text, section.heading
    assert pattern.steps == [] and pattern.meta.lifecycle.status == "draft"


HOSTILE = [
    '"\n---\nslug: evil\n',
    "{{ config }} {% include '/etc/passwd' %}",
    "key: value\n  nested: [1, 2]\n- item\n? complex\n& anchor *alias !tag |\n> folded",
    "### Section 9: Injected\n**Step 1: fake.**\n---\n<script>alert(1)</script>",
    "'single' \"double\" \\ backslash \t tab \x00 nul \x1b esc \u2028 sep \x85 nel \ud800 lone",
    "yes",
    "1984",
    "null",
]


@pytest.mark.parametrize("said", HOSTILE)
def test_hostile_words_stay_inside_their_fields(said: str, tmp_path: Path) -> None:
    answers = dict.fromkeys(FULL, said)
    made = write_draft(DraftAnswers(answers=answers), said, set())
    pattern = check_draft(made.text)  # loads: no error, the eight sections, nothing else
    data = front(made.text)
    assert data["slug"] == made.slug and data["title"] == pattern.title and data["slug"] != "evil"
    assert set(data) == {
        "id",
        "slug",
        "title",
        "aliases",
        "summary",
        "context_labels",
        "ontology",
        "lifecycle",
        "relationships",
        "graph_garden",
        "contributors",
        "sources",
        "license",
        "attribution",
    }
    assert data["lifecycle"]["status"] == "draft"
    assert isinstance(data["ontology"]["search_hints"]["primary_tension"], str)
    assert re.fullmatch(r"[a-z][a-z0-9-]*", made.slug)
    assert len(pattern.steps) <= 6
    assert all(not s.title.startswith("fake") for s in pattern.steps)
    (tmp_path / f"{made.slug}.md").write_text(made.text, encoding="utf-8")
    assert load_libraries([tmp_path]).errors == []


def test_yaml_text_round_trips() -> None:
    for said in ['a "quoted" word', "colon: here", "# not a comment", "emoji 🌱 and ü", "\\n literal"]:
        assert yaml.safe_load(f"k: {yaml_text(said)}") == {"k": said}


def test_slugs_ids_and_tensions() -> None:
    assert slugify("Meetings that eat Fridays!") == "meetings-that-eat-fridays"
    assert slugify("Ümlaut café") == "umlaut-cafe"
    assert slugify("") == "our-own-pattern" and slugify("2024 plan") == "pattern-2024-plan"
    assert slugify("yes") == "pattern-yes"
    assert fresh_slug("x", {"x", "x-2"}) == "x-3" and fresh_slug("y", {"x"}) == "y"
    ids = {mint_id() for _ in range(50)}
    assert len(ids) == 50 and all(SEED_ID.match(i) for i in ids)
    assert mint_id(now=0)[4:14] == "0000000000"  # the time comes first, as in the format's ids
    assert tension_of("speed versus care.") == "speed vs. care"
    assert tension_of("Speed vs care") == "Speed vs. care"
    assert tension_of("quality against deadlines") == "quality vs. deadlines"
    assert tension_of("we never agree") == "we never agree"


def test_a_colliding_slug_gets_a_fresh_one() -> None:
    taken = {"closing-in-pairs", "closing-in-pairs-2"}
    made = write_draft(DraftAnswers(answers=FULL), "", taken)
    assert made.slug == "closing-in-pairs-3"
    assert front(made.text)["slug"] == "closing-in-pairs-3"


def test_without_a_name_the_title_comes_from_the_tension_then_the_problem() -> None:
    assert front(draft({"tension": "speed vs. care"}))["title"] == "Between speed and care"
    assert front(draft({"problem": "Decisions wait a month. It hurts."}))["title"] == "Decisions wait a month"
