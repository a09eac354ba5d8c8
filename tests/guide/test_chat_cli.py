"""The terminal chat, scripted through standard input, from situation to plan."""

from __future__ import annotations

import os
import subprocess
import sys

from pattern_guide.assistant import Engine
from tests.conftest import STARTER

SCRIPT = [
    "Half our week disappears into recurring meetings that decide nothing, and the team is exhausted.",
    "meeting-diet",
    "next",
    "We would list all 31 recurring calls on one page.",
    "What should replace a status meeting?",
    "context government",
    "We would ask each committee chair what the meeting is for.",
    "vitality",
    *["yes", "partly", "no", "y", "p", "n", "yes", "no", "partly", "no"],
    "plan",
    "quit",
]


def test_scripted_chat_reaches_the_plan(starter_engine: Engine) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env.update(PATTERN_GUIDE_LIBRARY=str(STARTER), PATTERN_GUIDE_INDEX=str(starter_engine.settings.index_dir))
    proc = subprocess.run(
        [sys.executable, "-m", "pattern_guide.cli", "chat"],
        input="\n".join(SCRIPT) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "What I hear in" in out and "Meeting Diet" in out
    assert "Step 1 of" in out and "Step 2 of" in out
    assert "In government contexts" in out  # the step re-rendered in the new lens
    assert "Here is what the patterns say about" in out and "[meeting-diet §" in out
    assert "Vitality reading:" in out
    plan = out[out.index("# Plan: Meeting Diet") :]
    assert "We would list all 31 recurring calls on one page." in plan
    assert "We would ask each committee chair what the meeting is for." in plan
    assert plan.index("31 recurring calls") < plan.index("committee chair")
    assert "CC-BY-SA-4.0" in plan


def test_the_terminal_never_receives_control_codes() -> None:
    from pattern_guide.cli.chat import _CONTROL

    hostile = "fine \x1b]0;pwned\x07 \x1b[2J text\r\nnext\tline \x9b31m"
    assert _CONTROL.sub("", hostile) == "fine ]0;pwned [2J text\nnext\tline 31m"
