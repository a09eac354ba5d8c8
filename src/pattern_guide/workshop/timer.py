"""A step's countdown: set by the facilitator, started, paused and resumed, the same on every screen.

Only moments are kept (how long the step has, how long it has run before, since when it runs),
never a ticking number, so every screen that asks at the same moment gets the same remaining time.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

MAX_MINUTES = 180


class StepTimer(BaseModel):
    """The countdown of the step on screen."""

    total_s: int = 0  # 0 = no timer set
    used_s: float = 0.0  # run before the current run (or before the pause)
    running_since: dt.datetime | None = None  # None = paused, or not started

    @property
    def running(self) -> bool:
        return self.running_since is not None

    @property
    def set(self) -> bool:
        return self.total_s > 0

    def elapsed(self, at: dt.datetime) -> float:
        """Seconds the step has run so far."""
        extra = (at - self.running_since).total_seconds() if self.running_since else 0.0
        return self.used_s + max(0.0, extra)

    def remaining(self, at: dt.datetime) -> float:
        """Seconds left at this moment (0 once the time is up)."""
        return max(0.0, self.total_s - self.elapsed(at))

    def started(self, at: dt.datetime) -> StepTimer:
        """Running from this moment (a resume keeps what was used before)."""
        return self if self.running or not self.set else self.model_copy(update={"running_since": at})

    def paused(self, at: dt.datetime) -> StepTimer:
        """Stopped at this moment, keeping what was used."""
        if not self.running:
            return self
        return self.model_copy(update={"used_s": self.elapsed(at), "running_since": None})


def timer_for(minutes: float) -> StepTimer:
    """A fresh, stopped countdown of this many minutes."""
    if not 0 < minutes <= MAX_MINUTES:
        raise ValueError(f"a step's timer runs between 1 second and {MAX_MINUTES} minutes")
    return StepTimer(total_s=round(minutes * 60))


def clock(seconds: float) -> str:
    """Seconds as the timer shows them: ``m:ss`` (rounded up, so 0:00 means the time is up)."""
    whole = int(-(-seconds // 1))
    return f"{whole // 60}:{whole % 60:02d}"
