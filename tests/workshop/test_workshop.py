"""Workshops: codes, joining, answers and votes kept per workshop, the room's aggregate and the report."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from pattern_guide.export.reports import report_markdown
from pattern_guide.library.loader import Library, load_libraries
from pattern_guide.store import ConversationStore
from pattern_guide.store.schema import SCHEMA_VERSION
from pattern_guide.vitality.signs import Answer
from pattern_guide.workshop.codes import CODE_ALPHABET, CODE_LENGTH, new_code, normalise_code
from pattern_guide.workshop.model import WorkshopAnswer
from pattern_guide.workshop.room import own_reading, room_reading, tally_votes
from tests.conftest import STARTER


@pytest.fixture(scope="module")
def library() -> Library:
    return load_libraries([STARTER])


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(tmp_path / "guide.db")


def test_codes_are_short_and_unambiguous() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) > 190
    for code in codes:
        assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("01OI")
    assert normalise_code(" ab c2 3d ") == "ABC23D"


def test_schema_migrates_an_existing_version_1_database(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (1)")
        conn.execute(
            "CREATE TABLE conversations (id TEXT PRIMARY KEY, situation TEXT NOT NULL DEFAULT '', pattern TEXT, "
            "stage TEXT NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
        )
    store = ConversationStore(path)
    workshop = store.create_workshop("Retro", ["meeting-diet"])
    assert store.workshop(workshop.code) == workshop
    with sqlite3.connect(path) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, SCHEMA_VERSION + 1)) and SCHEMA_VERSION >= 2


def test_join_answer_vote_and_read_back(store: ConversationStore) -> None:
    workshop = store.create_workshop("  Team day  ", ["meeting-diet", "sustainable-pace", "meeting-diet"])
    assert workshop.title == "Team day" and workshop.patterns == ["meeting-diet", "sustainable-pace"]
    assert store.workshop(workshop.code.lower()) == workshop
    assert store.workshop("ZZZZZZ") is None

    ana = store.join_workshop(workshop.id, "Ana")
    ben = store.join_workshop(workshop.id, "   ")
    assert ben.name == "Participant"
    assert [p.id for p in store.participants(workshop.id)] == [ana.id, ben.id]

    store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {0: "yes", 1: "no"})
    store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {1: "partly"})  # a change of mind
    store.save_workshop_answers(workshop.id, ben.id, "meeting-diet", {0: "no"})
    mine = store.workshop_answers(workshop.id, ana.id)
    assert [(a.sign, a.answer) for a in mine] == [(0, Answer.YES), (1, Answer.PARTLY)]
    assert len(store.workshop_answers(workshop.id)) == 3

    store.vote(workshop.id, ana.id, "sustainable-pace")
    store.vote(workshop.id, ben.id, "meeting-diet")
    store.vote(workshop.id, ben.id, "sustainable-pace")  # a vote can be changed, not repeated
    assert store.votes(workshop.id) == {ana.id: "sustainable-pace", ben.id: "sustainable-pace"}

    store.set_walkthrough(workshop.id, "sustainable-pace", 2)
    again = store.workshop(workshop.code)
    assert again is not None and (again.focus, again.step) == ("sustainable-pace", 2)


def test_a_workshop_sees_only_its_own_data(store: ConversationStore) -> None:
    first = store.create_workshop("First", ["meeting-diet"])
    second = store.create_workshop("Second", ["meeting-diet"])
    assert first.code != second.code and first.key != second.key
    ana = store.join_workshop(first.id, "Ana")
    store.save_workshop_answers(first.id, ana.id, "meeting-diet", {0: "yes"})
    store.vote(first.id, ana.id, "meeting-diet")
    assert store.workshop_answers(second.id) == [] and store.votes(second.id) == {}
    assert store.participants(second.id) == []
    assert store.participant(second.id, ana.id) is None, "a participant id does not open another workshop"
    assert store.participant(first.id, ana.id) == ana


def test_answers_survive_a_new_store_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "guide.db"
    store = ConversationStore(path)
    workshop = store.create_workshop("Offsite", ["meeting-diet"])
    ana = store.join_workshop(workshop.id, "Ana")
    store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {0: "partly"})
    restarted = ConversationStore(path)
    assert restarted.participant(workshop.id, ana.id) == ana
    assert [a.answer for a in restarted.workshop_answers(workshop.id, ana.id)] == [Answer.PARTLY]


def test_room_reading_tallies_and_scores(library: Library) -> None:
    pattern = library.patterns["sustainable-pace"]
    life, decay = len(pattern.signs_of_life), len(pattern.signs_of_decay)
    answers = [
        WorkshopAnswer(participant_id="a", pattern_slug=pattern.slug, sign=0, answer=Answer.YES),
        WorkshopAnswer(participant_id="b", pattern_slug=pattern.slug, sign=0, answer=Answer.NO),
        WorkshopAnswer(participant_id="c", pattern_slug=pattern.slug, sign=0, answer=Answer.PARTLY),
        # A sign of decay answered "yes" by everyone is as unhealthy as it gets.
        WorkshopAnswer(participant_id="a", pattern_slug=pattern.slug, sign=life, answer=Answer.YES),
        WorkshopAnswer(participant_id="b", pattern_slug=pattern.slug, sign=life, answer=Answer.YES),
        # Answers to other patterns, or to signs the pattern does not have, are ignored.
        WorkshopAnswer(participant_id="d", pattern_slug="meeting-diet", sign=0, answer=Answer.NO),
        WorkshopAnswer(participant_id="e", pattern_slug=pattern.slug, sign=life + decay, answer=Answer.NO),
    ]
    room = room_reading(pattern, answers)
    assert room.participants == 3 and len(room.signs) == life + decay
    first = room.signs[0]
    assert first.kind == "life" and first.answered == 3
    assert first.counts == {Answer.YES: 1, Answer.PARTLY: 1, Answer.NO: 1} and first.health == pytest.approx(0.5)
    assert room.signs[life].kind == "decay" and room.signs[life].health == 0.0
    assert all(s.health is None for s in room.signs[1:life])
    assert room.score == 1.3 and room.level == "Extractive"  # 5 × mean(0.5, 0.0) = 1.25, half up
    assert [s.text for s in room.weakest(1)] == [room.signs[life].text]

    mine = own_reading(pattern, answers, "b")
    assert mine.answered == 2 and mine.score == 0.0


def test_room_reading_with_no_answers(library: Library) -> None:
    room = room_reading(library.patterns["meeting-diet"], [])
    assert room.participants == 0 and room.score is None and room.level is None


def test_votes_are_tallied_most_first_ties_in_workshop_order() -> None:
    patterns = ["a", "b", "c"]
    assert tally_votes({"p1": "c", "p2": "b", "p3": "c", "p4": "gone"}, patterns) == [("c", 2), ("b", 1), ("a", 0)]
    assert tally_votes({}, patterns) == [("a", 0), ("b", 0), ("c", 0)]


def test_report_has_votes_readings_replanting_and_escapes_names(library: Library, store: ConversationStore) -> None:
    workshop = store.create_workshop("Q3 <b>retro</b>", ["meeting-diet", "sustainable-pace"])
    people = [store.join_workshop(workshop.id, name) for name in ("Ana", "Ben", "Chi")]
    pattern = library.patterns["meeting-diet"]
    for person, answer in zip(people, ("no", "partly", "no"), strict=True):
        store.save_workshop_answers(workshop.id, person.id, "meeting-diet", dict.fromkeys(range(4), answer))
        store.vote(workshop.id, person.id, "sustainable-pace" if person.name != "Ben" else "meeting-diet")
    report = report_markdown(
        workshop,
        library,
        store.workshop_answers(workshop.id),
        store.votes(workshop.id),
        participants=len(people),
        now=dt.datetime(2026, 11, 26, tzinfo=dt.UTC),
    )
    assert report.startswith("# Workshop report: Q3 &lt;b&gt;retro&lt;/b&gt;\n")
    assert f"26 November 2026 · code `{workshop.code}` · 3 participants" in report
    assert report.index("| Sustainable Pace | 2 |") < report.index("| Meeting Diet | 1 |")
    assert "**Room reading:**" in report and "(3 rated)" in report
    assert f"| 1. (life) {pattern.signs_of_life[0]}" in report.replace("\\", "")
    assert "**Where to replant**" in report
    assert "_Nobody rated its signs._" in report  # sustainable-pace had votes but no ratings
    assert "CC-BY-SA-4.0" in report
    assert "Ana" not in report and "Ben" not in report, "the report names nobody"
