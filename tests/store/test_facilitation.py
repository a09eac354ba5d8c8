"""Facilitating a workshop in the store, on SQLite and PostgreSQL: notes on the steps, the room's
and each participant's context, and the step's countdown kept as moments."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pattern_guide.errors import InputError, WorkshopError
from pattern_guide.store import ConversationStore
from pattern_guide.store.database import close_pools
from pattern_guide.workshop.codes import MAX_NOTE


@pytest.fixture(autouse=True)
def _close_pools() -> Iterator[None]:
    yield
    close_pools()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ConversationStore:
    if request.param == "sqlite":
        return ConversationStore(tmp_path / "room.sqlite3")
    return ConversationStore(str(request.getfixturevalue("postgres_url")))


def test_notes_per_step_replace_and_are_scoped(store: ConversationStore) -> None:
    workshop = store.create_workshop("Day", ["meeting-diet", "sustainable-pace"])
    ana = store.join_workshop(workshop.id, "Ana")
    ben = store.join_workshop(workshop.id, "Ben")
    store.save_note(workshop.id, ana.id, "meeting-diet", 1, "  List every call  ")
    store.save_note(workshop.id, ben.id, "meeting-diet", 1, "Ask owners why")
    store.save_note(workshop.id, ana.id, "meeting-diet", 2, "Step two idea")
    store.save_note(workshop.id, ana.id, "meeting-diet", 1, "List every call, then cut half")  # replaces
    on_one = store.notes(workshop.id, "meeting-diet", 1)
    assert [(n.name, n.text) for n in on_one] == [("Ben", "Ask owners why"), ("Ana", "List every call, then cut half")]
    assert [n.text for n in store.notes(workshop.id, "meeting-diet", 2)] == ["Step two idea"]
    assert len(store.notes(workshop.id)) == 3
    store.save_note(workshop.id, ana.id, "meeting-diet", 2, "   ")  # an empty note takes it away
    assert store.notes(workshop.id, "meeting-diet", 2) == []

    other = store.create_workshop("Other", ["meeting-diet"])
    assert store.notes(other.id) == []
    with pytest.raises(WorkshopError, match="not a participant"):
        store.save_note(other.id, ana.id, "meeting-diet", 1, "sneaking in")
    with pytest.raises(InputError, match="not one of this workshop"):
        store.save_note(workshop.id, ana.id, "no-such-pattern", 1, "x")


def test_a_note_too_long_or_off_step_is_refused_with_a_message(store: ConversationStore) -> None:
    workshop = store.create_workshop("Day", ["meeting-diet"])
    ana = store.join_workshop(workshop.id, "Ana")
    store.save_note(workshop.id, ana.id, "meeting-diet", 1, "x" * MAX_NOTE)  # exactly the limit is fine
    with pytest.raises(InputError, match=f"at most {MAX_NOTE} characters — yours has {MAX_NOTE + 1}"):
        store.save_note(workshop.id, ana.id, "meeting-diet", 1, "y" * (MAX_NOTE + 1))
    with pytest.raises(InputError, match="on a step"):
        store.save_note(workshop.id, ana.id, "meeting-diet", 0, "before the start")
    assert [n.text for n in store.notes(workshop.id)] == ["x" * MAX_NOTE]


def test_closing_and_removal_freeze_and_hide_notes(store: ConversationStore) -> None:
    workshop = store.create_workshop("Day", ["meeting-diet"])
    ana = store.join_workshop(workshop.id, "Ana")
    ben = store.join_workshop(workshop.id, "Ben")
    store.save_note(workshop.id, ana.id, "meeting-diet", 1, "Ana's")
    store.save_note(workshop.id, ben.id, "meeting-diet", 1, "Ben's")
    store.remove_participant(workshop.id, ben.id)
    assert [n.name for n in store.notes(workshop.id)] == ["Ana"]
    with pytest.raises(WorkshopError, match="taken you out"):
        store.save_note(workshop.id, ben.id, "meeting-diet", 1, "again")
    store.close_workshop(workshop.id)
    with pytest.raises(WorkshopError, match="closed"):
        store.save_note(workshop.id, ana.id, "meeting-diet", 1, "changed")
    assert [n.text for n in store.notes(workshop.id)] == ["Ana's"]


def test_contexts_and_the_notes_switch_are_kept(store: ConversationStore) -> None:
    workshop = store.create_workshop("Day", ["meeting-diet"])
    ana = store.join_workshop(workshop.id, "Ana")
    assert store.participant_context(workshop.id, ana.id) is None
    store.set_participant_context(workshop.id, ana.id, "Activist")
    assert store.participant_context(workshop.id, ana.id) == "activist"
    with pytest.raises(InputError, match="Unknown context"):
        store.set_participant_context(workshop.id, ana.id, "galactic")
    assert store.participant_context(workshop.id, ana.id) == "activist"

    store.set_room_context(workshop.id, "gov")
    store.show_notes(workshop.id, True)
    again = store.workshop(workshop.code)
    assert again is not None and again.context == "government" and again.notes_shown
    store.set_room_context(workshop.id, None)
    store.show_notes(workshop.id, False)
    again = store.workshop(workshop.code)
    assert again is not None and again.context is None and not again.notes_shown


def test_blank_names_are_numbered_when_asked(store: ConversationStore) -> None:
    workshop = store.create_workshop("Day", ["meeting-diet"])
    store.join_workshop(workshop.id, "Ana", client="a")
    second = store.join_workshop(workshop.id, "  ", client="b", numbered=True)
    third = store.join_workshop(workshop.id, "", client="c", numbered=True)
    named = store.join_workshop(workshop.id, "Dee", client="d", numbered=True)
    assert (second.name, third.name, named.name) == ("Participant 2", "Participant 3", "Dee")


def test_the_timer_is_kept_as_moments_and_reset_by_a_new_step(store: ConversationStore) -> None:
    workshop = store.create_workshop("Day", ["meeting-diet"])
    assert not workshop.timer.set
    with pytest.raises(InputError):
        store.set_timer(workshop.id, 0)
    store.set_timer(workshop.id, 2)

    def timer():  # type: ignore[no-untyped-def]
        found = store.workshop(workshop.code)
        assert found is not None
        return found.timer

    assert timer().total_s == 120 and not timer().running
    assert timer().remaining(dt.datetime.now(dt.UTC)) == 120
    store.start_timer(workshop.id)
    time.sleep(0.3)
    running = timer()
    assert running.running and 119 < running.remaining(dt.datetime.now(dt.UTC)) < 119.8
    paused = store.pause_timer(workshop.id)
    assert not paused.running and 0.25 < paused.used_s < 1.5
    time.sleep(0.3)  # paused: no time passes
    assert timer().remaining(dt.datetime.now(dt.UTC)) == pytest.approx(120 - paused.used_s)
    store.start_timer(workshop.id)  # resume keeps what was used
    resumed = timer()
    assert resumed.running and resumed.used_s == pytest.approx(paused.used_s)
    # Two screens asking at the same moment see the same time.
    at = dt.datetime.now(dt.UTC)
    assert timer().remaining(at) == resumed.remaining(at)

    store.set_walkthrough(workshop.id, "meeting-diet", 1)
    fresh = timer()
    assert fresh.total_s == 120 and fresh.used_s == 0 and not fresh.running
