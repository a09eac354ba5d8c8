"""The step's countdown as pure moments, and what a pattern is about in a context."""

from __future__ import annotations

import datetime as dt

import pytest

from pattern_guide.assistant import Engine
from pattern_guide.library.model import Pattern
from pattern_guide.workshop.room import SUMMARY_CHARS, summary_in
from pattern_guide.workshop.timer import StepTimer, clock, timer_for

T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_start_pause_resume_and_time_up() -> None:
    timer = timer_for(5)
    assert timer.total_s == 300 and timer.remaining(at(999)) == 300, "not started: nothing passes"
    running = timer.started(at(0))
    assert running.remaining(at(60)) == 240
    paused = running.paused(at(90))
    assert paused.used_s == 90 and not paused.running
    assert paused.remaining(at(500)) == 210, "paused: nothing passes"
    resumed = paused.started(at(500))
    assert resumed.remaining(at(530)) == 180
    assert resumed.started(at(600)) == resumed, "starting a running timer changes nothing"
    assert resumed.remaining(at(5000)) == 0
    assert StepTimer().started(at(0)).running is False, "no timer set: nothing to start"


def test_the_clock_rounds_up_and_minutes_are_bounded() -> None:
    assert [clock(s) for s in (0, 0.2, 59.01, 60, 61, 754)] == ["0:00", "0:01", "1:00", "1:00", "1:01", "12:34"]
    for wrong in (0, -1, 181):
        with pytest.raises(ValueError, match="between"):
            timer_for(wrong)


def test_summary_names_the_pattern_in_the_context(hashing_starter: Engine) -> None:
    pattern: Pattern = hashing_starter.library.patterns["meeting-diet"].model_copy(deep=True)
    pattern.meta.summary = "First sentence here. Second one follows. A third is left out."
    pattern.meta.context_labels = {"tech": "Calendar Purge"}
    assert summary_in(pattern, None) == "First sentence here. Second one follows."
    tech = summary_in(pattern, "tech")
    assert tech.startswith("Known in tech settings as Calendar Purge.") and "First sentence here." in tech
    assert summary_in(pattern, "activist") == "First sentence here. Second one follows."
    pattern.meta.summary = "word " * 200
    assert len(summary_in(pattern, None)) <= SUMMARY_CHARS
