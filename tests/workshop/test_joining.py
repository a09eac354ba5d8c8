"""Joining at room scale: the code throttle, closing, one seat per browser, the cap and removal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from pattern_guide.errors import InputError, WorkshopError
from pattern_guide.store import ConversationStore
from pattern_guide.store.database import close_pools
from pattern_guide.workshop.codes import JOIN_TRIES, JOIN_WINDOW_S, SERVER_TRIES, join_wait, plausible_code

NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ConversationStore]:
    """The same rules on both databases (PostgreSQL takes row locks where SQLite needs none)."""
    if request.param == "sqlite":
        yield ConversationStore(tmp_path / "guide.db")
        return
    yield ConversationStore(str(request.getfixturevalue("postgres_url")))
    close_pools()


def ago(seconds: float) -> dt.datetime:
    return NOW - dt.timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("failures", "limit", "wait"),
    [
        ([], 5, 0.0),
        ([ago(1)] * 4, 5, 0.0),  # under the limit
        ([ago(50), ago(40), ago(30), ago(20), ago(10)], 5, 10.0),  # the oldest leaves the window in 10 s
        ([ago(90), ago(40), ago(30), ago(20), ago(10)], 5, 0.0),  # one is already out of the window
        ([ago(59), ago(1)], 2, 1.0),
    ],
)
def test_join_wait_is_a_sliding_window(failures: list[dt.datetime], limit: int, wait: float) -> None:
    assert join_wait(failures, limit, NOW) == pytest.approx(wait)


def test_plausible_codes() -> None:
    assert plausible_code(" abc 234 ") and not plausible_code("ABC10O") and not plausible_code("ÄBC234")
    assert not plausible_code("A" * 500)


def test_guessing_codes_is_throttled_per_browser_and_survives_a_reload(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "guide.db")
    workshop = store.create_workshop("Team day", ["meeting-diet"])
    for guess in range(JOIN_TRIES):
        with pytest.raises(WorkshopError, match="No workshop has the code"):
            store.workshop_to_join(f"ZZZZ{guess + 2}2", "guesser")
    with pytest.raises(WorkshopError, match=r"Too many wrong codes .* wait \d+ seconds") as caught:
        store.workshop_to_join(workshop.code, "guesser")  # even the right code waits now
    assert 0 < caught.value.wait_s <= JOIN_WINDOW_S
    # A new store on the same file (a reload, a restart, another app server) remembers.
    with pytest.raises(WorkshopError, match="Too many wrong codes"):
        ConversationStore(tmp_path / "guide.db").workshop_to_join(workshop.code, "guesser")
    # Another browser is not held back, and right codes never count against anyone.
    for _ in range(JOIN_TRIES + 2):
        assert store.workshop_to_join(workshop.code.lower(), "participant").id == workshop.id
    # Once the window has passed, the guesser may try again.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=JOIN_WINDOW_S + 1)
    assert store.join_wait_s("guesser", at=later) == 0.0


def test_many_browsers_together_are_bounded_too(store: ConversationStore) -> None:
    workshop = store.create_workshop("Team day", ["meeting-diet"])
    for n in range(SERVER_TRIES):
        store.record_wrong_code(f"tab-{n}")  # a guesser clearing cookies between tries
    with pytest.raises(WorkshopError, match="Too many wrong codes"):
        store.workshop_to_join(workshop.code, "a-fresh-browser")


def test_closing_expires_the_code_and_freezes_answers_and_votes(store: ConversationStore) -> None:
    workshop = store.create_workshop("Team day", ["meeting-diet", "sustainable-pace"])
    ana = store.join_workshop(workshop.id, "Ana", client="ana")
    store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {0: "yes"})
    store.vote(workshop.id, ana.id, "meeting-diet")
    store.close_workshop(workshop.id)
    closed = store.workshop(workshop.code)
    assert closed is not None and closed.closed and closed.closed_at is not None
    with pytest.raises(WorkshopError, match="has been closed"):
        store.workshop_to_join(workshop.code, "late")
    with pytest.raises(WorkshopError, match="closed"):
        store.join_workshop(workshop.id, "Late", client="late")
    with pytest.raises(WorkshopError, match="read-only"):
        store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {0: "no", 1: "no"})
    with pytest.raises(WorkshopError, match="read-only"):
        store.vote(workshop.id, ana.id, "sustainable-pace")
    assert [(a.sign, a.answer.value) for a in store.workshop_answers(workshop.id)] == [(0, "yes")]
    assert store.votes(workshop.id) == {ana.id: "meeting-diet"}
    store.close_workshop(workshop.id)  # closing twice keeps the first time
    again = store.workshop(workshop.code)
    assert again is not None and again.closed_at == closed.closed_at


def test_a_browser_rejoining_continues_its_seat(store: ConversationStore) -> None:
    workshop = store.create_workshop("Team day", ["meeting-diet"])
    ana = store.join_workshop(workshop.id, "Ana", client="ana's browser")
    again = store.join_workshop(workshop.id, "Ana again", client="ana's browser")
    assert again == ana and store.seat(workshop.id, "ana's browser") == ana
    ben = store.join_workshop(workshop.id, "Ben", client="ben's browser")
    assert ben.id != ana.id and len(store.participants(workshop.id)) == 2
    assert len(ana.id) >= 22, "a participant's id is their key: at least 128 random bits"
    other = store.create_workshop("Other", ["meeting-diet"])
    assert store.join_workshop(other.id, "Ana", client="ana's browser").id != ana.id  # one seat per workshop


def test_the_cap_and_removal(store: ConversationStore) -> None:
    workshop = store.create_workshop("Small room", ["meeting-diet", "sustainable-pace"], max_participants=2)
    ana = store.join_workshop(workshop.id, "Ana", client="ana")
    ben = store.join_workshop(workshop.id, "Ben", client="ben")
    with pytest.raises(WorkshopError, match=r"full \(2 participants\)"):
        store.join_workshop(workshop.id, "Cy", client="cy")
    for who, vote in ((ana, "meeting-diet"), (ben, "sustainable-pace")):
        store.save_workshop_answers(workshop.id, who.id, "meeting-diet", {0: "yes", 1: "no"})
        store.vote(workshop.id, who.id, vote)

    assert store.remove_participant(workshop.id, ben.id)
    assert store.votes(workshop.id) == {ana.id: "meeting-diet"}
    assert {a.participant_id for a in store.workshop_answers(workshop.id)} == {ana.id}
    assert store.participant(workshop.id, ben.id) is None and [p.id for p in store.participants(workshop.id)] == [
        ana.id
    ]
    with pytest.raises(WorkshopError, match="taken you out"):
        store.vote(workshop.id, ben.id, "sustainable-pace")  # a removed participant cannot stuff votes
    with pytest.raises(WorkshopError, match="taken you out"):
        store.save_workshop_answers(workshop.id, ben.id, "meeting-diet", {0: "no"})
    with pytest.raises(WorkshopError, match="taken you out"):
        store.join_workshop(workshop.id, "Ben", client="ben")  # nor rejoin from the same browser
    assert store.join_workshop(workshop.id, "Cy", client="cy").name == "Cy"  # the seat is free again
    assert not store.remove_participant(workshop.id, ben.id)


def test_bad_input_is_refused_with_a_message(store: ConversationStore) -> None:
    workshop = store.create_workshop("Team day", ["meeting-diet"])
    ana = store.join_workshop(workshop.id, "  Ana\n  María  " + "x" * 100)
    assert ana.name.startswith("Ana María") and len(ana.name) == 60
    with pytest.raises(InputError, match="not an answer — use one of yes, partly, no"):
        store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {0: "très"})
    with pytest.raises(InputError, match="not a sign position"):
        store.save_workshop_answers(workshop.id, ana.id, "meeting-diet", {-1: "yes"})
    with pytest.raises(InputError, match="not one of this workshop's patterns"):
        store.vote(workshop.id, ana.id, "some-other-pattern")
    with pytest.raises(InputError, match="at most 120 characters"):
        store.create_workshop("T" * 121, ["meeting-diet"])
    with pytest.raises(WorkshopError, match="join it first"):
        store.vote(workshop.id, "not-a-participant", "meeting-diet")
    assert store.workshop_answers(workshop.id) == [] and store.votes(workshop.id) == {}
    with pytest.raises(WorkshopError, match="No workshop has the code"):
        store.workshop_to_join("ÄÖÜ€" * 50, "someone")  # non-ASCII, over-long: a message, shortened
